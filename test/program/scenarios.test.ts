// Worked scenarios: each is a rule set, a sequence of sales, refunds, donations and expiries at
// given instants, and the exact points and balances expected. Every scenario's ledger is then
// replayed and must reproduce every point.
import { describe, expect, it } from 'vitest';
import { KasaError } from '../../src-shared/api/errors';
import { replayLedger } from '../../src-shared/program/replay';
import { RuleSet, type RuleSetInput } from '../../src-shared/program/rule-set';
import type { EngineLine, RewardRequest, SaleComputation } from '../../src-shared/program/sale-types';
import type { RefundLine } from '../../src-shared/program/refund';
import { ProgramSimulator } from './program-simulator';

type SaleExpect = {
  earned?: number;
  redeemed?: number;
  balances?: Record<string, number>;
  /** Points per rule id, summed over the breakdown and the redemption. */
  rules?: Record<string, number>;
  tier?: string | null;
  tierBefore?: { tierId: string; change?: string | null; inGrace?: boolean };
  outranked?: string[];
  expiresOn?: string | null;
  error?: RegExp;
};
type Step =
  | { enrol: string; birthMonth?: number; referredBy?: string }
  | { sale: string; at: string; lines: EngineLine[]; redeem?: number; rewards?: RewardRequest[]; as?: string; expect: SaleExpect }
  | {
      refund: string;
      at: string;
      lines?: RefundLine[];
      expect: { reversed?: number; returned?: number; amount?: number; balances?: Record<string, number>; rules?: Record<string, number>; tier?: string; error?: RegExp };
    }
  | { donate: string; at: string; reward: string; points: number; expect: { balances?: Record<string, number>; match?: number; matchValue?: number; error?: RegExp } }
  | { expire: string; at: string; expect: { expired: number; balances?: Record<string, number>; nextExpiry?: { on: string; points: number } | null } };

type Scenario = { name: string; zone?: string; rules?: Omit<Partial<RuleSetInput>, 'earning'> & { earning?: Partial<RuleSetInput['earning']> }; steps: Step[] };

const L = (category: string, qty: number, unitPriceMinor: number, sku?: string): EngineLine => ({ category, qty, unitPriceMinor, ...(sku ? { sku } : {}) });
const G = (unitPriceMinor: number, qty = 1) => L('Groceries', qty, unitPriceMinor);

function ruleSetOf(s: Scenario): RuleSet {
  const { earning, ...rest } = s.rules ?? {};
  return RuleSet.parse({
    schema: 2,
    version: 'scenario-1',
    name: s.name,
    currency: 'EUR',
    redemption: { minorPerPoint: 1 },
    ...rest,
    earning: { pointsPerUnit: 1, ...earning },
  });
}

const x2 = (id: string, extra: Record<string, unknown> = {}) => ({ id, label: `Double ${id}`, effect: { type: 'multiplier' as const, multiplier: 2 }, ...extra });
const T = (local: string) => `${local}:00+03:00`; // Europe/Istanbul wall clock: UTC+3 all year.
const tiers3 = {
  basis: 'spend' as const,
  windowMonths: 12,
  downgrade: 'windowEnd' as const,
  levels: [
    { id: 'member', name: 'Member', threshold: 0 },
    { id: 'silver', name: 'Silver', threshold: 10_000, multiplier: 1.5 },
    { id: 'vip', name: 'VIP', threshold: 50_000, multiplier: 2 },
  ],
};
const vipAt100 = (downgrade: 'none' | 'windowEnd', graceDays = 0, multiplier = 2) => ({
  basis: 'spend' as const,
  windowMonths: 12,
  downgrade,
  graceDays,
  levels: [
    { id: 'member', name: 'Member', threshold: 0 },
    { id: 'vip', name: 'VIP', threshold: 10_000, multiplier },
  ],
});
const promos3 = [
  x2('g2'),
  { id: 'b3', label: 'Triple bakery', effect: { type: 'multiplier' as const, multiplier: 3 }, categories: ['Bakery'] },
  { id: 'bonus50', label: 'Fifty extra', effect: { type: 'bonus' as const, points: 50 } },
];
const referral = { referrerPoints: 300, refereePoints: 200 };
const fund = (member = 'A'): Step => ({ sale: member, at: T('2025-01-02T10:00'), lines: [G(100_000)], expect: { earned: 1000 } });

