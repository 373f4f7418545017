import { describe, expect, it } from 'vitest';
import { makeFormat } from '../../src-renderer/components/format';

describe('the counter formats', () => {
  it("writes a receipt's time and its expiry date in one date style, in the store's zone", () => {
    const english = makeFormat({ locale: 'en-GB', currency: 'TRY', timeZone: 'Europe/Istanbul' });
    const turkish = makeFormat({ locale: 'tr-TR', currency: 'TRY', timeZone: 'Europe/Istanbul' });
    expect(english.dateTime('2026-12-01T18:56:00Z')).toBe('1 Dec 2026, 21:56');
    expect(english.date('2027-12-01')).toBe('1 Dec 2027');
    expect(turkish.dateTime('2026-12-01T18:56:00Z')).toBe('1 Ara 2026 21:56');
    expect(turkish.date('2027-12-01')).toBe('1 Ara 2027');
    expect(turkish.money(128_050)).toBe('₺1.280,50');
    expect(english.points(1615)).toBe('1,615');
    // A minus sign, as money taken off has ('−₺40,00'), not a hyphen.
    expect(turkish.points(-1245)).toBe('−1.245');
    expect(english.points(-300)).toBe('−300');
  });
});
