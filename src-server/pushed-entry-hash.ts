// The hash input of a pushed entry (entryHashInput: every field but `hash`, canonical JSON), built
// without copying the entry and sorting its top-level keys each time: ingest hashes 1,000 entries
// per push. The top level's keys are the schema's, so their order is known once; their values go
// through canonicalJson as before. An entry with any other key takes entryHashInput itself, so
// the text is the same either way (test/server/pushed-entry-hash.test.ts holds them together).
import { canonicalJson } from '../src-shared/ledger/canonical-json';
import { entryHashInput, LedgerEntry } from '../src-shared/ledger/entry';

/** The schema's keys, `hash` aside, in canonicalJson's order (the default sort), each as `"key":`. */
const SORTED_KEYS = Object.keys(LedgerEntry.shape).filter((key) => key !== 'hash').sort();
const QUOTED_KEYS = SORTED_KEYS.map((key) => `${JSON.stringify(key)}:`);
const KNOWN_KEYS: ReadonlySet<string> = new Set([...SORTED_KEYS, 'hash']);

export function pushedEntryHashInput(entry: LedgerEntry): string {
  for (const key in entry) if (!KNOWN_KEYS.has(key)) return entryHashInput(entry);
  const record = entry as Record<string, unknown>;
  let out = '{';
  for (let i = 0; i < SORTED_KEYS.length; i += 1) {
    const value = record[SORTED_KEYS[i]!];
    if (value === undefined) continue;
    if (out.length > 1) out += ',';
    out += QUOTED_KEYS[i]!;
    out += typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
  }
  return `${out}}`;
}
