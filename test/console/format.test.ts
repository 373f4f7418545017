// The console writes money in the currency's own decimals and counts with thousands separators,
// in the owner's browser locale.
import { describe, expect, it } from 'vitest';
import { formatCount, formatMinor, parseTypedNumber } from '../../src-console/components/format';

describe('console number formats', () => {
  it('writes money with the currency’s decimals: a yen has none, a lira two, a dinar three', () => {
    expect(formatMinor(500_000, 'JPY', 'en-US')).toBe('¥500,000');
    expect(formatMinor(150_750, 'TRY', 'en-US')).toBe('TRY\u00a01,507.50');
    expect(formatMinor(150_750, 'TRY', 'tr-TR')).toBe('₺1.507,50');
    expect(formatMinor(1_234, 'KWD', 'en-US')).toBe('KWD\u00a01.234');
    expect(formatMinor(150_750, null, 'en-US')).toBe('1,507.50');
  });

  it('groups the thousands of a count', () => {
    expect(formatCount(111_543, 'en-US')).toBe('111,543');
    expect(formatCount(1_000_000, 'tr-TR')).toBe('1.000.000');
    expect(formatCount(-300, 'en-US')).toBe('-300');
  });

  it('reads a number typed the way the language writes it, thousands separators included', () => {
    expect(['1,000', '1,000,000', '12.5', '12,5', '60', ' 7 '].map((t) => parseTypedNumber(t, 'en-US'))).toEqual([1000, 1_000_000, 12.5, 12.5, 60, 7]);
    expect(['1.000', '1.000.000', '12,5', '12.5', '60'].map((t) => parseTypedNumber(t, 'tr-TR'))).toEqual([1000, 1_000_000, 12.5, 12.5, 60]);
    for (const bad of ['', 'abc', '1,2,3x']) expect(parseTypedNumber(bad, 'en-US'), bad).toBeNaN();
  });
});