const scenarios: Scenario[] = [
  // Earning and rounding.
  { name: 'floor once per receipt', steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [G(99), G(99), G(99)], expect: { earned: 2, balances: { A: 2 } } }] },
  {
    name: 'floor per line loses the fractions of each line',
    rules: { earning: { roundingScope: 'line' } },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [G(99), G(99), G(99)], expect: { earned: 0 } }],
  },
  {
    name: 'round half up',
    rules: { earning: { rounding: 'round' } },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(1250)], expect: { earned: 13 } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(1249)], expect: { earned: 12, balances: { A: 25 } } },
    ],
  },
  {
    name: 'ceil per line',
    rules: { earning: { rounding: 'ceil', roundingScope: 'line' } },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(1201)], expect: { earned: 13 } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(1), G(1)], expect: { earned: 2, balances: { A: 15 } } },
    ],
  },
  {
    name: 'category and SKU rates, excluded SKU and category, each line names its rule',
    rules: { earning: { categoryRates: { Bakery: 2.5 }, skuRates: { BEANS: 3 }, excludedSkus: ['GIFT'], excludedCategories: ['Tobacco'] } },
    steps: [
      {
        sale: 'A',
        at: T('2025-06-02T10:00'),
        lines: [L('Bakery', 2, 500), L('Bakery', 1, 1000, 'BEANS'), L('Bakery', 1, 2500, 'GIFT'), L('Tobacco', 1, 8000)],
        expect: { earned: 55, rules: { 'earn.category:Bakery': 25, 'earn.sku:BEANS': 30, 'earn.excluded.sku:GIFT': 0, 'earn.excluded:Tobacco': 0 } },
      },
    ],
  },
  {
    name: 'fixed points per item',
    rules: { earning: { fixedPoints: [{ sku: 'CARD', pointsPerItem: 50 }] } },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [L('Cards', 2, 1000, 'CARD'), G(1000)], expect: { earned: 110, rules: { 'earn.fixed.sku:CARD': 100, 'earn.base': 10 } } }],
  },
  {
    name: 'fixed points only on the part paid with money',
    rules: { earning: { fixedPoints: [{ sku: 'CARD', pointsPerItem: 50 }] } },
    steps: [fund(), { sale: 'A', at: T('2025-06-02T10:00'), lines: [L('Cards', 1, 1000, 'CARD')], redeem: 500, expect: { earned: 25, redeemed: 500, balances: { A: 525 } } }],
  },
  {
    name: 'minimum spend',
    rules: { earning: { minimumSpendMinor: 1000 } },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(999)], expect: { earned: 0, rules: { 'earn.minimumSpend': 0 } } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(1000)], expect: { earned: 10, balances: { A: 10 } } },
    ],
  },
  {
    name: 'minimum spend counts only what earns',
    rules: { earning: { minimumSpendMinor: 1000, excludedCategories: ['Tobacco'] } },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [L('Tobacco', 1, 2000), G(500)], expect: { earned: 0 } }],
  },
  {
    name: 'per-sale cap',
    rules: { earning: { caps: { perTransaction: 50 } } },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [G(8000)], expect: { earned: 50, rules: { 'earn.base': 80, 'cap.transaction': -30 } } }],
  },
  {
    name: 'per-day cap follows the store day, not UTC',
    rules: { earning: { caps: { perDay: 100 } } },
    steps: [
      { sale: 'A', at: '2025-03-10T07:00:00Z', lines: [G(6000)], expect: { earned: 60 } },
      { sale: 'A', at: '2025-03-10T20:30:00Z', lines: [G(7000)], expect: { earned: 40, rules: { 'cap.day': -30 } } },
      { sale: 'A', at: '2025-03-10T21:30:00Z', lines: [G(7000)], expect: { earned: 70, balances: { A: 170 } } },
    ],
  },
  {
    name: 'three-decimal rate floors at the thousandth',
    rules: { earning: { pointsPerUnit: 0.333 } },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(300)], expect: { earned: 0 } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(301)], expect: { earned: 1 } },
    ],
  },
  {
    name: 'three-decimal rate rounds half up',
    rules: { earning: { pointsPerUnit: 0.333, rounding: 'round' } },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [G(300)], expect: { earned: 1 } }],
  },
  {
    name: 'receipt rounding keeps the fractions a multiplier adds',
    rules: { promotions: [{ id: 'x15', label: 'Half again', effect: { type: 'multiplier', multiplier: 1.5 } }], stacking: 'stack' },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [G(50), G(50), G(50)], expect: { earned: 2, rules: { 'earn.base': 1, 'promo:x15': 1 } } }],
  },
  {
    name: 'line rounding drops them',
    rules: {
      earning: { roundingScope: 'line' },
      promotions: [{ id: 'x15', label: 'Half again', effect: { type: 'multiplier', multiplier: 1.5 } }],
      stacking: 'stack',
    },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [G(50), G(50), G(50)], expect: { earned: 0 } }],
  },

  // Tiers.
  {
    name: 'tier up on the threshold sale; the multiplier counts from the next sale',
    rules: { tiers: tiers3 },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(12_000)], expect: { earned: 120, tier: 'silver' } },
      { sale: 'A', at: T('2025-06-02T10:05'), lines: [G(1000)], expect: { earned: 15, rules: { 'tier:silver': 5 }, balances: { A: 135 } } },
    ],
  },
  {
    name: 'tiers by points earned',
    rules: { tiers: { basis: 'points', windowMonths: 12, downgrade: 'none', levels: [{ id: 'member', name: 'Member', threshold: 0 }, { id: 'vip', name: 'VIP', threshold: 200, multiplier: 2 }] } },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(15_000)], expect: { earned: 150, tier: 'member' } },
      { sale: 'A', at: T('2025-06-03T10:00'), lines: [G(6000)], expect: { earned: 60, tier: 'vip' } },
      { sale: 'A', at: T('2025-06-04T10:00'), lines: [G(1000)], expect: { earned: 20, balances: { A: 230 } } },
    ],
  },
  {
    name: 'tier down at the end of the window',
    rules: { tiers: vipAt100('windowEnd') },
    steps: [
      { sale: 'A', at: '2024-01-10T09:00:00Z', lines: [G(12_000)], expect: { earned: 120, tier: 'vip' } },
      { sale: 'A', at: '2025-02-20T09:00:00Z', lines: [G(1000)], expect: { earned: 10, tierBefore: { tierId: 'member', change: 'down' }, tier: 'member', balances: { A: 130 } } },
    ],
  },
  {
    name: 'no downgrade keeps the tier after the window',
    rules: { tiers: vipAt100('none') },
    steps: [
      { sale: 'A', at: '2024-01-10T09:00:00Z', lines: [G(12_000)], expect: { earned: 120, tier: 'vip' } },
      { sale: 'A', at: '2025-02-20T09:00:00Z', lines: [G(1000)], expect: { earned: 20, tier: 'vip', balances: { A: 140 } } },
    ],
  },
  {
    name: 'grace period holds the tier, then it drops',
    rules: { tiers: vipAt100('windowEnd', 30) },
    steps: [
      { sale: 'A', at: '2024-01-10T09:00:00Z', lines: [G(12_000)], expect: { earned: 120, tier: 'vip' } },
      { sale: 'A', at: '2025-01-25T09:00:00Z', lines: [G(1000)], expect: { earned: 20, tierBefore: { tierId: 'vip', inGrace: true } } },
      { sale: 'A', at: '2025-02-20T09:00:00Z', lines: [G(1000)], expect: { earned: 10, tierBefore: { tierId: 'member', change: 'down' } } },
    ],
  },
  {
    name: 'tier renewed at the review date when the window still qualifies',
    rules: { tiers: vipAt100('windowEnd') },
    steps: [
      { sale: 'A', at: '2024-01-10T09:00:00Z', lines: [G(12_000)], expect: { earned: 120, tier: 'vip' } },
      { sale: 'A', at: '2024-06-01T09:00:00Z', lines: [G(12_000)], expect: { earned: 240 } },
      { sale: 'A', at: '2025-01-15T09:00:00Z', lines: [G(1000)], expect: { earned: 20, tierBefore: { tierId: 'vip', change: 'renewed' }, balances: { A: 380 } } },
    ],
  },
  {
    name: 'refunding the sale that promoted the member takes the tier back',
    rules: { tiers: tiers3 },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(12_000)], as: 'S1', expect: { earned: 120, tier: 'silver' } },
      { refund: 'S1', at: T('2025-06-02T11:00'), expect: { reversed: 120, tier: 'member', balances: { A: 0 } } },
      { sale: 'A', at: T('2025-06-02T12:00'), lines: [G(1000)], expect: { earned: 10 } },
    ],
  },

  // Promotions and time.
  {
    name: 'weekly slot: start inclusive, end exclusive',
    rules: { promotions: [x2('tue', { schedule: { days: ['Tue'], from: '16:00', to: '18:00' } })], stacking: 'stack' },
    steps: [
      { sale: 'A', at: T('2025-06-03T15:59'), lines: [G(1000)], expect: { earned: 10 } },
      { sale: 'A', at: T('2025-06-03T16:00'), lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: T('2025-06-03T17:59'), lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: T('2025-06-03T18:00'), lines: [G(1000)], expect: { earned: 10, balances: { A: 60 } } },
    ],
  },
  {
    name: 'slot past midnight belongs to the day it starts',
    rules: { promotions: [x2('late', { schedule: { days: ['Fri'], from: '22:00', to: '02:00' } })], stacking: 'stack' },
    steps: [
      { sale: 'A', at: T('2025-06-06T23:30'), lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: T('2025-06-07T01:30'), lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: T('2025-06-07T02:00'), lines: [G(1000)], expect: { earned: 10 } },
      { sale: 'A', at: T('2025-06-05T23:30'), lines: [G(1000)], expect: { earned: 10 } },
    ],
  },
  {
    name: 'DST spring forward in Berlin',
    zone: 'Europe/Berlin',
    rules: { promotions: [x2('sun3', { schedule: { days: ['Sun'], from: '03:00', to: '04:00' } })], stacking: 'stack' },
    steps: [
      { sale: 'A', at: '2025-03-30T00:30:00Z', lines: [G(1000)], expect: { earned: 10 } },
      { sale: 'A', at: '2025-03-30T01:30:00Z', lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: '2025-03-30T02:30:00Z', lines: [G(1000)], expect: { earned: 10 } },
    ],
  },
  {
    name: 'DST fall back in New York: the repeated hour counts twice',
    zone: 'America/New_York',
    rules: { promotions: [x2('sun1', { schedule: { days: ['Sun'], from: '01:00', to: '02:00' } })], stacking: 'stack' },
    steps: [
      { sale: 'A', at: '2025-11-02T05:30:00Z', lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: '2025-11-02T06:30:00Z', lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: '2025-11-02T07:30:00Z', lines: [G(1000)], expect: { earned: 10 } },
    ],
  },
  {
    name: 'validity window at its boundaries, in the store zone',
    rules: { promotions: [x2('week', { startsAt: '2025-06-01', endsAt: '2025-06-08' })], stacking: 'stack' },
    steps: [
      { sale: 'A', at: '2025-05-31T20:59:00Z', lines: [G(1000)], expect: { earned: 10 } },
      { sale: 'A', at: '2025-05-31T21:00:00Z', lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: '2025-06-07T20:59:00Z', lines: [G(1000)], expect: { earned: 20 } },
      { sale: 'A', at: '2025-06-07T21:00:00Z', lines: [G(1000)], expect: { earned: 10 } },
    ],
  },
  {
    name: 'stacking: everything applies',
    rules: { promotions: promos3, stacking: 'stack' },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [L('Bakery', 1, 1000)], expect: { earned: 90, rules: { 'promo:g2': 10, 'promo:b3': 20, 'promo:bonus50': 50 } } }],
  },
  {
    name: 'best-of: only the promotion worth the most',
    rules: { promotions: promos3, stacking: 'bestOf' },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [L('Bakery', 1, 1000)], expect: { earned: 60, outranked: ['g2', 'b3'] } }],
  },
  {
    name: 'exclusive groups: best within the group, groups add up',
    rules: {
      promotions: [{ ...promos3[0], group: 'mult' }, { ...promos3[1], group: 'mult' }, promos3[2]] as RuleSetInput['promotions'],
      stacking: 'exclusiveGroups',
    },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [L('Bakery', 1, 1000)], expect: { earned: 80, outranked: ['g2'], rules: { 'promo:b3': 20 } } }],
  },
  {
    name: 'category multiplier touches only its lines',
    rules: { promotions: [x2('bakery', { categories: ['Bakery'] })], stacking: 'stack' },
    steps: [{ sale: 'A', at: T('2025-06-02T10:00'), lines: [L('Bakery', 1, 500), G(500)], expect: { earned: 15 } }],
  },
  {
    name: 'promotion for one tier only',
    rules: { tiers: vipAt100('none', 0, 1), promotions: [x2('vipx2', { tiers: ['vip'] })], stacking: 'stack' },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(12_000)], expect: { earned: 120, tier: 'vip' } },
      { sale: 'A', at: T('2025-06-02T10:05'), lines: [G(1000)], expect: { earned: 20 } },
    ],
  },
  {
    name: 'spend-threshold bonus at its boundary',
    rules: { promotions: [{ id: 'spend50', label: 'Spend 50, get 100', effect: { type: 'bonus', points: 100 }, minSpendMinor: 5000 }], stacking: 'stack' },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(4999)], expect: { earned: 49 } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(5000)], expect: { earned: 150, balances: { A: 199 } } },
    ],
  },
  {
    name: 'per-spend bonus up to its maximum',
    rules: { promotions: [{ id: 'per10', label: '10 per 10.00', effect: { type: 'perSpend', points: 10, everyMinor: 1000, maxPoints: 30 } }], stacking: 'stack' },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(3500)], expect: { earned: 65 } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(5500)], expect: { earned: 85 } },
    ],
  },
  {
    name: 'first-purchase bonus once',
    rules: { promotions: [{ id: 'welcome', label: 'Welcome', effect: { type: 'bonus', points: 100 }, firstPurchase: true }], stacking: 'stack' },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(1000)], expect: { earned: 110 } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(1000)], expect: { earned: 10 } },
    ],
  },
  {
    name: 'birthday month in the store zone',
    rules: { promotions: [{ id: 'bday', label: 'Happy birthday', effect: { type: 'bonus', points: 50 }, birthdayMonth: true }], stacking: 'stack' },
    steps: [
      { enrol: 'A', birthMonth: 6 },
      { sale: 'A', at: '2025-06-15T10:00:00Z', lines: [G(1000)], expect: { earned: 60 } },
      { sale: 'A', at: '2025-06-30T21:30:00Z', lines: [G(1000)], expect: { earned: 10 } },
    ],
  },
  {
    name: 'tier and promotion multipliers add on base points',
    rules: { tiers: vipAt100('none'), promotions: [x2('always')], stacking: 'stack' },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(12_000)], expect: { earned: 240, tier: 'vip' } },
      { sale: 'A', at: T('2025-06-02T10:05'), lines: [G(1000)], expect: { earned: 30, rules: { 'earn.base': 10, 'tier:vip': 10, 'promo:always': 10 }, balances: { A: 270 } } },
    ],
  },

  // Referral.
  {
    name: 'referral: both earn on the first purchase, once',
    rules: { referral },
    steps: [
      { enrol: 'A' },
      { enrol: 'B', referredBy: 'A' },
      { sale: 'B', at: T('2025-06-02T10:00'), lines: [G(2000)], expect: { earned: 20, balances: { A: 300, B: 220 } } },
      { sale: 'B', at: T('2025-06-02T11:00'), lines: [G(1000)], expect: { earned: 10, balances: { A: 300, B: 230 } } },
    ],
  },
  {
    name: 'referral: never for self-referral',
    rules: { referral },
    steps: [
      { enrol: 'B', referredBy: 'B' },
      { sale: 'B', at: T('2025-06-02T10:00'), lines: [G(2000)], expect: { earned: 20, balances: { B: 20 } } },
    ],
  },
  {
    name: 'referral waits for the first qualifying purchase',
    rules: { referral: { ...referral, minimumSpendMinor: 3000 } },
    steps: [
      { enrol: 'A' },
      { enrol: 'B', referredBy: 'A' },
      { sale: 'B', at: T('2025-06-02T10:00'), lines: [G(2000)], expect: { balances: { A: 0, B: 20 } } },
      { sale: 'B', at: T('2025-06-02T11:00'), lines: [G(4000)], expect: { balances: { A: 300, B: 260 } } },
    ],
  },
  {
    name: 'refunding the referral purchase takes both bonuses back',
    rules: { referral },
    steps: [
      { enrol: 'A' },
      { enrol: 'B', referredBy: 'A' },
      { sale: 'B', at: T('2025-06-02T10:00'), lines: [G(2000)], as: 'S1', expect: { balances: { A: 300, B: 220 } } },
      { refund: 'S1', at: T('2025-06-02T10:30'), expect: { reversed: 20, balances: { A: 0, B: 0 } } },
    ],
  },

  // Redemption and rewards.
  {
    name: 'partial redemption: earn on the part paid with money',
    steps: [fund(), { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(1000)], redeem: 300, expect: { earned: 7, redeemed: 300, balances: { A: 707 } } }],
  },
  {
    name: 'balance floor',
    rules: { redemption: { minorPerPoint: 1, minimumBalance: 200 } },
    steps: [
      fund(),
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(1000)], redeem: 900, expect: { error: /must keep 200/ } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(1000)], redeem: 800, expect: { earned: 2, balances: { A: 202 } } },
    ],
  },
  {
    name: 'largest share of a sale points may pay',
    rules: { redemption: { minorPerPoint: 1, maxSharePercent: 50 } },
    steps: [
      fund(),
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(1000)], redeem: 600, expect: { error: /At most 500 points/ } },
      { sale: 'A', at: T('2025-06-02T10:01'), lines: [G(1000)], redeem: 500, expect: { earned: 5, balances: { A: 505 } } },
    ],
  },
  {
    name: 'percent discount with a cap',
    rules: { rewards: [{ id: 'pct10', label: '10% off', type: 'discountPercent', points: 400, percent: 10, capMinor: 500 }] },
    steps: [
      fund(),
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(8000)], rewards: [{ rewardId: 'pct10' }], expect: { earned: 75, redeemed: 400, rules: { 'reward:pct10': -400 }, balances: { A: 675 } } },
    ],
  },
  {
    name: 'free item by category, priced at the item',
    rules: { rewards: [{ id: 'coffee', label: 'Free coffee', type: 'freeItem', category: 'Drinks' }] },
    steps: [
      fund(),
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [L('Drinks', 2, 350), L('Bakery', 1, 1000)], rewards: [{ rewardId: 'coffee' }], expect: { earned: 13, redeemed: 350, balances: { A: 663 } } },
    ],
  },
  {
    name: 'a fixed discount larger than the sale is refused',
    rules: { rewards: [{ id: 'fiver', label: '5.00 off', type: 'discountFixed', points: 500, amountMinor: 500 }] },
    steps: [fund(), { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(300)], rewards: [{ rewardId: 'fiver' }], expect: { error: /worth more than is left/ } }],
  },
  {
    name: 'donation with a 1:1 match, as two entries',
    rules: { rewards: [{ id: 'give', label: 'Give to the Red Crescent', type: 'donation', charity: 'Red Crescent', match: { programmePoints: 1, perMemberPoints: 1 } }] },
    steps: [fund(), { donate: 'A', at: T('2025-06-02T10:00'), reward: 'give', points: 400, expect: { balances: { A: 600 }, match: 400, matchValue: 400 } }],
  },
  {
    name: 'donation minimum and steps',
    rules: {
      rewards: [
        { id: 'give', label: 'Give', type: 'donation', charity: 'Food bank', match: { programmePoints: 1, perMemberPoints: 2 }, minimumPoints: 100, stepPoints: 50 },
      ],
    },
    steps: [
      fund(),
      { donate: 'A', at: T('2025-06-02T10:00'), reward: 'give', points: 75, expect: { error: /at least 100/ } },
      { donate: 'A', at: T('2025-06-02T10:00'), reward: 'give', points: 120, expect: { error: /steps of 50/ } },
      { donate: 'A', at: T('2025-06-02T10:00'), reward: 'give', points: 150, expect: { balances: { A: 850 }, match: 75 } },
    ],
  },

  // Refunds.
  {
    name: 'partial refund after a threshold bonus',
    rules: { promotions: [{ id: 'spend50', label: 'Spend 50, get 100', effect: { type: 'bonus', points: 100 }, minSpendMinor: 5000 }], stacking: 'stack' },
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(4000), L('Bakery', 1, 2000)], as: 'S1', expect: { earned: 160 } },
      { refund: 'S1', at: T('2025-06-03T10:00'), lines: [{ lineIndex: 1, qty: 1 }], expect: { reversed: 120, amount: 2000, rules: { 'promo:spend50': -100, 'earn.base': -20 }, balances: { A: 40 } } },
    ],
  },
  {
    name: 'whole refund gives back redeemed points and takes back earned ones',
    steps: [
      fund(),
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(1500, 2)], redeem: 500, as: 'S1', expect: { earned: 25, balances: { A: 525 } } },
      { refund: 'S1', at: T('2025-06-02T11:00'), expect: { reversed: 25, returned: 500, amount: 2500, balances: { A: 1000 } } },
    ],
  },
  {
    name: 'refund in steps adds up to the whole, then no more',
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(999, 3)], as: 'S1', expect: { earned: 29 } },
      { refund: 'S1', at: T('2025-06-02T11:00'), lines: [{ lineIndex: 0, qty: 1 }], expect: { reversed: 10, amount: 999 } },
      { refund: 'S1', at: T('2025-06-02T11:05'), lines: [{ lineIndex: 0, qty: 2 }], expect: { reversed: 19, amount: 1998, balances: { A: 0 } } },
      { refund: 'S1', at: T('2025-06-02T11:10'), expect: { error: /already been refunded in full/ } },
    ],
  },
  {
    name: 'cannot refund more items than were sold',
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(500, 2)], as: 'S1', expect: { earned: 10 } },
      { refund: 'S1', at: T('2025-06-02T11:00'), lines: [{ lineIndex: 0, qty: 3 }], expect: { error: /2 of 2 items left to refund, 3 asked/ } },
    ],
  },
  {
    name: 'a balance goes negative only through a refund',
    steps: [
      { sale: 'A', at: T('2025-06-02T10:00'), lines: [G(10_000)], as: 'S1', expect: { earned: 100 } },
      { sale: 'A', at: T('2025-06-02T10:05'), lines: [G(100)], redeem: 100, expect: { earned: 0, balances: { A: 0 } } },
      { sale: 'A', at: T('2025-06-02T10:06'), lines: [G(100)], redeem: 1, expect: { error: /has 0 points/ } },
      { refund: 'S1', at: T('2025-06-02T11:00'), expect: { reversed: 100, balances: { A: -100 } } },
    ],
  },

  // Expiry.
  {
    name: 'expiry lots are used oldest first',
    rules: { expiry: { type: 'months', months: 6 } },
    steps: [
      { sale: 'A', at: T('2025-01-15T10:00'), lines: [G(10_000)], expect: { earned: 100, expiresOn: '2025-07-15' } },
      { sale: 'A', at: T('2025-03-10T10:00'), lines: [G(5000)], expect: { earned: 50, expiresOn: '2025-09-10' } },
      { sale: 'A', at: T('2025-04-01T10:00'), lines: [G(200)], redeem: 120, expect: { earned: 0, balances: { A: 30 } } },
      { expire: 'A', at: T('2025-07-20T10:00'), expect: { expired: 0, nextExpiry: { on: '2025-09-10', points: 30 } } },
      { expire: 'A', at: T('2025-09-11T10:00'), expect: { expired: 30, balances: { A: 0 }, nextExpiry: null } },
    ],
  },
  {
    name: 'expiry at the end of the month',
    rules: { expiry: { type: 'months', months: 1, endOfMonth: true } },
    steps: [
      { sale: 'A', at: T('2024-01-31T10:00'), lines: [G(1000)], expect: { expiresOn: '2024-02-29' } },
      { sale: 'A', at: T('2025-01-15T10:00'), lines: [G(1000)], expect: { expiresOn: '2025-02-28' } },
      { expire: 'A', at: T('2025-02-01T10:00'), expect: { expired: 10, balances: { A: 10 } } },
    ],
  },
  {
    name: 'points that never expire',
    steps: [
      { sale: 'A', at: T('2020-01-15T10:00'), lines: [G(1000)], expect: { expiresOn: null } },
      { expire: 'A', at: T('2035-01-01T10:00'), expect: { expired: 0, balances: { A: 10 }, nextExpiry: null } },
    ],
  },
];

