// The full programme engine wired into the terminal core: rule sets installed by version, tiers,
// promotions in the store's time zone, referrals, rewards, donations, refunds, expiry, and a replay
// of the terminal's own ledger that reproduces every point.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallerContext } from '../../src-main/core/handlers/handler-types';
import { iterateEntries } from '../../src-main/core/ledger-writer';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { replayLedger } from '../../src-shared/program/replay';
import type { RuleSetInput } from '../../src-shared/program/rule-set';
import { auditLedger } from './ledger-audit';
import { call, callError, cashier, openCore, tempDir } from './helpers';

const manager: CallerContext = { role: 'manager', userId: 'manager-1' };

/** Istanbul is UTC+3 all year: 10:00 local is 07:00Z. */
const local = (dateTime: string) => `${dateTime}:00+03:00`;

const clubRules = (overrides: Partial<RuleSetInput> = {}): RuleSetInput => ({
  schema: 2,
  version: 'club-2026-1',
  name: 'Kadıköy Club',
  currency: 'TRY',
  earning: { pointsPerUnit: 1, excludedCategories: ['Tobacco', 'GiftCards'] },
  tiers: {
    basis: 'spend',
    windowMonths: 12,
    downgrade: 'windowEnd',
    levels: [
      { id: 'member', name: 'Member', threshold: 0 },
      { id: 'vip', name: 'VIP', threshold: 100_000, multiplier: 2, perks: ['Free coffee refills'] },
    ],
  },
  promotions: [
    { id: 'tuesday-evening', label: 'Tuesday evening double', effect: { type: 'multiplier', multiplier: 2 }, schedule: { days: ['Tue'], from: '16:00', to: '18:00' } },
  ],
  stacking: 'stack',
  referral: { referrerPoints: 100, refereePoints: 50, minimumSpendMinor: 2_000 },
  redemption: { minorPerPoint: 1 },
  rewards: [
    { id: 'free-pastry', type: 'freeItem', label: 'Free pastry', category: 'Bakery', points: 300, maxPriceMinor: 5_000 },
    { id: 'tema', type: 'donation', label: 'Plant a tree', charity: 'TEMA', match: { programmePoints: 1, perMemberPoints: 1 }, minimumPoints: 100, stepPoints: 100 },
  ],
  expiry: { type: 'months', months: 12 },
  ...overrides,
});

let core: TerminalCore | null = null;
let now = local('2026-06-01T10:00');
afterEach(() => {
  core?.close();
  core = null;
});

function openClub(rules: RuleSetInput = clubRules()): TerminalCore {
  now = local('2026-06-01T10:00');
  core = openCore(tempDir(), { now: () => now });
  call(core, 'program.install', { ruleSet: rules }, manager);
  return core;
}

let phoneSeq = 0;
const enrol = (c: TerminalCore, args: { referralCode?: string; name?: string } = {}) =>
  call(c, 'members.enroll', { phone: `0532${String(1_000_000 + (phoneSeq += 1)).padStart(7, '0')}`, ...args }).member;

const groceries = (minor: number, qty = 1) => ({ category: 'Groceries', qty, unitPriceMinor: minor });
let keySeq = 0;
const key = () => `test-key-${(keySeq += 1)}`;

function sell(c: TerminalCore, memberId: string | undefined, lines: { category: string; qty: number; unitPriceMinor: number }[], extra: Record<string, unknown> = {}) {
  return call(c, 'sales.complete', { ...(memberId ? { memberId } : {}), lines, idempotencyKey: key(), ...extra });
}

const balanceOf = (c: TerminalCore, memberId: string) => call(c, 'members.get', { memberId }).balance;

