// A sale reads its member once, and builds the receipt's member panel from what it read and wrote
// instead of reading the member again: the panel must be exactly what a lookup shows right after,
// and the preview's exactly what a lookup shows right before, whatever the programme.
import { afterEach, describe, expect, it } from 'vitest';
import type { SaleReceipt } from '../../src-shared/api/contract';
import type { CallerContext } from '../../src-main/core/handlers/handler-types';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import type { RuleSetInput } from '../../src-shared/program/rule-set';
import { call, openCore, tempDir } from './helpers';

const manager: CallerContext = { role: 'manager', userId: 'manager-1' };
const local = (dateTime: string) => `${dateTime}:00+03:00`;

const rules = (overrides: Partial<RuleSetInput> = {}): RuleSetInput => ({
  schema: 2,
  version: 'panel-1',
  name: 'Panel test',
  currency: 'TRY',
  earning: { pointsPerUnit: 1 },
  tiers: {
    basis: 'spend',
    windowMonths: 12,
    downgrade: 'windowEnd',
    levels: [
      { id: 'member', name: 'Member', threshold: 0 },
      { id: 'vip', name: 'VIP', threshold: 30_000, multiplier: 2 },
    ],
  },
  promotions: [{ id: 'first', label: 'First purchase bonus', effect: { type: 'bonus', points: 25 }, firstPurchase: true }],
  stacking: 'stack',
  referral: { referrerPoints: 100, refereePoints: 50, minimumSpendMinor: 2_000 },
  redemption: { minorPerPoint: 1 },
  rewards: [],
  expiry: { type: 'never' },
  ...overrides,
});

let core: TerminalCore | null = null;
let now = local('2026-06-01T10:00');
afterEach(() => {
  core?.close();
  core = null;
});

let phoneSeq = 0;
let keySeq = 0;
const groceries = (minor: number) => ({ category: 'Groceries', qty: 1, unitPriceMinor: minor });

function open(ruleSet: RuleSetInput | null): TerminalCore {
  now = local('2026-06-01T10:00');
  core = openCore(tempDir(), { now: () => now });
  if (ruleSet) call(core, 'program.install', { ruleSet }, manager);
  return core;
}

const enrol = (c: TerminalCore, referralCode?: string) =>
  call(c, 'members.enroll', { phone: `0532${String(2_000_000 + (phoneSeq += 1)).padStart(7, '0')}`, ...(referralCode ? { referralCode } : {}) }).member;

const lookup = (c: TerminalCore, memberId: string) => call(c, 'members.lookup', { memberId }).member;

/** Previews and completes a sale, checking both panels against lookups before and after. */
function sellChecked(c: TerminalCore, memberId: string, minor: number, extra: { redeemPoints?: number } = {}): SaleReceipt {
  const sale = { memberId, lines: [groceries(minor)], ...extra };
  const before = lookup(c, memberId);
  expect(call(c, 'sales.preview', sale).member).toEqual(before);
  const receipt = call(c, 'sales.complete', { ...sale, idempotencyKey: `panel-key-${(keySeq += 1)}` });
  const after = lookup(c, memberId);
  expect(receipt.member).toEqual(after);
  expect(receipt.balanceAfter).toBe(after?.balance);
  return receipt;
}

function runScenario(c: TerminalCore): void {
  const referrer = enrol(c);
  const code = call(c, 'members.referralCode', { memberId: referrer.memberId }).code;
  const referee = enrol(c, code);
  // First purchase, referral bonus (entries for two members), a tier upgrade, a redemption, plain sales.
  sellChecked(c, referee.memberId, 2_500);
  sellChecked(c, referee.memberId, 40_000);
  sellChecked(c, referee.memberId, 1_000, { redeemPoints: 100 });
  sellChecked(c, referrer.memberId, 500);
  now = local('2026-06-02T09:00');
  sellChecked(c, referee.memberId, 700);
  sellChecked(c, referrer.memberId, 0);
}

describe('the receipt panel built from what the sale knows', () => {
  it('equals a lookup after the sale: tiers, referral, first purchase, redemption, undated lots', () => {
    runScenario(open(rules()));
  });

  it('equals a lookup after the sale when points expire (dated lots, read again)', () => {
    runScenario(open(rules({ expiry: { type: 'months', months: 12 } })));
  });

  it('equals a lookup after the sale with the default programme (no tiers)', () => {
    runScenario(open(null));
  });

  it('equals a lookup for a member without a programme row yet, and for a merged id', () => {
    const c = open(rules());
    const m = enrol(c);
    sellChecked(c, m.memberId, 1_000);
    // A member known here before their programme row was written (enrolled on another terminal).
    c.context.db.prepare('DELETE FROM member_programme WHERE member_id = ?').run(m.memberId);
    sellChecked(c, m.memberId, 1_200);
    expect(c.context.db.prepare('SELECT count(*) AS n FROM member_programme WHERE member_id = ?').get(m.memberId)).toEqual({ n: 1 });
    sellChecked(c, m.memberId, 1_300);
    // An id merged into this member opens the survivor.
    c.context.db.prepare('INSERT INTO member_aliases (alias_id, member_id, merged_at) VALUES (?, ?, ?)').run('merged-away-id', m.memberId, now);
    const sale = { memberId: 'merged-away-id', lines: [groceries(900)] };
    expect(call(c, 'sales.preview', sale).member).toEqual(lookup(c, m.memberId));
    const receipt = call(c, 'sales.complete', { ...sale, idempotencyKey: 'panel-merged-1' });
    expect(receipt.member).toEqual(lookup(c, m.memberId));
  });

  it('equals a lookup after points past their last day were expired by the sale', () => {
    const c = open(rules({ tiers: null, expiry: { type: 'months', months: 1 } }));
    const m = enrol(c);
    sellChecked(c, m.memberId, 5_000);
    now = local('2026-08-15T10:00');
    expect(lookup(c, m.memberId)?.programme?.expiring).not.toBeNull();
    const receipt = sellChecked(c, m.memberId, 1_000);
    expect(receipt.balanceAfter).toBe(10);
  });
});
