import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { speaksTurkish } from '../../src-shared/program/explain-phrases';
import { en } from './en';
import { tr } from './tr';

export const LANGUAGES = ['en', 'tr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The store's locale picks the language ("tr-TR" -> Turkish); anything else falls back to English. */
export const languageForLocale = (locale: string): Language => (speaksTurkish(locale) ? 'tr' : 'en');

export function createI18n(language: Language = 'en'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { en: { translation: en }, tr: { translation: tr } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  // The page says which language it is in (screen readers, hyphenation, the browser's own words).
  const mark = (language: string) => {
    if (typeof document !== 'undefined') document.documentElement.lang = language;
  };
  mark(instance.language);
  instance.on('languageChanged', mark);
  return instance;
}
