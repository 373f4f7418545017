// Ingest's hash input of a pushed entry is entryHashInput's very text, whatever the entry holds:
// a different text would flag a good entry as a chain break (or let a bad one through).
import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryHashInput, type LedgerEntry } from '../../src-shared/ledger/entry';
import { pushedEntryHashInput } from '../../src-server/pushed-entry-hash';
import { SimTerminal } from './server-harness';

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

describe('the hash input of a pushed entry', () => {
  it('is the text the terminal hashed, for every kind of entry', () => {
    for (const entry of sampleEntries()) {
      expect(pushedEntryHashInput(entry)).toBe(entryHashInput(entry));
      expect(sha256Hex(pushedEntryHashInput(entry))).toBe(entry.hash);
    }
  });

  it('is the same text whatever order the keys come in, and skips undefined values as canonical JSON does', () => {
    for (const entry of sampleEntries()) {
      const reversed = Object.fromEntries(Object.entries(entry).reverse()) as LedgerEntry;
      expect(pushedEntryHashInput(reversed)).toBe(entryHashInput(entry));
      const withUndefined = { ...entry, cashierId: undefined } as unknown as LedgerEntry;
      expect(pushedEntryHashInput(withUndefined)).toBe(entryHashInput(withUndefined));
    }
  });

  it('takes entryHashInput itself for a key the schema does not have', () => {
    const [entry] = sampleEntries();
    const extra = { ...entry!, zzz: 1, aaa: 'x' } as LedgerEntry;
    expect(pushedEntryHashInput(extra)).toBe(entryHashInput(extra));
    expect(pushedEntryHashInput(extra)).toContain('"aaa":"x"');
  });
});
