import { describe, expect, it } from 'vitest';
import { countryDefaults, preferredTimeZone } from '../../src-shared/domain/country-defaults';

describe('what a store country implies', () => {
  it("gives the country's main language as its locale, and its time zones", () => {
    expect(countryDefaults('TR')).toEqual({ locale: 'tr-TR', timeZones: ['Europe/Istanbul'] });
    expect(countryDefaults('DE')).toEqual({ locale: 'de-DE', timeZones: ['Europe/Berlin', 'Europe/Busingen'] });
    expect(countryDefaults('JP')).toEqual({ locale: 'ja-JP', timeZones: ['Asia/Tokyo'] });
    const us = countryDefaults('US');
    expect(us.locale).toBe('en-US');
    expect(us.timeZones).toEqual(expect.arrayContaining(['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Pacific/Honolulu']));
  });

  it('knows nothing of a code that is no country', () => {
    for (const code of ['XX', 'ZZ', 'EU', 'QO']) expect(countryDefaults(code), code).toEqual({ locale: null, timeZones: [] });
  });

  it('offers the zone already chosen, else the machine’s own, else the country’s first', () => {
    const us = ['America/Chicago', 'America/New_York'];
    expect(preferredTimeZone(us, 'America/New_York', 'America/Chicago')).toBe('America/New_York');
    expect(preferredTimeZone(us, 'Europe/Istanbul', 'America/Chicago')).toBe('America/Chicago');
    expect(preferredTimeZone(us, 'Europe/Istanbul', 'UTC')).toBe('America/Chicago');
    expect(preferredTimeZone([], 'Europe/Istanbul', 'UTC')).toBeNull();
  });
});
