// Insight aggregates maintained at ingest, inside the push transaction: the batch is summed in
// memory, then a handful of statements upsert the daily facts, the per-member tier and expiry lots,
// and the per-terminal stocks. `admin rebuild-insights` (insight-rebuild.ts) computes the same
// tables from the ledger with the same rules; the tests hold the two to the same figures.
import type { InsightFigures } from '../../src-shared/insights/insights';
import type { LedgerEntry } from '../../src-shared/ledger/entry';
import type { AnonymousSaleCounts } from '../../src-shared/sync/protocol';
import { zoneOffsetMs } from '../../src-shared/program/local-time';
import type { Queryable } from '../db/database';

/** The month bucket of points that never expire: sorts after every real month. */
export const NEVER_MONTH = '9999-12';
const DAY_PREFIX = /^([1-9]\d{3})-(\d{2})-(\d{2})/;
/** Entries whose device time does not start with a date are counted on this day (none should). */
export const UNDATED_DAY = '1970-01-01';
/** insightDayOf's answers by zone and the part of the device time they depend on (bounded). */
const knownDays = new Map<string, string>();

/**
 * The day an entry counts on: the date its terminal's clock wrote (terminals write UTC), in the
 * store's time zone when its terminal said which (`timeZone`; null: UTC, as older terminals). Out-of-range
 * parts roll over as in Date.UTC, exactly like the rebuild's SQL; seconds are not read.
 */
export function insightDayOf(deviceTime: string, timeZone: string | null = null): string {
  const zone = timeZone ?? 'UTC';
  // The answer depends on the date alone in UTC, on the date, hour and minute in another zone, and
  // a batch holds few of either: remembered, so most calls neither parse the date nor ask Intl for
  // the zone's offset (a twentieth of the server's time in an ingest of stores with a time zone).
  const key = `${zone} ${deviceTime.slice(0, zone === 'UTC' ? 10 : 16)}`;
  let day = knownDays.get(key);
  if (day === undefined) {
    day = zone === 'UTC' ? utcDayOf(deviceTime) : zonedDayOf(deviceTime, zone);
    if (knownDays.size >= 4096) knownDays.clear();
    knownDays.set(key, day);
  }
  return day;
}

const TIME_OF_DAY = /^.{10}T(\d{2}):(\d{2})/;

/** The day in UTC: the date the device time starts with. */
function utcDayOf(deviceTime: string): string {
  const m = DAY_PREFIX.exec(deviceTime);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) : UNDATED_DAY;
}

/** The day in a zone: the instant the device time names (hours and minutes too), then its date there. */
function zonedDayOf(deviceTime: string, timeZone: string): string {
  const m = DAY_PREFIX.exec(deviceTime);
  if (!m) return UNDATED_DAY;
  const time = TIME_OF_DAY.exec(deviceTime);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), time ? Number(time[1]) : 0, time ? Number(time[2]) : 0);
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 10);
}

/** The UTC date of a device time that starts with one (rolled over as Date.UTC does). */
const SQL_UTC_DAY = `(make_date(substr(device_time, 1, 4)::int, 1, 1) + (substr(device_time, 6, 2)::int - 1) * interval '1 month' + (substr(device_time, 9, 2)::int - 1) * interval '1 day')`;

/**
 * The rebuild's SQL for insightDayOf(device_time, zone), `zone` an SQL expression (NULL: UTC) naming
 * a zone PostgreSQL knows.
 */
export const sqlInsightDay = (zone: string): string => `CASE WHEN device_time ~ '^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}' THEN
  CASE WHEN ${zone} IS NULL OR ${zone} = 'UTC' THEN ${SQL_UTC_DAY}::date
  ELSE ((${SQL_UTC_DAY}
         + CASE WHEN device_time ~ '^.{10}T[0-9]{2}:[0-9]{2}' THEN substr(device_time, 12, 2)::int * interval '1 hour' + substr(device_time, 15, 2)::int * interval '1 minute' ELSE interval '0' END)
        AT TIME ZONE 'UTC' AT TIME ZONE ${zone})::date END
  ELSE DATE '${UNDATED_DAY}' END`;

