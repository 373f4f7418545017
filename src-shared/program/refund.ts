// Refunds and returns, whole or by line. The points a sale keeps are what the kept items would have
// earned in that same sale (same member context, same time, same rule-set version): base points
// shrink in proportion, bonuses whose threshold is no longer met disappear, caps still hold. Points
// that paid for the returned part come back. Every figure is cumulative over the sale's refunds, so
// refunding in several steps gives exactly what one refund would.
import { because, KasaError } from '../api/errors';
import type { BreakdownItem } from '../ledger/entry';
import { compileRuleSet } from './compiled-rule-set';
import { computeEarn, type EarnLine, type EarnResult } from './earn';
import { ENGLISH_EARN_WORDS, type EarnWords } from './earn-words';
import { computeSale, lineRanks, tierLevelOf } from './engine';
import { localTime, type Clock } from './local-time';
import type { OfferTerms } from './offers';
import type { RuleSet } from './rule-set';
import type { MemberContext, ReferralAward, SaleComputation, SaleRequest } from './sale-types';

/** A sale as its earn entry recorded it. */
export type RecordedSale = { ruleSet: RuleSet; request: SaleRequest; member: MemberContext | null; clock: Clock | null };

export type RefundLine = { lineIndex: number; qty: number };
export type RefundRequest = { all: true } | { lines: readonly RefundLine[] };

export type RefundComputation = {
  ruleSetVersion: string;
  /** This refund, line by line: items returned, money back, points back. */
  lines: { lineIndex: number; qty: number; amountMinor: number; pointsReturned: number }[];
  refundAmountMinor: number;
  /** Earned points taken back (never negative). */
  pointsReversed: number;
  /** Redeemed points given back (never negative). */
  pointsReturned: number;
  /** Net change to the member's balance, the referral reversal included. */
  netPoints: number;
  earnedBefore: number;
  earnedAfter: number;
  /** What is taken back, rule by rule (negative points); sums to `-pointsReversed`. */
  reversal: BreakdownItem[];
  /** Points given back (positive); sums to `pointsReturned`. */
  returned: BreakdownItem[];
  /** Qualifying spend or points the tier window loses. */
  qualifyingReversed: number;
  /** Both referral bonuses, when the refund leaves the referee's first purchase no longer qualifying. */
  referralReversal: ReferralAward | null;
  /** All refunds of the sale so far, this one included. */
  refundedAfter: RefundLine[];
  fullyRefunded: boolean;
  /** The sale as it was computed when it happened. */
  original: SaleComputation;
};

const itemKey = (item: BreakdownItem) => (item.lineIndex === undefined ? item.ruleId : `${item.ruleId}#${item.lineIndex}`);

function diffBreakdown(before: readonly BreakdownItem[], after: readonly BreakdownItem[], words: EarnWords): BreakdownItem[] {
  const afterPoints = new Map<string, number>();
  for (const item of after) afterPoints.set(itemKey(item), (afterPoints.get(itemKey(item)) ?? 0) + item.points);
  const out: BreakdownItem[] = [];
  const seen = new Set<string>();
  for (const item of before) {
    const key = itemKey(item);
    seen.add(key);
    const remaining = afterPoints.get(key);
    const diff = (remaining ?? 0) - item.points;
    if (diff === 0) continue;
    const gone = remaining === undefined && item.lineIndex === undefined;
    out.push({
      ruleId: item.ruleId,
      label: gone ? words.noLongerApplies(item.label) : item.label,
      points: diff,
      ...(item.lineIndex === undefined ? {} : { lineIndex: item.lineIndex }),
    });
  }
  // A cap that starts to bite only after the refund cannot happen (points only fall), but stay exact.
  for (const item of after) if (!seen.has(itemKey(item)) && item.points !== 0) out.push({ ...item });
  return out;
}

const referralQualifies = (ruleSet: RuleSet, earn: EarnResult) =>
  ruleSet.referral !== null && earn.eligibleSpendMinor > 0 && earn.eligibleSpendMinor >= ruleSet.referral.minimumSpendMinor;

function perLine(refunds: readonly RefundLine[], lineCount: number, what: string): number[] {
  const qty = new Array<number>(lineCount).fill(0);
  refunds.forEach((r, k) => {
    if (!Number.isSafeInteger(r.lineIndex) || r.lineIndex < 0 || r.lineIndex >= lineCount) {
      throw new KasaError('VALIDATION', `${what}[${k}]: the sale has no line ${r.lineIndex}`);
    }
    if (!Number.isSafeInteger(r.qty) || r.qty < 1) throw new KasaError('VALIDATION', `${what}[${k}]: refund at least one item`);
    qty[r.lineIndex] = (qty[r.lineIndex] ?? 0) + r.qty;
  });
  return qty;
}

/**
 * Computes a refund of `request` on a recorded sale that `refundedBefore` already partly refunded;
 * `words` is the language of the breakdown's own words (a terminal's store language).
 */
