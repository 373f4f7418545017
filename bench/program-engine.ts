// The programme engine: a 50-line basket priced against a rule set with 100 active promotions (in
// the engine alone and through the core's sales.preview), beside the same basket under the default
// rule set; and a replay of 100,000 ledger entries beside a bare pass that only sums their points.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createTerminalCore, ownerCaller } from '../src-main/core/terminal-core';
import { GENESIS_HASH, sealEntry, type LedgerEntry } from '../src-shared/ledger/entry';
import { computeSale } from '../src-shared/program/engine';
import { saleEntryDrafts } from '../src-shared/program/ledger-drafts';
import { replayLedger } from '../src-shared/program/replay';
import { defaultRuleSet, RuleSet, type RuleSetInput } from '../src-shared/program/rule-set';
import type { MemberContext } from '../src-shared/program/sale-types';
import { percentiles, report, round, sample, scaled } from './bench-util';

const PREVIEWS = Number(process.env.BENCH_PREVIEWS ?? scaled(5000));
const REPLAY_ENTRIES = Number(process.env.BENCH_REPLAY_ENTRIES ?? scaled(100_000));
const CATEGORIES = Array.from({ length: 10 }, (_, i) => `Cat${i}`);
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const input: RuleSetInput = {
  schema: 2,
  version: 'bench-100-promotions',
  name: 'Bench',
  currency: 'TRY',
  earning: { pointsPerUnit: 1, categoryRates: { Cat1: 2, Cat2: 0.5 }, excludedCategories: ['Cat9'], caps: { perTransaction: 1_000_000 } },
  tiers: {
    basis: 'spend',
    windowMonths: 12,
    downgrade: 'windowEnd',
    levels: [
      { id: 'member', name: 'Member', threshold: 0 },
      { id: 'vip', name: 'VIP', threshold: 100_000, multiplier: 2 },
    ],
  },
  // 100 promotions, all active all week: multipliers by category, bonuses, per-spend, thresholds.
  promotions: Array.from({ length: 100 }, (_, i) => ({
    id: `p${i}`,
    label: `Promotion ${i}`,
    effect:
      i % 3 === 0
        ? { type: 'multiplier' as const, multiplier: 1 + ((i % 4) + 1) / 4 }
        : i % 3 === 1
          ? { type: 'bonus' as const, points: 10 + i }
          : { type: 'perSpend' as const, points: 5, everyMinor: 1_000, maxPoints: 500 },
    schedule: { days: DAYS, from: '00:00', to: '24:00' },
    startsAt: '2020-01-01',
    endsAt: '2040-01-01',
    ...(i % 2 === 0 ? { categories: [CATEGORIES[i % 10] as string] } : {}),
    ...(i % 5 === 0 ? { minSpendMinor: 5_000 } : {}),
    group: `g${i % 10}`,
  })),
  stacking: 'exclusiveGroups',
  redemption: { minorPerPoint: 1 },
};
const ruleSet = RuleSet.parse(input);
const plain = defaultRuleSet('TRY');
const basket = Array.from({ length: 50 }, (_, i) => ({ category: CATEGORIES[i % 10] as string, qty: 1 + (i % 3), unitPriceMinor: 250 + i * 37 }));
const clock = { at: '2026-06-02T13:30:00Z', timeZone: 'Europe/Istanbul' };
const member: MemberContext = {
  memberId: 'm1',
  balance: 10_000,
  tier: { tierId: 'vip', since: '2026-01-01T10:00:00Z' },
  qualifying: 150_000,
  firstPurchase: false,
  birthMonth: 6,
  pointsEarnedToday: 0,
  referral: null,
};

for (let i = 0; i < 500; i += 1) {
  computeSale(ruleSet, { lines: basket }, member, clock);
  computeSale(plain, { lines: basket }, member, clock);
}
const engine = percentiles(sample(PREVIEWS, () => computeSale(ruleSet, { lines: basket }, member, clock)));
const baseline = percentiles(sample(PREVIEWS, () => computeSale(plain, { lines: basket }, member, clock)));
const applied = computeSale(ruleSet, { lines: basket }, member, clock).promotions;