/** The month `months` after a day: when points credited that day expire under a "months" policy. */
export function addMonthsToMonth(day: string, months: number): string {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1 + months, 1));
  return d.toISOString().slice(0, 7);
}

/** The counted figures (the rates are derived from them when read). */
export type FactSums = Omit<InsightFigures, 'identifiedShare' | 'redemptionRate'>;

/** insight_daily's columns in FactSums order. */
export const FACT_COLUMNS: [keyof FactSums, string][] = [
  ['identifiedSales', 'identified_sales'],
  ['identifiedSalesMinor', 'identified_sales_minor'],
  ['anonymousSales', 'anonymous_sales'],
  ['anonymousSalesMinor', 'anonymous_sales_minor'],
  ['newMembers', 'new_members'],
  ['pointsIssued', 'points_issued'],
  ['pointsRedeemed', 'points_redeemed'],
  ['redemptions', 'redemptions'],
  ['pointsExpired', 'points_expired'],
  ['pointsRefunded', 'points_refunded'],
  ['referralConversions', 'referral_conversions'],
  ['donations', 'donations'],
  ['donatedPoints', 'donated_points'],
  ['donationMatchPoints', 'donation_match_points'],
  ['donatedMinor', 'donated_minor'],
];

const emptySums = (): FactSums => Object.fromEntries(FACT_COLUMNS.map(([k]) => [k, 0])) as FactSums;

const payloadOf = (entry: LedgerEntry): Record<string, unknown> => entry.payload;
const numberOr0 = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * What one entry adds to its day's facts. The rules, also written in the rebuild's SQL:
 * issued = positive points of every kind but refund; redeemed = points spent on redemptions and
 * donations; a referral conversion is counted on the first referral entry of a sale.
 */
function addEntry(sums: FactSums, entry: LedgerEntry, firstReferralOfSale: boolean): void {
  if (entry.points > 0 && entry.kind !== 'refund') sums.pointsIssued += entry.points;
  switch (entry.kind) {
    case 'earn':
      sums.identifiedSales += 1;
      sums.identifiedSalesMinor += entry.amountMinor ?? 0;
      break;
    case 'redeem':
      sums.redemptions += 1;
      sums.pointsRedeemed -= entry.points;
      break;
    case 'donate': {
      sums.pointsRedeemed -= entry.points;
      sums.donatedMinor += entry.amountMinor ?? 0;
      const payload = payloadOf(entry);
      if (payload.role === 'match') sums.donationMatchPoints += numberOr0(payload.matchPoints);
      else {
        sums.donations += 1;
        sums.donatedPoints -= entry.points;
      }
      break;
    }
    case 'expire':
      sums.pointsExpired -= entry.points;
      break;
    case 'refund':
      sums.pointsRefunded += entry.points;
      break;
    case 'referral':
      if (firstReferralOfSale) sums.referralConversions += 1;
      break;
    default:
      break;
  }
}

/**
 * `tierAfter`: for an earn entry the server recomputed, the tier the sale left the member in (the
 * terminal records only the one before it, null for a member's first sale).
 */
export type StoredEntry = { entry: LedgerEntry; memberId: string; tierAfter?: string | null | undefined };

export type InsightBatch = {
  terminalId: string;
  /** The terminal's row as the caller read (and locked) it in this transaction; read here when absent. */
  terminal?: { store_id: string; anonymous_sales_through: number } | undefined;
  /** Entries stored by this push, in seq order, with the server's member for each. */
  stored: StoredEntry[];
  /** Members this push created (their own ids). */
  newMembers: ReadonlySet<string>;
  anonymousSales?: AnonymousSaleCounts | undefined;
  /** The store's time zone as its terminal last said it (null or absent: UTC): the entries' days are its dates. */
  timeZone?: string | null | undefined;
};

