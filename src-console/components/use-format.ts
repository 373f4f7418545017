import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { browserLanguages, isConsoleLanguage, localeOf } from '../i18n/console-i18n';
import { makeFormat, type ConsoleFormat } from './format';

/** Numbers, money and dates in the console's language (format.ts), made once per language. */
export function useFormat(): ConsoleFormat {
  const { t, i18n } = useTranslation();
  const language = isConsoleLanguage(i18n.language) ? i18n.language : 'en';
  const locale = localeOf(language, browserLanguages());
  return useMemo(() => makeFormat(locale, t), [locale, t]);
}