const sumByRule = (sale: SaleComputation) => {
  const sums: Record<string, number> = {};
  for (const item of [...sale.breakdown, ...sale.redemption]) sums[item.ruleId] = (sums[item.ruleId] ?? 0) + item.points;
  return sums;
};

function expectError(fn: () => unknown, pattern: RegExp) {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(KasaError);
  expect((thrown as Error).message).toMatch(pattern);
}

describe('worked scenarios', () => {
  it('has at least 40 of them', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(40);
  });

  for (const scenario of scenarios) {
    it(scenario.name, () => {
      const ruleSet = ruleSetOf(scenario);
      const sim = new ProgramSimulator(ruleSet, scenario.zone ?? 'Europe/Istanbul');
      const aliases = new Map<string, string>();
      const ensure = (id: string) => {
        if (!sim.members.has(id)) sim.enrol(id);
      };
      const checkBalances = (balances: Record<string, number> | undefined) => {
        for (const [id, balance] of Object.entries(balances ?? {})) {
          ensure(id);
          expect(sim.balance(id), `balance of ${id}`).toBe(balance);
        }
      };
      for (const step of scenario.steps) {
        if ('enrol' in step) {
          sim.enrol(step.enrol, { ...(step.birthMonth ? { birthMonth: step.birthMonth } : {}), ...(step.referredBy ? { referredBy: step.referredBy } : {}) });
        } else if ('sale' in step) {
          ensure(step.sale);
          const request = { lines: step.lines, redeemPoints: step.redeem, rewards: step.rewards };
          const e = step.expect;
          if (e.error) {
            const before = sim.ledger.length;
            expectError(() => sim.sale(step.sale, step.at, request), e.error);
            expect(sim.ledger.length).toBe(before);
            continue;
          }
          const { sale, saleId } = sim.sale(step.sale, step.at, request);
          if (step.as) aliases.set(step.as, saleId);
          expect(sale.breakdown.reduce((a, b) => a + b.points, 0)).toBe(sale.pointsEarned);
          expect(sale.redemption.reduce((a, b) => a + b.points, 0)).toBe(0 - sale.pointsRedeemed);
          if (e.earned !== undefined) expect(sale.pointsEarned, 'points earned').toBe(e.earned);
          if (e.redeemed !== undefined) expect(sale.pointsRedeemed, 'points redeemed').toBe(e.redeemed);
          if (e.rules) expect(sumByRule(sale)).toMatchObject(e.rules);
          if (e.tier !== undefined) expect(sale.tier.after?.tierId ?? null).toBe(e.tier);
          if (e.tierBefore) expect(sale.tier.before).toMatchObject({ tierId: e.tierBefore.tierId, ...(e.tierBefore.change === undefined ? {} : { change: e.tierBefore.change }) });
          if (e.tierBefore?.inGrace !== undefined) expect(sale.tier.before?.keep?.inGrace).toBe(e.tierBefore.inGrace);
          if (e.outranked) expect(sale.promotions.outranked.map((o) => o.id)).toEqual(e.outranked);
          if (e.expiresOn !== undefined) expect(sale.expiresOn).toBe(e.expiresOn);
          checkBalances(e.balances);
        } else if ('refund' in step) {
          const saleId = aliases.get(step.refund) ?? step.refund;
          const request = step.lines ? { lines: step.lines } : { all: true as const };
          const e = step.expect;
          if (e.error) {
            const before = sim.ledger.length;
            expectError(() => sim.refund(saleId, step.at, request), e.error);
            expect(sim.ledger.length).toBe(before);
            continue;
          }
          const { refund } = sim.refund(saleId, step.at, request);
          expect(refund.reversal.reduce((a, b) => a + b.points, 0)).toBe(0 - refund.pointsReversed);
          if (e.reversed !== undefined) expect(refund.pointsReversed, 'points taken back').toBe(e.reversed);
          if (e.returned !== undefined) expect(refund.pointsReturned, 'points given back').toBe(e.returned);
          if (e.amount !== undefined) expect(refund.refundAmountMinor, 'money back').toBe(e.amount);
          if (e.rules) {
            const sums: Record<string, number> = {};
            for (const item of refund.reversal) sums[item.ruleId] = (sums[item.ruleId] ?? 0) + item.points;
            expect(sums).toMatchObject(e.rules);
          }
          if (e.tier) expect(sim.member(sim.sales.get(saleId)?.memberId ?? '').tier?.tierId).toBe(e.tier);
          checkBalances(e.balances);
        } else if ('donate' in step) {
          ensure(step.donate);
          const e = step.expect;
          if (e.error) {
            expectError(() => sim.donate(step.donate, step.at, step.reward, step.points), e.error);
            continue;
          }
          const { donation, entries } = sim.donate(step.donate, step.at, step.reward, step.points);
          expect(entries.map((x) => [x.kind, x.points, (x.payload as { role: string }).role])).toEqual([
            ['donate', -step.points, 'member'],
            ...(donation.matchPoints > 0 ? [['donate', 0, 'match']] : []),
          ]);
          if (e.match !== undefined) expect(donation.matchPoints).toBe(e.match);
          if (e.matchValue !== undefined) expect(entries[1]?.amountMinor).toBe(e.matchValue);
          checkBalances(e.balances);
        } else {
          ensure(step.expire);
          expect(sim.expire(step.expire, step.at)).toBe(step.expect.expired);
          checkBalances(step.expect.balances);
          if (step.expect.nextExpiry !== undefined) expect(sim.lots(step.expire, step.at).nextExpiry).toEqual(step.expect.nextExpiry);
        }
      }
      // Every point of the scenario is reproduced from the ledger alone.
      const report = replayLedger(sim.ledger, new Map([[ruleSet.version, ruleSet]]), { timeZone: sim.timeZone, fullHistory: true });
      expect(report.mismatches).toEqual([]);
      expect(report.verified).toBe(report.entries - report.skipped);
    });
  }
});