type ExpiryPolicy = { months: number } | null;

async function expiryPolicies(tx: Queryable, versions: string[]): Promise<Map<string, ExpiryPolicy>> {
  const policies = new Map<string, ExpiryPolicy>(versions.map((v) => [v, null]));
  if (versions.length === 0) return policies;
  const rows = await tx.query<{ version: string; type: string | null; months: number | null }>(
    `SELECT version, document->'expiry'->>'type' AS type, (document->'expiry'->>'months')::int AS months FROM rule_sets WHERE version = ANY($1::text[])`,
    [versions],
  );
  for (const r of rows) policies.set(r.version, r.type === 'months' && r.months ? { months: r.months } : null);
  return policies;
}

/** The rebuild's SQL for an entry's expiry month; `policies` is a (version, months) relation. */
export const SQL_EXPIRY_MONTH = (day: string) => `CASE
  WHEN kind = 'earn' AND entry->'payload' ? 'expiresOn' THEN coalesce(substr(entry->'payload'->>'expiresOn', 1, 7), '${NEVER_MONTH}')
  WHEN p.months IS NOT NULL THEN to_char(date_trunc('month', ${day}) + p.months * interval '1 month', 'YYYY-MM')
  ELSE '${NEVER_MONTH}' END`;

function expiryMonthOf(entry: LedgerEntry, day: string, policies: Map<string, ExpiryPolicy>): string {
  const payload = payloadOf(entry);
  if (entry.kind === 'earn' && 'expiresOn' in payload) {
    return typeof payload.expiresOn === 'string' ? payload.expiresOn.slice(0, 7) : NEVER_MONTH;
  }
  const policy = entry.ruleSetVersion ? policies.get(entry.ruleSetVersion) : null;
  return policy ? addMonthsToMonth(day, policy.months) : NEVER_MONTH;
}

const needsPolicy = (entry: LedgerEntry) => entry.points > 0 && !(entry.kind === 'earn' && 'expiresOn' in payloadOf(entry)) && entry.ruleSetVersion !== null;

/**
 * What is left of each month's credits once `debited` points are taken soonest month first. The
 * same rule in SQL is a running sum (insight-rebuild.ts).
 */
export function remainingByMonth(credited: ReadonlyMap<string, number>, debited: number): Map<string, number> {
  const left = new Map<string, number>();
  let cumulative = 0;
  for (const month of [...credited.keys()].sort()) {
    const points = credited.get(month) ?? 0;
    cumulative += points;
    const remaining = Math.min(points, Math.max(0, cumulative - debited));
    if (remaining > 0) left.set(month, remaining);
  }
  return left;
}

type TierOf = { tierId: string | null; at: string; terminal: string; seq: number };
const later = (a: TierOf, b: { at: string | null; terminal: string | null; seq: number | null }) =>
  b.at === null || a.at > b.at || (a.at === b.at && (a.terminal > (b.terminal ?? '') || (a.terminal === b.terminal && a.seq > (b.seq ?? 0))));

/**
 * The tier an earn entry left its member in: the server's recomputation when it has one, else the
 * tier the terminal recorded before the sale; undefined for an entry that recorded no member context.
 */
function tierOfEarn({ entry, tierAfter }: StoredEntry): string | null | undefined {
  const member = payloadOf(entry).member as { tier?: { tierId?: unknown } | null } | null | undefined;
  if (!member || typeof member !== 'object' || !('tier' in member)) return undefined;
  if (tierAfter !== undefined) return tierAfter;
  return typeof member.tier?.tierId === 'string' ? member.tier.tierId : null;
}

/**
 * The rebuild's SQL for tierOfEarn without the recomputation (JSON null and a missing tier both
 * mean "no tier yet"); the rebuild then recomputes each member's latest one (insight-rebuild.ts).
 */
export const SQL_TIER_OF_EARN = `entry->'payload'->'member'->'tier'->>'tierId'`;

