// The manager's end-of-day loyalty report for this terminal: sales identified vs anonymous, points
// by kind, enrolments, referrals, donations, refunds, overrides with who approved them, per
// cashier, and whether everything reached the server (and if not, why).
import type { DayReport, SyncStatus, UnsyncedReason } from '../../src-shared/api/sync-methods';
import { localDateBounds, localTime } from '../../src-shared/program/local-time';
import type { ExceptionKind } from '../../src-shared/sync/protocol';
import { syncWordsFor, unsyncedReasonText } from '../../src-shared/sync/sync-errors';
import type { CoreContext } from './core-context';

const inDay = (column: string) => `julianday(${column}) >= julianday(@start) AND julianday(${column}) < julianday(@end)`;

export function dayReport(ctx: CoreContext, sync: SyncStatus, day?: string): DayReport {
  const { db, settings } = ctx;
  const timeZone = settings.timeZone;
  const now = ctx.now();
  const date = day ?? localTime({ at: now, timeZone }).date;
  const range = localDateBounds(date, timeZone);

  const sales = db
    .prepare<typeof range, { identified: number; anonymous: number; total: number; identified_total: number }>(
      `SELECT count(member_id) AS identified, count(*) - count(member_id) AS anonymous,
              coalesce(sum(total_minor), 0) AS total, coalesce(sum(CASE WHEN member_id IS NOT NULL THEN total_minor END), 0) AS identified_total
       FROM sales WHERE ${inDay('completed_at')}`,
    )
    .get(range) ?? { identified: 0, anonymous: 0, total: 0, identified_total: 0 };

  const kinds = db
    .prepare<typeof range, { kind: string; n: number; points: number }>(`SELECT kind, count(*) AS n, sum(points) AS points FROM ledger WHERE ${inDay('device_time')} GROUP BY kind`)
    .all(range);
  const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.points]));
  const of = (kind: string) => kinds.find((k) => k.kind === kind) ?? { n: 0, points: 0 };
  const issued = kinds.reduce((s, k) => s + (k.points > 0 && k.kind !== 'refund' ? k.points : 0), 0);
  const redeemed = -(of('redeem').points + of('donate').points);
  // Money given back at this counter today (sales of any day), counted once per refund: a refund
  // writes a ledger entry per part (earned points back, redeemed points returned), or none without a member.
  const refunds = db
    .prepare<typeof range, { n: number; amount: number }>(`SELECT count(*) AS n, coalesce(sum(amount_minor), 0) AS amount FROM refunds WHERE ${inDay('refunded_at')}`)
    .get(range) ?? { n: 0, amount: 0 };
  const donations = db
    .prepare<typeof range, { n: number }>(`SELECT count(DISTINCT json_extract(payload, '$.donationId')) AS n FROM ledger WHERE kind = 'donate' AND ${inDay('device_time')}`)
    .get(range)?.n ?? 0;

  // What a manager's PIN let through, and every balance adjustment a manager made signed in
  // themselves (approved by their own sign-in: points given by hand are what an owner checks). An
  // attempt that failed anyway (a balance too low, a wrong amount) approved nothing. Names as staff
  // know each other; the ids stay for the CSV and support.
  const overrides = db
    .prepare<typeof range, { at: string; action: string; user_id: string | null; user_name: string | null; approved_by: string | null; approved_by_name: string | null }>(
      `SELECT a.at, a.action, a.user_id, u.name AS user_name, a.approved_by, m.name AS approved_by_name
       FROM (SELECT seq, at, action, user_id,
                    coalesce(json_extract(details, '$.approvedBy'), CASE WHEN action = 'members.adjust' AND role = 'manager' THEN user_id END) AS approved_by
             FROM audit_log
             WHERE ${inDay('at')} AND outcome = 'ok'
               AND (json_extract(details, '$.approvedBy') IS NOT NULL OR (action = 'members.adjust' AND role = 'manager'))) a
       LEFT JOIN users u ON u.user_id = a.user_id LEFT JOIN users m ON m.user_id = a.approved_by ORDER BY a.seq`,
    )
    .all(range)
    .map((o) => ({ at: o.at, action: o.action, userId: o.user_id, userName: o.user_name, approvedBy: o.approved_by, approvedByName: o.approved_by_name }));

  const cashiers = db
    .prepare<typeof range, { user_id: string | null; name: string | null; sales: number; identified: number; issued: number; redeemed: number; enrolments: number }>(
      `WITH s AS (SELECT cashier_id, count(*) AS sales, count(member_id) AS identified FROM sales WHERE ${inDay('completed_at')} GROUP BY cashier_id),
            l AS (SELECT cashier_id,
                         coalesce(sum(CASE WHEN points > 0 AND kind <> 'refund' THEN points END), 0) AS issued,
                         -coalesce(sum(CASE WHEN kind IN ('redeem', 'donate') THEN points END), 0) AS redeemed,
                         count(CASE WHEN kind = 'enrol' THEN 1 END) AS enrolments
                  FROM ledger WHERE ${inDay('device_time')} GROUP BY cashier_id),
            ids AS (SELECT cashier_id FROM s UNION SELECT cashier_id FROM l)
       SELECT ids.cashier_id AS user_id, u.name, coalesce(s.sales, 0) AS sales, coalesce(s.identified, 0) AS identified,
              coalesce(l.issued, 0) AS issued, coalesce(l.redeemed, 0) AS redeemed, coalesce(l.enrolments, 0) AS enrolments
       FROM ids LEFT JOIN s ON s.cashier_id IS ids.cashier_id LEFT JOIN l ON l.cashier_id IS ids.cashier_id
       LEFT JOIN users u ON u.user_id = ids.cashier_id ORDER BY u.name`,
    )
    .all(range)
    .filter((c) => c.sales + c.issued + c.redeemed + c.enrolments > 0)
    .map((c) => ({ userId: c.user_id, name: c.name, sales: c.sales, identified: c.identified, pointsIssued: c.issued, pointsRedeemed: c.redeemed, enrolments: c.enrolments }));

  const exceptions = db
    .prepare<typeof range, { seq: number; kinds: string; member_id: string; points: number }>(
      `SELECT x.seq, x.kinds, l.member_id, l.points FROM sync_exceptions x JOIN ledger l USING (seq) WHERE ${inDay('l.device_time')} ORDER BY x.seq`,
    )
    .all(range)
    .map((x) => ({ seq: x.seq, kinds: JSON.parse(x.kinds) as ExceptionKind[], memberId: x.member_id, points: x.points }));
  // What the status bar's "flagged by the server" counts beyond this day, by the day each entry was
  // recorded: the manager finds them there (a flag comes when the entry reaches the server, a day
  // later after a night offline; a wrong clock dated it on a day no one would step to).
  const flaggedByDay = new Map<string, number>();
  for (const { at } of db
    .prepare<typeof range, { at: string }>(`SELECT l.device_time AS at FROM sync_exceptions x JOIN ledger l USING (seq) WHERE NOT (${inDay('l.device_time')})`)
    .all(range)) {
    const flaggedDay = localTime({ at, timeZone }).date;
    flaggedByDay.set(flaggedDay, (flaggedByDay.get(flaggedDay) ?? 0) + 1);
  }
  const flaggedOnOtherDays = [...flaggedByDay].map(([d, count]) => ({ day: d, count })).sort((a, b) => b.day.localeCompare(a.day));

  return {
    day: date,
    timeZone,
    storeName: settings.storeName,
    terminalId: ctx.terminalId,
    generatedAt: now,
    sales: { identified: sales.identified, anonymous: sales.anonymous, totalMinor: sales.total, identifiedTotalMinor: sales.identified_total, netMinor: sales.total - refunds.amount },
    points: { issued, redeemed, byKind },
    enrolments: of('enrol').n,
    referrals: of('referral').n,
    // A donation the programme matches is two entries (the member's and the match, of 0 points).
    donations: { count: donations, points: -of('donate').points },
    refunds: { count: refunds.n, amountMinor: refunds.amount, points: of('refund').points },
    overrides,
    cashiers,
    sync: {
      everythingPushed: sync.enrolled && sync.queuedEntries === 0,
      queuedEntries: sync.queuedEntries,
      oldestQueuedAt: sync.oldestQueuedAt,
      lastSuccessAt: sync.lastSuccessAt,
      lastError: sync.lastError?.message ?? null,
      lastErrorCode: sync.lastError?.code ?? null,
      ...unsyncedReason(sync, settings.locale),
      exceptions,
      flaggedOnOtherDays,
    },
  };
}

/**
 * Why entries are still on this terminal, as a code for a screen's own words and as a sentence in
 * the store's language (the failure said by its code; its English message stays in lastError).
 */
function unsyncedReason(sync: SyncStatus, locale: string): { reason: string | null; reasonCode: UnsyncedReason | null } {
  const reasonCode = unsyncedReasonCode(sync);
  return { reasonCode, reason: reasonCode && unsyncedReasonText(syncWordsFor(locale), reasonCode, sync.lastError?.code ?? null) };
}

function unsyncedReasonCode(sync: SyncStatus): UnsyncedReason | null {
  if (sync.phase === 'not-enrolled') return 'not-enrolled';
  if (sync.phase === 'revoked') return 'revoked';
  if (sync.queuedEntries === 0) return null;
  if (sync.phase === 'blocked') return 'blocked';
  return sync.lastError ? 'retrying' : 'waiting';
}
