// Replay over a long generated history: many members buying, redeeming, refunding (some refunds
// long after the sale, some in pieces), donating and expiring across DST changes. Replay keeps a
// sale's recomputation only until its last entry, so a refund far from its sale must still verify;
// and the engine's output on this history is pinned, so a faster engine must write the same ledger.
import { describe, expect, it } from 'vitest';
import { computeSale } from '../../src-shared/program/engine';
import { replayLedger } from '../../src-shared/program/replay';
import { RuleSet } from '../../src-shared/program/rule-set';
import type { EngineLine, SaleRequest } from '../../src-shared/program/sale-types';
import { ProgramSimulator } from './program-simulator';

const ruleSet = RuleSet.parse({
  schema: 2,
  version: 'replay-1',
  name: 'Replay',
  currency: 'EUR',
  earning: {
    pointsPerUnit: 1,
    categoryRates: { Bakery: 2, Wine: 0.5 },
    skuRates: { COFFEE: 3.125 },
    fixedPoints: [{ sku: 'GIFTBOX', pointsPerItem: 15, label: 'Gift box' }],
    excludedCategories: ['Tobacco'],
    excludedSkus: ['VOUCHER'],
    categoryLabels: { Bakery: 'Fresh bakery' },
    rounding: 'round',
    roundingScope: 'line',
    minimumSpendMinor: 200,
    caps: { perTransaction: 250, perDay: 600 },
  },
  tiers: {
    basis: 'spend',
    windowMonths: 2,
    downgrade: 'windowEnd',
    graceDays: 7,
    levels: [
      { id: 'member', name: 'Member', threshold: 0 },
      { id: 'silver', name: 'Silver', threshold: 20_000, multiplier: 1.5 },
      { id: 'vip', name: 'VIP', threshold: 60_000, multiplier: 2 },
    ],
  },
  promotions: [
    { id: 'tue', label: 'Tuesday evening', effect: { type: 'multiplier', multiplier: 2 }, schedule: { days: ['Tue'], from: '16:00', to: '18:00' }, group: 'day' },
    { id: 'night', label: 'Night owls', effect: { type: 'multiplier', multiplier: 1.25 }, schedule: { days: ['Fri', 'Sat'], from: '22:00', to: '02:00' }, group: 'day' },
    { id: 'bread', label: 'Bread week', effect: { type: 'multiplier', multiplier: 3 }, categories: ['Bakery'], startsAt: '2025-03-25', endsAt: '2025-04-02T12:00' },
    { id: 'spend50', label: 'Spend 50, get 100', effect: { type: 'bonus', points: 100 }, minSpendMinor: 5000, group: 'bonus' },
    { id: 'per10', label: '5 per 10 spent', effect: { type: 'perSpend', points: 5, everyMinor: 1000, maxPoints: 40 }, group: 'bonus' },
    { id: 'first', label: 'Welcome', effect: { type: 'bonus', points: 50 }, firstPurchase: true },
    { id: 'bday', label: 'Birthday month', effect: { type: 'multiplier', multiplier: 2 }, birthdayMonth: true },
    { id: 'vipwine', label: 'VIP wine', effect: { type: 'multiplier', multiplier: 1.5 }, categories: ['Wine'], skus: ['COFFEE'], tiers: ['vip'] },
  ],
  stacking: 'exclusiveGroups',
  referral: { referrerPoints: 200, refereePoints: 100, minimumSpendMinor: 1000 },
  redemption: { minorPerPoint: 2, minimumBalance: 50, maxSharePercent: 60, minimumPoints: 10 },
  rewards: [
    { id: 'off5', label: '5 off', type: 'discountFixed', points: 300, amountMinor: 500 },
    { id: 'pct10', label: '10% off', type: 'discountPercent', points: 400, percent: 10, capMinor: 1500 },
    { id: 'croissant', label: 'Free croissant', type: 'freeItem', category: 'Bakery', maxPriceMinor: 400 },
    { id: 'charity', label: 'Food bank', type: 'donation', charity: 'Food bank', match: { programmePoints: 1, perMemberPoints: 2 } },
  ],
  expiry: { type: 'months', months: 1, endOfMonth: true },
});

