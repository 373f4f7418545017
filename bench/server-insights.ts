// Insights on PostgreSQL at programme scale: 1,000,000 members and 10,000,000 ledger entries are
// seeded straight into the tables (generate_series), `rebuild-insights` aggregates them, then each
// insights view is timed (the whole report the console asks for) beside a raw baseline: a bare
// count over the daily fact table. Scale down for a quick run:
//   KASA_BENCH_INSIGHTS_MEMBERS=100000 KASA_BENCH_INSIGHTS_ENTRIES=1000000 npm run bench -- server-insights
// The seed and the rebuild are long transactions: on a shared cluster they hold back the change
// feed of every other database there (see feed.ts), so point KASA_TEST_POSTGRES at a cluster of
// its own when tests run beside it.
import type { Database } from '../src-server/db/database';
import { insightsReport } from '../src-server/insights/insight-queries';
import { rebuildInsights } from '../src-server/insights/insight-rebuild';
import { openDatabase } from '../src-server/start-server';
import { InsightsQuery } from '../src-shared/insights/insights';
import { defaultRuleSet } from '../src-shared/program/rule-set';
import { freshDatabase } from '../test/server/databases';
import { report, round, scaled } from './bench-util';

const MEMBERS = Number(process.env.KASA_BENCH_INSIGHTS_MEMBERS ?? scaled(1_000_000));
const ENTRIES = Number(process.env.KASA_BENCH_INSIGHTS_ENTRIES ?? scaled(10_000_000));
const RUNS = Number(process.env.KASA_BENCH_INSIGHTS_RUNS ?? scaled(7));
const STORES = 20;
const TERMINALS = 200;
const CHUNK = 1_000_000;

