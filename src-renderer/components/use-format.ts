import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/store-context';
import { makeFormat } from './format';

/** Money and dates in the store's locale and currency, from terminal.status (format.ts). */
export function useFormat() {
  const status = useAppStore((s) => s.status);
  const { i18n } = useTranslation();
  return makeFormat({ locale: status?.locale ?? i18n.language, currency: status?.currency ?? 'TRY', ...(status?.timeZone ? { timeZone: status.timeZone } : {}) });
}