// Through the core: validation, member context from SQLite, the engine, the quote.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-bench-program-'));
const core = createTerminalCore({ dataDir, store: { currency: 'TRY', timeZone: 'Europe/Istanbul' } });
const installed = core.dispatch('program.install', { ruleSet: input }, ownerCaller);
if (!installed.ok) throw new Error(installed.error.message);
const enrolled = core.dispatch('members.enroll', { phone: '+905321234567' }, ownerCaller);
if (!enrolled.ok) throw new Error(enrolled.error.message);
const memberId = (enrolled.value as { member: { memberId: string } }).member.memberId;
const previewArgs = { memberId, lines: basket };
for (let i = 0; i < 500; i += 1) core.dispatch('sales.preview', previewArgs, ownerCaller);
const corePreview = percentiles(
  sample(PREVIEWS, () => {
    const r = core.dispatch('sales.preview', previewArgs, ownerCaller);
    if (!r.ok) throw new Error(r.error.message);
  }),
);
core.close();
fs.rmSync(dataDir, { recursive: true, force: true });

report('program-preview-50-lines-100-promotions', {
  previews: PREVIEWS,
  unit: 'ms',
  promotionsApplied: applied.applied.length,
  promotionsOutranked: applied.outranked.length,
  engine,
  coreSalesPreview: corePreview,
  baselineDefaultRuleSet: baseline,
  ratioP99: round(engine.p99 / baseline.p99, 2),
  targets: { engineP99Ms: 1 },
  meetsTarget: engine.p99 < 1,
});

// Ledgers (at least `size` entries) of sales by 200 members buying 5-line baskets, every seventh redeeming, hash-chained.
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
function buildLedger(rs: RuleSet, size: number): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const balances = new Map<string, number>();
  let prevHash = GENESIS_HASH;
  for (let n = 0; entries.length < size; n += 1) {
    const memberId = `m${n % 200}`;
    const balance = balances.get(memberId) ?? 0;
    const at = new Date(Date.parse('2026-06-01T06:00:00Z') + n * 17_000).toISOString();
    const context: MemberContext = { ...member, memberId, balance, qualifying: 0, tier: null, firstPurchase: !balances.has(memberId) };
    const request = {
      lines: Array.from({ length: 5 }, (_, i) => ({ category: CATEGORIES[(n + i) % 10] as string, qty: 1 + (i % 2), unitPriceMinor: 300 + ((n * 7 + i * 13) % 2_000) })),
      ...(n % 7 === 0 && balance > 200 ? { redeemPoints: 100 } : {}),
    };
    const sale = computeSale(rs, request, context, { at, timeZone: clock.timeZone });
    for (const draft of saleEntryDrafts(sale, request, context, { at, timeZone: clock.timeZone }, { saleId: `s${n}`, cashierId: 'c' })) {
      const entry = sealEntry({ ...draft, terminalId: 't1', seq: entries.length + 1, prevHash, deviceTime: at }, sha256Hex);
      prevHash = entry.hash;
      entries.push(entry);
    }
    balances.set(memberId, sale.balanceAfter ?? 0);
  }
  // Whole sales only: a redeem entry without its earn entry would not replay.
  return entries;
}

function replayFigures(rs: RuleSet, size: number) {
  const entries = buildLedger(rs, size);
  let start = process.hrtime.bigint();
  const replay = replayLedger(entries, new Map([[rs.version, rs]]), { timeZone: clock.timeZone });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  start = process.hrtime.bigint();
  const sums = new Map<string, number>();
  for (const e of entries) sums.set(e.memberId, (sums.get(e.memberId) ?? 0) + e.points);
  const bareSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    ruleSet: rs.version,
    promotions: rs.promotions.length,
    entries: entries.length,
    verified: replay.verified,
    mismatches: replay.mismatches.length,
    seconds: round(seconds, 3),
    entriesPerSecond: Math.round(entries.length / seconds),
    bareSumOfPointsPerSecond: Math.round(entries.length / Math.max(bareSeconds, 1e-9)),
  };
}

// A typical programme: tiers, a handful of promotions, rewards; and the 100-promotion one.
const typical = RuleSet.parse({ ...input, version: 'bench-typical', promotions: input.promotions?.slice(0, 5) });
const typicalReplay = replayFigures(typical, REPLAY_ENTRIES);
report('program-replay', {
  ...typicalReplay,
  with100Promotions: replayFigures(ruleSet, Math.min(REPLAY_ENTRIES, 20_000)),
  targets: { entriesPerSecondMin: 50_000 },
  meetsTarget: typicalReplay.entriesPerSecond > 50_000,
});
