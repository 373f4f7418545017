// The points engine: pure, deterministic, explainable. `computeSale` is the one function behind
// preview, complete, refund and replay; every point in its result comes from a breakdown item that
// names the rule that produced it.
import { KasaError } from '../api/errors';
import { MAX_AMOUNT_MINOR } from '../domain/money';
import { compileRuleSet } from './compiled-rule-set';
import { computeEarn, type EarnLine, type EarnResult } from './earn';
import type { EarnWords } from './earn-words';
import { expiresOnFor } from './expiry';
import { ranksBy, ranksByKey } from './integer-math';
import { localTime, type Clock, type LocalTime } from './local-time';
import { applyRedemption, type RedemptionResult } from './redemption';
import type { OfferTerms } from './offers';
import type { RuleSet, TierLevel } from './rule-set';
import type { EngineLine, MemberContext, QuotedLine, ReferralAward, SaleComputation, SaleRequest, TierStatus } from './sale-types';
import { evaluateTier } from './tiers';

export type { Clock } from './local-time';
export type { EngineLine, MemberContext, QuotedLine, SaleComputation, SaleRequest } from './sale-types';

export type ComputeOptions = {
  /** Recomputing a recorded sale (refund, replay): skip the balance checks that passed when it happened. */
  trustBalance?: boolean;
  /** The language of the breakdown's own words: a terminal's store language (default English). */
  words?: EarnWords;
};

const NO_OFFERS: readonly never[] = [];

const offersOfType = <T extends OfferTerms['type']>(request: SaleRequest, type: T): Extract<OfferTerms, { type: T }>[] | readonly never[] =>
  request.offers && request.offers.length > 0 ? request.offers.filter((o): o is Extract<OfferTerms, { type: T }> => o.type === type) : NO_OFFERS;

function checkOfferIds(request: SaleRequest): void {
  if (!request.offers || request.offers.length === 0) return;
  const ids = request.offers.map((o) => o.offerId);
  if (ids.length > 10) throw new KasaError('VALIDATION', 'A sale uses at most 10 offers');
  if (new Set(ids).size !== ids.length) throw new KasaError('VALIDATION', 'An offer can be used once on a sale');
}

function checkLines(lines: readonly EngineLine[]): number[] {
  if (lines.length > 500) throw new KasaError('VALIDATION', 'A sale has at most 500 lines');
  let subtotal = 0;
  const amounts = lines.map((l, i) => {
    if (!Number.isSafeInteger(l.qty) || l.qty < 1 || !Number.isSafeInteger(l.unitPriceMinor) || l.unitPriceMinor < 0) {
      throw new KasaError('VALIDATION', `lines[${i}]: quantity must be a whole number of at least 1 and the price whole minor units`);
    }
    const amount = l.qty * l.unitPriceMinor;
    subtotal += amount;
    return amount;
  });
  if (subtotal > MAX_AMOUNT_MINOR) throw new KasaError('VALIDATION', `the sale total is above ${MAX_AMOUNT_MINOR} minor units`);
  return amounts;
}

type RankedLine = { sku?: string | undefined; name?: string | undefined; category: string; qty: number; unitPriceMinor: number };

const lineKey = (l: RankedLine) => `${l.sku ?? ''}\u0000${l.category}\u0000${l.unitPriceMinor}\u0000${l.qty}\u0000${l.name ?? ''}`;

/** Text without the key separator, so comparing it field by field equals comparing whole keys. */
const plainText = (text: unknown): boolean => text === undefined || (typeof text === 'string' && !text.includes('\u0000'));

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks lines by content (the order of their keys "sku, category, price, quantity, name") so that
 * every tie-break is independent of the order lines were rung up. Keys are compared field by
 * field without being built; a field holding the separator itself falls back to whole keys.
 */
export function lineRanks(lines: readonly RankedLine[]): number[] {
  for (const l of lines) {
    if (!plainText(l.sku) || !plainText(l.category) || !plainText(l.name) || typeof l.category !== 'string') return ranksByKey(lines.map(lineKey));
  }
  return ranksBy(lines.length, (a, b) => {
    const la = lines[a] as RankedLine;
    const lb = lines[b] as RankedLine;
    return (
      compareText(la.sku ?? '', lb.sku ?? '') ||
      compareText(la.category, lb.category) ||
      (la.unitPriceMinor === lb.unitPriceMinor ? 0 : compareText(String(la.unitPriceMinor), String(lb.unitPriceMinor))) ||
      (la.qty === lb.qty ? 0 : compareText(String(la.qty), String(lb.qty))) ||
      compareText(la.name ?? '', lb.name ?? '') ||
      a - b
    );
  });
}

export const tierLevelOf = (ruleSet: RuleSet, status: TierStatus | null): TierLevel | null => (status ? (ruleSet.tiers?.levels[status.level] ?? null) : null);

function referralFor(ruleSet: RuleSet, member: MemberContext | null, earn: EarnResult): ReferralAward | null {
  const referral = member?.referral;
  const rule = ruleSet.referral;
  if (!member || !referral || !rule || referral.rewarded) return null;
  // Never for self-referral, whatever the core let through.
  if (referral.referrerMemberId === member.memberId) return null;
  if (earn.eligibleSpendMinor <= 0 || earn.eligibleSpendMinor < rule.minimumSpendMinor) return null;
  return {
    referrerMemberId: referral.referrerMemberId,
    refereeMemberId: member.memberId,
    referrerPoints: rule.referrerPoints,
    refereePoints: rule.refereePoints,
  };
}

/**
 * Prices a sale, applies the rewards and points it pays with, and computes every point it earns.
 * `member` is null for an anonymous sale (it earns nothing but shows what it would); `clock` is
 * when and where the sale happens (null: promotions with a time condition do not apply).
 * Throws VALIDATION or INSUFFICIENT_POINTS for a redemption the sale or the balance cannot take.
 */
