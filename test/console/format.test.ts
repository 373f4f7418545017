// The console writes money in the currency's own decimals and counts with thousands separators,
// in the owner's browser locale.
import { describe, expect, it } from 'vitest';
import { formatCount, formatMinor } from '../../src-console/components/format';

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
});
