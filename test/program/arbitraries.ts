// fast-check generators for the engine's properties: valid rule sets with every feature switched
// on at random, baskets, member contexts and clocks across zones with and without DST.
import fc from 'fast-check';
import { RuleSet } from '../../src-shared/program/rule-set';
import type { EngineLine, MemberContext } from '../../src-shared/program/sale-types';
import type { Clock } from '../../src-shared/program/local-time';

const CATEGORIES = ['A', 'B', 'C', 'X'];
const SKUS = ['S1', 'S2', 'S3'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const ZONES = ['Europe/Istanbul', 'Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata'];

const rate = fc.constantFrom(0, 0.5, 1, 1.25, 2, 2.125, 3, 0.333);
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Present about one time in four: promotion conditions stay rare enough for promotions to apply. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const promotion = (i: number, tiers: boolean, grouped: boolean) =>
  fc
    .record({
      effect: fc.oneof(
        fc.record({ type: fc.constant('multiplier'), multiplier: fc.constantFrom(1.5, 2, 3, 1.001, 10) }),
        fc.record({ type: fc.constant('bonus'), points: fc.integer({ min: 1, max: 500 }) }),
        fc.record({
          type: fc.constant('perSpend'),
          points: fc.integer({ min: 1, max: 50 }),
          everyMinor: fc.integer({ min: 1, max: 5000 }),
          maxPoints: optional(fc.integer({ min: 50, max: 500 })),
        }),
      ),
      categories: sometimes(fc.subarray(CATEGORIES, { minLength: 1 })),
      skus: sometimes(fc.subarray(SKUS, { minLength: 1 })),
      schedule: sometimes(fc.record({ days: fc.subarray(DAYS, { minLength: 1 }), from: time, to: time })),
      startsAt: sometimes(fc.constantFrom('2024-06-01', '2025-01-01T08:30', '2025-03-30T02:30')),
      minSpendMinor: sometimes(fc.integer({ min: 0, max: 10_000 })),
      firstPurchase: sometimes(fc.constant(true as const)),
      birthdayMonth: sometimes(fc.constant(true as const)),
      tiers: tiers ? sometimes(fc.constant(['gold'])) : fc.constant(undefined),
      group: grouped ? optional(fc.constantFrom('g1', 'g2')) : fc.constant(undefined),
    })
    .map((p) => JSON.parse(JSON.stringify({ id: `p${i}`, label: `Promotion ${i}`, ...p })) as Record<string, unknown>);

/** A valid rule set, parsed (defaults filled in). */
export const ruleSetArb: fc.Arbitrary<RuleSet> = fc
  .record({
    earning: fc.record({
      pointsPerUnit: rate,
      categoryRates: fc.dictionary(fc.constantFrom('A', 'B'), rate),
      skuRates: fc.dictionary(fc.constantFrom('S1'), rate),
      fixedPoints: fc.constantFrom([], [{ sku: 'S2', pointsPerItem: 7 }], [{ category: 'C', pointsPerItem: 3 }]),
      excludedCategories: fc.constantFrom([], ['X']),
      excludedSkus: fc.constantFrom([], ['S3']),
      rounding: fc.constantFrom('floor', 'round', 'ceil'),
      roundingScope: fc.constantFrom('receipt', 'line'),
      minimumSpendMinor: fc.constantFrom(0, 0, 500, 5000),
      caps: fc.record({ perTransaction: optional(fc.integer({ min: 1, max: 2000 })), perDay: optional(fc.integer({ min: 1, max: 5000 })) }),
    }),
    tiers: fc.option(
      fc.record({
        basis: fc.constantFrom('spend', 'points'),
        windowMonths: fc.integer({ min: 1, max: 24 }),
        downgrade: fc.constantFrom('none', 'windowEnd'),
        graceDays: fc.integer({ min: 0, max: 60 }),
        levels: fc.constant([
          { id: 'base', name: 'Base', threshold: 0 },
          { id: 'gold', name: 'Gold', threshold: 5000, multiplier: 1.5 },
          { id: 'vip', name: 'VIP', threshold: 20_000, multiplier: 2 },
        ]),
      }),
      { nil: null },
    ),
    stacking: fc.constantFrom('stack', 'bestOf', 'exclusiveGroups'),
    promotionCount: fc.integer({ min: 0, max: 6 }),
    referral: fc.option(fc.record({ referrerPoints: fc.integer({ min: 0, max: 500 }), refereePoints: fc.integer({ min: 0, max: 500 }), minimumSpendMinor: fc.integer({ min: 0, max: 3000 }) }), { nil: null }),
    redemption: fc.record({
      minorPerPoint: fc.integer({ min: 1, max: 5 }),
      minimumBalance: fc.constantFrom(0, 100),
      maxSharePercent: fc.constantFrom(100, 50, 20),
      minimumPoints: fc.constantFrom(1, 10),
    }),
    expiry: fc.oneof(fc.constant({ type: 'never' }), fc.record({ type: fc.constant('months'), months: fc.integer({ min: 1, max: 24 }), endOfMonth: fc.boolean() })),
    seed: fc.integer(),
  })
  .chain((r) =>
    fc.tuple(...Array.from({ length: r.promotionCount }, (_, i) => promotion(i, r.tiers !== null, r.stacking === 'exclusiveGroups'))).map((promotions) =>
      RuleSet.parse(
        JSON.parse(
          JSON.stringify({
            schema: 2,
            version: `prop-${r.seed}`,
            name: 'Property',
            currency: 'EUR',
            earning: r.earning,
            tiers: r.tiers,
            promotions,
            stacking: r.stacking,
            referral: r.referral,
            redemption: r.redemption,
            rewards: [
              { id: 'off5', label: '5 off', type: 'discountFixed', points: 300, amountMinor: 500 },
              { id: 'pct', label: '10%', type: 'discountPercent', points: 200, percent: 10, capMinor: 1000 },
              { id: 'freeA', label: 'Free A', type: 'freeItem', category: 'A' },
              { id: 'freeS1', label: 'Free S1', type: 'freeItem', sku: 'S1', points: 150 },
            ],
            expiry: r.expiry,
          }),
        ),
      ),
    ),
  );

export const lineArb: fc.Arbitrary<EngineLine> = fc
  .record({
    category: fc.constantFrom(...CATEGORIES),
    sku: optional(fc.constantFrom(...SKUS)),
    qty: fc.integer({ min: 1, max: 5 }),
    unitPriceMinor: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(1, 99, 100, 999)),
  })
  .map((l) => (l.sku === undefined ? { category: l.category, qty: l.qty, unitPriceMinor: l.unitPriceMinor } : l));

