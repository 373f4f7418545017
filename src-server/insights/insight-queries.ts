// The console's Insights, answered from the pre-aggregated tables only (insight_daily and
// insight_stock are small: a row per day, terminal and cashier; a row per bucket and terminal), so
// each view stays well under a second with millions of members and ledger entries.
import { KasaError } from '../../src-shared/api/errors';
import {
  OBJECTIVE_METRICS,
  withRates,
  type InsightBreakdownRow,
  type InsightFigures,
  periodsOf,
  type InsightsQuery,
  type InsightsReport,
  type InsightTable,
  type ObjectiveInput,
  type ObjectiveMetric,
  type ObjectiveView,
} from '../../src-shared/insights/insights';
import type { Queryable } from '../db/database';
import { activeRuleSet } from '../rule-set-reads';
import { FACT_COLUMNS, NEVER_MONTH, type FactSums } from './insight-facts';
import { auditAdminAction } from '../admin-audit';

/**
 * A figure another part of the programme adds to Insights (offer uptake, for one): it reads its own
 * tables for the same query and answers one table, or null when it has nothing to show.
 */
export type InsightSource = (db: Queryable, query: InsightsQuery) => Promise<InsightTable | null>;

const SUMS = FACT_COLUMNS.map(([key, column]) => `coalesce(sum(${column}), 0)::float8 AS "${key}"`).join(', ');

const sumsOf = (row: Record<string, unknown> | undefined): FactSums =>
  Object.fromEntries(FACT_COLUMNS.map(([key]) => [key, Number(row?.[key] ?? 0)])) as FactSums;

/** The WHERE clause of a query's filters over insight_daily, from parameter $2 on ($1 is left to the caller). */
function filterOf(query: InsightsQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [query.storeId ?? null, query.terminalId ?? null, query.cashierId ?? null];
  return {
    sql: `($2::text IS NULL OR store_id = $2) AND ($3::text IS NULL OR terminal_id = $3) AND ($4::text IS NULL OR cashier_id = $4)`,
    params,
  };
}

function actualOf(metric: ObjectiveMetric, totals: InsightFigures): number | null {
  switch (metric) {
    case 'identifiedShare':
      return totals.identifiedShare;
    case 'redemptionRate':
      return totals.redemptionRate;
    case 'newMembers':
      return totals.newMembers;
    case 'referralConversions':
      return totals.referralConversions;
    case 'donatedPoints':
      return totals.donatedPoints;
  }
}

export async function listObjectives(db: Queryable): Promise<{ metric: ObjectiveMetric; target: number; updatedBy: string; updatedAt: string }[]> {
  const rows = await db.query<{ metric: string; target: number; updated_by: string; updated_at: Date }>('SELECT metric, target, updated_by, updated_at FROM insight_objectives ORDER BY metric');
  return rows
    .filter((r): r is typeof r & { metric: ObjectiveMetric } => (OBJECTIVE_METRICS as readonly string[]).includes(r.metric))
    .map((r) => ({ metric: r.metric, target: Number(r.target), updatedBy: r.updated_by, updatedAt: new Date(r.updated_at).toISOString() }));
}

