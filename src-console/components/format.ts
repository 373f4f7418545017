// Numbers, money and dates the way the console's language writes them (1,507.50 in English,
// 1.507,50 in Turkish), money in the currency's own number of decimals (a yen has none, a dinar
// three). The locale comes from the language (i18n/console-i18n.ts localeOf); use-format.ts
// makes one set per language for the components.
import type { TFunction } from 'i18next';
import { formatMoney } from '../../src-shared/domain/money';

/** A count with thousands separators: 111543 reads 111,543. */
export const formatCount = (n: number, locale?: string): string => new Intl.NumberFormat(locale).format(n);

/** Minor units of `currency` (no currency known: the amount in hundredths, as a plain number). */
export const formatMinor = (minor: number, currency: string | null, locale?: string): string =>
  currency ? formatMoney(minor, currency, locale ?? new Intl.NumberFormat().resolvedOptions().locale) : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);

/**
 * A number typed the way the language writes it: "1,000" and "12.5" in English, "1.000" and "12,5"
 * in Turkish (NaN when it is not one). A thousands separator counts as one only before exactly three
 * digits, so a decimal typed the other language's way still reads as a decimal ("12,5" in English is
 * 12.5, "12.5" in Turkish too): an owner's target of "1.000" new enrolments was saved as 1.
 */
export function parseTypedNumber(text: string, locale: string): number {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const trimmed = text.trim();
  if (trimmed === '') return Number.NaN;
  const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ungrouped = trimmed.replace(new RegExp(`${escape(group)}(?=\\d{3}(?!\\d))`, 'g'), '');
  return Number(ungrouped.replace(decimal, '.').replace(',', '.'));
}

export function makeFormat(locale: string, t: TFunction) {
  const number = new Intl.NumberFormat(locale);
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const compactNumber = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const count = (n: number) => number.format(n);
  return {
    locale,
    count,
    /** Points with their noun, singular for one either way: "1 point", "-1 point", "1,500 points" ("1.500 puan"). */
    points: (n: number, sign: 'plus' | 'minus-only' = 'minus-only') => t('format.points', { count: n, points: sign === 'plus' && n > 0 ? `+${count(n)}` : count(n) }),
    money: (minor: number, currency: string | null) => formatMinor(minor, currency, locale),
    /** A share (0.5) as a percentage with one decimal: "50.0 %", "%50,0"; none yet: "no data". */
    percent: (share: number | null) => (share === null ? t('format.noData') : t('format.percent', { value: oneDecimal.format(Math.round(share * 1000) / 10) })),
    /** A chart axis's short number: 1.2K, 3.4M (1,2 B in Turkish). */
    compact: (n: number) => compactNumber.format(n),
    dateTime: (iso: string) => new Date(iso).toLocaleString(locale),
    date: (iso: string) => new Date(iso).toLocaleDateString(locale),
    /** A number of seconds as the largest units that say it: "45 seconds", "3 hours 5 minutes". */
    duration: (seconds: number) => {
      const s = Math.abs(Math.round(seconds));
      if (s < 60) return t('duration.seconds', { count: s });
      const minutes = Math.round(s / 60);
      if (minutes < 60) return t('duration.minutes', { count: minutes });
      const h = Math.floor(minutes / 60);
      const m = minutes % 60;
      return m ? `${t('duration.hours', { count: h })} ${t('duration.minutes', { count: m })}` : t('duration.hours', { count: h });
    },
  };
}

export type ConsoleFormat = ReturnType<typeof makeFormat>;
