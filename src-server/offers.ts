// Personalised offers on the server: computed from each member's purchase history (the earn entries
// terminals pushed) under the active rule set's `offers` section, stored in `offers`, published in
// the change feed (`offers` dataset, absolute states), marked redeemed when an earn entry that used
// one arrives, expired when their last day has passed, and counted for the "offer uptake" insight.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { KasaError } from '../src-shared/api/errors';
import { localTime } from '../src-shared/program/local-time';
import { addDays, isLocalDate } from '../src-shared/program/local-time';
import { selectOffers, type PurchaseVisit } from '../src-shared/program/offer-selection';
import { OfferTerms, type OfferRecord, type OfferStatus, type OfferType } from '../src-shared/program/offers';
import type { LedgerEntry } from '../src-shared/ledger/entry';
import type { Change } from '../src-shared/sync/protocol';
import type { InsightTable } from '../src-shared/insights/insights';
import type { Database, Queryable } from './db/database';
import { activeRuleSet } from './rule-set-reads';

type OfferRow = {
  offer_id: string;
  member_id: string;
  type: OfferType;
  subject: string;
  terms: OfferTerms;
  reason: string;
  valid_from: string;
  valid_until: string;
  status: OfferStatus;
  rule_set_version: string;
  redeemed_terminal_id: string | null;
  redeemed_seq: number | null;
  redeemed_sale_id: string | null;
};

export const offerRecordOf = (r: OfferRow): OfferRecord => ({
  offerId: r.offer_id,
  memberId: r.member_id,
  type: r.type,
  terms: r.terms,
  reason: r.reason,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  status: r.status,
  ruleSetVersion: r.rule_set_version,
});

const publish = (tx: Queryable, rows: readonly OfferRow[]) =>
  rows.length === 0
    ? Promise.resolve()
    : tx.query(
        `INSERT INTO changes (dataset, key, payload) SELECT 'offers', u.key, u.payload FROM unnest($1::text[], $2::jsonb[]) AS u(key, payload)`,
        [rows.map((r) => r.offer_id), rows.map((r) => JSON.stringify(offerRecordOf(r)))],
      );

type UptakeDelta = { day: string; type: string; status: OfferStatus; n: number };

/**
 * Keeps offer_uptake_daily in step with offers: every state change moves one offer from one count
 * to another. Keys are written in a fixed order, so concurrent transactions cannot deadlock.
 */
