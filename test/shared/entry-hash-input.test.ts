// An entry's hash input is canonicalJson of every field but `hash`, whatever the entry holds, on
// the terminal and on the server alike: a different text would flag a good entry as a chain break
// (or let a bad one through). entryHashInput builds it with the schema's keys in a known order.
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src-shared/ledger/canonical-json';
import { entryHashInput, sealEntry, sealEntryWithJson, type LedgerEntry } from '../../src-shared/ledger/entry';
import { SimTerminal } from '../server/server-harness';

/** The definition: canonical JSON of the entry without its hash. */
const definedHashInput = (entry: LedgerEntry) => {
  const { hash: _hash, ...rest } = entry;
  return canonicalJson(rest);
};

const sha256Hex = (text: string) => hash('sha256', text, 'hex');

function sampleEntries(): LedgerEntry[] {
  const t = new SimTerminal('t-hash');
  const member = t.enrolMember('+905320000001', undefined, { name: 'Ayşe Yılmaz 🌷', cashierId: 'c"1\\' }).memberId;
  t.earn(member, 12_345);
  t.redeem(member, 10);
  t.adjust(member, 5, 2, { note: 'line\nbreak', nested: { z: 1, a: [{ y: null, b: true }], m: -0.5 } });
  // As pushed: parsed from JSON text, keys in the terminal's order.
  return JSON.parse(JSON.stringify(t.entries)) as LedgerEntry[];
}

describe('the hash input of a ledger entry', () => {
  it('is the text the terminal hashed, for every kind of entry', () => {
    for (const entry of sampleEntries()) {
      expect(entryHashInput(entry)).toBe(definedHashInput(entry));
      expect(sha256Hex(entryHashInput(entry))).toBe(entry.hash);
    }
  });

  it('is the same text whatever order the keys come in, and skips undefined values as canonical JSON does', () => {
    for (const entry of sampleEntries()) {
      const reversed = Object.fromEntries(Object.entries(entry).reverse()) as LedgerEntry;
      expect(entryHashInput(reversed)).toBe(definedHashInput(entry));
      const withUndefined = { ...entry, cashierId: undefined } as unknown as LedgerEntry;
      expect(entryHashInput(withUndefined)).toBe(definedHashInput(withUndefined));
    }
  });

  it('is the same text when the payload and breakdown come in another key order (a row stored before they were sorted)', () => {
    for (const entry of sampleEntries()) {
      const reverse = (value: unknown): unknown =>
        Array.isArray(value) ? value.map(reverse) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverse(v)])) : value;
      const unsorted = { ...entry, payload: reverse(entry.payload), breakdown: reverse(entry.breakdown) } as LedgerEntry;
      expect(entryHashInput(unsorted)).toBe(definedHashInput(entry));
      expect(sha256Hex(entryHashInput(unsorted))).toBe(entry.hash);
    }
  });

  it('is the same hash when sealed with the canonical texts of breakdown and payload (as a terminal stores them)', () => {
    for (const entry of sampleEntries()) {
      const { hash: _hash, ...unhashed } = entry;
      const { sealed, nested } = sealEntryWithJson(unhashed, sha256Hex);
      expect(sealed).toEqual(sealEntry(unhashed, sha256Hex));
      expect(sealed.hash).toBe(entry.hash);
      expect(nested).toEqual({ breakdown: canonicalJson(entry.breakdown), payload: canonicalJson(entry.payload) });
    }
  });

  it('hashes a key the schema does not have too, in its canonical place', () => {
    const [entry] = sampleEntries();
    const extra = { ...entry!, zzz: 1, aaa: 'x' } as LedgerEntry;
    expect(entryHashInput(extra)).toBe(definedHashInput(extra));
    expect(entryHashInput(extra)).toContain('"aaa":"x"');
  });
});
