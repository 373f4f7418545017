// Numbers and money the way the owner's browser writes them (1,507.50 in English, 1.507,50 in
// Turkish), with the currency's own number of decimals (a yen has none, a dinar three).
import { formatMoney } from '../../src-shared/domain/money';

/** A count with thousands separators: 111543 reads 111,543. */
export const formatCount = (n: number, locale?: string): string => new Intl.NumberFormat(locale).format(n);

/** Points with their noun, singular for one either way: "1 point", "-1 point", "1,500 points". */
export const formatPoints = (n: number, locale?: string): string => `${formatCount(n, locale)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;

/** Minor units of `currency` (no currency known: the amount in hundredths, as a plain number). */
export const formatMinor = (minor: number, currency: string | null, locale?: string): string =>
  currency ? formatMoney(minor, currency, locale ?? new Intl.NumberFormat().resolvedOptions().locale) : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
