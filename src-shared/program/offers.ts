// Personalised offers: the rule set's `offers` section (which offer types the owner allows, and
// their caps), the terms of one offer as the server issues it, and the offer as the change feed
// carries it. An offer's terms are self-contained, so the engine (and anyone replaying the earn
// entry that used it) needs nothing but the terms to price it.
import { z } from 'zod';
import { MAX_AMOUNT_MINOR } from '../domain/money';

export const OFFER_TYPES = ['favouriteCategory', 'bundle', 'winBack'] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

export const OFFER_STATUSES = ['active', 'redeemed', 'expired', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

const OfferLabel = z.string().trim().min(1).max(120);
const OfferCategory = z.string().trim().min(1).max(64);
const OfferSku = z.string().trim().min(1).max(64);
const MemberRef = z.string().min(1).max(64);
const BonusPoints = z.number().int().min(1).max(100_000);
const SpendMinor = z.number().int().min(0).max(MAX_AMOUNT_MINOR);
const PurchaseCount = z.number().int().min(1).max(1000);

/** One item or one category: what a bundle's usual item or add-on is. */
const ItemRef = z
  .object({ sku: OfferSku.optional(), category: OfferCategory.optional() })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.sku === undefined) === (r.category === undefined)) ctx.addIssue({ code: 'custom', message: 'name exactly one of "sku" or "category"', params: { problem: 'sku-or-category' } });
  });

// --- The rule set's section --------------------------------------------------------------------

export const FavouriteCategoryOfferRule = z
  .object({
    enabled: z.boolean().default(true),
    /** Visits with the category in the history window before it counts as a favourite. */
    minPurchases: PurchaseCount.default(3),
    /** Extra points on the next sale with the category. */
    bonusPoints: BonusPoints,
    /** The category's spend in that sale must reach this. */
    minSpendMinor: SpendMinor.default(0),
  })
  .strict();

export const BundleOfferRule = z
  .object({
    enabled: z.boolean().default(true),
    /** Visits with the usual item (a SKU) in the history window before it counts as usual. */
    minPurchases: PurchaseCount.default(3),
    /** What comes with the usual item: one item of this SKU or category. */
    addOn: ItemRef,
    /** How much of the add-on's price the programme pays: 100 = free. */
    discountPercent: z.number().int().min(1).max(100),
    /** The most the add-on discount may be worth. */
    maxDiscountMinor: z.number().int().min(1).max(MAX_AMOUNT_MINOR),
    addOnLabel: OfferLabel,
  })
  .strict();

export const WinBackOfferRule = z
  .object({
    enabled: z.boolean().default(true),
    /** Weeks since the last visit before a member counts as away. */
    weeksAway: z.number().int().min(1).max(104),
    bonusPoints: BonusPoints,
    minSpendMinor: SpendMinor.default(0),
  })
  .strict();

export const OffersSection = z
  .object({
    /** Most offers a member holds at a time (active or used, until their validity ends). */
    maxPerMember: z.number().int().min(1).max(10).default(2),
    /** Days an offer can be used, counting the day it is issued. */
    validityDays: z.number().int().min(1).max(90).default(14),
    /** How far back purchases count for favourites and usual items. */
    historyWeeks: z.number().int().min(1).max(104).default(8),
    /** Members of these tiers get no offers. */
    excludedTiers: z.array(z.string().min(1).max(48)).max(10).default([]),
    /** Members who get no offers (staff, members who asked not to). */
    excludedMembers: z.array(MemberRef).max(10_000).default([]),
    favouriteCategory: FavouriteCategoryOfferRule.optional(),
    bundle: BundleOfferRule.optional(),
    winBack: WinBackOfferRule.optional(),
  })
  .strict();
export type OffersSection = z.output<typeof OffersSection>;

// --- One offer --------------------------------------------------------------------------------

/**
 * Why the member got the offer, as data (the `reason` says it in English): what it is about, how
 * many visits in how many weeks, the last visit. A terminal says it in the store's language.
 */
export const OfferWhy = z
  .object({
    /** The category's or item's name, or for a bundle the usual item's. */
    subject: z.string().max(120).optional(),
    /** A bundle's add-on, as the rule set names it. */
    addOn: z.string().max(120).optional(),
    visits: z.number().int().min(0).max(100_000).optional(),
    weeks: z.number().int().min(0).max(10_000),
    lastVisit: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  })
  .strict();
export type OfferWhy = z.infer<typeof OfferWhy>;

const TermsCommon = { offerId: z.string().min(1).max(64), label: OfferLabel, why: OfferWhy.optional() };

/** What an offer gives, fixed when the server issues it. */
export const OfferTerms = z.discriminatedUnion('type', [
  z.object({ ...TermsCommon, type: z.literal('favouriteCategory'), category: OfferCategory, bonusPoints: BonusPoints, minSpendMinor: SpendMinor }).strict(),
  z
    .object({
      ...TermsCommon,
      type: z.literal('bundle'),
      usualSku: OfferSku,
      addOn: ItemRef,
      discountPercent: z.number().int().min(1).max(100),
      maxDiscountMinor: z.number().int().min(1).max(MAX_AMOUNT_MINOR),
    })
    .strict(),
  z.object({ ...TermsCommon, type: z.literal('winBack'), bonusPoints: BonusPoints, minSpendMinor: SpendMinor }).strict(),
]);
export type OfferTerms = z.infer<typeof OfferTerms>;

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** An offer as the server keeps it and the `offers` feed dataset carries it (absolute state). */
export const OfferRecord = z.object({
  offerId: z.string().min(1).max(64),
  memberId: MemberRef,
  type: z.enum(OFFER_TYPES),
  terms: OfferTerms,
  /** Why this member got it, in words a cashier can read out. */
  reason: z.string().min(1).max(300),
  /** First and last local day it can be used. */
  validFrom: LocalDate,
  validUntil: LocalDate,
  status: z.enum(OFFER_STATUSES),
  ruleSetVersion: z.string().max(64),
});
export type OfferRecord = z.infer<typeof OfferRecord>;

/** The offer id recorded on the earn entry of the sale that used it. */
export const offerRuleId = (offerId: string): string => `offer:${offerId}`;
