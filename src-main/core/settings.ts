import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { because, KasaError } from '../../src-shared/api/errors';
import { countryDefaults } from '../../src-shared/domain/country-defaults';
import { CurrencyCode } from '../../src-shared/domain/money';
import { RedemptionVerification } from '../../src-shared/api/contract';

export const DEFAULT_CASHIER_REFUND_WINDOW_HOURS = 24;

export const StoreSettings = z.object({
  storeName: z.string().trim().min(1).max(120),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as TR'),
  currency: CurrencyCode,
  locale: z.string().min(2).max(35),
  timeZone: z.string().min(1).max(64),
  /** What spending points needs (see RedemptionVerification); a manager's approval always stands in. */
  redemptionVerification: RedemptionVerification.default('none'),
  /**
   * How long after a sale the cashier who rang it up may refund it alone (hours; 0: never). Any other
   * refund needs a manager, signed in or approving with an override.
   */
  cashierRefundWindowHours: z.number().int().min(0).max(720).default(DEFAULT_CASHIER_REFUND_WINDOW_HOURS),
});
export type StoreSettings = z.infer<typeof StoreSettings>;

export const DEFAULT_STORE_SETTINGS: StoreSettings = {
  storeName: 'Kasa store',
  country: 'TR',
  currency: 'TRY',
  locale: 'tr-TR',
  timeZone: 'Europe/Istanbul',
  redemptionVerification: 'none',
  cashierRefundWindowHours: DEFAULT_CASHIER_REFUND_WINDOW_HOURS,
};

/**
 * A store's country and currency fix how its sales were priced and sent: once one is recorded they
 * stay (terminal.configure and the wizard's store step both ask this).
 */
export function refusePlaceChangeAfterFirstSale(db: Database, current: StoreSettings, change: { country?: string | undefined; currency?: string | undefined }): void {
  const changes = (change.country && change.country !== current.country) || (change.currency && change.currency !== current.currency);
  if (changes && db.prepare('SELECT 1 FROM sales LIMIT 1').get()) {
    throw new KasaError('VALIDATION', 'Country and currency cannot change after the first sale: set up a new terminal for another country', because('place-after-first-sale'));
  }
}

export function readSetting(db: Database, key: string): string | null {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
  return row?.value ?? null;
}

export function writeSetting(db: Database, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * A store moved to another country takes that country's locale (how amounts and dates are written
 * there: de-DE for DE) and its first time zone, unless the same call gives its own; a code the
 * runtime's CLDR data does not know changes neither.
 */
function placeOfNewCountry(current: string, country: string | undefined): Partial<StoreSettings> {
  if (country === undefined || country === current) return {};
  const { locale, timeZones } = countryDefaults(country);
  return locale === null ? {} : { locale, timeZone: timeZones[0] };
}

export type PlaceProblem = { field: 'country' | 'locale' | 'timeZone'; message: string };

/**
 * What is wrong with a store's country, locale or time zone, the one named, or null when the
 * runtime knows each that is given (a country: one its CLDR data has a language and zones for).
 */
export function placeProblem(place: { country?: string | undefined; locale?: string | undefined; timeZone?: string | undefined }): PlaceProblem | null {
  if (place.country !== undefined && countryDefaults(place.country).locale === null) {
    return { field: 'country', message: `unknown country "${place.country}": give an ISO 3166 country code such as TR or DE` };
  }
  if (place.locale !== undefined) {
    try {
      new Intl.NumberFormat(place.locale);
    } catch {
      return { field: 'locale', message: `unknown locale "${place.locale}": give a language tag such as tr-TR or de-DE` };
    }
  }
  if (place.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: place.timeZone });
    } catch {
      return { field: 'timeZone', message: `unknown time zone "${place.timeZone}": give an IANA time zone such as Europe/Istanbul` };
    }
  }
  return null;
}

/** Store settings: stored values, overridden by what the operator passed now, validated as a whole. */
export function loadStoreSettings(db: Database, overrides: Partial<StoreSettings>): StoreSettings {
  const stored = readSetting(db, 'store');
  const base = stored ? (JSON.parse(stored) as Partial<StoreSettings>) : {};
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<StoreSettings>;
  const merged = { ...DEFAULT_STORE_SETTINGS, ...base, ...placeOfNewCountry(base.country ?? DEFAULT_STORE_SETTINGS.country, given.country), ...given };
  const parsed = StoreSettings.safeParse(merged);
  if (!parsed.success) {
    throw new KasaError('VALIDATION', `Invalid store settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  // A country is checked when it is given: one stored before is the store's, whatever the data says now.
  const problem = placeProblem({ country: given.country, locale: parsed.data.locale, timeZone: parsed.data.timeZone });
  if (problem) throw new KasaError('VALIDATION', `Invalid store settings: ${problem.message}`);
  const text = JSON.stringify(parsed.data);
  if (text !== stored) writeSetting(db, 'store', text);
  return parsed.data;
}