export function computeRefund(sale: RecordedSale, refundedBefore: readonly RefundLine[], request: RefundRequest, words: EarnWords = ENGLISH_EARN_WORDS): RefundComputation {
  const { ruleSet, member, clock } = sale;
  const original = computeSale(ruleSet, sale.request, member, clock, { trustBalance: true, words });
  const lines = sale.request.lines;
  const n = lines.length;
  const before = perLine(refundedBefore, n, 'refundedBefore');
  before.forEach((k, i) => {
    if (k > (lines[i]?.qty ?? 0)) throw new KasaError('VALIDATION', `line ${i} was refunded more times than it has items`);
  });

  let now: number[];
  if ('all' in request) {
    now = lines.map((l, i) => l.qty - (before[i] ?? 0));
  } else {
    if (request.lines.length === 0) throw new KasaError('VALIDATION', 'Name at least one line to refund');
    const seen = new Set<number>();
    request.lines.forEach((r, k) => {
      if (seen.has(r.lineIndex)) throw new KasaError('VALIDATION', `lines[${k}]: line ${r.lineIndex} is listed twice`);
      seen.add(r.lineIndex);
    });
    now = perLine(request.lines, n, 'lines');
    now.forEach((k, i) => {
      const left = (lines[i]?.qty ?? 0) - (before[i] ?? 0);
      if (k > left) {
        throw new KasaError('VALIDATION', `line ${i}: ${left} of ${lines[i]?.qty ?? 0} items left to refund, ${k} asked`, because('refund-left', { lineIndex: i, left }));
      }
    });
  }
  if (now.every((k) => k === 0)) throw new KasaError('VALIDATION', 'This sale has already been refunded in full', because('refunded-in-full'));
  const after = before.map((k, i) => k + (now[i] ?? 0));

  // Cumulative money and points back for K items of line i: the last item returns any remainder.
  const q = original.lines;
  const moneyBack = (i: number, k: number) => {
    const l = q[i];
    if (!l || k === 0) return 0;
    return l.unitPriceMinor * k - Math.floor((l.discountMinor * k) / l.qty);
  };
  const pointsBack = (i: number, k: number) => {
    const l = q[i];
    return l && k > 0 ? Math.floor((l.pointsSpent * k) / l.qty) : 0;
  };

  const compiled = compileRuleSet(ruleSet);
  const ranks = lineRanks(lines);
  const local = clock ? localTime(clock) : null;
  const tier = member ? tierLevelOf(ruleSet, original.tier.before) : null;
  const earnKeeping = (refunded: readonly number[]): EarnResult => {
    const kept: EarnLine[] = lines.map((l, i) => {
      const k = refunded[i] ?? 0;
      return {
        sku: l.sku,
        name: l.name,
        category: l.category,
        qty: l.qty - k,
        amountMinor: l.unitPriceMinor * (l.qty - k),
        basisMinor: (q[i]?.basisMinor ?? 0) - moneyBack(i, k),
      };
    });
    // Bonus offers the sale used count as they did; one whose condition the refund undoes goes.
    const offers = (sale.request.offers ?? []).filter((o): o is Extract<OfferTerms, { type: 'favouriteCategory' | 'winBack' }> => o.type !== 'bundle');
    return computeEarn({ compiled, lines: kept, ranks, tier, member, local, offers, lenient: true, words });
  };
  const earnBefore = earnKeeping(before);
  const earnAfter = earnKeeping(after);

  const refundLines = now
    .map((k, i) => ({
      lineIndex: i,
      qty: k,
      amountMinor: moneyBack(i, after[i] ?? 0) - moneyBack(i, before[i] ?? 0),
      pointsReturned: pointsBack(i, after[i] ?? 0) - pointsBack(i, before[i] ?? 0),
    }))
    .filter((l) => l.qty > 0);
  const pointsReversed = earnBefore.pointsEarned - earnAfter.pointsEarned;
  const pointsReturned = refundLines.reduce((a, l) => a + l.pointsReturned, 0);
  const referralReversal =
    original.referral && referralQualifies(ruleSet, earnBefore) && !referralQualifies(ruleSet, earnAfter) ? original.referral : null;
  const qualifyingReversed = ruleSet.tiers
    ? ruleSet.tiers.basis === 'spend'
      ? earnBefore.eligibleSpendMinor - earnAfter.eligibleSpendMinor
      : pointsReversed
    : 0;
  const returned: BreakdownItem[] =
    pointsReturned > 0 ? [{ ruleId: 'refund.redeem', label: words.pointsReturned, points: pointsReturned }] : [];

  return {
    ruleSetVersion: ruleSet.version,
    lines: refundLines,
    refundAmountMinor: refundLines.reduce((a, l) => a + l.amountMinor, 0),
    pointsReversed,
    pointsReturned,
    netPoints: pointsReturned - pointsReversed - (referralReversal?.refereePoints ?? 0),
    earnedBefore: earnBefore.pointsEarned,
    earnedAfter: earnAfter.pointsEarned,
    reversal: diffBreakdown(earnBefore.breakdown, earnAfter.breakdown, words),
    returned,
    qualifyingReversed,
    referralReversal,
    refundedAfter: after.map((k, i) => ({ lineIndex: i, qty: k })).filter((r) => r.qty > 0),
    fullyRefunded: after.every((k, i) => k === (lines[i]?.qty ?? 0)),
    original,
  };
}
