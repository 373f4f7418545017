// Why a form field is invalid, in facts a screen can say in its own language: Chromium's own
// bubble speaks the browser's language, not the one the cashier or owner chose. Pure (no DOM):
// the screens pass the field's ValidityState flags and its constraints as plain values.

/** The native constraint checks, as ValidityState has them (a ValidityState is one). */
export type ValidityFlags = {
  readonly badInput: boolean;
  readonly valueMissing: boolean;
  readonly typeMismatch: boolean;
  readonly patternMismatch: boolean;
  readonly tooLong: boolean;
  readonly tooShort: boolean;
  readonly rangeUnderflow: boolean;
  readonly rangeOverflow: boolean;
  readonly stepMismatch: boolean;
}

/** A field's constraints as the DOM gives them: attributes as written (null when absent), lengths -1 when absent. */
export type FieldConstraints = {
  /** The element's type: "text", "number", "date", "checkbox", "select-one", "textarea"... */
  readonly type: string;
  readonly value: string;
  readonly min: string | null;
  readonly max: string | null;
  readonly step: string | null;
  readonly minLength: number;
  readonly maxLength: number;
  /** The value attribute (the default value): the step base of a field without min. */
  readonly valueAttribute?: string | null;
}

/** A number, or a date/time as the attribute writes it ("2026-03-01"). */
export type Bound = number | string;

export type ValidityReason =
  | { code: 'bad-input'; facts: { type: string } }
  | { code: 'required'; facts: { type: string } }
  | { code: 'type'; facts: { type: string } }
  | { code: 'pattern' }
  | { code: 'too-long'; facts: { maxLength: number; length: number } }
  | { code: 'too-short'; facts: { minLength: number; length: number } }
  | { code: 'too-small'; facts: { min: Bound } }
  | { code: 'too-large'; facts: { max: Bound } }
  /** The nearest valid values either side of the value; null where there is none in range (or the type is not a number). */
  | { code: 'step'; facts: { step: number; below: number | null; above: number | null } };

const NUMERIC_TYPES = new Set(['number', 'range']);

const numberOr = (text: string | null | undefined, fallback: number): number => {
  const n = text === null || text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(n) ? n : fallback;
};

/** A bound of a number field as a number; of a date or time field as written. */
const boundOf = (type: string, text: string | null): Bound => (NUMERIC_TYPES.has(type) ? numberOr(text, 0) : (text ?? ''));

const decimalsOf = (n: number): number => {
  const [, fraction = ''] = String(n).split('.');
  return fraction.replace(/e.*$/, '').length;
};

/** The valid values either side of a number that is off the step, within min and max. */
function nearestSteps(constraints: FieldConstraints): { step: number; below: number | null; above: number | null } {
  const step = numberOr(constraints.step, 1) > 0 ? numberOr(constraints.step, 1) : 1;
  const value = Number(constraints.value);
  if (!NUMERIC_TYPES.has(constraints.type) || constraints.value.trim() === '' || !Number.isFinite(value)) return { step, below: null, above: null };
  // The step base is min, else the default value, else zero (the HTML standard's order).
  const base = numberOr(constraints.min, numberOr(constraints.valueAttribute, 0));
  // Rounded to the step's and base's decimals: 0.1 steps give 0.3, not 0.30000000000000004.
  const decimals = Math.max(decimalsOf(step), decimalsOf(base));
  const round = (n: number) => Number(n.toFixed(decimals));
  // (A hair over the quotient so that 0.3 / 0.1, 2.9999999999999996, counts as 3 steps.)
  const lower = round(base + Math.floor((value - base) / step + 1e-9) * step);
  const upper = round(lower + step);
  const min = constraints.min === null ? Number.NEGATIVE_INFINITY : numberOr(constraints.min, Number.NEGATIVE_INFINITY);
  const max = constraints.max === null ? Number.POSITIVE_INFINITY : numberOr(constraints.max, Number.POSITIVE_INFINITY);
  return { step, below: lower >= min && lower <= max ? lower : null, above: upper >= min && upper <= max ? upper : null };
}

/**
 * The first constraint the field fails, in the order Chromium reports them (a number field holding
 * non-digits first: its value then reads empty); null when none does (valid, or only a custom error).
 */
export function validityReason(flags: ValidityFlags, constraints: FieldConstraints): ValidityReason | null {
  const { type } = constraints;
  if (flags.badInput) return { code: 'bad-input', facts: { type } };
  if (flags.valueMissing) return { code: 'required', facts: { type } };
  if (flags.typeMismatch) return { code: 'type', facts: { type } };
  if (flags.patternMismatch) return { code: 'pattern' };
  if (flags.tooLong) return { code: 'too-long', facts: { maxLength: constraints.maxLength, length: constraints.value.length } };
  if (flags.tooShort) return { code: 'too-short', facts: { minLength: constraints.minLength, length: constraints.value.length } };
  if (flags.rangeUnderflow) return { code: 'too-small', facts: { min: boundOf(type, constraints.min) } };
  if (flags.rangeOverflow) return { code: 'too-large', facts: { max: boundOf(type, constraints.max) } };
  if (flags.stepMismatch) return { code: 'step', facts: nearestSteps(constraints) };
  return null;
}