async function addUptake(tx: Queryable, deltas: readonly UptakeDelta[]): Promise<void> {
  const merged = new Map<string, UptakeDelta>();
  for (const d of deltas) {
    const key = `${d.day}\u0000${d.type}\u0000${d.status}`;
    const seen = merged.get(key);
    if (seen) seen.n += d.n;
    else merged.set(key, { ...d });
  }
  const rows = [...merged.entries()].filter(([, d]) => d.n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO offer_uptake_daily (day, type, status, n) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
     ON CONFLICT (day, type, status) DO UPDATE SET n = offer_uptake_daily.n + excluded.n`,
    [rows.map((r) => r.day), rows.map((r) => r.type), rows.map((r) => r.status), rows.map((r) => r.n)],
  );
}

/** Offers that moved from `from` to their current state. */
const moved = (rows: readonly OfferRow[], from: OfferStatus): UptakeDelta[] =>
  rows.flatMap((r) => [
    { day: r.valid_from, type: r.type, status: from, n: -1 },
    { day: r.valid_from, type: r.type, status: r.status, n: 1 },
  ]);

/** Same member, type, subject, day and rule set: the same id, so a second run of a day adds nothing. */
const offerIdOf = (memberId: string, type: string, subject: string, date: string, version: string) =>
  `of-${createHash('sha256').update(`${memberId}\u0000${type}\u0000${subject}\u0000${date}\u0000${version}`).digest('hex').slice(0, 24)}`;

type VisitRow = { member_id: string; lines: PurchaseVisit['lines'] | null; at: string | null; tz: string | null; tier_id: string | null; device_time: string };

function visitDate(r: VisitRow): string {
  if (r.at) {
    try {
      return localTime({ at: r.at, timeZone: r.tz ?? 'UTC' }).date;
    } catch {
      // A zone this runtime does not know: the instant's UTC date.
    }
  }
  return (r.at ?? r.device_time).slice(0, 10);
}

async function visitsOf(tx: Queryable, memberIds: readonly string[]): Promise<Map<string, PurchaseVisit[]>> {
  const rows = await tx.query<VisitRow>(
    `SELECT member_id, entry->'payload'->'lines' AS lines, entry->'payload'->>'at' AS at, entry->'payload'->>'timeZone' AS tz,
            entry->'payload'->'member'->'tier'->>'tierId' AS tier_id, device_time
     FROM ledger WHERE kind = 'earn' AND member_id = ANY($1::text[])`,
    [memberIds],
  );
  const visits = new Map<string, PurchaseVisit[]>();
  for (const r of rows) {
    if (!Array.isArray(r.lines)) continue;
    const lines = r.lines.filter((l) => l !== null && typeof l === 'object' && typeof l.category === 'string');
    const list = visits.get(r.member_id) ?? [];
    list.push({ date: visitDate(r), lines, tierId: r.tier_id });
    visits.set(r.member_id, list);
  }
  return visits;
}

export type OfferRunSummary = {
  date: string;
  ruleSetVersion: string | null;
  members: number;
  issued: number;
  withdrawn: number;
  expired: number;
  excluded: number;
};

export type OfferRunOptions = {
  /** The store-local day to compute for ("YYYY-MM-DD"); default: today (UTC). */
  date?: string | undefined;
  /** Only this member (on demand); default: every member with purchases. */
  memberId?: string | undefined;
  now?: () => Date;
  /** Members per transaction. */
  pageSize?: number;
};

/**
 * Computes offers for `date`: expires the ones past their last day, withdraws the ones the member no
 * longer earns (history, rules or exclusions changed), and issues new ones within the caps. Running
 * it again for the same day changes nothing.
 */
export async function runOffers(db: Database, options: OfferRunOptions = {}): Promise<OfferRunSummary> {
  const now = (options.now ?? (() => new Date()))();
  const date = options.date ?? now.toISOString().slice(0, 10);
  if (!isLocalDate(date)) throw new KasaError('VALIDATION', `--date must be a day "YYYY-MM-DD", not "${date}"`);
  const ruleSet = await activeRuleSet(db, now);
  const summary: OfferRunSummary = { date, ruleSetVersion: ruleSet?.version ?? null, members: 0, issued: 0, withdrawn: 0, expired: 0, excluded: 0 };

  summary.expired = await db.transaction(async (tx) => {
    const expired = await tx.query<OfferRow>(`UPDATE offers SET status = 'expired', status_at = now() WHERE status = 'active' AND valid_until < $1 RETURNING *`, [date]);
    await publish(tx, expired);
    await addUptake(tx, moved(expired, 'active'));
    return expired.length;
  });
  if (!ruleSet?.offers) {
    // Without offers in the rules, nothing to issue; any still active are withdrawn below.
    const [anyActive] = await db.query('SELECT 1 FROM offers WHERE status = $1 LIMIT 1', ['active']);
    if (!anyActive) return summary;
  }

  const pageSize = options.pageSize ?? 500;
  let after = '';
  for (;;) {
    const ids = options.memberId
      ? after === ''
        ? [(await db.query<{ id: string }>('SELECT coalesce((SELECT member_id FROM member_aliases WHERE alias_id = $1), $1) AS id', [options.memberId]))[0]?.id ?? options.memberId]
        : []
      : (await db.query<{ member_id: string }>(`SELECT DISTINCT member_id FROM ledger WHERE kind = 'earn' AND member_id > $1 ORDER BY member_id LIMIT $2`, [after, pageSize])).map((r) => r.member_id);
    if (ids.length === 0) break;
    after = ids.at(-1) ?? after;
    await db.transaction(async (tx) => {
      const visits = await visitsOf(tx, ids);
      const held = await tx.query<OfferRow>(
        `SELECT * FROM offers WHERE member_id = ANY($1::text[]) AND status IN ('active', 'redeemed') AND valid_until >= $2 ORDER BY offer_id`,
        [ids, date],
      );
      const withdraw: string[] = [];
      const issue: OfferRow[] = [];
      for (const memberId of ids) {
        summary.members += 1;
        const mine = held.filter((o) => o.member_id === memberId);
        const selection = ruleSet ? selectOffers(ruleSet, memberId, visits.get(memberId) ?? [], date) : { excluded: 'no-offers' as const, candidates: [] };
        if (selection.excluded === 'excluded-member' || selection.excluded === 'excluded-tier') summary.excluded += 1;
        const wanted = new Set(selection.candidates.map((c) => `${c.type}\u0000${c.subject}`));
        const kept = mine.filter((o) => o.status === 'redeemed' || wanted.has(`${o.type}\u0000${o.subject}`));
        for (const o of mine) if (!kept.includes(o)) withdraw.push(o.offer_id);
        const rules = ruleSet?.offers;
        if (!rules || !ruleSet) continue;
        // An offer (used or not) holds its type's place until its last day; at most maxPerMember.
        const taken = new Set(kept.map((o) => o.type));
        let slots = rules.maxPerMember - kept.length;
        for (const c of selection.candidates) {
          if (slots <= 0) break;
          if (taken.has(c.type)) continue;
          const offerId = offerIdOf(memberId, c.type, c.subject, date, ruleSet.version);
          issue.push({
            offer_id: offerId,
            member_id: memberId,
            type: c.type,
            subject: c.subject,
            terms: { ...c.terms, offerId } as OfferTerms,
            reason: c.reason,
            valid_from: date,
            valid_until: addDays(date, rules.validityDays - 1),
            status: 'active',
            rule_set_version: ruleSet.version,
            redeemed_terminal_id: null,
            redeemed_seq: null,
            redeemed_sale_id: null,
          });
          taken.add(c.type);
          slots -= 1;
        }
      }
      // Only offers still active are withdrawn: one a terminal used meanwhile stays redeemed.
      const withdrawn = withdraw.length
        ? await tx.query<OfferRow>(`UPDATE offers SET status = 'withdrawn', status_at = now() WHERE offer_id = ANY($1::text[]) AND status = 'active' RETURNING *`, [withdraw])
        : [];
      const issued = issue.length
        ? await tx.query<OfferRow>(
            `INSERT INTO offers (offer_id, member_id, type, subject, terms, reason, valid_from, valid_until, status, rule_set_version)
             SELECT u.id, u.member, u.type, u.subject, u.terms, u.reason, u.vfrom, u.vuntil, 'active', u.version
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::text[], $9::text[])
               AS u(id, member, type, subject, terms, reason, vfrom, vuntil, version)
             ON CONFLICT (offer_id) DO NOTHING RETURNING *`,
            [
              issue.map((o) => o.offer_id),
              issue.map((o) => o.member_id),
              issue.map((o) => o.type),
              issue.map((o) => o.subject),
              issue.map((o) => JSON.stringify(o.terms)),
              issue.map((o) => o.reason),
              issue.map((o) => o.valid_from),
              issue.map((o) => o.valid_until),
              issue.map((o) => o.rule_set_version),
            ],
          )
        : [];
      await publish(tx, [...withdrawn, ...issued]);
      await addUptake(tx, [...moved(withdrawn, 'active'), ...issued.map((r) => ({ day: r.valid_from, type: r.type, status: r.status, n: 1 }))]);
      summary.withdrawn += withdrawn.length;
      summary.issued += issued.length;
    });
    if (options.memberId) break;
  }
  return summary;
}

export type OfferMisuse = { offerId: string; problem: 'unknown' | 'other-member' | 'already-redeemed' | 'used-while-expired' | 'used-while-withdrawn'; firstUse?: { terminalId: string | null; seq: number | null; saleId: string | null } };

const OfferUses = z.array(OfferTerms).max(10);

/**
 * An earn entry that used offers: each is marked redeemed by this sale. A second use (another
 * terminal, another sale) or a use the server did not expect is kept (the sale happened) and
 * reported, to become an `offer-misuse` exception.
 */
export async function recordOfferUses(tx: Queryable, terminalId: string, entry: LedgerEntry, memberId: string): Promise<OfferMisuse[]> {
  if (entry.payload.offers === undefined) return [];
  const parsed = OfferUses.safeParse(entry.payload.offers);
  if (!parsed.success) return [];
  const misuses: OfferMisuse[] = [];
  for (const { offerId } of parsed.data) {
    const [row] = await tx.query<OfferRow & { owner: string }>(
      `SELECT o.*, coalesce(a.member_id, o.member_id) AS owner FROM offers o LEFT JOIN member_aliases a ON a.alias_id = o.member_id
       WHERE o.offer_id = $1 FOR UPDATE OF o`,
      [offerId],
    );
    if (!row) {
      misuses.push({ offerId, problem: 'unknown' });
      continue;
    }
    if (row.owner !== memberId) {
      misuses.push({ offerId, problem: 'other-member' });
      continue;
    }
    if (row.status === 'redeemed') {
      if (row.redeemed_terminal_id === terminalId && row.redeemed_sale_id === entry.saleId) continue;
      misuses.push({ offerId, problem: 'already-redeemed', firstUse: { terminalId: row.redeemed_terminal_id, seq: row.redeemed_seq, saleId: row.redeemed_sale_id } });
      continue;
    }
    if (row.status === 'expired' || row.status === 'withdrawn') misuses.push({ offerId, problem: `used-while-${row.status}` });
    const updated = await tx.query<OfferRow>(
      `UPDATE offers SET status = 'redeemed', status_at = now(), redeemed_terminal_id = $2, redeemed_seq = $3, redeemed_sale_id = $4 WHERE offer_id = $1 RETURNING *`,
      [offerId, terminalId, entry.seq, entry.saleId],
    );
    await publish(tx, updated);
    await addUptake(tx, moved(updated, row.status));
  }
  return misuses;
}

export type OfferView = OfferRecord & { redeemedBy: { terminalId: string; seq: number | null; saleId: string | null } | null };

export async function listOffers(db: Queryable, options: { memberId?: string | undefined; status?: OfferStatus | undefined; limit?: number } = {}): Promise<OfferView[]> {
  const rows = await db.query<OfferRow>(
    `SELECT * FROM offers WHERE ($1::text IS NULL OR member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = $1), $1))
       AND ($2::text IS NULL OR status = $2) ORDER BY valid_from DESC, offer_id LIMIT $3`,
    [options.memberId ?? null, options.status ?? null, options.limit ?? 200],
  );
  return rows.map((r) => ({
    ...offerRecordOf(r),
    redeemedBy: r.redeemed_terminal_id ? { terminalId: r.redeemed_terminal_id, seq: r.redeemed_seq === null ? null : Number(r.redeemed_seq), saleId: r.redeemed_sale_id } : null,
  }));
}

/** Active offers, as feed changes: what a terminal loading the snapshot needs beside the members. */
export async function activeOfferChanges(db: Queryable): Promise<Change[]> {
  const rows = await db.query<OfferRow>(`SELECT * FROM offers WHERE status = 'active' ORDER BY offer_id`);
  return rows.map((r) => ({ dataset: 'offers', key: r.offer_id, payload: offerRecordOf(r) }));
}

export const UPTAKE_PERIODS = ['day', 'week', 'month'] as const;
export type UptakePeriod = (typeof UPTAKE_PERIODS)[number];

export type UptakeRow = { period: string; type: OfferType; offered: number; redeemed: number; expired: number; withdrawn: number; active: number; redemptionRate: number | null };
export type OfferUptake = { from: string; to: string; period: UptakePeriod; rows: UptakeRow[]; totals: UptakeRow[] };

const PERIOD_SQL: Record<UptakePeriod, string> = {
  day: 'day',
  week: "to_char(date_trunc('week', day::date), 'YYYY-MM-DD')",
  month: 'substr(day, 1, 7)',
};

/**
 * Offer uptake: offers issued in [from, to] (by the day they were issued), by type and period, with
 * how many were redeemed, expired unused, withdrawn or are still open. The redemption rate is
 * redeemed / (offered - withdrawn - active): of the offers whose fate is known.
 */
export async function offerUptake(db: Queryable, options: { from?: string | undefined; to?: string | undefined; period?: UptakePeriod | undefined } = {}): Promise<OfferUptake> {
  const from = options.from ?? '0000-01-01';
  const to = options.to ?? '9999-12-31';
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new KasaError('VALIDATION', `${name} must be a day "YYYY-MM-DD", not "${value}"`);
  }
  const period = options.period ?? 'week';
  if (!UPTAKE_PERIODS.includes(period)) throw new KasaError('VALIDATION', `period must be one of ${UPTAKE_PERIODS.join(', ')}`);
  type Counted = { period: string; type: OfferType; offered: number; redeemed: number; expired: number; withdrawn: number; active: number };
  // From the pre-aggregated counts (a row per issue day, type and state), never the offers themselves.
  const counts = `coalesce(sum(n), 0)::float8 AS offered, coalesce(sum(n) FILTER (WHERE status = 'redeemed'), 0)::float8 AS redeemed,
    coalesce(sum(n) FILTER (WHERE status = 'expired'), 0)::float8 AS expired, coalesce(sum(n) FILTER (WHERE status = 'withdrawn'), 0)::float8 AS withdrawn,
    coalesce(sum(n) FILTER (WHERE status = 'active'), 0)::float8 AS active`;
  const rows = await db.query<Counted>(
    `SELECT ${PERIOD_SQL[period]} AS period, type, ${counts} FROM offer_uptake_daily WHERE day >= $1 AND day <= $2 GROUP BY 1, 2 HAVING sum(n) > 0 ORDER BY 1, 2`,
    [from, to],
  );
  const totals = await db.query<Counted>(
    `SELECT 'all' AS period, type, ${counts} FROM offer_uptake_daily WHERE day >= $1 AND day <= $2 GROUP BY type HAVING sum(n) > 0 ORDER BY type`,
    [from, to],
  );
  const withRate = (r: Counted): UptakeRow => {
    const c = { offered: Number(r.offered), redeemed: Number(r.redeemed), expired: Number(r.expired), withdrawn: Number(r.withdrawn), active: Number(r.active) };
    const settled = c.redeemed + c.expired;
    return { period: r.period, type: r.type, ...c, redemptionRate: settled > 0 ? c.redeemed / settled : null };
  };
  return { from, to, period, rows: rows.map(withRate), totals: totals.map(withRate) };
}

/** Runs `runOffers` for today every `everyMinutes`, in the background of a running server. */
export function scheduleOffers(db: Database, everyMinutes: number, onError: (error: unknown) => void, now: () => Date = () => new Date()): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runOffers(db, { now })
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMinutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

const TYPE_NAMES: Record<OfferType, string> = { favouriteCategory: 'favourite category', bundle: 'usual + add-on', winBack: 'win-back' };

/**
 * Offer uptake as an Insights table (src-server/insights/insight-sources.ts): offers issued in the
 * query's range by period and type. Offers belong to members, not to a store, so the store, terminal
 * and cashier filters do not narrow it (the title says so). Nothing issued in the range: no table.
 */
export async function offerUptakeInsight(db: Queryable, query: { from: string; to: string; period: UptakePeriod; storeId?: string | undefined; terminalId?: string | undefined; cashierId?: string | undefined }): Promise<InsightTable | null> {
  const uptake = await offerUptake(db, { from: query.from, to: query.to, period: query.period });
  if (uptake.rows.length === 0) return null;
  const filtered = query.storeId !== undefined || query.terminalId !== undefined || (query.cashierId ?? '') !== '';
  return {
    id: 'offer-uptake',
    title: filtered ? 'Offer uptake (all stores)' : 'Offer uptake',
    columns: ['period', 'offer type', 'offered', 'redeemed', 'expired unused', 'withdrawn', 'still open', 'redemption rate'],
    kinds: ['text', 'text', 'count', 'count', 'count', 'count', 'count', 'rate'],
    rows: [...uptake.rows, ...uptake.totals].map((r) => [r.period, TYPE_NAMES[r.type], r.offered, r.redeemed, r.expired, r.withdrawn, r.active, r.redemptionRate]),
  };
}
