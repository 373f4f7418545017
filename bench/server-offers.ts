// Personalised offers on PostgreSQL: a full offer run over members with a purchase history (earn
// entries with their lines), and the offer uptake figure over 1,000,000 offers (answered from the
// pre-aggregated offer_uptake_daily). Baselines in the same run: the bare read of the same earn
// rows a run has to make, and a bare count of the offers in the range (what the figure would cost
// without the aggregate).
import { installRuleSet } from '../src-server/admin';
import { offerUptake, runOffers } from '../src-server/offers';
import { openDatabase } from '../src-server/start-server';
import { freshDatabase } from '../test/server/databases';
import { percentiles, report, round, scaled } from './bench-util';

const MEMBERS = scaled(20_000);
const VISITS = 10;
const OFFERS = scaled(1_000_000);
const RUNS = scaled(15);
const DAY = '2026-06-29';

const { choice, drop } = await freshDatabase('postgres');
const db = await openDatabase(choice);
try {
  await installRuleSet(
    db,
    'bench',
    {
      schema: 2,
      version: 'bench-offers-1',
      name: 'Bench',
      currency: 'TRY',
      earning: { pointsPerUnit: 1 },
      redemption: { minorPerPoint: 1 },
      offers: {
        maxPerMember: 2,
        favouriteCategory: { minPurchases: 3, bonusPoints: 50 },
        bundle: { minPurchases: 3, addOn: { category: 'Bakery' }, discountPercent: 100, maxDiscountMinor: 3000, addOnLabel: 'a pastry' },
        winBack: { weeksAway: 6, bonusPoints: 200 },
      },
    },
    '2026-01-01T00:00:00.000Z',
  );
  await db.query("INSERT INTO stores (store_id, name) VALUES ('bench', 'Bench')");
  await db.query("INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ('bench-t', 'bench', 'x')");
  // Each member's visits, every 5 days back from the day (a fifth of the members stopped coming
  // 10 weeks ago): coffee, tea or groceries, sometimes a pastry.
  await db.query(
    `INSERT INTO ledger (terminal_id, seq, kind, member_id, points, device_time, prev_hash, hash, entry)
     SELECT 'bench-t', (m - 1) * $2::int + v, 'earn', 'm-' || lpad(m::text, 6, '0'), 10, to_char(d, 'YYYY-MM-DD"T"10:00:00.000"Z"'), 'p', 'h',
            jsonb_build_object('payload', jsonb_build_object(
              'at', to_char(d, 'YYYY-MM-DD"T"10:00:00.000"Z"'), 'timeZone', 'UTC',
              'lines', jsonb_build_array(
                jsonb_build_object('sku', (ARRAY['COFFEE-L', 'TEA', 'MILK'])[1 + (m + v / 4) % 3], 'name', 'Usual', 'category', (ARRAY['Coffee', 'Tea', 'Groceries'])[1 + (m + v / 4) % 3], 'qty', 1, 'unitPriceMinor', 4000))
              || CASE WHEN v % 3 = 0 THEN jsonb_build_array(jsonb_build_object('sku', 'CROISSANT', 'category', 'Bakery', 'qty', 1, 'unitPriceMinor', 3500)) ELSE '[]'::jsonb END))
     FROM generate_series(1, $1::int) AS m, generate_series(1, $2::int) AS v,
          LATERAL (SELECT $3::date - (v * 5 + CASE WHEN m % 5 = 0 THEN 70 ELSE 0 END) AS d) AS day`,
    [MEMBERS, VISITS, DAY],
  );
  // A history of offers for the uptake figure: 180 days of them.
  await db.query(
    `INSERT INTO offers (offer_id, member_id, type, subject, terms, reason, valid_from, valid_until, status, rule_set_version)
     SELECT 'bo-' || i, 'x-' || (i % 400000), (ARRAY['favouriteCategory', 'bundle', 'winBack'])[1 + i % 3], 's', '{}'::jsonb, 'r',
            to_char(date '2026-01-01' + (i % 180), 'YYYY-MM-DD'), to_char(date '2026-01-01' + (i % 180) + 13, 'YYYY-MM-DD'),
            (ARRAY['redeemed', 'expired', 'expired', 'withdrawn'])[1 + i % 4], 'bench-offers-1'
     FROM generate_series(1, $1::int) AS i`,
    [OFFERS],
  );
  // Offers written behind the server's back: their counts too.
  await db.query('INSERT INTO offer_uptake_daily (day, type, status, n) SELECT valid_from, type, status, count(*) FROM offers GROUP BY 1, 2, 3');
  await db.query('ANALYZE');

  // Baseline: the rows a run reads, read bare.
  const t0 = process.hrtime.bigint();
  await db.query(`SELECT member_id, entry->'payload'->'lines', entry->'payload'->>'at' FROM ledger WHERE kind = 'earn'`);
  const bareReadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const t1 = process.hrtime.bigint();
  const summary = await runOffers(db, { date: DAY });
  const runMs = Number(process.hrtime.bigint() - t1) / 1e6;
  report('offers: full run over 20,000 members with 10 visits each, PostgreSQL', {
    members: summary.members,
    issued: summary.issued,
    runSeconds: round(runMs / 1000, 2),
    membersPerSecond: round(summary.members / (runMs / 1000), 0),
    baselineBareReadOfEarnRowsSeconds: round(bareReadMs / 1000, 2),
  });

  const time = async (fn: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t = process.hrtime.bigint();
      await fn();
      samples.push(Number(process.hrtime.bigint() - t));
    }
    return percentiles(samples);
  };
  const month = await time(() => offerUptake(db, { from: '2026-03-01', to: '2026-03-31', period: 'week' }));
  const all = await time(() => offerUptake(db, { from: '2026-01-01', to: '2026-06-30', period: 'month' }));
  const bareMonth = await time(() => db.query("SELECT count(*) FROM offers WHERE valid_from >= '2026-03-01' AND valid_from <= '2026-03-31'"));
  const bareAll = await time(() => db.query("SELECT count(*) FROM offers WHERE valid_from >= '2026-01-01' AND valid_from <= '2026-06-30'"));
  report('offers: uptake over 1,000,000 offers, PostgreSQL (ms)', {
    monthByWeek: month,
    halfYearByMonth: all,
    baselineBareCountMonth: bareMonth,
    baselineBareCountHalfYear: bareAll,
  });
} finally {
  await db.close();
  await drop();
}