/** Updates every insight aggregate for one stored push batch; answers how far anonymous sale counts are taken. */
export async function recordInsights(tx: Queryable, batch: InsightBatch): Promise<{ anonymousSalesAckedThrough: number }> {
  const [terminal] = batch.terminal
    ? [batch.terminal]
    : await tx.query<{ store_id: string; anonymous_sales_through: number }>('SELECT store_id, anonymous_sales_through FROM terminals WHERE terminal_id = $1', [batch.terminalId]);
  if (!terminal) throw new Error(`terminal ${batch.terminalId} vanished`);
  const facts = new Map<string, FactSums>();
  const factsOf = (day: string, cashierId: string | null) => {
    const key = `${day}\u0000${cashierId ?? ''}`;
    let sums = facts.get(key);
    if (!sums) facts.set(key, (sums = emptySums()));
    return sums;
  };

  // Daily facts.
  const { stored } = batch;
  const firstSeq = stored[0]?.entry.seq;
  let previousBeforeBatch: { kind: string; sale_id: string | null } | undefined;
  if (stored[0]?.entry.kind === 'referral' && firstSeq !== undefined) {
    [previousBeforeBatch] = await tx.query<{ kind: string; sale_id: string | null }>('SELECT kind, sale_id FROM ledger WHERE terminal_id = $1 AND seq = $2', [batch.terminalId, firstSeq - 1]);
  }
  const created = new Set<string>();
  stored.forEach(({ entry, memberId }, i) => {
    const sums = factsOf(insightDayOf(entry.deviceTime, batch.timeZone ?? null), entry.cashierId);
    const previous = i > 0 ? stored[i - 1]?.entry : undefined;
    const before = previous && previous.seq === entry.seq - 1 ? { kind: previous.kind, sale_id: previous.saleId } : i === 0 ? previousBeforeBatch : undefined;
    const firstReferral = entry.kind === 'referral' && !(before && before.kind === 'referral' && before.sale_id === entry.saleId);
    addEntry(sums, entry, firstReferral);
    if (batch.newMembers.has(entry.memberId) && memberId === entry.memberId && !created.has(memberId)) {
      created.add(memberId);
      sums.newMembers += 1;
    }
  });

  // Anonymous sale counts: taken only when they continue exactly where the last ones stopped.
  let anonymousThrough = terminal.anonymous_sales_through;
  const anonymous = batch.anonymousSales;
  if (anonymous && anonymous.fromSale === anonymousThrough && anonymous.throughSale > anonymousThrough) {
    for (const c of anonymous.counts) {
      const sums = factsOf(insightDayOf(c.day), c.cashierId);
      sums.anonymousSales += c.sales;
      sums.anonymousSalesMinor += c.totalMinor;
    }
    if (anonymous.counts.length > 0) {
      await tx.query(
        `INSERT INTO anonymous_sale_counts (terminal_id, day, cashier_id, sales, total_minor)
         SELECT $1, d.day, d.cashier, sum(d.sales), sum(d.total) FROM unnest($2::date[], $3::text[], $4::bigint[], $5::bigint[]) AS d(day, cashier, sales, total) GROUP BY d.day, d.cashier
         ON CONFLICT (terminal_id, day, cashier_id) DO UPDATE SET sales = anonymous_sale_counts.sales + excluded.sales, total_minor = anonymous_sale_counts.total_minor + excluded.total_minor`,
        [batch.terminalId, anonymous.counts.map((c) => insightDayOf(c.day)), anonymous.counts.map((c) => c.cashierId ?? ''), anonymous.counts.map((c) => c.sales), anonymous.counts.map((c) => c.totalMinor)],
      );
    }
    anonymousThrough = anonymous.throughSale;
    await tx.query('UPDATE terminals SET anonymous_sales_through = $1 WHERE terminal_id = $2', [anonymousThrough, batch.terminalId]);
  }

  if (facts.size > 0) {
    const keys = [...facts.keys()];
    const sums = [...facts.values()];
    const columns = FACT_COLUMNS.map(([, c]) => c);
    await tx.query(
      `INSERT INTO insight_daily (day, store_id, terminal_id, cashier_id, ${columns.join(', ')})
       SELECT f.day, $1, $2, f.cashier, ${columns.map((c) => `f.${c}`).join(', ')}
       FROM unnest($3::date[], $4::text[], ${columns.map((_, i) => `$${i + 5}::bigint[]`).join(', ')}) AS f(day, cashier, ${columns.join(', ')})
       ON CONFLICT (day, store_id, terminal_id, cashier_id) DO UPDATE SET ${columns.map((c) => `${c} = insight_daily.${c} + excluded.${c}`).join(', ')}`,
      [terminal.store_id, batch.terminalId, keys.map((k) => k.split('\u0000')[0]), keys.map((k) => k.split('\u0000')[1]), ...FACT_COLUMNS.map(([k]) => sums.map((s) => s[k]))],
    );
  }

  await recordMemberStocks(tx, batch, created);
  return { anonymousSalesAckedThrough: anonymousThrough };
}