export const basketArb = fc.array(lineArb, { minLength: 1, maxLength: 12 });

export const clockArb: fc.Arbitrary<Clock> = fc
  .record({ ms: fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }), timeZone: fc.constantFrom(...ZONES) })
  .map(({ ms, timeZone }) => ({ at: new Date(Math.floor(ms / 60_000) * 60_000).toISOString(), timeZone }));

export const memberArb: fc.Arbitrary<MemberContext> = fc.record({
  memberId: fc.constant('m1'),
  balance: fc.integer({ min: 0, max: 50_000 }),
  tier: fc.option(fc.record({ tierId: fc.constantFrom('base', 'gold', 'vip', 'gone'), since: fc.constantFrom('2023-02-01T10:00:00Z', '2024-11-30T23:30:00Z') }), { nil: null }),
  qualifying: fc.integer({ min: 0, max: 40_000 }),
  firstPurchase: fc.boolean(),
  birthMonth: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  pointsEarnedToday: fc.integer({ min: 0, max: 3000 }),
  referral: fc.option(fc.record({ referrerMemberId: fc.constantFrom('m2', 'm1'), rewarded: fc.boolean() }), { nil: null }),
});

/** Rewards a cashier might ask for (any may be refused: that is a clear error, never a crash). */
export const rewardsArb = fc.subarray(['off5', 'pct', 'freeA', 'freeS1']).map((ids) => ids.map((rewardId) => ({ rewardId })));