export function computeSale(
  ruleSet: RuleSet,
  request: SaleRequest,
  member: MemberContext | null,
  clock: Clock | null,
  options: ComputeOptions = {},
): SaleComputation {
  const compiled = compileRuleSet(ruleSet);
  const { lines } = request;
  const amounts = checkLines(lines);
  checkOfferIds(request);
  const ranks = lineRanks(lines);
  const local: LocalTime | null = clock ? localTime(clock) : null;

  const tierBefore = member ? evaluateTier(ruleSet, member.tier, member.qualifying, clock) : null;
  const redemption: RedemptionResult = applyRedemption({
    compiled,
    lines,
    amounts,
    ranks,
    rewards: request.rewards ?? [],
    redeemPoints: request.redeemPoints ?? 0,
    bundles: offersOfType(request, 'bundle'),
    member: member ? { balance: member.balance, tierId: tierBefore?.tierId ?? null } : null,
    trustBalance: options.trustBalance ?? false,
    words: options.words,
  });
  const earnLines: EarnLine[] = lines.map((l, i) => ({
    sku: l.sku,
    name: l.name,
    category: l.category,
    qty: l.qty,
    amountMinor: amounts[i] ?? 0,
    basisMinor: (amounts[i] ?? 0) - (redemption.lineDiscount[i] ?? 0),
  }));
  if ((request.offers?.length ?? 0) > 0 && !member) throw new KasaError('VALIDATION', 'Offers apply only on a member sale');
  const bonusOffers =
    request.offers && request.offers.length > 0
      ? request.offers.filter((o): o is Extract<OfferTerms, { type: 'favouriteCategory' | 'winBack' }> => o.type !== 'bundle')
      : NO_OFFERS;
  const earn = computeEarn({
    compiled,
    lines: earnLines,
    ranks,
    tier: tierLevelOf(ruleSet, tierBefore),
    member,
    local,
    offers: bonusOffers,
    lenient: options.trustBalance ?? false,
    words: options.words,
  });

  const qualifyingAdded = ruleSet.tiers ? (ruleSet.tiers.basis === 'spend' ? earn.eligibleSpendMinor : earn.pointsEarned) : 0;
  const tierAfter =
    member && tierBefore
      ? evaluateTier(ruleSet, tierBefore.since === null ? null : { tierId: tierBefore.tierId, since: tierBefore.since }, member.qualifying + qualifyingAdded, clock)
      : null;
  if (tierAfter && tierBefore && tierAfter.level > tierBefore.level) tierAfter.change = 'up';
  const referral = referralFor(ruleSet, member, earn);

  const quotedLines: QuotedLine[] = lines.map((line, i) => ({
    ...line,
    amountMinor: amounts[i] ?? 0,
    discountMinor: redemption.lineDiscount[i] ?? 0,
    rewardDiscountMinor: redemption.lineRewardDiscount[i] ?? 0,
    basisMinor: earnLines[i]?.basisMinor ?? 0,
    pointsSpent: redemption.linePointsSpent[i] ?? 0,
    points: earn.linePoints[i] ?? 0,
    excluded: earn.baseRules[i]?.kind === 'excluded',
    ruleId: earn.baseRules[i]?.ruleId ?? 'earn.base',
    contributions: earn.lineContributions[i] ?? [],
  }));
  const subtotalMinor = amounts.reduce((a, b) => a + b, 0);
  const balanceAfter = member ? member.balance - redemption.pointsRedeemed + earn.pointsEarned + (referral?.refereePoints ?? 0) : null;

  return {
    currency: ruleSet.currency,
    ruleSetVersion: ruleSet.version,
    subtotalMinor,
    discountMinor: redemption.discountMinor,
    totalMinor: subtotalMinor - redemption.discountMinor,
    pointsEarned: earn.pointsEarned,
    pointsRedeemed: redemption.pointsRedeemed,
    redeemPoints: request.redeemPoints ?? 0,
    maxRedeemablePoints: redemption.maxRedeemablePoints,
    eligibleSpendMinor: earn.eligibleSpendMinor,
    lines: quotedLines,
    breakdown: earn.breakdown,
    redemption: redemption.items,
    rewards: redemption.rewards,
    offers: [...redemption.offers, ...earn.offers],
    multipliers: earn.multipliers,
    caps: earn.caps,
    promotions: earn.promotions,
    tier: { before: tierBefore, after: tierAfter, qualifyingAdded },
    referral,
    expiresOn: local && earn.pointsEarned > 0 ? expiresOnFor(ruleSet, local) : null,
    balanceBefore: member ? member.balance : null,
    balanceAfter,
    localTime: local ? local.dateTime : null,
  };
}

/** The first engine's shape, still used by the terminal core: a sale with an optional redemption. */
export type EngineSale = { lines: readonly EngineLine[]; redeemPoints?: number | undefined };

export type SaleQuote = SaleComputation;

/**
 * Compatible entry point of the first engine: `balance` bounds redemption (null for an anonymous
 * sale). Without `clock` and `member`, promotions with a time or member condition do not apply.
 */
export function quoteSale(
  ruleSet: RuleSet,
  sale: EngineSale & { rewards?: SaleRequest['rewards'] },
  balance: number | null,
  context: { member?: MemberContext; clock?: Clock } = {},
): SaleComputation {
  const member: MemberContext | null =
    context.member ??
    (balance === null
      ? null
      : { memberId: '', balance, tier: null, qualifying: 0, firstPurchase: false, birthMonth: null, pointsEarnedToday: 0, referral: null });
  return computeSale(ruleSet, sale, member, context.clock ?? null);
}