/** Tier and expiry lots of the members this batch touched, and the per-terminal stock deltas. */
async function recordMemberStocks(tx: Queryable, batch: InsightBatch, created: ReadonlySet<string>): Promise<void> {
  const stock = new Map<string, number>();
  const addStock = (metric: 'tier' | 'expiry', bucket: string, delta: number) => {
    if (delta !== 0) stock.set(`${metric}\u0000${bucket}`, (stock.get(`${metric}\u0000${bucket}`) ?? 0) + delta);
  };

  const tiers = new Map<string, TierOf>();
  const credits = new Map<string, Map<string, number>>();
  const debits = new Map<string, number>();
  const versions = [...new Set(batch.stored.filter((s) => needsPolicy(s.entry)).map((s) => s.entry.ruleSetVersion as string))];
  const policies = await expiryPolicies(tx, versions);
  for (const stored of batch.stored) {
    const { entry, memberId } = stored;
    if (entry.kind === 'earn') {
      const tierId = tierOfEarn(stored);
      const candidate: TierOf = { tierId: tierId ?? null, at: entry.deviceTime, terminal: entry.terminalId, seq: entry.seq };
      const current = tiers.get(memberId);
      if (tierId !== undefined && (!current || later(candidate, current))) tiers.set(memberId, candidate);
    }
    if (entry.points > 0) {
      const month = expiryMonthOf(entry, insightDayOf(entry.deviceTime, batch.timeZone ?? null), policies);
      const byMonth = credits.get(memberId) ?? new Map<string, number>();
      byMonth.set(month, (byMonth.get(month) ?? 0) + entry.points);
      credits.set(memberId, byMonth);
    } else if (entry.points < 0) {
      debits.set(memberId, (debits.get(memberId) ?? 0) - entry.points);
    }
  }
  const members = [...new Set([...created, ...tiers.keys(), ...credits.keys(), ...debits.keys()])].sort();
  if (members.length === 0) return;

  // The members' rows are locked by the ingest's balance update already (same order, same transaction).
  const current = new Map<string, { tier_id: string | null; tier_at: string | null; tier_terminal: string | null; tier_seq: number | null; debited: number; exists: boolean }>();
  for (const r of await tx.query<{ member_id: string; tier_id: string | null; tier_at: string | null; tier_terminal: string | null; tier_seq: number | null; debited: number }>(
    'SELECT member_id, tier_id, tier_at, tier_terminal, tier_seq, debited FROM member_insights WHERE member_id = ANY($1::text[])',
    [members],
  )) {
    current.set(r.member_id, { ...r, exists: true });
  }
  const lotMembers = [...new Set([...credits.keys(), ...debits.keys()])];
  const lots = new Map<string, Map<string, number>>();
  if (lotMembers.length > 0) {
    for (const r of await tx.query<{ member_id: string; expires_month: string; credited: number }>(
      'SELECT member_id, expires_month, credited FROM member_point_lots WHERE member_id = ANY($1::text[])',
      [lotMembers],
    )) {
      const byMonth = lots.get(r.member_id) ?? new Map<string, number>();
      byMonth.set(r.expires_month, r.credited);
      lots.set(r.member_id, byMonth);
    }
  }

  const upserts: { id: string; tierId: string | null; tierAt: string | null; tierTerminal: string | null; tierSeq: number | null; debited: number }[] = [];
  const lotRows: { id: string; month: string; credited: number }[] = [];
  for (const id of members) {
    const before = current.get(id);
    const isNew = !before;
    const state = before ?? { tier_id: null, tier_at: null, tier_terminal: null, tier_seq: null, debited: 0, exists: false };
    // A member enrolled before insights existed has no row yet: a rebuild counts them; here they start now.
    if (isNew) addStock('tier', '', 1);
    const tier = tiers.get(id);
    let { tier_id: tierId, tier_at: tierAt, tier_terminal: tierTerminal, tier_seq: tierSeq } = state;
    const tierMoved = tier !== undefined && later(tier, { at: tierAt, terminal: tierTerminal, seq: tierSeq });
    if (tier && tierMoved) {
      addStock('tier', tierId ?? '', -1);
      addStock('tier', tier.tierId ?? '', 1);
      ({ tierId, at: tierAt, terminal: tierTerminal, seq: tierSeq } = tier);
    }
    const debited = state.debited + (debits.get(id) ?? 0);
    // A sale without a tier and without a debit leaves the member's row as it was: not written again.
    if (isNew || tierMoved || debited !== state.debited) upserts.push({ id, tierId, tierAt, tierTerminal, tierSeq, debited });

    const added = credits.get(id);
    if (added || debits.has(id)) {
      const creditedBefore = lots.get(id) ?? new Map<string, number>();
      const creditedAfter = new Map(creditedBefore);
      for (const [month, points] of added ?? []) {
        creditedAfter.set(month, (creditedAfter.get(month) ?? 0) + points);
        lotRows.push({ id, month, credited: creditedAfter.get(month) ?? 0 });
      }
      const leftBefore = remainingByMonth(creditedBefore, state.debited);
      const leftAfter = remainingByMonth(creditedAfter, debited);
      for (const month of new Set([...leftBefore.keys(), ...leftAfter.keys()])) addStock('expiry', month, (leftAfter.get(month) ?? 0) - (leftBefore.get(month) ?? 0));
    }
  }

  if (upserts.length > 0) {
    await tx.query(
      `INSERT INTO member_insights (member_id, tier_id, tier_at, tier_terminal, tier_seq, debited)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
       ON CONFLICT (member_id) DO UPDATE SET tier_id = excluded.tier_id, tier_at = excluded.tier_at, tier_terminal = excluded.tier_terminal, tier_seq = excluded.tier_seq, debited = excluded.debited`,
      [upserts.map((u) => u.id), upserts.map((u) => u.tierId), upserts.map((u) => u.tierAt), upserts.map((u) => u.tierTerminal), upserts.map((u) => u.tierSeq), upserts.map((u) => u.debited)],
    );
  }
  if (lotRows.length > 0) {
    // One row per (member, month): the last value computed is the total.
    const last = new Map(lotRows.map((r) => [`${r.id}\u0000${r.month}`, r]));
    const rows = [...last.values()];
    await tx.query(
      `INSERT INTO member_point_lots (member_id, expires_month, credited) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (member_id, expires_month) DO UPDATE SET credited = excluded.credited`,
      [rows.map((r) => r.id), rows.map((r) => r.month), rows.map((r) => r.credited)],
    );
  }
  if (stock.size > 0) {
    const keys = [...stock.keys()];
    await tx.query(
      `INSERT INTO insight_stock (terminal_id, metric, bucket, value) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[])
       ON CONFLICT (terminal_id, metric, bucket) DO UPDATE SET value = insight_stock.value + excluded.value`,
      [batch.terminalId, keys.map((k) => k.split('\u0000')[0]), keys.map((k) => k.split('\u0000')[1]), keys.map((k) => stock.get(k) ?? 0)],
    );
  }
}