/** Sets (or with a null target removes) an objective; recorded in admin_audit with who did it. */
export async function setObjective(db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }, actor: string, input: ObjectiveInput): Promise<void> {
  await db.transaction(async (tx) => {
    if (input.target === null) {
      const removed = await tx.query('DELETE FROM insight_objectives WHERE metric = $1 RETURNING metric', [input.metric]);
      if (removed.length === 0) throw new KasaError('NOT_FOUND', `No objective is set for ${input.metric}`);
    } else {
      await tx.query(
        `INSERT INTO insight_objectives (metric, target, updated_by, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (metric) DO UPDATE SET target = excluded.target, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [input.metric, input.target, actor],
      );
    }
    await auditAdminAction(tx, actor, 'insights.objective', input);
  });
}

const TRUNC: Record<InsightsQuery['period'], string> = { day: 'day', week: 'week', month: 'month' };

export async function insightsReport(db: Queryable, query: InsightsQuery, options: { now: Date; sources?: readonly InsightSource[] }): Promise<InsightsReport> {
  const filter = filterOf(query);
  const range = `day BETWEEN $5::date AND $6::date AND ${filter.sql}`;
  const params = [null, ...filter.params, query.from, query.to];
  // $1 is unused so every statement shares the same numbering.
  const noop = '($1::text IS NULL)';

  // One pass over the facts grouped by period (and the compared dimension); totals, the series and
  // the breakdown are summed from its rows here. The other reads are independent: on PostgreSQL
  // they run at once on the pool's connections.
  const group = query.groupBy === 'none' ? null : `${query.groupBy}_id`;
  const [rows, enrolledRows, ruleSet, tierRows, expiryRows, names, storedObjectives] = await Promise.all([
    db.query<Record<string, unknown> & { period: string; key: string }>(
      `SELECT to_char(date_trunc('${TRUNC[query.period]}', day), 'YYYY-MM-DD') AS period, ${group ?? "''::text"} AS key, ${SUMS}
       FROM insight_daily WHERE ${noop} AND ${range} GROUP BY 1, 2`,
      params,
    ),
    db.query<{ n: number }>(`SELECT coalesce(sum(new_members), 0)::float8 AS n FROM insight_daily WHERE ${noop} AND day <= $6::date AND ${filter.sql} AND $5::date IS NOT NULL`, params),
    activeRuleSet(db, options.now),
    db.query<{ bucket: string; n: number }>(`SELECT bucket, sum(value)::float8 AS n FROM insight_stock WHERE metric = 'tier' GROUP BY bucket HAVING sum(value) <> 0`),
    db.query<{ bucket: string; n: number }>(`SELECT bucket, sum(value)::float8 AS n FROM insight_stock WHERE metric = 'expiry' GROUP BY bucket HAVING sum(value) <> 0 ORDER BY bucket COLLATE "C"`),
    query.groupBy === 'store'
      ? db.query<{ id: string; name: string }>('SELECT store_id AS id, name FROM stores')
      : query.groupBy === 'terminal'
        ? db.query<{ id: string; name: string }>('SELECT terminal_id AS id, coalesce(name, terminal_id) AS name FROM terminals')
        : Promise.resolve([] as { id: string; name: string }[]),
    listObjectives(db),
  ]);

  const add = (into: FactSums, row: Record<string, unknown>) => {
    for (const [key] of FACT_COLUMNS) into[key] += Number(row[key] ?? 0);
  };
  const total = sumsOf(undefined);
  const byPeriod = new Map<string, FactSums>();
  const byKey = new Map<string, FactSums>();
  for (const row of rows) {
    add(total, row);
    const period = byPeriod.get(row.period) ?? sumsOf(undefined);
    add(period, row);
    byPeriod.set(row.period, period);
    if (group) {
      const key = byKey.get(row.key) ?? sumsOf(undefined);
      add(key, row);
      byKey.set(row.key, key);
    }
  }
  const totals = withRates(total);
  // Periods without a sale are in the series as zeros (none at all: an empty series, "no data").
  const series = byPeriod.size === 0 ? [] : periodsOf(query).map((period) => ({ period, ...withRates(byPeriod.get(period) ?? sumsOf(undefined)) }));
  const labels = new Map(names.map((n) => [n.id, n.name]));
  const breakdown: InsightBreakdownRow[] = [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, sums]) => ({ key, label: labels.get(key) ?? (key ? key : '(none)'), ...withRates(sums) }));
  const enrolled = enrolledRows[0];

  const levelNames = new Map((ruleSet?.tiers?.levels ?? []).map((l, i) => [l.id, { name: l.name, order: i }]));
  const tiers = tierRows
    .map((r) => ({ tierId: r.bucket === '' ? null : r.bucket, name: r.bucket === '' ? 'No purchase yet' : (levelNames.get(r.bucket)?.name ?? r.bucket), members: Number(r.n) }))
    .sort((a, b) => (a.tierId === null ? -1 : b.tierId === null ? 1 : (levelNames.get(a.tierId)?.order ?? 99) - (levelNames.get(b.tierId)?.order ?? 99) || a.tierId.localeCompare(b.tierId)));

  const minorPerPoint = ruleSet?.redemption.minorPerPoint ?? null;
  const thisMonth = options.now.toISOString().slice(0, 7);
  const schedule = expiryRows.map((r) => {
    const points = Number(r.n);
    const never = r.bucket === NEVER_MONTH;
    return { month: never ? null : r.bucket, points, valueMinor: points * (minorPerPoint ?? 0), overdue: !never && r.bucket < thisMonth };
  });
  const liabilityPoints = schedule.reduce((a, e) => a + e.points, 0);

  const objectives: ObjectiveView[] = storedObjectives.map((o) => {
    const actual = actualOf(o.metric, totals);
    return { ...o, actual, met: actual === null ? null : actual >= o.target };
  });

  const extra: InsightTable[] = [];
  for (const source of options.sources ?? []) {
    const table = await source(db, query);
    if (table) extra.push(table);
  }

  return {
    query,
    totals,
    series,
    breakdown,
    enrolledMembers: Number(enrolled?.n ?? 0),
    tiers,
    liability: { points: liabilityPoints, valueMinor: liabilityPoints * (minorPerPoint ?? 0), currency: ruleSet?.currency ?? null, minorPerPoint, schedule },
    objectives,
    extra,
  };
}
