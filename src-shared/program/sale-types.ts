// What the engine takes and gives for a sale. Inputs mirror the earn payload, so a recorded sale
// can be fed back in unchanged.
import type { BreakdownItem } from '../ledger/entry';
import type { MemberContextPayload } from './ledger-payloads';
import type { OfferTerms, OfferType } from './offers';

export type EngineLine = { sku?: string | undefined; name?: string | undefined; category: string; qty: number; unitPriceMinor: number };

export type RewardRequest = { rewardId: string; lineIndex?: number | undefined };

export type SaleRequest = {
  lines: readonly EngineLine[];
  /** Points the cashier entered to pay with (partial redemption). */
  redeemPoints?: number | undefined;
  /** Catalogue rewards to apply (discounts and free items). */
  rewards?: readonly RewardRequest[] | undefined;
  /** Personalised offers the member holds and the cashier applies: their full terms. */
  offers?: readonly OfferTerms[] | undefined;
};

/** The member at the start of the sale. The core derives it from its tables; the earn entry records it. */
export type MemberContext = MemberContextPayload;

/** One rule's points on one line. */
export type Contribution = { ruleId: string; points: number };

export type QuotedLine = EngineLine & {
  amountMinor: number;
  /** Everything points paid for on this line: rewards and partial redemption. */
  discountMinor: number;
  rewardDiscountMinor: number;
  /** What the line earns on: the amount less what points paid. */
  basisMinor: number;
  /** Points spent on this line (rewards and partial redemption), for returning them on a refund. */
  pointsSpent: number;
  /** Base points plus multipliers on this line (bonuses and caps are per sale). */
  points: number;
  excluded: boolean;
  /** The rule that gave the base points. */
  ruleId: string;
  contributions: Contribution[];
};

export type AppliedMultiplier = { ruleId: string; label: string; multiplier: number; points: number };
export type CapHit = { ruleId: 'cap.transaction' | 'cap.day'; limit: number; cutPoints: number };
export type PromotionOutcome = { id: string; label: string; points: number };
export type OutrankedPromotion = { id: string; label: string; by: string };

export type AppliedReward = {
  rewardId: string;
  label: string;
  type: 'discountFixed' | 'discountPercent' | 'freeItem';
  points: number;
  discountMinor: number;
  lineIndex?: number | undefined;
};

/** An offer the sale used: bonus points (favourite category, win-back) or a discount (bundle). */
export type AppliedOffer = { offerId: string; type: OfferType; label: string; points: number; discountMinor: number; lineIndex?: number | undefined };

export type TierStatus = {
  tierId: string;
  name: string;
  level: number;
  multiplier: number;
  perks: string[];
  since: string | null;
  basis: 'spend' | 'points';
  qualifying: number;
  next: { tierId: string; name: string; threshold: number; remaining: number } | null;
  /** What keeps the current tier at the end of its window (downgrade "windowEnd" only). */
  keep: { threshold: number; remaining: number; by: string; inGrace: boolean } | null;
  change: 'up' | 'down' | 'renewed' | null;
};

export type ReferralAward = { referrerMemberId: string; refereeMemberId: string; referrerPoints: number; refereePoints: number };

export type SaleComputation = {
  currency: string;
  ruleSetVersion: string;
  subtotalMinor: number;
  discountMinor: number;
  totalMinor: number;
  pointsEarned: number;
  /** All points this sale spends: partial redemption plus reward costs. */
  pointsRedeemed: number;
  /** The partial-redemption part of `pointsRedeemed`. */
  redeemPoints: number;
  /** The most points the cashier can still enter for partial redemption. */
  maxRedeemablePoints: number;
  /** Spend that earns (lines not excluded, after points): what thresholds and minimums compare with. */
  eligibleSpendMinor: number;
  lines: QuotedLine[];
  /** Every earned point, rule by rule; sums to `pointsEarned`. */
  breakdown: BreakdownItem[];
  /** What the points paid for, reward by reward; sums to `-pointsRedeemed`. */
  redemption: BreakdownItem[];
  rewards: AppliedReward[];
  /** Personalised offers applied, each also a breakdown line (`offer:<id>`). */
  offers: AppliedOffer[];
  multipliers: AppliedMultiplier[];
  caps: CapHit[];
  promotions: { applied: PromotionOutcome[]; outranked: OutrankedPromotion[] };
  tier: { before: TierStatus | null; after: TierStatus | null; qualifyingAdded: number };
  referral: ReferralAward | null;
  /** Last local day the points earned now can be used; null when points never expire. */
  expiresOn: string | null;
  balanceBefore: number | null;
  balanceAfter: number | null;
  /** The wall-clock time the promotions were judged at. */
  localTime: string | null;
};
