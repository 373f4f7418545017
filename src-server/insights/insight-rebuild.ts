// `admin rebuild-insights`: recomputes every insight aggregate from the ledger (and the anonymous
// sale counts terminals pushed), with the rules insight-facts.ts applies at ingest. For a database
// that existed before insights, after a console merge, or whenever the figures are in doubt.
import type { LedgerEntry } from '../../src-shared/ledger/entry';
import type { RuleSet } from '../../src-shared/program/rule-set';
import type { Database, Queryable } from '../db/database';
import { recomputeEarn } from '../earn-recompute';
import { loadRuleSets } from '../rule-set-reads';
import { FACT_COLUMNS, SQL_EXPIRY_MONTH, SQL_OWNER_CREDIT_MONTH, SQL_TIER_OF_EARN, sqlInsightDay } from './insight-facts';

/** Adjustments the owner made from the console, under the member they belong to now (after merges). */
const OWNER_ADJUSTMENTS = `SELECT coalesce((SELECT member_id FROM member_aliases WHERE alias_id = a.member_id), a.member_id) AS member_id, a.points, a.created_at FROM member_adjustments a`;

export type RebuildReport = { factRows: number; members: number; lotRows: number; ms: number };

/**
 * Each terminal's time zone for insightDayOf, as a table to join on terminal_id: a zone PostgreSQL
 * does not know (none that Node's accepts, so far) counts in UTC here rather than failing the rebuild.
 */
const TERMINAL_ZONES = `SELECT terminal_id, time_zone FROM terminals WHERE time_zone IN (SELECT name FROM pg_timezone_names)`;
const SQL_DAY = sqlInsightDay('z.time_zone');

// Every expression below mirrors addEntry() in insight-facts.ts.
const LEDGER_FACTS = `
  SELECT ${SQL_DAY} AS day, terminal_id, coalesce(entry->>'cashierId', '') AS cashier_id,
    count(*) FILTER (WHERE kind = 'earn') AS identified_sales,
    coalesce(sum(coalesce(amount_minor, 0)) FILTER (WHERE kind = 'earn'), 0) AS identified_sales_minor,
    0::bigint AS anonymous_sales, 0::bigint AS anonymous_sales_minor, 0::bigint AS new_members,
    coalesce(sum(points) FILTER (WHERE points > 0 AND kind <> 'refund'), 0) AS points_issued,
    coalesce(-sum(points) FILTER (WHERE kind IN ('redeem', 'donate')), 0) AS points_redeemed,
    count(*) FILTER (WHERE kind = 'redeem') AS redemptions,
    coalesce(-sum(points) FILTER (WHERE kind = 'expire'), 0) AS points_expired,
    coalesce(sum(points) FILTER (WHERE kind = 'refund'), 0) AS points_refunded,
    count(*) FILTER (WHERE kind = 'referral' AND NOT EXISTS (
      SELECT 1 FROM ledger p WHERE p.terminal_id = l.terminal_id AND p.seq = l.seq - 1 AND p.kind = 'referral' AND p.sale_id IS NOT DISTINCT FROM l.sale_id)) AS referral_conversions,
    count(*) FILTER (WHERE kind = 'donate' AND entry->'payload'->>'role' IS DISTINCT FROM 'match') AS donations,
    coalesce(-sum(points) FILTER (WHERE kind = 'donate' AND entry->'payload'->>'role' IS DISTINCT FROM 'match'), 0) AS donated_points,
    coalesce(sum(CASE WHEN jsonb_typeof(entry->'payload'->'matchPoints') = 'number' THEN (entry->'payload'->>'matchPoints')::numeric ELSE 0 END)
      FILTER (WHERE kind = 'donate' AND entry->'payload'->>'role' = 'match'), 0) AS donation_match_points,
    coalesce(sum(coalesce(amount_minor, 0)) FILTER (WHERE kind = 'donate'), 0) AS donated_minor
  FROM ledger l LEFT JOIN (${TERMINAL_ZONES}) z USING (terminal_id) GROUP BY 1, 2, 3`;

