// The fast check of earn payloads may only ever accept what ProgramEarnPayload accepts, and must
// then hold exactly the value zod would return; everything else goes to zod. Recomputing with the
// payload itself (no copy) must leave it as it was.
import { describe, expect, it } from 'vitest';
import { expectNeverBeyondZod, replacementsWith } from './fast-path-damage';
import { isCertainProgramEarnPayload } from '../../src-shared/program/earn-payload-check';
import { ProgramEarnPayload } from '../../src-shared/program/ledger-payloads';
import { recordedSaleOf } from '../../src-shared/program/replay';
import { computeSale } from '../../src-shared/program/engine';
import { defaultRuleSet } from '../../src-shared/program/rule-set';
import type { LedgerEntry } from '../../src-shared/ledger/entry';

const payload = {
  at: '2026-05-01T10:00:00.000Z',
  discountMinor: 0,
  expiresOn: '2027-05-31',
  lines: [
    { category: 'Bakery', name: 'Simit "büyük"', qty: 2, sku: 'SIM-1', unitPriceMinor: 1249 },
    { category: 'Dairy', qty: 1, unitPriceMinor: 3500 },
  ],
  member: {
    balance: 120,
    birthMonth: 5,
    firstPurchase: false,
    memberId: 'member-1',
    pointsEarnedToday: 0,
    qualifying: 10_000,
    referral: { referrerMemberId: 'member-0', rewarded: true },
    tier: { since: '2026-01-01T00:00:00.000Z', tierId: 'gold' },
  },
  redeemPoints: 0,
  subtotalMinor: 5998,
  timeZone: 'Europe/Istanbul',
};

const paths: (string | number)[][] = [
  ...Object.keys(payload).map((k) => [k]),
  ['rewards'],
  ['offers'],
  ['extra'],
  ['__proto__'],
  ...Object.keys(payload.lines[0]!).map((k) => ['lines', 0, k]),
  ['lines', 1, 'extra'],
  ['lines', 2],
  ...Object.keys(payload.member).map((k) => ['member', k]),
  ['member', 'extra'],
  ['member', 'tier', 'tierId'],
  ['member', 'tier', 'since'],
  ['member', 'tier', 'extra'],
  ['member', 'referral', 'rewarded'],
  ['member', 'referral', 'referrerMemberId'],
];
const replacements = replacementsWith([null, undefined, '', 'x'.repeat(11), 'x'.repeat(41), 'x'.repeat(65), 'x'.repeat(121), 2 ** 53, -1, 0, 1, 12, 13, 1.5, true, [], {}, [{ rewardId: 'r1' }]]);

describe('isCertainProgramEarnPayload', () => {
  it('accepts a real earn payload, and then it is exactly what zod returns', () => {
    const sent = JSON.parse(JSON.stringify(payload)) as unknown;
    expect(isCertainProgramEarnPayload(sent)).toBe(true);
    expect(ProgramEarnPayload.parse(sent)).toStrictEqual(sent);
    const minimal = { lines: [], redeemPoints: 0, subtotalMinor: 0, discountMinor: 0 };
    expect(isCertainProgramEarnPayload(minimal)).toBe(true);
    expect(isCertainProgramEarnPayload({ ...minimal, member: null, expiresOn: null })).toBe(true);
  });

  it('never accepts what zod refuses or would change (random damage to any field)', () => {
    expectNeverBeyondZod(isCertainProgramEarnPayload, ProgramEarnPayload, payload, paths, replacements);
  });

  it('leaves to zod a payload with rewards or offers, an unknown key, undefined members or a __proto__ key', () => {
    expect(isCertainProgramEarnPayload({ ...payload, rewards: [{ rewardId: 'r1' }] })).toBe(false);
    expect(isCertainProgramEarnPayload({ ...payload, offers: [] })).toBe(false);
    expect(isCertainProgramEarnPayload({ ...payload, note: 'x' })).toBe(false);
    expect(isCertainProgramEarnPayload({ ...payload, at: undefined })).toBe(false);
    expect(isCertainProgramEarnPayload(JSON.parse(`{${JSON.stringify(payload).slice(1, -1)},"__proto__":{"a":1}}`))).toBe(false);
    expect(isCertainProgramEarnPayload({ ...payload, member: { ...payload.member, birthMonth: 13 } })).toBe(false);
  });

  it('is recomputed from without being changed (the engine gets the payload itself, not a copy)', () => {
    const deepFreeze = <T>(value: T): T => {
      if (value !== null && typeof value === 'object') {
        for (const inner of Object.values(value)) deepFreeze(inner);
        Object.freeze(value);
      }
      return value;
    };
    const ruleSet = defaultRuleSet('TRY');
    const frozen = deepFreeze(JSON.parse(JSON.stringify(payload)) as Record<string, unknown>);
    const entry = { kind: 'earn', memberId: 'member-1', payload: frozen } as unknown as LedgerEntry;
    const sale = recordedSaleOf(entry, ruleSet, 'UTC');
    expect(sale?.request.lines).toBe(frozen.lines);
    const computed = computeSale(ruleSet, sale!.request, sale!.member, sale!.clock, { trustBalance: true });
    expect(computed.pointsEarned).toBe(59);
    expect(frozen).toStrictEqual(payload);
  });
});
