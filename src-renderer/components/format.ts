import { amountEntryOf, formatMoney } from '../../src-shared/domain/money';

/**
 * Money, points and dates as the store writes them (its locale, currency and time zone). One date
 * style throughout, so a receipt's time and its expiry date read alike ("1 Dec 2026, 21:56" and
 * "1 Dec 2027", not "01/12/2026, 21:56" beside "1 Dec 2027").
 */
export function makeFormat({ locale, currency, timeZone }: { locale: string; currency: string; timeZone?: string }) {
  const number = new Intl.NumberFormat(locale);
  // Points taken away carry the same minus sign as money taken off ('−₺40,00 · −300', not '· -300').
  const points = (n: number) => (n < 0 ? `−${number.format(-n)}` : number.format(n));
  return {
    currency,
    /** The store's locale (BCP 47): what its spreadsheets and keyboards follow. */
    locale,
    /** The decimal key, hint and example for typing an amount, as amounts are shown here. */
    amountEntry: amountEntryOf(currency, locale),
    /** A plain number (a field's limit, a count): 1,000 in English, 1.000 in Turkish. */
    number: (n: number) => number.format(n),
    money: (minor: number) => formatMoney(minor, currency, locale),
    points,
    /** A sentence's {{points}} and the count that picks its singular ("1 point") or plural. */
    pointsParams: (n: number) => ({ points: points(n), count: n }),
    dateTime: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso)),
    /** A local calendar date ("2027-06-01") as people write it; no zone shift. */
    date: (day: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day.slice(0, 10)}T00:00:00Z`)),
    /** The store-local date of an instant. */
    dateOf: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(iso)),
    /**
     * How long ago, as the status bar says it: minutes, hours, then whole days from two days on (a
     * weekend offline is "3 days ago", not "75 hours ago"; never "yesterday", which is a calendar day).
     */
    age: (iso: string, nowMs = Date.now()) => {
      const minutes = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 60_000));
      const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      if (minutes < 60) return rtf.format(-minutes, 'minute');
      if (minutes < 48 * 60) return rtf.format(-Math.round(minutes / 60), 'hour');
      return rtf.format(-Math.floor(minutes / (24 * 60)), 'day');
    },
  };
}
