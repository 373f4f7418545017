// The server's fast check of pushed entries may only ever accept what the zod schema accepts, and
// must then hold exactly the value zod would return; everything else goes to zod.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectNeverBeyondZod, replacementsWith } from './fast-path-damage';
import { GENESIS_HASH, LedgerEntry, sealEntry, type UnhashedEntry } from '../../src-shared/ledger/entry';
import { isCertainLedgerEntry } from '../../src-shared/ledger/entry-check';
import { certainPushRequest } from '../../src-shared/sync/push-validation';
import { PROTOCOL_VERSION, PushRequest } from '../../src-shared/sync/protocol';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

const earn: UnhashedEntry = {
  terminalId: 'terminal-1',
  seq: 7,
  kind: 'earn',
  memberId: 'member-1',
  points: 24,
  amountMinor: 2498,
  currency: 'TRY',
  ruleSetVersion: 'default-TRY-1',
  saleId: 'sale-1',
  breakdown: [
    { ruleId: 'base', label: '1 point per TRY', points: 24, lineIndex: 0, basisMinor: 2498 },
    { ruleId: 'bonus', label: 'Bonus', points: 0 },
  ],
  payload: { request: { lines: [{ category: 'Bakery', qty: 2, unitPriceMinor: 1249 }] }, member: { tier: null }, expiresOn: null },
  cashierId: null,
  deviceTime: '2026-05-01T10:00:00.000+03:00',
  prevHash: GENESIS_HASH,
};
const entry = sealEntry(earn, sha256Hex);

const paths: (string | number)[][] = [
  ...Object.keys(entry).map((k) => [k]),
  ['extra'],
  ['breakdown', 0, 'ruleId'],
  ['breakdown', 0, 'lineIndex'],
  ['breakdown', 0, 'basisMinor'],
  ['breakdown', 1, 'points'],
  ['breakdown', 1, 'extra'],
  ['breakdown', 2],
  ['payload', '__proto__'],
  ['payload', 'request'],
];
const replacements = replacementsWith([null, '', 'x'.repeat(65), 'x'.repeat(201), 'TRY', 'try', GENESIS_HASH, 2 ** 53, -1, 0, 1_000_000_001, [], {}, JSON.parse('{"__proto__":{"a":1}}')]);

describe('isCertainLedgerEntry', () => {
  it('accepts a real entry, and then it is exactly what zod returns', () => {
    const sent = JSON.parse(JSON.stringify(entry)) as unknown;
    expect(isCertainLedgerEntry(sent)).toBe(true);
    expect(LedgerEntry.parse(sent)).toStrictEqual(sent);
  });

  it('never accepts what zod refuses or would change (random damage to any field)', () => {
    expectNeverBeyondZod(isCertainLedgerEntry, LedgerEntry, entry, paths, replacements);
  });

  it('leaves to zod an entry with a key zod would drop, a non-integer or a bad hash', () => {
    expect(isCertainLedgerEntry({ ...entry, note: 'x' })).toBe(false);
    expect(isCertainLedgerEntry({ ...entry, points: 1.5 })).toBe(false);
    expect(isCertainLedgerEntry({ ...entry, hash: 'ABC' })).toBe(false);
    // A hash must be 64 lowercase hex digits, as the schema's regex says.
    for (const bad of ['A'.repeat(64), 'g'.repeat(64), '0'.repeat(63), '0'.repeat(65), `${'0'.repeat(63)}é`, `${'0'.repeat(63)}\u0660`, 64]) {
      expect(isCertainLedgerEntry({ ...entry, hash: bad }), String(bad)).toBe(false);
      expect(isCertainLedgerEntry({ ...entry, prevHash: bad }), String(bad)).toBe(false);
    }
    expect(isCertainLedgerEntry({ ...entry, prevHash: '0123456789abcdef'.repeat(4) })).toBe(true);
    expect(isCertainLedgerEntry({ ...entry, payload: JSON.parse('{"__proto__":{"admin":true}}') })).toBe(false);
  });
});

describe('certainPushRequest', () => {
  const body = { protocolVersion: PROTOCOL_VERSION, entries: [entry], sentAt: '2026-05-01T10:00:05Z', queueDepth: 3 };

  it('returns what PushRequest.parse returns for a valid push (the audit list defaulted)', () => {
    expect(certainPushRequest(JSON.parse(JSON.stringify(body)))).toStrictEqual(PushRequest.parse(body));
  });

  it('returns null, for zod to answer, when the envelope or any entry is not certainly valid', () => {
    expect(certainPushRequest({ ...body, protocolVersion: 99 })).toBeNull();
    expect(certainPushRequest({ ...body, unknownField: 1 })).toBeNull();
    expect(certainPushRequest({ ...body, entries: [entry, { ...entry, seq: 0 }] })).toBeNull();
    expect(certainPushRequest({ ...body, entries: Array.from({ length: 1001 }, () => entry) })).toBeNull();
    expect(certainPushRequest([body])).toBeNull();
    expect(PushRequest.safeParse({ ...body, entries: [entry, { ...entry, seq: 0 }] }).success).toBe(false);
  });
});
