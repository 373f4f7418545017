import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { makeFormat } from './format';

/** Money and dates in the store's locale and currency, from terminal.status (format.ts). */
export function useFormat() {
  const status = useAppStore((s) => s.status);
  const { i18n } = useTranslation();
  const locale = status?.locale ?? i18n.language;
  const currency = status?.currency ?? 'TRY';
  const timeZone = status?.timeZone;
  // Made once per store settings, not on every render of every component that formats.
  return useMemo(() => makeFormat({ locale, currency, ...(timeZone ? { timeZone } : {}) }), [locale, currency, timeZone]);
}
