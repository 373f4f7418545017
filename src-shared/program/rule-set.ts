// The programme's rule set: one versioned JSON document with earning, tiers, promotions, referral,
// redemption, the rewards catalogue and expiry. docs/rule-set.md describes every field.
// Schema 1 (earning + redemption only) is read as schema 2: every schema-1 field kept its meaning.
import { z } from 'zod';
import { CurrencyCode, MAX_AMOUNT_MINOR } from '../domain/money';
import { OffersSection } from './offers';
import { checkRuleSet } from './rule-set-checks';

export const RULE_SET_SCHEMA = 2;

// Custom issues carry their problem code and facts in params (rule-set-validation.ts reads them);
// regex messages cannot, so the validator knows these by their text.
const THOUSANDTHS = { message: 'at most three decimals', params: { problem: 'three-decimals' } };
export const RULE_ID_FORMAT = 'an id of letters, digits, ".", "_" or "-" (at most 48, starting with a letter or digit)';
export const LOCAL_DATE_TIME_FORMAT = 'a local date "YYYY-MM-DD" or date-time "YYYY-MM-DDTHH:MM"';
export const TIME_OF_DAY_FORMAT = 'a time "HH:MM" from 00:00 to 24:00';
const hasAtMostThreeDecimals = (r: number) => Math.abs(r * 1000 - Math.round(r * 1000)) < 1e-9;

/** Points per whole currency unit, with at most three decimals (0.5, 1, 2.125). */
export const PointsRate = z.number().min(0).max(1000).refine(hasAtMostThreeDecimals, THOUSANDTHS);

/** An earn multiplier: 1 (none) to 10, at most three decimals. */
export const Multiplier = z.number().min(1).max(10).refine(hasAtMostThreeDecimals, THOUSANDTHS);

export const Category = z.string().trim().min(1).max(64);
export const Sku = z.string().trim().min(1).max(64);
export const RuleId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/, RULE_ID_FORMAT);
export const Label = z.string().trim().min(1).max(120);
export const MoneyMinor = z.number().int().min(0).max(MAX_AMOUNT_MINOR);
export const Points = z.number().int().min(0).max(100_000_000);
const PositivePoints = z.number().int().min(1).max(100_000_000);

export const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Day = (typeof DAYS)[number];
const FULL_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Day names as people write them: "Tue", "tue", "Tuesday". Anything else is named in the error. */
export function dayIndex(text: string): number {
  const lower = text.trim().toLowerCase();
  const short = DAYS.findIndex((d) => d.toLowerCase() === lower);
  return short >= 0 ? short : FULL_DAY_NAMES.indexOf(lower);
}

const Days = z
  .array(z.string().max(20))
  .min(1, 'name at least one day')
  .max(7)
  .superRefine((days, ctx) => {
    for (const day of days) {
      if (dayIndex(day) < 0) ctx.addIssue({ code: 'custom', message: `unknown day "${day}" (expected Mon, Tue, Wed, Thu, Fri, Sat or Sun)`, params: { problem: 'unknown-day', day } });
    }
  })
  .transform((days) => [...new Set(days.map((d) => DAYS[dayIndex(d)] as Day))]);

const isValidDate = (y: number, m: number, d: number) => m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();

/** A wall-clock moment in the store's time zone: "2025-06-01" (midnight) or "2025-06-01T16:30". Normalised to the long form. */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, LOCAL_DATE_TIME_FORMAT)
  .refine((s) => {
    const [y, m, d, h, min] = [s.slice(0, 4), s.slice(5, 7), s.slice(8, 10), s.slice(11, 13) || '0', s.slice(14, 16) || '0'].map(Number);
    return isValidDate(y ?? 0, m ?? 0, d ?? 0) && (h ?? 0) < 24 && (min ?? 0) < 60;
  }, { message: 'not a real date or time', params: { problem: 'not-a-real-date' } })
  .transform((s) => (s.length === 10 ? `${s}T00:00` : s));

/** "HH:MM" from 00:00 to 24:00. */
export const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, TIME_OF_DAY_FORMAT);

