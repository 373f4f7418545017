// Canonical JSON is what every ledger and audit hash is computed over: its text must never change,
// or chains written before would stop verifying. It is checked here against its definition.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src-shared/ledger/canonical-json';

/** The definition, written the plain way: keys sorted by UTF-16 code units at every depth, undefined members left out. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => reference(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

const jsonLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('canonicalJson', () => {
  it('gives the text of its definition for any JSON-like value (unicode keys, nesting, undefined members)', () => {
    fc.assert(
      fc.property(jsonLike, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same text for values already in canonical order (JSON.stringify serves those), integer-like keys included', () => {
    fc.assert(
      fc.property(jsonLike, (value) => {
        // Parsed back from its canonical text, as a terminal's stored payload is: keys in order at every depth.
        const ordered = JSON.parse(reference(value)) as unknown;
        expect(canonicalJson(ordered)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
    // V8 iterates integer-like keys first, in numeric order: "9" before "10", which the sort puts after.
    const numeric = JSON.parse('{"10":1,"9":2,"a":{"2":0,"10":0}}') as unknown;
    expect(Object.keys(numeric as object)).toEqual(['9', '10', 'a']);
    expect(canonicalJson(numeric)).toBe('{"10":1,"9":2,"a":{"10":0,"2":0}}');
    // Sorted at the top, not inside: the inner object is still sorted.
    expect(canonicalJson({ a: { z: 1, b: 2 }, b: [{ y: 1, x: 2 }] })).toBe('{"a":{"b":2,"z":1},"b":[{"x":2,"y":1}]}');
    // Not plain JSON: a Date or a class instance is not JSON.stringify's business here.
    expect(canonicalJson({ a: new Date(0) })).toBe('{"a":{}}');
  });

  it('does not depend on the order keys were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: 'é' } })).toBe('{"a":{"c":"é","d":[1,{"y":null,"z":0}]},"b":1}');
    expect(canonicalJson({ a: { c: 'é', d: [1, { y: null, z: 0 }] }, b: 1 })).toBe('{"a":{"c":"é","d":[1,{"y":null,"z":0}]},"b":1}');
  });

  it('sorts keys by UTF-16 code units, leaves out undefined members and writes undefined array items as null', () => {
    expect(canonicalJson({ é: 1, Z: 2, a: 3, '𝄞': 4, 'ﬀ': 5, skip: undefined })).toBe('{"Z":2,"a":3,"é":1,"𝄞":4,"ﬀ":5}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
  });
});
