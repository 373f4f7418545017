// What a store's country implies for the rest of its settings, from the runtime's CLDR data: the
// locale its amounts and dates are written in, and the time zones its day can start in.

/** Intl.Locale's time zones: a method in current engines, a getter in older ones. */
type LocaleWithZones = Intl.Locale & { getTimeZones?: () => string[] | undefined; timeZones?: string[] };

export type CountryDefaults = {
  /** The country's main language with the country ("de-DE", "tr-TR"); null for a code the data does not know. */
  locale: string | null;
  /** The country's IANA time zones (one for most, several for the US or Brazil); empty when unknown. */
  timeZones: string[];
};

const UNKNOWN: CountryDefaults = { locale: null, timeZones: [] };

export function countryDefaults(country: string): CountryDefaults {
  // A code without a name is no country ("XX"), and ZZ is CLDR's "unknown region", which it
  // nonetheless gives the US's zones.
  if (country === 'ZZ' || new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(country) === undefined) return UNKNOWN;
  let likely: LocaleWithZones;
  try {
    likely = new Intl.Locale(`und-${country}`).maximize() as LocaleWithZones;
  } catch {
    return UNKNOWN;
  }
  const timeZones = likely.getTimeZones?.() ?? likely.timeZones ?? [];
  // "und" left as it was: the data knows no language for it.
  if (likely.language === 'und' || timeZones.length === 0) return UNKNOWN;
  return { locale: `${likely.language}-${country}`, timeZones };
}

/**
 * The zone to offer first for a store in `country`: the one already chosen, else the machine's
 * own (a till's clock is set where it stands), else the country's first.
 */
export function preferredTimeZone(timeZones: readonly string[], current: string, machine: string | undefined): string | null {
  if (timeZones.includes(current)) return current;
  if (machine !== undefined && timeZones.includes(machine)) return machine;
  return timeZones[0] ?? null;
}