export const minutesOfDay = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Weekly slot; `to` at or before `from` runs past midnight into the next day. Without times: the whole day. */
export const Schedule = z
  .object({ days: Days, from: TimeOfDay.optional(), to: TimeOfDay.optional() })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.from === undefined) !== (s.to === undefined)) {
      ctx.addIssue({ code: 'custom', path: [s.from === undefined ? 'from' : 'to'], message: 'give both "from" and "to", or neither', params: { problem: 'from-and-to' } });
    }
  });

export const FixedPointsRule = z
  .object({ sku: Sku.optional(), category: Category.optional(), pointsPerItem: PositivePoints, label: Label.optional() })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.sku === undefined) === (r.category === undefined)) ctx.addIssue({ code: 'custom', message: 'name exactly one of "sku" or "category"', params: { problem: 'sku-or-category' } });
  });

export const Earning = z
  .object({
    pointsPerUnit: PointsRate,
    categoryRates: z.record(Category, PointsRate).default({}),
    skuRates: z.record(Sku, PointsRate).default({}),
    fixedPoints: z.array(FixedPointsRule).max(1000).default([]),
    excludedCategories: z.array(Category).max(1000).default([]),
    excludedSkus: z.array(Sku).max(10_000).default([]),
    categoryLabels: z.record(Category, Label).default({}),
    rounding: z.enum(['floor', 'round', 'ceil']).default('floor'),
    roundingScope: z.enum(['receipt', 'line']).default('receipt'),
    /** Below this spend (what earns, after redemption) the sale earns nothing. */
    minimumSpendMinor: MoneyMinor.default(0),
    caps: z
      .object({ perTransaction: PositivePoints.optional(), perDay: PositivePoints.optional() })
      .strict()
      .default({}),
  })
  .strict();

export const TierLevel = z
  .object({
    id: RuleId,
    name: Label,
    /** Qualifying spend (minor units) or points in the window that reaches this tier. The first tier's is 0. */
    threshold: z.number().int().min(0).max(1_000_000_000_000),
    multiplier: Multiplier.default(1),
    perks: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  })
  .strict();

export const Tiers = z
  .object({
    basis: z.enum(['spend', 'points']),
    windowMonths: z.number().int().min(1).max(120),
    downgrade: z.enum(['none', 'windowEnd']),
    graceDays: z.number().int().min(0).max(366).default(0),
    levels: z.array(TierLevel).min(1, 'name at least one tier').max(10),
  })
  .strict();

export const PromotionEffect = z.discriminatedUnion('type', [
  z.object({ type: z.literal('multiplier'), multiplier: Multiplier.refine((m) => m > 1, { message: 'a promotion multiplier is above 1', params: { problem: 'promotion-multiplier' } }) }).strict(),
  z.object({ type: z.literal('bonus'), points: PositivePoints }).strict(),
  z
    .object({ type: z.literal('perSpend'), points: PositivePoints, everyMinor: MoneyMinor.min(1), maxPoints: PositivePoints.optional() })
    .strict(),
]);

export const Promotion = z
  .object({
    id: RuleId,
    label: Label,
    effect: PromotionEffect,
    startsAt: LocalDateTime.optional(),
    /** Exclusive. */
    endsAt: LocalDateTime.optional(),
    schedule: Schedule.optional(),
    tiers: z.array(RuleId).min(1).max(10).optional(),
    categories: z.array(Category).min(1).max(1000).optional(),
    skus: z.array(Sku).min(1).max(10_000).optional(),
    minSpendMinor: MoneyMinor.optional(),
    firstPurchase: z.literal(true).optional(),
    birthdayMonth: z.literal(true).optional(),
    group: RuleId.optional(),
  })
  .strict();

const RewardCommon = { id: RuleId, label: Label, tiers: z.array(RuleId).min(1).max(10).optional() };