/** A small deterministic generator (mulberry32): the history is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ITEMS: EngineLine[] = [
  { category: 'Bakery', qty: 1, unitPriceMinor: 350, name: 'Croissant' },
  { category: 'Bakery', qty: 1, unitPriceMinor: 420 },
  { category: 'Wine', qty: 1, unitPriceMinor: 1899 },
  { category: 'Groceries', qty: 1, unitPriceMinor: 1234 },
  { category: 'Groceries', qty: 1, unitPriceMinor: 99 },
  { category: 'Tobacco', qty: 1, unitPriceMinor: 900 },
  { sku: 'COFFEE', category: 'Drinks', qty: 1, unitPriceMinor: 275, name: 'Coffee' },
  { sku: 'GIFTBOX', category: 'Gifts', qty: 1, unitPriceMinor: 2500 },
  { sku: 'VOUCHER', category: 'Gifts', qty: 1, unitPriceMinor: 5000 },
];

/** Sales every few hours from March to mid May and in late October (both DST changes in Berlin). */
function generatedHistory(): ProgramSimulator {
  const next = random(20250301);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const sim = new ProgramSimulator(ruleSet, 'Europe/Berlin');
  const members = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5'];
  sim.enrol('m0', { birthMonth: 3 });
  sim.enrol('m1');
  sim.enrol('m2', { referredBy: 'm0' });
  sim.enrol('m3', { birthMonth: 10 });
  sim.enrol('m4', { referredBy: 'm4' });
  sim.enrol('m5', { referredBy: 'm1' });
  const sales: { saleId: string; qty: number[] }[] = [];
  for (const [from, days] of [
    [Date.UTC(2025, 2, 1, 6), 75],
    [Date.UTC(2025, 9, 20, 6), 14],
  ] as const) {
    for (let t = from; t < from + days * 86_400_000; t += Math.floor((1 + next() * 6) * 3_600_000)) {
      const at = new Date(Math.floor(t / 60_000) * 60_000).toISOString();
      const memberId = pick(members);
      const roll = next();
      if (roll < 0.12 && sales.length > 0) {
        // A refund of an earlier sale, often one from weeks before: one line in part, or all that is left.
        const sale = pick(sales);
        const open = sale.qty.map((q, i) => ({ i, q })).filter((x) => x.q > 0);
        const line = open.length > 0 ? pick(open) : undefined;
        if (!line) continue;
        const part = next() < 0.5 && line.q > 1 ? 1 : line.q;
        const request = next() < 0.3 ? { all: true as const } : { lines: [{ lineIndex: line.i, qty: part }] };
        sim.refund(sale.saleId, at, request);
        if ('all' in request) sale.qty.fill(0);
        else sale.qty[line.i] = line.q - part;
        continue;
      }
      if (roll < 0.16) {
        const balance = sim.balance(memberId);
        if (balance > 120) sim.donate(memberId, at, 'charity', 20 + Math.floor(next() * 50));
        continue;
      }
      if (roll < 0.19) {
        sim.expire(memberId, at);
        continue;
      }
      const lines = Array.from({ length: 1 + Math.floor(next() * 6) }, () => ({ ...pick(ITEMS), qty: 1 + Math.floor(next() * 3) }));
      let request: SaleRequest = { lines };
      const spend = next();
      if (spend < 0.15) request = { lines, rewards: [{ rewardId: pick(['off5', 'pct10', 'croissant']) }] };
      else if (spend < 0.3) request = { lines, redeemPoints: 10 + Math.floor(next() * 200) };
      try {
        // The cashier's screen refuses what the member cannot afford or the basket cannot take.
        computeSale(ruleSet, request, sim.contextFor(memberId, { at, timeZone: sim.timeZone }), { at, timeZone: sim.timeZone });
      } catch {
        request = { lines };
      }
      const { saleId } = sim.sale(memberId, at, request);
      sales.push({ saleId, qty: lines.map((l) => l.qty) });
    }
  }
  return sim;
}

describe('replay of a long generated history', () => {
  const sim = generatedHistory();
  const ruleSets = new Map([[ruleSet.version, ruleSet]]);
  const kinds = (k: string) => sim.ledger.filter((e) => e.kind === k).length;

  it('covers every kind of entry, with refunds long after their sale', () => {
    for (const kind of ['earn', 'redeem', 'refund', 'referral', 'donate', 'expire']) expect(kinds(kind), kind).toBeGreaterThan(0);
    const earnSeq = new Map(sim.ledger.filter((e) => e.kind === 'earn').map((e) => [e.saleId, e.seq]));
    const gaps = sim.ledger.filter((e) => e.kind === 'refund').map((e) => e.seq - (earnSeq.get(e.saleId) ?? e.seq));
    expect(Math.max(...gaps)).toBeGreaterThan(100);
  });

  it('reproduces every point, whole or in chunks whose refunds find their sale elsewhere', () => {
    const whole = replayLedger(sim.ledger, ruleSets, { timeZone: sim.timeZone, fullHistory: true });
    expect(whole.mismatches).toEqual([]);
    expect(whole.skipped).toBe(0);
    expect(whole.verified).toBe(sim.ledger.length);

    const bySale = new Map<string, typeof sim.ledger>();
    for (const e of sim.ledger) if (e.saleId !== null) bySale.set(e.saleId, [...(bySale.get(e.saleId) ?? []), e]);
    let verified = 0;
    for (let from = 0; from < sim.ledger.length; from += 97) {
      const chunk = sim.ledger.slice(from, from + 97);
      const report = replayLedger(chunk, ruleSets, { timeZone: sim.timeZone, findSaleEntries: (saleId) => bySale.get(saleId) ?? [] });
      expect(report.mismatches).toEqual([]);
      verified += report.verified;
    }
    expect(verified).toBe(sim.ledger.length - kinds('expire'));
  });

  it('still finds a tampered refund, redeem or referral far from its sale', () => {
    const lastOfKind = (kind: string) => sim.ledger.findLast((e) => e.kind === kind && e.points !== 0);
    const targets = ['refund', 'redeem', 'referral'].map((k) => lastOfKind(k)?.seq ?? 0).sort((a, b) => a - b);
    const tampered = sim.ledger.map((e) => (targets.includes(e.seq) ? { ...e, points: e.points + 1 } : e));
    const report = replayLedger(tampered, ruleSets, { timeZone: sim.timeZone });
    expect(report.mismatches.map((m) => [m.seq, m.reason])).toEqual(targets.map((seq) => [seq, 'points']));
  });

  it('writes the same ledger as before the engine was made faster (every point, label and payload)', () => {
    // The chain's last hash covers every entry; change it only for a deliberate change of behaviour.
    expect(sim.ledger.length).toBe(LEDGER_LENGTH);
    expect(sim.ledger.at(-1)?.hash).toBe(LAST_HASH);
  });
});

const LEDGER_LENGTH = 628;
const LAST_HASH = '307abfb1e491abe582cbfb4e297bc7c7fbe7fc7e6ef5f677c6813b0a58991c1a';
