// Which sentence says a validity reason (validity-reason.ts), and with what words in it: the same
// choice for the terminal and the console, each of which has these keys under "validity" in its
// own language files and formats the numbers and dates its own way.
import type { Bound, ValidityReason } from './validity-reason';

export type ValidityMessageKey =
  | 'validity.required'
  | 'validity.requiredChoice'
  | 'validity.requiredCheck'
  | 'validity.requiredRadio'
  | 'validity.requiredFile'
  | 'validity.badNumber'
  | 'validity.badDate'
  | 'validity.invalid'
  | 'validity.typeEmail'
  | 'validity.typeUrl'
  | 'validity.pattern'
  | 'validity.tooLong'
  | 'validity.tooShort'
  | 'validity.tooSmall'
  | 'validity.tooLarge'
  | 'validity.tooEarly'
  | 'validity.tooLate'
  | 'validity.stepBetween'
  | 'validity.stepNearest';

export type ValidityMessage = {
  /** A key of the screen's language files: one of the validity keys, or a field's own pattern hint. */
  key: ValidityMessageKey | string;
  params: Record<string, string | number>;
}

export type ValidityFormats = {
  /** A number as the screen writes numbers (1.000 in Turkish). */
  number: (n: number) => string;
  /** A calendar day ("2026-03-01") as the screen writes dates. */
  day: (day: string) => string;
}

const DATE_TYPES = new Set(['date', 'datetime-local', 'month', 'week', 'time']);
const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

const requiredKey = (type: string): ValidityMessageKey =>
  type.startsWith('select') ? 'validity.requiredChoice' : type === 'checkbox' ? 'validity.requiredCheck' : type === 'radio' ? 'validity.requiredRadio' : type === 'file' ? 'validity.requiredFile' : 'validity.required';

/** A bound in the screen's words: a number formatted, a day as a date, a time or month as written. */
const boundText = (bound: Bound, formats: ValidityFormats): string =>
  typeof bound === 'number' ? formats.number(bound) : CALENDAR_DAY.test(bound) ? formats.day(bound) : bound;

/**
 * The sentence for `reason`. A pattern field may name its own hint (an i18n key such as
 * "devices.hexIdHint", from its data-pattern-hint): "1 to 4 hexadecimal digits" says more than
 * "match the format asked for".
 */
export function validityMessage(reason: ValidityReason, formats: ValidityFormats, patternHint?: string | null): ValidityMessage {
  switch (reason.code) {
    case 'bad-input':
      return { key: reason.facts.type === 'number' ? 'validity.badNumber' : DATE_TYPES.has(reason.facts.type) ? 'validity.badDate' : 'validity.invalid', params: {} };
    case 'required':
      return { key: requiredKey(reason.facts.type), params: {} };
    case 'type':
      return { key: reason.facts.type === 'email' ? 'validity.typeEmail' : reason.facts.type === 'url' ? 'validity.typeUrl' : 'validity.invalid', params: {} };
    case 'pattern':
      return { key: patternHint ? patternHint : 'validity.pattern', params: {} };
    case 'too-long':
      // count picks "1 character" or "4 characters".
      return { key: 'validity.tooLong', params: { count: reason.facts.maxLength, maxLength: formats.number(reason.facts.maxLength), length: formats.number(reason.facts.length) } };
    case 'too-short':
      return { key: 'validity.tooShort', params: { count: reason.facts.minLength, minLength: formats.number(reason.facts.minLength), length: formats.number(reason.facts.length) } };
    case 'too-small':
      return { key: typeof reason.facts.min === 'number' ? 'validity.tooSmall' : 'validity.tooEarly', params: { min: boundText(reason.facts.min, formats) } };
    case 'too-large':
      return { key: typeof reason.facts.max === 'number' ? 'validity.tooLarge' : 'validity.tooLate', params: { max: boundText(reason.facts.max, formats) } };
    case 'step': {
      const { below, above } = reason.facts;
      if (below !== null && above !== null) return { key: 'validity.stepBetween', params: { below: formats.number(below), above: formats.number(above) } };
      const nearest = below ?? above;
      return nearest === null ? { key: 'validity.invalid', params: {} } : { key: 'validity.stepNearest', params: { nearest: formats.number(nearest) } };
    }
  }
}