export const Reward = z.discriminatedUnion('type', [
  z.object({ ...RewardCommon, type: z.literal('discountFixed'), points: PositivePoints, amountMinor: MoneyMinor.min(1) }).strict(),
  z
    .object({
      ...RewardCommon,
      type: z.literal('discountPercent'),
      points: PositivePoints,
      percent: z.number().int().min(1).max(100),
      capMinor: MoneyMinor.min(1).optional(),
    })
    .strict(),
  z
    .object({
      ...RewardCommon,
      type: z.literal('freeItem'),
      /** Without `points` the item costs its own price in points. */
      points: PositivePoints.optional(),
      sku: Sku.optional(),
      category: Category.optional(),
      maxPriceMinor: MoneyMinor.min(1).optional(),
    })
    .strict(),
  z
    .object({
      ...RewardCommon,
      type: z.literal('donation'),
      charity: Label,
      /** The programme adds `programmePoints` for every `perMemberPoints` the member gives. */
      match: z
        .object({ programmePoints: z.number().int().min(0).max(100), perMemberPoints: z.number().int().min(1).max(100) })
        .strict()
        .default({ programmePoints: 0, perMemberPoints: 1 }),
      minimumPoints: PositivePoints.default(1),
      stepPoints: PositivePoints.default(1),
    })
    .strict(),
]);

export const Redemption = z
  .object({
    /** Minor units one point is worth: 1 means 1 point = 0.01 TRY. */
    minorPerPoint: z.number().int().min(1).max(1_000_000),
    /** Points that must stay on the balance after any redemption. */
    minimumBalance: Points.default(0),
    /** Most of a sale that points may pay for (free items are exempt: the catalogue prices them). */
    maxSharePercent: z.number().int().min(1).max(100).default(100),
    /** Smallest partial redemption. */
    minimumPoints: PositivePoints.default(1),
    /**
     * While a terminal cannot confirm a member's balance with the server, the most points that
     * member may spend there per day; above it a manager approves. Absent: no daily cap (the
     * member can still spend only the balance the server last confirmed, less what was spent since).
     */
    offlineDailyCapPoints: PositivePoints.optional(),
  })
  .strict();

export const Referral = z
  .object({ referrerPoints: Points, refereePoints: Points, minimumSpendMinor: MoneyMinor.default(0) })
  .strict();

export const Expiry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('never') }).strict(),
  z.object({ type: z.literal('months'), months: z.number().int().min(1).max(120), endOfMonth: z.boolean().default(false) }).strict(),
]);

const RuleSetObject = z
  .object({
    schema: z.literal(RULE_SET_SCHEMA),
    version: z.string().trim().min(1).max(64),
    name: z.string().trim().min(1).max(120),
    currency: CurrencyCode,
    earning: Earning,
    tiers: Tiers.nullable().default(null),
    promotions: z.array(Promotion).max(500).default([]),
    /** Required when there are promotions: how promotions combine. */
    stacking: z.enum(['stack', 'bestOf', 'exclusiveGroups']).optional(),
    referral: Referral.nullable().default(null),
    redemption: Redemption,
    rewards: z.array(Reward).max(200).default([]),
    expiry: Expiry.default({ type: 'never' }),
    /** Personalised offers the server may issue (absent: none). */
    offers: OffersSection.optional(),
  })
  .strict();

const RuleSetV2 = RuleSetObject.superRefine(checkRuleSet);

const upgradeSchema1 = (input: unknown): unknown =>
  input !== null && typeof input === 'object' && !Array.isArray(input) && (input as { schema?: unknown }).schema === 1
    ? { ...input, schema: RULE_SET_SCHEMA }
    : input;

export const RuleSet = z.preprocess(upgradeSchema1, RuleSetV2);

export type RuleSet = z.output<typeof RuleSetObject>;
export type RuleSetInput = z.input<typeof RuleSetObject>;
export type TierLevel = z.output<typeof TierLevel>;
export type Promotion = z.output<typeof Promotion>;
export type Reward = z.output<typeof Reward>;
export type RewardType = Reward['type'];

/** When no programme is installed: 1 point per whole currency unit, floor per receipt, 1 point = 1 minor unit. */
export function defaultRuleSet(currency: string): RuleSet {
  return RuleSet.parse({
    schema: RULE_SET_SCHEMA,
    version: `default-${currency}-1`,
    name: 'Standard programme',
    currency,
    earning: { pointsPerUnit: 1 },
    redemption: { minorPerPoint: 1 },
  });
}