/** Adds per-terminal stock deltas ('' for changes made on the server itself). */
async function addStock(tx: Queryable, terminalId: string, deltas: { metric: 'tier' | 'expiry'; bucket: string; value: number }[]): Promise<void> {
  const sums = new Map<string, { metric: 'tier' | 'expiry'; bucket: string; value: number }>();
  for (const d of deltas) {
    const key = `${d.metric}\u0000${d.bucket}`;
    sums.set(key, { ...d, value: (sums.get(key)?.value ?? 0) + d.value });
  }
  const rows = [...sums.values()].filter((d) => d.value !== 0);
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO insight_stock (terminal_id, metric, bucket, value) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[])
     ON CONFLICT (terminal_id, metric, bucket) DO UPDATE SET value = insight_stock.value + excluded.value`,
    [terminalId, rows.map((d) => d.metric), rows.map((d) => d.bucket), rows.map((d) => d.value)],
  );
}

async function lotsOf(tx: Queryable, memberId: string): Promise<{ credited: Map<string, number>; debited: number; tier: string | null; exists: boolean }> {
  const [row] = await tx.query<{ debited: number; tier_id: string | null }>('SELECT debited, tier_id FROM member_insights WHERE member_id = $1', [memberId]);
  const lots = await tx.query<{ expires_month: string; credited: number }>('SELECT expires_month, credited FROM member_point_lots WHERE member_id = $1', [memberId]);
  return { credited: new Map(lots.map((l) => [l.expires_month, Number(l.credited)])), debited: Number(row?.debited ?? 0), tier: row?.tier_id ?? null, exists: Boolean(row) };
}

const expiryDeltas = (before: Map<string, number>, after: Map<string, number>) =>
  [...new Set([...before.keys(), ...after.keys()])].map((month) => ({ metric: 'expiry' as const, bucket: month, value: (after.get(month) ?? 0) - (before.get(month) ?? 0) }));

/** The rebuild's SQL for the expiry month of points the owner credits from the console at `created_at`. */
export const SQL_OWNER_CREDIT_MONTH = `coalesce((SELECT to_char(date_trunc('month', a.created_at AT TIME ZONE 'UTC') + (r.document->'expiry'->>'months')::int * interval '1 month', 'YYYY-MM')
   FROM rule_sets r WHERE r.active_from <= a.created_at AND r.document->'expiry'->>'type' = 'months' ORDER BY r.active_from DESC LIMIT 1), '${NEVER_MONTH}')`;

/**
 * An adjustment the owner makes from the console (no terminal, no ledger entry): call it in the
 * adjustment's transaction so the liability follows. Credits expire by the rule set in force then.
 */
export async function recordOwnerAdjustment(tx: Queryable, memberId: string, points: number, at: Date): Promise<void> {
  const state = await lotsOf(tx, memberId);
  const before = remainingByMonth(state.credited, state.debited);
  let debited = state.debited;
  if (points > 0) {
    const [rule] = await tx.query<{ months: number | null; type: string | null }>(
      `SELECT document->'expiry'->>'type' AS type, (document->'expiry'->>'months')::int AS months FROM rule_sets WHERE active_from <= $1 ORDER BY active_from DESC LIMIT 1`,
      [at.toISOString()],
    );
    const month = rule?.type === 'months' && rule.months ? addMonthsToMonth(at.toISOString().slice(0, 10), rule.months) : NEVER_MONTH;
    state.credited.set(month, (state.credited.get(month) ?? 0) + points);
    await tx.query(
      `INSERT INTO member_point_lots (member_id, expires_month, credited) VALUES ($1, $2, $3)
       ON CONFLICT (member_id, expires_month) DO UPDATE SET credited = member_point_lots.credited + excluded.credited`,
      [memberId, month, points],
    );
  } else {
    debited -= points;
  }
  await tx.query(
    `INSERT INTO member_insights (member_id, debited) VALUES ($1, $2) ON CONFLICT (member_id) DO UPDATE SET debited = excluded.debited`,
    [memberId, debited],
  );
  await addStock(tx, '', [...(state.exists ? [] : [{ metric: 'tier' as const, bucket: '', value: 1 }]), ...expiryDeltas(before, remainingByMonth(state.credited, debited))]);
}

/**
 * A merge made from the console (`from` becomes part of `into`, its ledger rows moved): call it in
 * the merge's transaction so tiers and the liability follow. The survivor keeps the later tier.
 */
export async function recordMemberMerge(tx: Queryable, fromId: string, intoId: string): Promise<void> {
  const [from, into] = [await lotsOf(tx, fromId), await lotsOf(tx, intoId)];
  const tiers = await tx.query<{ member_id: string; tier_id: string | null; tier_at: string | null; tier_terminal: string | null; tier_seq: number | null }>(
    'SELECT member_id, tier_id, tier_at, tier_terminal, tier_seq FROM member_insights WHERE member_id = ANY($1::text[])',
    [[fromId, intoId]],
  );
  const fromTier = tiers.find((t) => t.member_id === fromId);
  const intoTier = tiers.find((t) => t.member_id === intoId);
  const fromLater = fromTier?.tier_at && (!intoTier?.tier_at || later({ tierId: fromTier.tier_id, at: fromTier.tier_at, terminal: fromTier.tier_terminal ?? '', seq: Number(fromTier.tier_seq ?? 0) }, { at: intoTier.tier_at, terminal: intoTier.tier_terminal, seq: intoTier.tier_seq }));
  const survivor = fromLater ? fromTier : intoTier;

  const credited = new Map(into.credited);
  for (const [month, points] of from.credited) credited.set(month, (credited.get(month) ?? 0) + points);
  const debited = into.debited + from.debited;
  const before = new Map<string, number>();
  for (const map of [remainingByMonth(from.credited, from.debited), remainingByMonth(into.credited, into.debited)]) for (const [m, p] of map) before.set(m, (before.get(m) ?? 0) + p);

  await tx.query('DELETE FROM member_point_lots WHERE member_id = $1', [fromId]);
  await tx.query('DELETE FROM member_insights WHERE member_id = $1', [fromId]);
  if (credited.size > 0) {
    await tx.query(
      `INSERT INTO member_point_lots (member_id, expires_month, credited) SELECT $1, * FROM unnest($2::text[], $3::bigint[])
       ON CONFLICT (member_id, expires_month) DO UPDATE SET credited = excluded.credited`,
      [intoId, [...credited.keys()], [...credited.values()]],
    );
  }
  await tx.query(
    `INSERT INTO member_insights (member_id, tier_id, tier_at, tier_terminal, tier_seq, debited) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (member_id) DO UPDATE SET tier_id = excluded.tier_id, tier_at = excluded.tier_at, tier_terminal = excluded.tier_terminal, tier_seq = excluded.tier_seq, debited = excluded.debited`,
    [intoId, survivor?.tier_id ?? null, survivor?.tier_at ?? null, survivor?.tier_terminal ?? null, survivor?.tier_seq ?? null, debited],
  );
  // One member fewer: both old tiers out, the survivor's in.
  await addStock(tx, '', [
    ...(from.exists ? [{ metric: 'tier' as const, bucket: from.tier ?? '', value: -1 }] : []),
    ...(into.exists ? [{ metric: 'tier' as const, bucket: into.tier ?? '', value: -1 }] : []),
    { metric: 'tier' as const, bucket: survivor?.tier_id ?? '', value: 1 },
    ...expiryDeltas(before, remainingByMonth(credited, debited)),
  ]);
}