describe('the programme at the counter', () => {
  it('makes a member VIP over the spend threshold, then earns double points, and the panel shows the tier', () => {
    const c = openClub();
    const ayse = enrol(c, { name: 'Ayşe' });
    expect(call(c, 'members.get', { memberId: ayse.memberId }).programme?.tier).toMatchObject({ tierId: 'member', next: { tierId: 'vip', remaining: 100_000 } });

    const first = sell(c, ayse.memberId, [groceries(150_000)]);
    expect(first.pointsEarned).toBe(1500);
    expect(first.tier.before?.tierId).toBe('member');
    expect(first.tier.after).toMatchObject({ tierId: 'vip', change: 'up' });
    expect(first.ruleSetVersion).toBe('club-2026-1');

    now = local('2026-06-01T11:00');
    const preview = call(c, 'sales.preview', { memberId: ayse.memberId, lines: [groceries(10_000)] });
    expect(preview.pointsEarned).toBe(200);
    expect(preview.multipliers).toEqual([{ ruleId: 'tier:vip', label: 'VIP', multiplier: 2, points: 100 }]);
    expect(preview.breakdown.map((b) => [b.ruleId, b.points])).toEqual([
      ['earn.base', 100],
      ['tier:vip', 100],
    ]);
    const second = sell(c, ayse.memberId, [groceries(10_000)]);
    expect(second.pointsEarned).toBe(200);
    expect(second.balanceAfter).toBe(1700);

    const panel = call(c, 'members.get', { memberId: ayse.memberId }).programme;
    expect(panel?.tier).toMatchObject({ tierId: 'vip', name: 'VIP', multiplier: 2, perks: ['Free coffee refills'], next: null, qualifying: 160_000 });
    expect(panel?.tier?.keep).toMatchObject({ threshold: 100_000, remaining: 0, by: '2027-06-01T07:00:00.000Z' });
    expect(panel?.expiring).toEqual({ on: '2027-06-01', points: 1700 });
    // Lookup by phone shows the same.
    expect(call(c, 'members.lookup', { phone: ayse.phone }).member?.programme?.tier?.tierId).toBe('vip');
  });

  it('judges a promotion window in the store time zone (Europe/Istanbul), not UTC', () => {
    const c = openClub();
    const m = enrol(c);
    const earnAt = (at: string) => {
      now = at;
      return call(c, 'sales.preview', { memberId: m.memberId, lines: [groceries(10_000)] });
    };
    // Tuesday 2 June 2026, 16:00-18:00 in Istanbul.
    expect(earnAt('2026-06-02T12:59:00Z').pointsEarned).toBe(100); // 15:59 local
    const opening = earnAt('2026-06-02T13:00:00Z'); // 16:00 local
    expect(opening.pointsEarned).toBe(200);
    expect(opening.localTime).toBe('2026-06-02T16:00');
    expect(opening.promotions.applied).toEqual([{ id: 'tuesday-evening', label: 'Tuesday evening double', points: 100 }]);
    expect(earnAt(local('2026-06-02T17:59')).pointsEarned).toBe(200);
    expect(earnAt(local('2026-06-02T18:00')).pointsEarned).toBe(100);
    // 16:30 UTC is inside 16:00-18:00 only in UTC: in Istanbul it is 19:30.
    expect(earnAt('2026-06-02T16:30:00Z').pointsEarned).toBe(100);
    // Not on a Wednesday at the same hour.
    expect(earnAt(local('2026-06-03T16:30')).pointsEarned).toBe(100);

    now = local('2026-06-02T16:30');
    const receipt = sell(c, m.memberId, [groceries(10_000)]);
    expect(receipt.pointsEarned).toBe(200);
    expect(receipt.breakdown.find((b) => b.ruleId === 'promo:tuesday-evening')?.points).toBe(100);
  });

  it('rewards both sides of a referral once, on the first qualifying purchase, and never a self-referral', () => {
    const c = openClub();
    const ayse = enrol(c, { name: 'Ayşe' });
    const code = call(c, 'members.referralCode', { memberId: ayse.memberId });
    expect(code.code).toMatch(/^[A-Z2-9]{8}$/);
    expect(code.display).toBe(`${code.code.slice(0, 4)}-${code.code.slice(4)}`);
    expect(call(c, 'members.referralCode', { memberId: ayse.memberId }).code).toBe(code.code);

    // Typed the way people do: lower case with a dash.
    const mehmet = enrol(c, { name: 'Mehmet', referralCode: code.display.toLowerCase() });
    expect(mehmet.programme?.referredBy).toBe(ayse.memberId);

    // Below the referral's minimum spend (20.00): no bonus yet.
    const small = sell(c, mehmet.memberId, [groceries(1_000)]);
    expect(small.referral).toBeNull();
    const first = sell(c, mehmet.memberId, [groceries(3_000)]);
    expect(first.referral).toEqual({ referrerMemberId: ayse.memberId, refereeMemberId: mehmet.memberId, referrerPoints: 100, refereePoints: 50 });
    expect(balanceOf(c, mehmet.memberId)).toBe(10 + 30 + 50);
    expect(balanceOf(c, ayse.memberId)).toBe(100);
    const history = call(c, 'members.history', { memberId: ayse.memberId }).entries;
    expect(history[0]).toMatchObject({ kind: 'referral', points: 100, saleId: first.saleId });

    // Once: the next purchase earns only its own points.
    expect(sell(c, mehmet.memberId, [groceries(5_000)]).referral).toBeNull();
    expect(balanceOf(c, ayse.memberId)).toBe(100);
    expect(call(c, 'members.referralCode', { memberId: ayse.memberId })).toMatchObject({ referred: 1, rewarded: 1 });

    // Never self: giving one's own code with one's own number enrols no one and refers no one.
    const again = call(c, 'members.enroll', { phone: ayse.phone, referralCode: code.code });
    expect(again.created).toBe(false);
    expect(again.member.programme?.referredBy).toBeNull();
    expect(callError(c, 'members.enroll', { phone: '05559998877', referralCode: 'ZZZZ-ZZZZ' })).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'referral-code', code: 'ZZZZ-ZZZZ' } });
    expect(callError(c, 'members.enroll', { phone: '05559998877', referralCode: 'nope' })).toMatchObject({ code: 'VALIDATION', details: { reason: 'referral-code-format', code: 'nope' } });
    expect(call(c, 'members.lookup', { phone: '05559998877' }).member).toBeNull();
    // The store refuses a self-referral row outright.
    expect(() => c.context.db.prepare('UPDATE member_programme SET referrer_member_id = member_id WHERE member_id = ?').run(ayse.memberId)).toThrow(/CHECK/);
  });

  it('takes a free item reward at the item price and earns only on what was paid', () => {
    const c = openClub();
    const m = enrol(c);
    sell(c, m.memberId, [groceries(150_000)]); // 1500 points, VIP from now on
    now = local('2026-06-01T12:00');
    const lines = [groceries(10_000), { category: 'Bakery', qty: 1, unitPriceMinor: 2_500 }];

    const before = call(c, 'rewards.list', { memberId: m.memberId, lines: [groceries(10_000)] }).rewards;
    expect(before.find((r) => r.rewardId === 'free-pastry')).toMatchObject({ available: false, reason: 'noMatchingItem', points: 300 });
    const withPastry = call(c, 'rewards.list', { memberId: m.memberId, lines }).rewards;
    expect(withPastry.find((r) => r.rewardId === 'free-pastry')).toMatchObject({ available: true, reason: 'ok', points: 300, valueMinor: 2_500 });
    expect(withPastry.find((r) => r.rewardId === 'tema')).toMatchObject({ type: 'donation', donation: { charity: 'TEMA', match: { programmePoints: 1, perMemberPoints: 1 } } });

    const receipt = sell(c, m.memberId, lines, { rewards: [{ rewardId: 'free-pastry' }] });
    expect(receipt.rewards).toEqual([{ rewardId: 'free-pastry', label: 'Free pastry', type: 'freeItem', points: 300, discountMinor: 2_500, lineIndex: 1 }]);
    expect(receipt).toMatchObject({ subtotalMinor: 12_500, discountMinor: 2_500, totalMinor: 10_000, pointsRedeemed: 300, pointsEarned: 200 });
    expect(receipt.lines[1]).toMatchObject({ discountMinor: 2_500, rewardDiscountMinor: 2_500, pointsSpent: 300, points: 0 });
    expect(receipt.balanceAfter).toBe(1500 - 300 + 200);
    const [earn, redeem] = call(c, 'members.history', { memberId: m.memberId, limit: 2 }).entries;
    expect(redeem).toMatchObject({ kind: 'redeem', points: -300, breakdown: [{ ruleId: 'reward:free-pastry', points: -300 }] });
    expect(earn).toMatchObject({ kind: 'earn', points: 200 });

    // Partial redemption within the programme's limits, and the balance bounds it.
    // Each refusal carries its reason and facts, which the cashier's screen says in its own language.
    expect(callError(c, 'sales.preview', { memberId: m.memberId, lines, redeemPoints: 99_999 })).toMatchObject({
      code: 'INSUFFICIENT_POINTS',
      details: { balance: 1400, requested: 99_999, minimumBalance: 0 },
    });
    const noItem = callError(c, 'sales.preview', { memberId: m.memberId, lines: [groceries(10_000)], rewards: [{ rewardId: 'free-pastry' }] });
    expect(noItem.message).toMatch(/no matching item/);
    expect(noItem.details).toEqual({ reason: 'reward-no-item', reward: 'Free pastry' });
  });

  it('records a donation and the programme match (1:1) as separate entries', () => {
    const c = openClub();
    const m = enrol(c);
    sell(c, m.memberId, [groceries(50_000)]); // 500 points
    const args = { memberId: m.memberId, rewardId: 'tema', points: 200, idempotencyKey: 'donation-0001' };
    const receipt = call(c, 'rewards.donate', args);
    expect(receipt).toMatchObject({ charity: 'TEMA', memberPoints: 200, memberValueMinor: 200, matchPoints: 200, matchValueMinor: 200, balanceAfter: 300 });
    expect(receipt.entrySeqs).toHaveLength(2);
    const [match, gift] = call(c, 'members.history', { memberId: m.memberId, limit: 2 }).entries;
    expect(gift).toMatchObject({ kind: 'donate', points: -200, amountMinor: 200, breakdown: [{ ruleId: 'donate:tema', points: -200 }] });
    expect(match).toMatchObject({ kind: 'donate', points: 0, amountMinor: 200, breakdown: [{ ruleId: 'donate.match:tema', points: 0 }] });
    // Retried with its key: recorded once.
    expect(call(c, 'rewards.donate', args)).toEqual(receipt);
    expect(balanceOf(c, m.memberId)).toBe(300);
    // The day report counts one donation (the match is its second entry, not a second donation).
    expect(call(c, 'reports.day', {}, manager).donations).toEqual({ count: 1, points: 200 });
    expect(callError(c, 'rewards.donate', { ...args, points: 150, idempotencyKey: 'donation-0002' })).toMatchObject({ message: expect.stringMatching(/steps of 100/), details: { reason: 'donate-step', stepPoints: 100 } });
    expect(callError(c, 'rewards.donate', { ...args, points: 400, idempotencyKey: 'donation-0003' })).toMatchObject({
      code: 'INSUFFICIENT_POINTS',
      details: { balance: 300, requested: 400, minimumBalance: 0 },
    });
    expect(callError(c, 'rewards.donate', { ...args, points: 100 }).code).toBe('IDEMPOTENCY_CONFLICT');
    expect(callError(c, 'rewards.donate', { ...args, rewardId: 'free-pastry', idempotencyKey: 'donation-0004' }).code).toBe('VALIDATION');
  });

  it('refunds by line: reverses points in proportion, returns redeemed points, re-evaluates the tier, and never twice', () => {
    const c = openClub();
    const m = enrol(c);
    now = local('2026-06-01T10:00');
    const sale = sell(c, m.memberId, [groceries(90_000), { category: 'Household', qty: 2, unitPriceMinor: 30_000 }]);
    expect(sale.pointsEarned).toBe(1500);
    expect(sale.tier.after?.tierId).toBe('vip');

    // Two days later: the cashier who rang it up may still refund it alone with a 72 h window (24 h by default).
    call(c, 'terminal.configure', { cashierRefundWindowHours: 72 }, manager);
    now = local('2026-06-03T09:00');
    const partial = call(c, 'sales.refund', { saleId: sale.saleId, lines: [{ lineIndex: 1, qty: 1 }], idempotencyKey: 'refund-0001' });
    expect(partial).toMatchObject({ refundAmountMinor: 30_000, pointsReversed: 300, pointsReturned: 0, fullyRefunded: false, balanceAfter: 1200 });
    // 1200.00 still qualifies for VIP.
    expect(partial.member?.programme?.tier?.tierId).toBe('vip');
    const second = call(c, 'sales.refund', { saleId: sale.saleId, lines: [{ lineIndex: 1, qty: 1 }], idempotencyKey: 'refund-0002' });
    expect(second).toMatchObject({ pointsReversed: 300, balanceAfter: 900 });
    // 900.00 no longer does, and the refunded sale was the one that promoted the member.
    expect(second.member?.programme?.tier).toMatchObject({ tierId: 'member', next: { tierId: 'vip', remaining: 10_000 } });
    expect(call(c, 'sales.preview', { memberId: m.memberId, lines: [groceries(10_000)] }).pointsEarned).toBe(100);

    // The same key again is the same refund; a third item of a line with two is refused.
    expect(call(c, 'sales.refund', { saleId: sale.saleId, lines: [{ lineIndex: 1, qty: 1 }], idempotencyKey: 'refund-0002' })).toEqual(second);
    expect(callError(c, 'sales.refund', { saleId: sale.saleId, lines: [{ lineIndex: 1, qty: 1 }], idempotencyKey: 'refund-0003' })).toMatchObject({
      message: expect.stringMatching(/0 of 2 items left/),
      details: { reason: 'refund-left', lineIndex: 1, left: 0 },
    });
    const rest = call(c, 'sales.refund', { saleId: sale.saleId, idempotencyKey: 'refund-0004' });
    expect(rest).toMatchObject({ pointsReversed: 900, balanceAfter: 0, fullyRefunded: true });
    expect(callError(c, 'sales.refund', { saleId: sale.saleId, idempotencyKey: 'refund-0005' })).toMatchObject({
      message: expect.stringMatching(/already been refunded in full/),
      details: { reason: 'refunded-in-full' },
    });
    const record = call(c, 'sales.get', { saleId: sale.saleId });
    expect(record.lines.map((l) => l.refundedQty)).toEqual([1, 2]);
    expect(record.refunds).toHaveLength(3);
    expect(record.fullyRefunded).toBe(true);
    expect(callError(c, 'sales.refund', { saleId: 'no-such-sale', idempotencyKey: 'refund-0006' }).code).toBe('NOT_FOUND');
  });

  it('returns the points that paid for a refunded free item, and lets only a manager take a balance below zero', () => {
    const c = openClub();
    const m = enrol(c);
    const big = sell(c, m.memberId, [groceries(150_000)]); // 1500
    const pastry = sell(c, m.memberId, [groceries(10_000), { category: 'Bakery', qty: 1, unitPriceMinor: 2_500 }], { rewards: [{ rewardId: 'free-pastry' }] });
    expect(pastry.balanceAfter).toBe(1500 - 300 + 200);
    const back = call(c, 'sales.refund', { saleId: pastry.saleId, lines: [{ lineIndex: 1, qty: 1 }], idempotencyKey: 'refund-pastry' });
    expect(back).toMatchObject({ refundAmountMinor: 0, pointsReturned: 300, pointsReversed: 0, balanceAfter: 1700 });

    call(c, 'rewards.donate', { memberId: m.memberId, rewardId: 'tema', points: 1500, idempotencyKey: 'donate-most' });
    expect(balanceOf(c, m.memberId)).toBe(200);
    // Refunding the big sale takes back 1500 points the member no longer has.
    const refused = callError(c, 'sales.refund', { saleId: big.saleId, idempotencyKey: 'refund-big' });
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(/manager must approve/);
    expect(refused.details).toEqual({ reason: 'refund-points-spent', memberId: m.memberId, balance: 200, balanceAfter: -1300 });
    expect(balanceOf(c, m.memberId)).toBe(200);
    const approved = call(c, 'sales.refund', { saleId: big.saleId, idempotencyKey: 'refund-big' }, { ...cashier, role: 'manager', approvedBy: 'manager-1' });
    expect(approved).toMatchObject({ pointsReversed: 1500, balanceAfter: -1300, approvedBy: 'manager-1' });
    // Later earnings repay the debt first.
    const next = sell(c, m.memberId, [groceries(20_000)]);
    expect(next.balanceAfter).toBe(-1300 + 200);
    expect(c.context.db.prepare('SELECT lots_debt FROM member_programme WHERE member_id = ?').get(m.memberId)).toEqual({ lots_debt: 1100 });
  });

  it('keeps points that never expire as one open lot equal to the balance, through sales, spending, debt and its repayment', () => {
    const c = openClub(clubRules({ expiry: { type: 'never' }, tiers: undefined }));
    const m = enrol(c);
    const lotsOf = () =>
      c.context.db.prepare('SELECT ref, expires_on, remaining FROM point_lots WHERE member_id = ?').all(m.memberId) as { ref: string; expires_on: string | null; remaining: number }[];
    const debtOf = () => (c.context.db.prepare('SELECT lots_debt FROM member_programme WHERE member_id = ?').get(m.memberId) as { lots_debt: number }).lots_debt;
    const expectLotsToMatchBalance = (balance: number) => {
      expect(balanceOf(c, m.memberId)).toBe(balance);
      const lots = lotsOf();
      expect(lots.every((l) => l.expires_on === null && l.ref === `never:${m.memberId}`)).toBe(true);
      expect(lots.reduce((a, l) => a + l.remaining, 0) - debtOf()).toBe(balance);
      expect(lots.length).toBe(balance > 0 ? 1 : 0);
    };
    const first = sell(c, m.memberId, [groceries(150_000)]);
    expectLotsToMatchBalance(1500);
    sell(c, m.memberId, [groceries(5_000)]);
    sell(c, m.memberId, [groceries(5_000)]);
    expectLotsToMatchBalance(1600);
    sell(c, m.memberId, [groceries(10_000)], { redeemPoints: 100 });
    expectLotsToMatchBalance(1600 - 100 + 99);
    call(c, 'rewards.donate', { memberId: m.memberId, rewardId: 'tema', points: 1500, idempotencyKey: 'donate-never' });
    expectLotsToMatchBalance(99);
    call(c, 'sales.refund', { saleId: first.saleId, idempotencyKey: 'refund-first' }, { ...cashier, role: 'manager', approvedBy: 'manager-1' });
    expectLotsToMatchBalance(99 - 1500);
    sell(c, m.memberId, [groceries(20_000)]);
    expectLotsToMatchBalance(99 - 1500 + 200);
    sell(c, m.memberId, [groceries(150_000)]);
    expectLotsToMatchBalance(99 - 1500 + 200 + 1500);
    sell(c, m.memberId, [groceries(1_000)]);
    expectLotsToMatchBalance(99 - 1500 + 200 + 1500 + 10);
    expect(auditLedger(c.context.db).balanceMismatches).toEqual([]);
  });

  it('redeems any partial amount within the balance floor and the share of a sale points may pay', () => {
    const c = openClub(clubRules({ redemption: { minorPerPoint: 1, minimumBalance: 100, maxSharePercent: 50, minimumPoints: 10 } }));
    const m = enrol(c);
    sell(c, m.memberId, [groceries(50_000)]); // 500 points
    // 500 points, 100 must stay: 400 spendable; half of a 10.00 sale is 500 minor units.
    expect(call(c, 'sales.preview', { memberId: m.memberId, lines: [groceries(1_000)] }).maxRedeemablePoints).toBe(400);
    expect(call(c, 'sales.preview', { memberId: m.memberId, lines: [groceries(600)] }).maxRedeemablePoints).toBe(300);
    expect(callError(c, 'sales.preview', { memberId: m.memberId, lines: [groceries(600)], redeemPoints: 301 }).message).toMatch(/At most 300/);
    expect(callError(c, 'sales.preview', { memberId: m.memberId, lines: [groceries(1_000)], redeemPoints: 401 }).message).toMatch(/must keep 100/);
    expect(callError(c, 'sales.preview', { memberId: m.memberId, lines: [groceries(1_000)], redeemPoints: 5 }).message).toMatch(/at least 10/);
    const receipt = sell(c, m.memberId, [groceries(1_000)], { redeemPoints: 137 });
    expect(receipt).toMatchObject({ discountMinor: 137, totalMinor: 863, pointsRedeemed: 137, redeemPoints: 137, pointsEarned: 8, balanceAfter: 500 - 137 + 8 });
    // The terminal's store is Turkish (the default settings): the breakdown's own words are too.
    expect(receipt.redemption).toEqual([{ ruleId: 'redeem.discount', label: 'İndirim olarak 137 puan', points: -137, basisMinor: 137 }]);
  });

  it('caps points per store-local day, and a new day in Istanbul starts afresh', () => {
    const c = openClub(clubRules({ tiers: null, promotions: [], earning: { pointsPerUnit: 1, caps: { perDay: 150 } } }));
    const m = enrol(c);
    now = local('2026-06-01T10:00');
    expect(sell(c, m.memberId, [groceries(10_000)]).pointsEarned).toBe(100);
    now = local('2026-06-01T23:59');
    const capped = sell(c, m.memberId, [groceries(10_000)]);
    expect(capped.pointsEarned).toBe(50);
    expect(capped.caps).toEqual([{ ruleId: 'cap.day', limit: 150, cutPoints: 50 }]);
    // 00:30 in Istanbul is still 21:30 the day before in UTC: the store's day counts.
    now = '2026-06-01T21:30:00Z';
    expect(sell(c, m.memberId, [groceries(10_000)]).pointsEarned).toBe(100);
  });

  it('refunds an anonymous sale by money only', () => {
    const c = openClub();
    const sale = sell(c, undefined, [groceries(5_000, 2)]);
    const refund = call(c, 'sales.refund', { saleId: sale.saleId, lines: [{ lineIndex: 0, qty: 1 }], idempotencyKey: 'anon-refund-1' });
    expect(refund).toMatchObject({ refundAmountMinor: 5_000, pointsReversed: 0, member: null, balanceAfter: null, entrySeqs: [] });
  });

  it('refuses an invalid rule set with the path and reason of each problem, and keeps the active one', () => {
    const c = openClub();
    const bad = clubRules({
      version: 'club-2026-2',
      promotions: [{ id: 'p', label: 'Typo', effect: { type: 'multiplier', multiplier: 2 }, schedule: { days: ['Tus'] } }],
      tiers: { basis: 'spend', windowMonths: 12, downgrade: 'windowEnd', levels: [{ id: 'member', name: 'Member', threshold: 5 }] },
    });
    const error = callError(c, 'program.install', { ruleSet: bad }, manager);
    expect(error.code).toBe('PROGRAM_INVALID');
    expect(error.message).toContain('promotions[0].schedule.days: unknown day "Tus"');
    expect(error.details).toMatchObject({
      problems: expect.arrayContaining([
        { path: 'promotions[0].schedule.days', message: expect.stringContaining('unknown day "Tus"'), code: 'unknown-day', facts: { day: 'Tus' } },
        { path: 'tiers.levels[0].threshold', message: expect.stringContaining('threshold is 0'), code: 'first-tier-threshold', facts: {} },
      ]),
    });
    expect(callError(c, 'program.install', { ruleSet: '{"schema": 2,' }, manager).message).toMatch(/not valid JSON/);
    const wrongCurrency = callError(c, 'program.install', { ruleSet: clubRules({ version: 'eur-1', currency: 'EUR' }) }, manager);
    expect(wrongCurrency.details).toMatchObject({ problems: [{ path: 'currency', message: expect.stringContaining('sells in TRY'), code: 'wrong-currency', facts: { storeCurrency: 'TRY', currency: 'EUR' } }] });
    expect(callError(c, 'program.install', { ruleSet: clubRules({ version: 'club-9' }) }).code).toBe('FORBIDDEN');
    expect(call(c, 'program.get', {}).version).toBe('club-2026-1');
    // Refused installs are audited as failed; nothing was installed.
    expect(c.context.db.prepare('SELECT count(*) AS n FROM rule_sets').get()).toEqual({ n: 1 });
  });

  it('keeps an installed version immutable, and activates a new version at its time', () => {
    const c = openClub();
    expect(call(c, 'program.install', { ruleSet: clubRules() }, manager)).toMatchObject({ version: 'club-2026-1', installed: false, activeNow: true });
    const changed = callError(c, 'program.install', { ruleSet: clubRules({ name: 'Renamed' }) }, manager);
    expect(changed.code).toBe('ALREADY_EXISTS');
    expect(() => c.context.db.prepare("UPDATE rule_sets SET document = '{}'").run()).toThrow(/never changes/);
    expect(() => c.context.db.prepare('DELETE FROM rule_sets').run()).toThrow(/kept/);

    const v2 = clubRules({ version: 'club-2026-2', earning: { pointsPerUnit: 2 } });
    const scheduled = call(c, 'program.install', { ruleSet: JSON.stringify(v2), activeFrom: '2026-07-01T00:00:00+03:00' }, manager);
    expect(scheduled).toMatchObject({ version: 'club-2026-2', installed: true, activeNow: false, activeFrom: '2026-06-30T21:00:00.000Z' });
    const program = call(c, 'program.get', {});
    expect(program).toMatchObject({ version: 'club-2026-1', source: 'installed', scheduled: [{ version: 'club-2026-2' }] });
    expect(program.explanation.sections.map((s) => s.key)).toEqual(['earning', 'tiers', 'promotions', 'referral', 'redemption', 'rewards', 'expiry']);
    expect(program.summary.tiers.map((t) => t.name)).toEqual(['Member', 'VIP']);

    const m = enrol(c);
    expect(sell(c, m.memberId, [groceries(10_000)])).toMatchObject({ ruleSetVersion: 'club-2026-1', pointsEarned: 100 });
    now = local('2026-07-01T00:00');
    expect(sell(c, m.memberId, [groceries(10_000)])).toMatchObject({ ruleSetVersion: 'club-2026-2', pointsEarned: 200 });
    expect(call(c, 'terminal.status', {}).ruleSetVersion).toBe('club-2026-2');
  });

  it('expires points after 12 months and replays the whole ledger to every recorded point and balance', () => {
    const c = openClub();
    const ayse = enrol(c, { name: 'Ayşe' });
    const { code } = call(c, 'members.referralCode', { memberId: ayse.memberId });
    const mehmet = enrol(c, { referralCode: code });
    sell(c, ayse.memberId, [groceries(150_000), { category: 'Tobacco', qty: 1, unitPriceMinor: 9_000 }]);
    now = local('2026-06-02T16:15');
    sell(c, ayse.memberId, [groceries(10_000), { category: 'Bakery', qty: 2, unitPriceMinor: 2_000 }], { rewards: [{ rewardId: 'free-pastry' }] });
    const first = sell(c, mehmet.memberId, [groceries(4_000)]);
    expect(first.referral).not.toBeNull();
    call(c, 'rewards.donate', { memberId: ayse.memberId, rewardId: 'tema', points: 100, idempotencyKey: 'replay-donation' });
    now = local('2026-06-10T09:00');
    sell(c, mehmet.memberId, [groceries(2_500)], { redeemPoints: 20 });
    call(c, 'sales.refund', { saleId: first.saleId, idempotencyKey: 'replay-refund' }, manager);
    sell(c, undefined, [groceries(1_000)]);

    // A year on: Ayşe's points of June 2026 are past their last day and expire at her next sale.
    now = local('2027-06-05T10:00');
    const ayseBefore = call(c, 'members.get', { memberId: ayse.memberId });
    expect(ayseBefore.programme?.expiring).toEqual({ on: '2027-06-01', points: ayseBefore.balance });
    const after = sell(c, ayse.memberId, [groceries(1_000)]);
    expect(after.balanceAfter).toBe(10);
    const history = call(c, 'members.history', { memberId: ayse.memberId, limit: 2 }).entries;
    expect(history.map((e) => [e.kind, e.points])).toEqual([
      ['earn', 10],
      ['expire', -ayseBefore.balance],
    ]);

    const entries = [...iterateEntries(c.context.db)];
    const report = replayLedger(entries, (v) => c.context.ruleSets.get(v), { timeZone: 'Europe/Istanbul', fullHistory: true });
    expect(report.mismatches).toEqual([]);
    expect(report.verified + report.skipped).toBe(entries.length);
    expect(report.byKind).toMatchObject({ earn: { verified: 5 }, redeem: { verified: 2 }, referral: { verified: 2 }, refund: { verified: 3 }, donate: { verified: 2 }, expire: { verified: 1 } });
    // Balances: the ledger's sums, the members table and the open lots agree for every member.
    expect(auditLedger(c.context.db).balanceMismatches).toEqual([]);
    const lots = c.context.db
      .prepare(
        `SELECT m.member_id, m.balance, coalesce((SELECT sum(remaining) FROM point_lots l WHERE l.member_id = m.member_id), 0) - coalesce(p.lots_debt, 0) AS lots
         FROM members m LEFT JOIN member_programme p ON p.member_id = m.member_id`,
      )
      .all() as { balance: number; lots: number }[];
    for (const row of lots) expect(row.lots).toBe(row.balance);
  });
});
