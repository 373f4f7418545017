// For the hand-written "certainly valid" checks beside zod schemas (entry-check.ts,
// earn-payload-check.ts): random damage to a valid value must never get past the check unless zod
// accepts the damaged value and returns it unchanged.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { z } from 'zod';

/** The replacement that deletes the thing at a path instead of replacing it. */
export const DELETE = Symbol('delete');

/** A copy of `value` with the thing at `path` replaced (or deleted when `replacement` is DELETE). */
export function withChange(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (replacement === DELETE) delete target[last];
  else target[last] = replacement;
  return copy;
}

/**
 * What a thing may be replaced with: deleted, any value, any number or string, or one of the
 * schema's own edge cases (lengths just over a limit, near-miss formats...).
 */
export function replacementsWith(edgeCases: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(fc.constant(DELETE), fc.anything(), fc.integer(), fc.double(), fc.constantFrom(...edgeCases), fc.string());
}

/** Damages `valid` at each of `paths` with `replacements` (5,000 runs) and holds `isCertain` to `schema`. */
export function expectNeverBeyondZod(isCertain: (value: unknown) => boolean, schema: z.ZodType, valid: unknown, paths: (string | number)[][], replacements: fc.Arbitrary<unknown>): void {
  fc.assert(
    fc.property(fc.constantFrom(...paths), replacements, (path, replacement) => {
      const damaged = withChange(valid, path, replacement);
      if (!isCertain(damaged)) return;
      const parsed = schema.safeParse(damaged);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toStrictEqual(damaged);
    }),
    { numRuns: 5000 },
  );
}
