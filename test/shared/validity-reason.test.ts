// Which constraint a field fails first, and with what facts (src-shared/forms/validity-reason.ts):
// every flag alone, the order when several are up, and the nearest valid values of a step.
import { describe, expect, it } from 'vitest';
import { validityReason, type FieldConstraints, type ValidityFlags } from '../../src-shared/forms/validity-reason';

const VALID: ValidityFlags = {
  badInput: false,
  valueMissing: false,
  typeMismatch: false,
  patternMismatch: false,
  tooLong: false,
  tooShort: false,
  rangeUnderflow: false,
  rangeOverflow: false,
  stepMismatch: false,
};
const TEXT: FieldConstraints = { type: 'text', value: '', min: null, max: null, step: null, minLength: -1, maxLength: -1 };
const flags = (...up: (keyof ValidityFlags)[]): ValidityFlags => ({ ...VALID, ...Object.fromEntries(up.map((f) => [f, true])) });
const number = (value: string, rest: Partial<FieldConstraints> = {}): FieldConstraints => ({ ...TEXT, type: 'number', value, ...rest });

describe('validityReason', () => {
  it('finds nothing in a valid field, or one whose only error is a custom one', () => {
    expect(validityReason(VALID, TEXT)).toBeNull();
    expect(validityReason(VALID, number('5', { min: '1', max: '9' }))).toBeNull();
  });

  it('says an empty required field is missing, with its type (a select, a checkbox and a text field are asked for differently)', () => {
    expect(validityReason(flags('valueMissing'), TEXT)).toEqual({ code: 'required', facts: { type: 'text' } });
    expect(validityReason(flags('valueMissing'), { ...TEXT, type: 'select-one' })).toEqual({ code: 'required', facts: { type: 'select-one' } });
    expect(validityReason(flags('valueMissing'), { ...TEXT, type: 'checkbox' })).toEqual({ code: 'required', facts: { type: 'checkbox' } });
    expect(validityReason(flags('valueMissing'), { ...TEXT, type: 'date' })).toEqual({ code: 'required', facts: { type: 'date' } });
  });

  it('says a number field holding non-digits is bad input, before it reads as missing', () => {
    expect(validityReason(flags('badInput'), number(''))).toEqual({ code: 'bad-input', facts: { type: 'number' } });
    expect(validityReason(flags('badInput', 'valueMissing'), number(''))).toEqual({ code: 'bad-input', facts: { type: 'number' } });
    expect(validityReason(flags('badInput'), { ...TEXT, type: 'date' })).toEqual({ code: 'bad-input', facts: { type: 'date' } });
  });

  it('says a value of the wrong type for an email or URL field', () => {
    expect(validityReason(flags('typeMismatch'), { ...TEXT, type: 'email', value: 'meral' })).toEqual({ code: 'type', facts: { type: 'email' } });
    expect(validityReason(flags('typeMismatch'), { ...TEXT, type: 'url', value: 'kasa' })).toEqual({ code: 'type', facts: { type: 'url' } });
  });

  it('says a pattern mismatch', () => {
    expect(validityReason(flags('patternMismatch'), { ...TEXT, value: 'XYZ' })).toEqual({ code: 'pattern' });
  });

  it('says a too long or too short value with the limit and the length now', () => {
    expect(validityReason(flags('tooLong'), { ...TEXT, value: 'Kadıköy', maxLength: 4 })).toEqual({ code: 'too-long', facts: { maxLength: 4, length: 7 } });
    expect(validityReason(flags('tooShort'), { ...TEXT, value: 'a', minLength: 2 })).toEqual({ code: 'too-short', facts: { minLength: 2, length: 1 } });
    expect(validityReason(flags('tooShort'), { ...TEXT, value: '', minLength: 1 })).toEqual({ code: 'too-short', facts: { minLength: 1, length: 0 } });
  });

  it('says a number below min or above max, the bound as a number', () => {
    expect(validityReason(flags('rangeUnderflow'), number('0', { min: '1', max: '720' }))).toEqual({ code: 'too-small', facts: { min: 1 } });
    expect(validityReason(flags('rangeOverflow'), number('721', { min: '1', max: '720' }))).toEqual({ code: 'too-large', facts: { max: 720 } });
    expect(validityReason(flags('rangeUnderflow'), number('-2.5', { min: '-1.25' }))).toEqual({ code: 'too-small', facts: { min: -1.25 } });
    expect(validityReason(flags('rangeOverflow'), { ...number('7'), type: 'range', max: '5' })).toEqual({ code: 'too-large', facts: { max: 5 } });
  });

  it('keeps a date or time field’s bound as written', () => {
    expect(validityReason(flags('rangeUnderflow'), { ...TEXT, type: 'date', value: '2026-02-28', min: '2026-03-01' })).toEqual({ code: 'too-small', facts: { min: '2026-03-01' } });
    expect(validityReason(flags('rangeOverflow'), { ...TEXT, type: 'date', value: '2026-05-01', max: '2026-04-30' })).toEqual({ code: 'too-large', facts: { max: '2026-04-30' } });
    expect(validityReason(flags('rangeOverflow'), { ...TEXT, type: 'time', value: '23:00', max: '22:00' })).toEqual({ code: 'too-large', facts: { max: '22:00' } });
  });

  it('gives the two nearest valid values of a value off the step, counted from min', () => {
    expect(validityReason(flags('stepMismatch'), number('1.5', { min: '1', max: '720', step: '1' }))).toEqual({ code: 'step', facts: { step: 1, below: 1, above: 2 } });
    expect(validityReason(flags('stepMismatch'), number('12', { min: '10', step: '5' }))).toEqual({ code: 'step', facts: { step: 5, below: 10, above: 15 } });
    expect(validityReason(flags('stepMismatch'), number('-7', { min: '-10', step: '4' }))).toEqual({ code: 'step', facts: { step: 4, below: -10, above: -6 } });
  });

  it('counts from the default value, else zero, when there is no min; no step attribute means 1', () => {
    expect(validityReason(flags('stepMismatch'), number('7', { step: '5', valueAttribute: '1' }))).toEqual({ code: 'step', facts: { step: 5, below: 6, above: 11 } });
    expect(validityReason(flags('stepMismatch'), number('7', { step: '5' }))).toEqual({ code: 'step', facts: { step: 5, below: 5, above: 10 } });
    expect(validityReason(flags('stepMismatch'), number('2.5'))).toEqual({ code: 'step', facts: { step: 1, below: 2, above: 3 } });
    expect(validityReason(flags('stepMismatch'), number('2.5', { step: 'any' }))).toEqual({ code: 'step', facts: { step: 1, below: 2, above: 3 } });
    expect(validityReason(flags('stepMismatch'), number('2.5', { step: '0' }))).toEqual({ code: 'step', facts: { step: 1, below: 2, above: 3 } });
  });

  it('rounds decimal steps to their decimals, and counts a value on a step boundary as that step', () => {
    expect(validityReason(flags('stepMismatch'), number('0.35', { min: '0', step: '0.1' }))).toEqual({ code: 'step', facts: { step: 0.1, below: 0.3, above: 0.4 } });
    expect(validityReason(flags('stepMismatch'), number('0.296', { min: '0', step: '0.1' }))).toEqual({ code: 'step', facts: { step: 0.1, below: 0.2, above: 0.3 } });
    expect(validityReason(flags('stepMismatch'), number('1.234', { min: '0.5', step: '0.25' }))).toEqual({ code: 'step', facts: { step: 0.25, below: 1, above: 1.25 } });
  });

  it('leaves out a nearest value outside min and max', () => {
    expect(validityReason(flags('stepMismatch'), number('719.5', { min: '1', max: '719.9', step: '1' }))).toEqual({ code: 'step', facts: { step: 1, below: 719, above: null } });
    expect(validityReason(flags('stepMismatch'), number('3', { min: '0', max: '4', step: '5', valueAttribute: '2' }))).toEqual({ code: 'step', facts: { step: 5, below: 0, above: null } });
    expect(validityReason(flags('stepMismatch'), number('1', { max: '5', step: '5', valueAttribute: '-2' }))).toEqual({ code: 'step', facts: { step: 5, below: -2, above: 3 } });
    expect(validityReason(flags('stepMismatch'), number('0.5', { min: '-3', max: '0', step: '5', valueAttribute: '-3' }))).toEqual({ code: 'step', facts: { step: 5, below: -3, above: null } });
  });

  it('gives no nearest values for a field that is not a number', () => {
    expect(validityReason(flags('stepMismatch'), { ...TEXT, type: 'date', value: '2026-03-02', step: '7', min: '2026-03-01' })).toEqual({ code: 'step', facts: { step: 7, below: null, above: null } });
    expect(validityReason(flags('stepMismatch'), number(''))).toEqual({ code: 'step', facts: { step: 1, below: null, above: null } });
  });

  it('reports the first failure in Chromium’s order', () => {
    const order: [keyof ValidityFlags, string][] = [
      ['badInput', 'bad-input'],
      ['valueMissing', 'required'],
      ['typeMismatch', 'type'],
      ['patternMismatch', 'pattern'],
      ['tooLong', 'too-long'],
      ['tooShort', 'too-short'],
      ['rangeUnderflow', 'too-small'],
      ['rangeOverflow', 'too-large'],
      ['stepMismatch', 'step'],
    ];
    const field = number('3', { min: '5', max: '1', step: '2', minLength: 1, maxLength: 1 });
    order.forEach(([flag, code], i) => {
      const later = order.slice(i).map(([f]) => f);
      expect(validityReason(flags(...later), field)?.code, flag).toBe(code);
    });
  });
});