// The entry that created each member (those merged into another from the console too: they were
// enrolled all the same): the first one its enrolling terminal pushed under its id.
const NEW_MEMBER_FACTS = `
  SELECT ${SQL_DAY} AS day, terminal_id, cashier_id, ${FACT_COLUMNS.map(([, c]) => (c === 'new_members' ? 'count(*)' : '0')).join(', ')}
  FROM (SELECT DISTINCT ON (m.member_id) l.device_time, l.terminal_id, coalesce(l.entry->>'cashierId', '') AS cashier_id
        FROM (SELECT member_id, enrolled_by FROM members
              UNION SELECT from_member_id, merged_member->>'enrolledBy' FROM member_merges WHERE unmerged_at IS NULL) m
        JOIN ledger l ON l.terminal_id = m.enrolled_by AND l.entry->>'memberId' = m.member_id
        ORDER BY m.member_id, l.seq) created
  LEFT JOIN (${TERMINAL_ZONES}) z USING (terminal_id)
  GROUP BY 1, 2, 3`;

const ANONYMOUS_FACTS = `
  SELECT day, terminal_id, cashier_id, ${FACT_COLUMNS.map(([, c]) => (c === 'anonymous_sales' ? 'sales' : c === 'anonymous_sales_minor' ? 'total_minor' : '0')).join(', ')}
  FROM anonymous_sale_counts`;

/** Recomputes the aggregates in one transaction; pushes arriving meanwhile wait and then add to the rebuilt figures. */
export async function rebuildInsights(db: Database): Promise<RebuildReport> {
  const started = Date.now();
  const columns = FACT_COLUMNS.map(([, c]) => c);
  return db.transaction(async (tx) => {
    // Same order as the ingest hook takes them: a push waits here instead of deadlocking.
    await tx.query('LOCK TABLE anonymous_sale_counts, insight_daily, member_insights, member_point_lots, insight_stock IN EXCLUSIVE MODE');
    await tx.query('TRUNCATE insight_daily, member_insights, member_point_lots, insight_stock');

    const facts = await tx.query<{ n: number }>(
      `WITH inserted AS (
         INSERT INTO insight_daily (day, store_id, terminal_id, cashier_id, ${columns.join(', ')})
         SELECT f.day, t.store_id, f.terminal_id, f.cashier_id, ${columns.map((c) => `sum(f.${c})`).join(', ')}
         FROM (${LEDGER_FACTS} UNION ALL ${NEW_MEMBER_FACTS} UNION ALL ${ANONYMOUS_FACTS}) AS f (day, terminal_id, cashier_id, ${columns.join(', ')})
         JOIN terminals t ON t.terminal_id = f.terminal_id
         GROUP BY f.day, t.store_id, f.terminal_id, f.cashier_id
         RETURNING 1)
       SELECT count(*)::int AS n FROM inserted`,
    );

    const members = await tx.query<{ n: number }>(
      `WITH inserted AS (
         INSERT INTO member_insights (member_id, tier_id, tier_at, tier_terminal, tier_seq, debited)
         SELECT m.member_id, t.tier_id, t.device_time, t.terminal_id, t.seq, coalesce(d.debited, 0)
         FROM members m
         LEFT JOIN (SELECT DISTINCT ON (member_id) member_id, ${SQL_TIER_OF_EARN} AS tier_id, device_time, terminal_id, seq FROM ledger
                    WHERE kind = 'earn' AND jsonb_typeof(entry->'payload'->'member') = 'object' AND entry->'payload'->'member' ? 'tier'
                    ORDER BY member_id, device_time COLLATE "C" DESC, terminal_id COLLATE "C" DESC, seq DESC) t ON t.member_id = m.member_id
         LEFT JOIN (SELECT member_id, -sum(points) AS debited FROM (SELECT member_id, points FROM ledger WHERE points < 0
                    UNION ALL SELECT o.member_id, o.points FROM (${OWNER_ADJUSTMENTS}) o WHERE o.points < 0) x GROUP BY member_id) d ON d.member_id = m.member_id
         RETURNING 1)
       SELECT count(*)::int AS n FROM inserted`,
    );

    await recomputeLatestTiers(tx);

    const policies = await tx.query<{ version: string; months: number }>(
      `SELECT version, (document->'expiry'->>'months')::int AS months FROM rule_sets WHERE document->'expiry'->>'type' = 'months'`,
    );
    const lots = await tx.query<{ n: number }>(
      `WITH inserted AS (
         INSERT INTO member_point_lots (member_id, expires_month, credited)
         SELECT member_id, month, sum(points) FROM (
           SELECT l.member_id, ${SQL_EXPIRY_MONTH(SQL_DAY)} AS month, l.points
           FROM ledger l LEFT JOIN unnest($1::text[], $2::int[]) AS p (version, months) ON p.version = l.rule_set_version
           LEFT JOIN (${TERMINAL_ZONES}) z ON z.terminal_id = l.terminal_id
           WHERE l.points > 0
           UNION ALL
           SELECT o.member_id, ${SQL_OWNER_CREDIT_MONTH.replaceAll('a.created_at', 'o.created_at')}, o.points FROM (${OWNER_ADJUSTMENTS}) o WHERE o.points > 0) c
         GROUP BY 1, 2
         RETURNING 1)
       SELECT count(*)::int AS n FROM inserted`,
      [policies.map((p) => p.version), policies.map((p) => p.months)],
    );

    // Stocks are whole again: kept under terminal '' (the ingest adds per-terminal deltas to them).
    await tx.query(`INSERT INTO insight_stock (terminal_id, metric, bucket, value) SELECT '', 'tier', coalesce(tier_id, ''), count(*) FROM member_insights GROUP BY 3`);
    await tx.query(
      `INSERT INTO insight_stock (terminal_id, metric, bucket, value)
       SELECT '', 'expiry', expires_month, sum(remaining) FROM (
         SELECT l.expires_month,
                least(l.credited, greatest(0, sum(l.credited) OVER (PARTITION BY l.member_id ORDER BY l.expires_month COLLATE "C") - coalesce(mi.debited, 0))) AS remaining
         FROM member_point_lots l LEFT JOIN member_insights mi ON mi.member_id = l.member_id) x
       WHERE remaining > 0 GROUP BY expires_month`,
    );
    return { factRows: facts[0]?.n ?? 0, members: members[0]?.n ?? 0, lotRows: lots[0]?.n ?? 0, ms: Date.now() - started };
  });
}


