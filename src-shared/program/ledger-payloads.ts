// What the programme's ledger entries carry in `payload`, beyond the first schemas in
// ledger/payloads.ts (which these extend, never change): every input the engine used, so replaying an
// entry with its rule-set version reproduces its points exactly.
import { z } from 'zod';
import { EarnPayload, RedeemPayload, SaleLinePayload } from '../ledger/payloads';
import { OfferTerms } from './offers';

const Ref = z.string().max(64);
const Instant = z.string().max(40);

export const RewardRequestPayload = z.object({ rewardId: Ref, lineIndex: z.number().int().min(0).max(499).optional() });

/** The member as the engine saw them at the sale: tier, window, flags, today's points, referral. */
export const MemberContextPayload = z.object({
  memberId: Ref,
  balance: z.number().int(),
  tier: z.object({ tierId: Ref, since: Instant }).nullable(),
  /** Qualifying spend (minor units) or points in the tier window, before this sale. */
  qualifying: z.number().int().min(0),
  firstPurchase: z.boolean(),
  birthMonth: z.number().int().min(1).max(12).nullable(),
  pointsEarnedToday: z.number().int().min(0),
  referral: z.object({ referrerMemberId: Ref, rewarded: z.boolean() }).nullable(),
});
export type MemberContextPayload = z.infer<typeof MemberContextPayload>;

/** On `earn` from the programme engine: the sale request, the member context and the clock. */
export const ProgramEarnPayload = EarnPayload.extend({
  lines: z.array(SaleLinePayload.extend({ name: z.string().max(120).optional() })).max(500),
  /** Points the cashier entered to pay with (partial redemption), without reward costs. */
  redeemPoints: z.number().int().min(0),
  rewards: z.array(RewardRequestPayload).max(50).optional(),
  /** Personalised offers the sale used, with their terms. */
  offers: z.array(OfferTerms).max(10).optional(),
  at: Instant.optional(),
  timeZone: z.string().max(64).optional(),
  member: MemberContextPayload.nullable().optional(),
  /** Last day the points of this entry can be used (local date), when the programme expires points. */
  expiresOn: z.string().max(10).nullable().optional(),
});
export type ProgramEarnPayload = z.infer<typeof ProgramEarnPayload>;

/** On `redeem`: the discount, and which rewards and partial redemption the points paid for. */
export const ProgramRedeemPayload = RedeemPayload.extend({
  redeemPoints: z.number().int().min(0).optional(),
  rewards: z.array(z.object({ rewardId: Ref, points: z.number().int(), discountMinor: z.number().int(), lineIndex: z.number().int().optional() })).max(50).optional(),
});
export type ProgramRedeemPayload = z.infer<typeof ProgramRedeemPayload>;

export const RefundLinePayload = z.object({ lineIndex: z.number().int().min(0).max(499), qty: z.number().int().min(1) });

/**
 * On `refund`: which lines of which sale, and what was refunded before, so the entry can be
 * recomputed from the original sale alone. `part` says whether it takes back earned points or
 * gives back redeemed ones; a refund writes one entry per part.
 */
export const RefundPayload = z.object({
  refundId: Ref,
  part: z.enum(['earnReversal', 'redeemReturn', 'referralReversal']),
  lines: z.array(RefundLinePayload).max(500),
  refundedBefore: z.array(RefundLinePayload).max(500),
  refundAmountMinor: z.number().int().min(0),
  /** For `referralReversal`: which side of the referral this entry takes back. */
  referralRole: z.enum(['referrer', 'referee']).optional(),
});
export type RefundPayload = z.infer<typeof RefundPayload>;

/** On `referral`: both sides of one referral, written once, on the referee's first qualifying purchase. */
export const ReferralPayload = z.object({
  role: z.enum(['referrer', 'referee']),
  referrerMemberId: Ref,
  refereeMemberId: Ref,
});
export type ReferralPayload = z.infer<typeof ReferralPayload>;

/**
 * On `donate`: the member's gift (points off the balance) and, as a separate entry, the programme's
 * match (no points off anyone; `amountMinor` is its value).
 */
export const DonatePayload = z.object({
  donationId: Ref,
  rewardId: Ref,
  charity: z.string().max(120),
  role: z.enum(['member', 'match']),
  memberPoints: z.number().int().min(1),
  matchPoints: z.number().int().min(0),
  match: z.object({ programmePoints: z.number().int(), perMemberPoints: z.number().int() }),
});
export type DonatePayload = z.infer<typeof DonatePayload>;

/** On `expire`: the lots (entries that credited points) whose remainder expired, oldest first. */
export const ExpirePayload = z.object({
  lots: z.array(z.object({ ref: z.string().max(80), points: z.number().int().min(1), expiresOn: z.string().max(10) })).max(10_000),
});
export type ExpirePayload = z.infer<typeof ExpirePayload>;