/** The inverse of 7919 modulo MEMBERS (members are spread over entries by i * 7919 mod MEMBERS). */
function inverseModulo(a: number, m: number): bigint {
  let [oldR, r, oldS, s] = [BigInt(a), BigInt(m), 1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error(`KASA_BENCH_INSIGHTS_MEMBERS must share no factor with 7919`);
  return ((oldS % BigInt(m)) + BigInt(m)) % BigInt(m);
}
const FIRST_ENTRY_FACTOR = inverseModulo(7919, MEMBERS);

const log = (message: string) => process.stderr.write(`server-insights: ${message}\n`);

async function seed(db: Database): Promise<void> {
  const base = defaultRuleSet('TRY');
  await db.query(`INSERT INTO rule_sets (version, document, active_from) VALUES ('bench-1', $1, '2024-01-01T00:00:00Z')`, [
    JSON.stringify({
      ...base,
      version: 'bench-1',
      tiers: { basis: 'spend', windowMonths: 12, downgrade: 'none', graceDays: 0, levels: [{ id: 'bronze', name: 'Bronze', threshold: 0, multiplier: 1, perks: [] }, { id: 'silver', name: 'Silver', threshold: 100000, multiplier: 1, perks: [] }] },
      expiry: { type: 'months', months: 12, endOfMonth: false },
    }),
  ]);
  await db.query(`INSERT INTO stores (store_id, name) SELECT 's' || i, 'Store ' || i FROM generate_series(0, ${STORES - 1}) AS i`);
  await db.query(
    `INSERT INTO terminals (terminal_id, store_id, name, credential_hash) SELECT 't' || i, 's' || (i % ${STORES}), 'Terminal ' || i, md5('t' || i) FROM generate_series(0, ${TERMINALS - 1}) AS i`,
  );
  // Member j's first entry is i = j * inverse(7919) mod MEMBERS: its terminal enrolled the member.
  await db.query(
    `INSERT INTO members (member_id, phone, balance, enrolled_by)
     SELECT 'm' || j, '+90' || (5000000000 + j), 0, 't' || (((j::numeric * ${FIRST_ENTRY_FACTOR}) % ${MEMBERS}) % ${TERMINALS}) FROM generate_series(0, ${MEMBERS - 1}) AS j`,
  );
  // Entry i: terminal i % TERMINALS, seq i / TERMINALS + 1, cashier (i / TERMINALS) % 3, a year of
  // days (every terminal and cashier on every day: a full-size fact table); 70 % sales, then
  // redemptions, referrals, donations, enrolments and expiries.
  for (let from = 0; from < ENTRIES; from += CHUNK) {
    const to = Math.min(ENTRIES, from + CHUNK) - 1;
    await db.query(
      `INSERT INTO ledger (terminal_id, seq, kind, member_id, points, amount_minor, currency, rule_set_version, sale_id, device_time, prev_hash, hash, entry)
       SELECT 't' || (i % ${TERMINALS}), i / ${TERMINALS} + 1, k.kind, 'm' || ((i * 7919) % ${MEMBERS}), k.points, k.amount, 'TRY', 'bench-1', 's' || i,
              to_char(d.ts, 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'), repeat('0', 64), md5(i::text) || md5(i::text),
              jsonb_build_object('memberId', 'm' || ((i * 7919) % ${MEMBERS}), 'cashierId', 'c' || ((i / ${TERMINALS}) % 3), 'payload',
                CASE k.kind WHEN 'earn' THEN jsonb_build_object('expiresOn', to_char(d.ts + interval '12 months', 'YYYY-MM-DD'), 'member', jsonb_build_object('tier', jsonb_build_object('tierId', CASE WHEN i % 5 = 0 THEN 'silver' ELSE 'bronze' END)))
                            WHEN 'donate' THEN jsonb_build_object('role', 'member', 'matchPoints', 0)
                            WHEN 'referral' THEN jsonb_build_object('role', 'referee')
                            ELSE '{}'::jsonb END)
       FROM generate_series(${from}::bigint, ${to}::bigint) AS i
       CROSS JOIN LATERAL (SELECT timestamp '2025-01-01' + ((i / ${TERMINALS * 3}) % 365) * interval '1 day' + (i % 86400) * interval '1 second' AS ts) d
       CROSS JOIN LATERAL (SELECT CASE WHEN i % 20 < 14 THEN 'earn' WHEN i % 20 < 16 THEN 'redeem' WHEN i % 20 = 16 THEN 'referral' WHEN i % 20 = 17 THEN 'donate' WHEN i % 20 = 18 THEN 'enrol' ELSE 'expire' END AS kind) k0
       CROSS JOIN LATERAL (SELECT k0.kind,
                                  CASE k0.kind WHEN 'earn' THEN i % 100 + 10 WHEN 'redeem' THEN -(i % 50 + 1) WHEN 'referral' THEN 20 WHEN 'donate' THEN -5 WHEN 'expire' THEN -(i % 10 + 1) ELSE 0 END AS points,
                                  CASE k0.kind WHEN 'earn' THEN (i % 100 + 10) * 100 ELSE NULL END AS amount) k`,
    );
    log(`ledger ${to + 1} / ${ENTRIES}`);
  }
  await db.query('ANALYZE');
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<{ p50Ms: number; maxMs: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Ms: round(sorted[Math.floor(sorted.length / 2)] ?? 0, 1), maxMs: round(sorted.at(-1) ?? 0, 1) };
}

async function main(): Promise<void> {
  // KASA_BENCH_INSIGHTS_KEEP=1 keeps the seeded database (its URL is printed) for a closer look.
  const { choice, drop } = await freshDatabase('postgres');
  if (process.env.KASA_BENCH_INSIGHTS_KEEP === '1') log(`database ${'url' in choice ? choice.url : ''} is kept`);
  const db = await openDatabase(choice);
  try {
    let start = process.hrtime.bigint();
    await seed(db);
    const seedSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    log(`seeded in ${round(seedSeconds, 1)} s; rebuilding`);
    start = process.hrtime.bigint();
    const rebuilt = await rebuildInsights(db);
    const rebuildSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    await db.query('ANALYZE insight_daily, insight_stock');
    log(`rebuilt in ${round(rebuildSeconds, 1)} s (${rebuilt.factRows} fact rows)`);

    const now = new Date('2026-01-15T12:00:00Z');
    const views: Record<string, InsightsQuery> = {
      'year by month and store': InsightsQuery.parse({ from: '2025-01-01', to: '2025-12-31', period: 'month', groupBy: 'store' }),
      'quarter by week and terminal': InsightsQuery.parse({ from: '2025-04-01', to: '2025-06-30', period: 'week', groupBy: 'terminal' }),
      'month by day and cashier': InsightsQuery.parse({ from: '2025-06-01', to: '2025-06-30', period: 'day', groupBy: 'cashier' }),
      'one store, year by day': InsightsQuery.parse({ from: '2025-01-01', to: '2025-12-31', period: 'day', groupBy: 'none', storeId: 's3' }),
      'one terminal and cashier, month': InsightsQuery.parse({ from: '2025-06-01', to: '2025-06-30', period: 'day', groupBy: 'none', terminalId: 't42', cashierId: 'c1' }),
    };
    const timings: Record<string, { p50Ms: number; maxMs: number }> = {};
    let check: unknown = null;
    for (const [name, query] of Object.entries(views)) {
      await insightsReport(db, query, { now }); // warm
      timings[name] = await timeRuns(RUNS, async () => {
        const r = await insightsReport(db, query, { now });
        if (name === 'year by month and store') check = { identifiedSales: r.totals.identifiedSales, enrolled: r.enrolledMembers, tiers: r.tiers.length, liabilityPoints: r.liability.points };
      });
    }
    const baseline = await timeRuns(RUNS, () => db.query('SELECT count(*) FROM insight_daily'));
    const slowest = Math.max(...Object.values(timings).map((t) => t.maxMs));
    report('server-insights', {
      engine: 'postgres',
      members: MEMBERS,
      ledgerEntries: ENTRIES,
      factRows: rebuilt.factRows,
      seedSeconds: round(seedSeconds, 1),
      rebuildSeconds: round(rebuildSeconds, 1),
      runs: RUNS,
      views: timings,
      baselineBareCountOverFacts: baseline,
      slowestViewMs: slowest,
      underOneSecond: slowest < 1000,
      check,
    });
  } finally {
    await db.close();
    if (process.env.KASA_BENCH_INSIGHTS_KEEP !== '1') await drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`server-insights: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
