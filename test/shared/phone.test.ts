import { describe, expect, it } from 'vitest';
import { KasaError } from '../../src-shared/api/errors';
import { formatPhone, normalizePhone } from '../../src-shared/domain/phone';

describe('phone normalisation to E.164', () => {
  it('makes every common Turkish spelling one number', () => {
    for (const spelling of ['0532 123 45 67', '+90 532 123 4567', '905321234567', '00905321234567', '(0532) 123-45-67', '5321234567']) {
      expect(normalizePhone(spelling, 'TR'), spelling).toBe('+905321234567');
    }
  });

  it('uses the store country for national numbers and keeps foreign numbers foreign', () => {
    expect(normalizePhone('030 12345678', 'DE')).toBe('+493012345678');
    expect(normalizePhone('+44 20 7946 0958', 'TR')).toBe('+442079460958');
  });

  it('rejects impossible numbers with INVALID_PHONE', () => {
    for (const bad of ['', '123', '0532', 'abc', '0532 ABC 45 67', '+90 532 123 45 67 89 00', '1'.repeat(40)]) {
      expect(() => normalizePhone(bad, 'TR'), bad).toThrow(KasaError);
      try {
        normalizePhone(bad, 'TR');
      } catch (error) {
        expect((error as KasaError).code).toBe('INVALID_PHONE');
      }
    }
  });

  it('refuses a payment card number or track data without repeating it, and still takes a phone whose digits pass Luhn', () => {
    for (const card of ['4111 1111 1111 1111', '5555-5555-5555-4444', '4111111111111111', ';4111111111111111=28121010000000000000?', '%B4111111111111111^YILMAZ/AYSE^2812101?']) {
      let refusal: KasaError | null = null;
      try {
        normalizePhone(card, 'TR');
      } catch (error) {
        refusal = error as KasaError;
      }
      expect(refusal?.code, card).toBe('INVALID_PHONE');
      expect(refusal?.details, card).toEqual({ reason: 'card-number' });
      // The message goes to the screen's details, integrators and logs: no digits of the card in it.
      expect(refusal?.message, card).not.toMatch(/\d{4}/);
    }
    // 905321234569 passes Luhn: a phone number first, never taken for a card.
    expect(normalizePhone('905321234569', 'TR')).toBe('+905321234569');
    // A short mistyped phone is still said as one, with what was typed.
    expect(() => normalizePhone('0532 123 45 6', 'TR')).toThrow('"0532 123 45 6" is not a valid phone number');
  });

  it('formats for people', () => {
    expect(formatPhone('+905321234567')).toBe('+90 532 123 45 67');
  });
});
