// Properties of the engine over random rule sets, baskets, members and clocks (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KasaError } from '../../src-shared/api/errors';
import { GENESIS_HASH, sealEntry, type LedgerEntry } from '../../src-shared/ledger/entry';
import { computeSale, type SaleComputation } from '../../src-shared/program/engine';
import { refundEntryDrafts, saleEntryDrafts, type LedgerDraft } from '../../src-shared/program/ledger-drafts';
import { computeRefund, type RefundLine } from '../../src-shared/program/refund';
import { replayLedger } from '../../src-shared/program/replay';
import type { RuleSet } from '../../src-shared/program/rule-set';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';
import type { EngineLine, MemberContext, SaleRequest } from '../../src-shared/program/sale-types';
import type { Clock } from '../../src-shared/program/local-time';
import { basketArb, clockArb, memberArb, rewardsArb, ruleSetArb } from './arbitraries';
import { sha256Hex } from './program-simulator';

/** The sale, or null when the engine refused it with a clear KasaError; anything else fails the property. */
function saleOrRefusal(ruleSet: RuleSet, request: SaleRequest, member: MemberContext | null, clock: Clock): SaleComputation | null {
  try {
    return computeSale(ruleSet, request, member, clock);
  } catch (error) {
    if (error instanceof KasaError && (error.code === 'VALIDATION' || error.code === 'INSUFFICIENT_POINTS')) return null;
    throw error;
  }
}

/** A redemption the member can afford on this sale: a fraction of the most they may enter. */
function affordableRequest(ruleSet: RuleSet, lines: EngineLine[], rewards: { rewardId: string }[], member: MemberContext, clock: Clock, fraction: number): SaleRequest {
  const withRewards = saleOrRefusal(ruleSet, { lines, rewards }, member, clock);
  const request: SaleRequest = withRewards ? { lines, rewards } : { lines };
  const probe = withRewards ?? computeSale(ruleSet, request, member, clock);
  const redeem = Math.floor(probe.maxRedeemablePoints * fraction);
  return redeem >= ruleSet.redemption.minimumPoints ? { ...request, redeemPoints: redeem } : request;
}

const contentKey = (l: { sku?: string | undefined; category: string; qty: number; unitPriceMinor: number }) => `${l.sku ?? ''}|${l.category}|${l.qty}|${l.unitPriceMinor}`;

function seal(drafts: readonly LedgerDraft[], at: string, ledger: LedgerEntry[]): void {
  for (const d of drafts) {
    const prev = ledger.at(-1);
    ledger.push(sealEntry({ ...d, terminalId: 't1', seq: (prev?.seq ?? 0) + 1, prevHash: prev?.hash ?? GENESIS_HASH, deviceTime: at }, sha256Hex));
  }
}