/** Members whose latest earn entry is recomputed at a time. */
const TIER_PAGE = 2_000;

/**
 * The tier each member's latest earn entry left them in, as ingest takes it (tierOfEarn): SQL
 * gave the tier the terminal recorded before the sale; the engine gives the one after it. An
 * entry the server cannot recompute (an unknown rule set) keeps the recorded one.
 */
async function recomputeLatestTiers(tx: Queryable): Promise<void> {
  const ruleSets = new Map<string, RuleSet | null>();
  let after = '';
  for (;;) {
    const rows = await tx.query<{ member_id: string; tier_id: string | null; entry: LedgerEntry }>(
      `SELECT mi.member_id, mi.tier_id, l.entry FROM member_insights mi JOIN ledger l ON l.terminal_id = mi.tier_terminal AND l.seq = mi.tier_seq
       WHERE mi.member_id > $1 ORDER BY mi.member_id LIMIT $2`,
      [after, TIER_PAGE],
    );
    const last = rows.at(-1);
    if (!last) return;
    after = last.member_id;
    await loadRuleSets(tx, rows.map((r) => r.entry), ruleSets);
    const moved: { id: string; tier: string | null }[] = [];
    for (const row of rows) {
      const check = recomputeEarn(row.entry, ruleSets);
      if ('expected' in check && check.tierAfter !== row.tier_id) moved.push({ id: row.member_id, tier: check.tierAfter });
    }
    if (moved.length > 0) {
      await tx.query('UPDATE member_insights mi SET tier_id = m.tier FROM unnest($1::text[], $2::text[]) AS m (id, tier) WHERE mi.member_id = m.id', [
        moved.map((m) => m.id),
        moved.map((m) => m.tier),
      ]);
    }
  }
}
