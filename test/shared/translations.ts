// Checks shared by the terminal's and the console's translation tests (each screen has its own
// English reference and Turkish table).
import { expect } from 'vitest';

/** Every string of a translation table under its dotted key ("sale.title"). */
export const flattenTranslations = (value: unknown, prefix = ''): Record<string, string> =>
  value && typeof value === 'object'
    ? Object.assign({}, ...Object.entries(value).map(([k, v]) => flattenTranslations(v, prefix ? `${prefix}.${k}` : k)))
    : { [prefix]: String(value) };

const placeholders = (text: string) => [...text.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();

/** `translation` has exactly the reference's keys, none empty, each with the reference's {{placeholders}}. */
export function expectSameKeysAndPlaceholders(reference: object, translation: object): void {
  const a = flattenTranslations(reference);
  const b = flattenTranslations(translation);
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const [key, text] of Object.entries(a)) {
    expect(text.trim(), `reference ${key}`).not.toBe('');
    expect(b[key]?.trim(), `translation ${key}`).not.toBe('');
    expect(placeholders(b[key] ?? ''), key).toEqual(placeholders(text));
  }
}