describe('engine properties', () => {
  it('is deterministic and only ever refuses with a clear error', () => {
    fc.assert(
      fc.property(ruleSetArb, basketArb, fc.option(memberArb, { nil: null }), clockArb, rewardsArb, fc.integer({ min: 0, max: 5000 }), (rs, lines, member, clock, rewards, redeem) => {
        const request = { lines, rewards, redeemPoints: redeem };
        const first = saleOrRefusal(rs, request, member, clock);
        const second = saleOrRefusal(rs, structuredClone(request), member && structuredClone(member), { ...clock });
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
      { numRuns: 300 },
    );
  });

  it('never earns negative points, and every point is explained', () => {
    fc.assert(
      fc.property(ruleSetArb, basketArb, memberArb, clockArb, (rs, lines, member, clock) => {
        const sale = computeSale(rs, { lines }, member, clock);
        expect(sale.pointsEarned).toBeGreaterThanOrEqual(0);
        for (const line of sale.lines) expect(line.points).toBeGreaterThanOrEqual(0);
        expect(sale.breakdown.reduce((a, b) => a + b.points, 0)).toBe(sale.pointsEarned);
        for (const item of sale.breakdown) expect(Number.isSafeInteger(item.points)).toBe(true);
        if (rs.earning.caps.perTransaction !== undefined) expect(sale.pointsEarned).toBeLessThanOrEqual(rs.earning.caps.perTransaction);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order the lines were rung up', () => {
    fc.assert(
      fc.property(ruleSetArb, basketArb, memberArb, clockArb, rewardsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (rs, lines, member, clock, rewards, fraction, seed) => {
        const request = affordableRequest(rs, lines, rewards, member, clock, fraction);
        const shuffled = fc.sample(fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }), { numRuns: 1, seed })[0] ?? lines;
        const a = computeSale(rs, request, member, clock);
        const b = computeSale(rs, { ...request, lines: shuffled }, member, clock);
        expect(b.pointsEarned).toBe(a.pointsEarned);
        expect(b.pointsRedeemed).toBe(a.pointsRedeemed);
        expect(b.discountMinor).toBe(a.discountMinor);
        const perLine = (s: SaleComputation) => s.lines.map((l) => `${contentKey(l)}=${l.points}/${l.discountMinor}/${l.pointsSpent}`).sort();
        expect(perLine(b)).toEqual(perLine(a));
        const perRule = (s: SaleComputation) => s.breakdown.filter((x) => x.lineIndex === undefined).map((x) => `${x.ruleId}=${x.points}`);
        expect(perRule(b)).toEqual(perRule(a));
      }),
      { numRuns: 300 },
    );
  });

  it('refunding a whole sale, at once or in pieces, returns the balance to what it was', () => {
    const pieces = fc.array(fc.nat(), { maxLength: 20 });
    fc.assert(
      fc.property(ruleSetArb, basketArb, memberArb, clockArb, rewardsArb, fc.double({ min: 0, max: 1, noNaN: true }), pieces, (rs, lines, member, clock, rewards, fraction, picks) => {
        const request = affordableRequest(rs, lines, rewards, member, clock, fraction);
        const sale = computeSale(rs, request, member, clock);
        const recorded = { ruleSet: rs, request, member, clock };
        let balance = sale.balanceAfter ?? 0;
        // Refund in random pieces, then whatever is left.
        let refunded: RefundLine[] = [];
        let money = 0;
        for (const pick of picks) {
          const left = lines.map((l, i) => l.qty - (refunded.find((r) => r.lineIndex === i)?.qty ?? 0));
          const open = left.map((k, i) => ({ i, k })).filter((x) => x.k > 0);
          const chosen = open[pick % Math.max(1, open.length)];
          if (!chosen || open.length === 1) break;
          const refund = computeRefund(recorded, refunded, { lines: [{ lineIndex: chosen.i, qty: 1 + (pick % chosen.k) }] });
          expect(refund.pointsReversed).toBeGreaterThanOrEqual(0);
          expect(refund.pointsReturned).toBeGreaterThanOrEqual(0);
          balance += refund.netPoints;
          money += refund.refundAmountMinor;
          refunded = refund.refundedAfter;
        }
        const last = computeRefund(recorded, refunded, { all: true });
        balance += last.netPoints;
        money += last.refundAmountMinor;
        expect(last.fullyRefunded).toBe(true);
        expect(balance).toBe(member.balance);
        expect(money).toBe(sale.totalMinor);
        expect(() => computeRefund(recorded, last.refundedAfter, { all: true })).toThrow(/already been refunded in full/);
      }),
      { numRuns: 200 },
    );
  });

  it('preview equals complete: what a sale writes replays to the same points', () => {
    fc.assert(
      fc.property(ruleSetArb, basketArb, memberArb, clockArb, rewardsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (rs, lines, member, clock, rewards, fraction, refundHalf) => {
        const request = affordableRequest(rs, lines, rewards, member, clock, fraction);
        const preview = computeSale(rs, request, member, clock);
        const ledger: LedgerEntry[] = [];
        seal(saleEntryDrafts(preview, request, member, clock, { saleId: 's1', cashierId: null }), clock.at, ledger);
        const earn = ledger.find((e) => e.kind === 'earn');
        expect(earn?.points).toBe(preview.pointsEarned);
        expect(earn?.breakdown).toEqual(preview.breakdown);
        if (refundHalf) {
          const refund = computeRefund({ ruleSet: rs, request, member, clock }, [], { lines: [{ lineIndex: 0, qty: 1 }] });
          seal(refundEntryDrafts(refund, { saleId: 's1', refundId: 'r1', memberId: member.memberId, cashierId: null, refundedBefore: [] }), clock.at, ledger);
        }
        const report = replayLedger(ledger, new Map([[rs.version, rs]]), { timeZone: clock.timeZone });
        expect(report.mismatches).toEqual([]);
        expect(report.verified).toBe(ledger.length);
      }),
      { numRuns: 200 },
    );
  });

  it('replay notices a point that was changed', () => {
    fc.assert(
      fc.property(ruleSetArb, basketArb, memberArb, clockArb, fc.integer({ min: 1, max: 1000 }), (rs, lines, member, clock, delta) => {
        const sale = computeSale(rs, { lines }, member, clock);
        const drafts = saleEntryDrafts(sale, { lines }, member, clock, { saleId: 's1', cashierId: null }).map((d) =>
          d.kind === 'earn' ? { ...d, points: d.points + delta } : d,
        );
        const ledger: LedgerEntry[] = [];
        seal(drafts, clock.at, ledger);
        const report = replayLedger(ledger, new Map([[rs.version, rs]]), { timeZone: clock.timeZone });
        expect(report.mismatches.map((m) => [m.kind, m.reason, m.expected])).toContainEqual(['earn', 'points', sale.pointsEarned]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('rule-set validation', () => {
  const isProblemList = (result: ReturnType<typeof validateRuleSet>) =>
    result.ok || (result.problems.length > 0 && result.problems.every((p) => typeof p.path === 'string' && typeof p.message === 'string' && p.message.length > 0));

  it('never throws on arbitrary values and always says what is wrong', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withSparseArray: true }), (value) => {
        const result = validateRuleSet(value);
        expect(result.ok).toBe(false);
        expect(isProblemList(result)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws when any field of a valid rule set is replaced by arbitrary JSON', () => {
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
      if (value === null || typeof value !== 'object') return [prefix];
      const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
      return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
    };
    fc.assert(
      fc.property(ruleSetArb, fc.nat(), fc.jsonValue(), (rs, pick, replacement) => {
        const doc = JSON.parse(JSON.stringify(rs)) as Record<string, unknown>;
        const all = paths(doc).filter((p) => p.length > 0);
        const path = all[pick % all.length] ?? ['name'];
        let target = doc as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
        target[path.at(-1) as string | number] = replacement;
        expect(isProblemList(validateRuleSet(doc))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every rule set it produced itself', () => {
    fc.assert(
      fc.property(ruleSetArb, (rs) => {
        const again = validateRuleSet(JSON.parse(JSON.stringify(rs)));
        expect(again.ok).toBe(true);
        if (again.ok) expect(again.value).toEqual(rs);
      }),
      { numRuns: 100 },
    );
  });
});
