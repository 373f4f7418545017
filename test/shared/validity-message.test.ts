// Which sentence says each validity reason, with its numbers and dates formatted by the screen
// (src-shared/forms/validity-message.ts).
import { describe, expect, it } from 'vitest';
import { validityMessage, type ValidityFormats } from '../../src-shared/forms/validity-message';

const turkish: ValidityFormats = {
  number: (n) => new Intl.NumberFormat('tr-TR').format(n),
  day: (day) => new Intl.DateTimeFormat('tr-TR', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`)),
};

describe('validityMessage', () => {
  it('asks for a missing value by what the field is', () => {
    expect(validityMessage({ code: 'required', facts: { type: 'text' } }, turkish)).toEqual({ key: 'validity.required', params: {} });
    expect(validityMessage({ code: 'required', facts: { type: 'number' } }, turkish).key).toBe('validity.required');
    expect(validityMessage({ code: 'required', facts: { type: 'textarea' } }, turkish).key).toBe('validity.required');
    expect(validityMessage({ code: 'required', facts: { type: 'select-one' } }, turkish).key).toBe('validity.requiredChoice');
    expect(validityMessage({ code: 'required', facts: { type: 'select-multiple' } }, turkish).key).toBe('validity.requiredChoice');
    expect(validityMessage({ code: 'required', facts: { type: 'checkbox' } }, turkish).key).toBe('validity.requiredCheck');
    expect(validityMessage({ code: 'required', facts: { type: 'radio' } }, turkish).key).toBe('validity.requiredRadio');
    expect(validityMessage({ code: 'required', facts: { type: 'file' } }, turkish).key).toBe('validity.requiredFile');
  });

  it('asks for a number, a whole date or a valid value for bad input', () => {
    expect(validityMessage({ code: 'bad-input', facts: { type: 'number' } }, turkish).key).toBe('validity.badNumber');
    expect(validityMessage({ code: 'bad-input', facts: { type: 'date' } }, turkish).key).toBe('validity.badDate');
    expect(validityMessage({ code: 'bad-input', facts: { type: 'datetime-local' } }, turkish).key).toBe('validity.badDate');
    expect(validityMessage({ code: 'bad-input', facts: { type: 'text' } }, turkish).key).toBe('validity.invalid');
  });

  it('names an email address or a web address for a type mismatch', () => {
    expect(validityMessage({ code: 'type', facts: { type: 'email' } }, turkish).key).toBe('validity.typeEmail');
    expect(validityMessage({ code: 'type', facts: { type: 'url' } }, turkish).key).toBe('validity.typeUrl');
    expect(validityMessage({ code: 'type', facts: { type: 'other' } }, turkish).key).toBe('validity.invalid');
  });

  it('uses a pattern field’s own hint when it has one', () => {
    expect(validityMessage({ code: 'pattern' }, turkish)).toEqual({ key: 'validity.pattern', params: {} });
    expect(validityMessage({ code: 'pattern' }, turkish, null)).toEqual({ key: 'validity.pattern', params: {} });
    expect(validityMessage({ code: 'pattern' }, turkish, 'devices.hexIdHint')).toEqual({ key: 'devices.hexIdHint', params: {} });
  });

  it('formats lengths and counts them for the plural', () => {
    expect(validityMessage({ code: 'too-long', facts: { maxLength: 1000, length: 1200 } }, turkish)).toEqual({ key: 'validity.tooLong', params: { count: 1000, maxLength: '1.000', length: '1.200' } });
    expect(validityMessage({ code: 'too-short', facts: { minLength: 1, length: 0 } }, turkish)).toEqual({ key: 'validity.tooShort', params: { count: 1, minLength: '1', length: '0' } });
  });

  it('formats a number bound as a number and a day as a date', () => {
    expect(validityMessage({ code: 'too-small', facts: { min: 1500 } }, turkish)).toEqual({ key: 'validity.tooSmall', params: { min: '1.500' } });
    expect(validityMessage({ code: 'too-large', facts: { max: 0.5 } }, turkish)).toEqual({ key: 'validity.tooLarge', params: { max: '0,5' } });
    expect(validityMessage({ code: 'too-small', facts: { min: '2026-03-01' } }, turkish)).toEqual({ key: 'validity.tooEarly', params: { min: '1 Mar 2026' } });
    expect(validityMessage({ code: 'too-large', facts: { max: '2026-04-30' } }, turkish)).toEqual({ key: 'validity.tooLate', params: { max: '30 Nis 2026' } });
    expect(validityMessage({ code: 'too-large', facts: { max: '22:00' } }, turkish)).toEqual({ key: 'validity.tooLate', params: { max: '22:00' } });
  });

  it('gives both nearest step values, the one there is, or asks for a valid value', () => {
    expect(validityMessage({ code: 'step', facts: { step: 0.25, below: 1000, above: 1000.25 } }, turkish)).toEqual({ key: 'validity.stepBetween', params: { below: '1.000', above: '1.000,25' } });
    expect(validityMessage({ code: 'step', facts: { step: 1, below: 719, above: null } }, turkish)).toEqual({ key: 'validity.stepNearest', params: { nearest: '719' } });
    expect(validityMessage({ code: 'step', facts: { step: 1, below: null, above: 3 } }, turkish)).toEqual({ key: 'validity.stepNearest', params: { nearest: '3' } });
    expect(validityMessage({ code: 'step', facts: { step: 7, below: null, above: null } }, turkish)).toEqual({ key: 'validity.invalid', params: {} });
  });
});
