import { describe, expect, it } from 'vitest';
import { allocateProportionally, amountEntryOf, currencyExponent, formatMoney, parseAmountToMinor } from '../../src-shared/domain/money';

describe('money', () => {
  it('knows minor-unit digits per currency', () => {
    expect(currencyExponent('TRY')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('formats in the store locale', () => {
    expect(formatMoney(1234, 'TRY', 'tr-TR')).toBe('₺12,34');
    expect(formatMoney(1234, 'EUR', 'en-IE')).toBe('€12.34');
  });

  it('parses typed amounts without floats', () => {
    expect(parseAmountToMinor('12,34', 'TRY')).toBe(1234);
    expect(parseAmountToMinor('12.3', 'TRY')).toBe(1230);
    expect(parseAmountToMinor('12', 'TRY')).toBe(1200);
    expect(parseAmountToMinor('0.07', 'TRY')).toBe(7);
    expect(parseAmountToMinor('12.345', 'TRY')).toBeNull();
    expect(parseAmountToMinor('-1', 'TRY')).toBeNull();
    expect(parseAmountToMinor('abc', 'TRY')).toBeNull();
    expect(parseAmountToMinor('500', 'JPY')).toBe(500);
    expect(parseAmountToMinor('5.1', 'JPY')).toBeNull();
  });

  it('types amounts with the store locale\'s decimal separator, as they are shown', () => {
    expect(amountEntryOf('TRY', 'tr-TR')).toEqual({ decimalSeparator: ',', placeholder: '0,00', example: '12,50' });
    expect(amountEntryOf('TRY', 'en-GB')).toEqual({ decimalSeparator: '.', placeholder: '0.00', example: '12.50' });
    expect(amountEntryOf('EUR', 'de-DE')).toEqual({ decimalSeparator: ',', placeholder: '0,00', example: '12,50' });
    expect(amountEntryOf('KWD', 'en-US')).toEqual({ decimalSeparator: '.', placeholder: '0.000', example: '12.500' });
    expect(amountEntryOf('JPY', 'ja-JP')).toEqual({ decimalSeparator: null, placeholder: '0', example: '12' });
    // Arabic writes "٫", which the parser does not read: the keypad offers "." instead.
    expect(amountEntryOf('EGP', 'ar-EG').decimalSeparator).toBe('.');
    for (const [currency, locale] of [['TRY', 'tr-TR'], ['GBP', 'en-GB'], ['KWD', 'en-US'], ['JPY', 'ja-JP']] as const) {
      const { example } = amountEntryOf(currency, locale);
      // Each example is an amount the parser reads (twelve and a half units, twelve yen), written as the store shows it.
      const minor = parseAmountToMinor(example, currency);
      expect(minor, `${currency} ${locale}`).toBe(currency === 'JPY' ? 12 : 12.5 * 10 ** currencyExponent(currency));
      expect(formatMoney(minor ?? 0, currency, locale)).toContain(example);
    }
  });

  it('allocates in integers that sum to the total', () => {
    expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateProportionally(0, [5, 5])).toEqual([0, 0]);
    expect(allocateProportionally(7, [0, 0])).toEqual([0, 0]);
    const parts = allocateProportionally(999, [123, 456, 789, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(999);
  });
});
