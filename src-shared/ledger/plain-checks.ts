// Checks of plain JSON values for the hand-written "certainly valid" fast paths beside zod schemas
// (entry-check.ts, program/earn-payload-check.ts): each says yes only where the schema would
// accept the value and return it unchanged.

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
/** A string of `min` to `max` UTF-16 code units, as zod's `.min()`/`.max()` count them. */
export const str = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;
/** zod's `.int()`: a safe integer, here also within `min` and `max`. */
export const int = (v: unknown, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
export const nullOr = (v: unknown, check: (x: unknown) => boolean) => v === null || check(v);
/**
 * Only the schema's keys, at least `required` of them, none holding undefined: zod would drop any
 * other key, and the value would no longer be the one it returns.
 */
export const onlyKeys = (v: Record<string, unknown>, keys: ReadonlySet<string>, required: number) => {
  let n = 0;
  for (const key in v) {
    if (!keys.has(key) || v[key] === undefined) return false;
    n += 1;
  }
  return n >= required;
};
