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

  it('says how long ago the last sync or the oldest waiting entry was in days once it is two days or more', () => {
    const english = makeFormat({ locale: 'en-GB', currency: 'TRY' });
    const turkish = makeFormat({ locale: 'tr-TR', currency: 'TRY' });
    const now = Date.parse('2026-12-07T09:00:00Z');
    const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
    expect(english.age(ago(0), now)).toBe('this minute');
    expect(english.age(ago(5), now)).toBe('5 minutes ago');
    expect(english.age(ago(26 * 60), now)).toBe('26 hours ago');
    // A terminal offline since Friday evening, on Monday morning.
    expect(english.age(ago(63 * 60), now)).toBe('2 days ago');
    expect(english.age(ago(75 * 60), now)).toBe('3 days ago');
    expect(turkish.age(ago(75 * 60), now)).toBe('3 gün önce');
  });
});
