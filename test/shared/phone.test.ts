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

  it('formats for people', () => {
    expect(formatPhone('+905321234567')).toBe('+90 532 123 45 67');
  });
});
