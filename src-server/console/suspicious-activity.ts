// Suspicious activity found at ingest: a member redeeming more often in one day than anyone
// plausibly does, or one cashier enrolling more members in a day than a counter plausibly sees.
// Counted over everything the server holds (every terminal), each entry on its store's calendar
// day: its device time in its terminal's time zone (UTC for a terminal that never said one), the
// day the store's own day report and insights count it on.
// One exception per subject and day: a unique index makes a second one (from a later push, or a
// concurrent push from another terminal) a no-op.
import type { SuspiciousExceptionKind } from '../../src-shared/console/exception-kinds';
import type { LedgerEntry } from '../../src-shared/ledger/entry';
import type { Queryable } from '../db/database';
import { insightDayOf, sqlInsightDay } from '../insights/insight-facts';

export type SuspicionThresholds = {
  /** More redemptions than this by one member in one day raise `suspicious-redemptions`. */
  redemptionsPerMemberPerDay: number;
  /** More enrolments than this by one cashier (of one terminal) in one day raise `suspicious-enrolments`. */
  enrolmentsPerCashierPerDay: number;
};

export const DEFAULT_SUSPICION_THRESHOLDS: SuspicionThresholds = { redemptionsPerMemberPerDay: 5, enrolmentsPerCashierPerDay: 40 };

/**
 * SQL: the ledger row `l` happened on the store day `day` (an ISO date expression), `zone` the SQL
 * expression of its terminal's time zone. A store day lies within the UTC days either side of it,
 * so the day index (ledger_kind_day) narrows the rows before each one's zoned day is computed.
 */
export const sqlOnStoreDay = (day: string, zone: string): string =>
  `left(l.device_time, 10) BETWEEN to_char(${day}::date - 1, 'YYYY-MM-DD') AND to_char(${day}::date + 1, 'YYYY-MM-DD')
   AND ${sqlInsightDay(zone)} = ${day}::date`;

const insertOnce = (tx: Queryable, kind: SuspiciousExceptionKind, terminalId: string, memberId: string | null, details: Record<string, unknown>) =>
  tx.query(
    `INSERT INTO exceptions (kind, terminal_id, member_id, details) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind, (details->>'subject'), (details->>'day')) WHERE kind IN ('suspicious-redemptions', 'suspicious-enrolments') DO NOTHING`,
    [kind, terminalId, memberId, JSON.stringify(details)],
  );

/**
 * Looks at the entries a push just stored (with the server's member id of each) and records an
 * exception for each member or cashier that went over a threshold on that day. Returns the kinds raised.
 */
export async function detectSuspiciousActivity(
  tx: Queryable,
  terminalId: string,
  stored: readonly { entry: LedgerEntry; memberId: string }[],
  thresholds: SuspicionThresholds,
  timeZone: string | null,
): Promise<string[]> {
  const raised: string[] = [];
  const redeemDays = new Map<string, { memberId: string; day: string }>();
  const enrolDays = new Map<string, { cashierId: string; day: string }>();
  for (const { entry, memberId } of stored) {
    const day = insightDayOf(entry.deviceTime, timeZone);
    if (entry.kind === 'redeem') redeemDays.set(`${memberId}|${day}`, { memberId, day });
    if (entry.kind === 'enrol' && entry.cashierId) enrolDays.set(`${entry.cashierId}|${day}`, { cashierId: entry.cashierId, day });
  }
  if (redeemDays.size > 0) {
    const pairs = [...redeemDays.values()];
    // Every terminal's redemptions, each on its own store's day; this push's terminal by the zone
    // it says now (its row keeps the one it said before until the push ends).
    const over = await tx.query<{ member_id: string; day: string; n: number }>(
      `SELECT l.member_id, p.day, count(*)::bigint AS n
       FROM unnest($1::text[], $2::text[]) AS p(member_id, day)
       JOIN ledger l ON l.member_id = p.member_id
       JOIN terminals t ON t.terminal_id = l.terminal_id
       WHERE l.kind = 'redeem' AND ${sqlOnStoreDay('p.day', `CASE WHEN l.terminal_id = $4 THEN $5::text ELSE t.time_zone END`)}
       GROUP BY l.member_id, p.day HAVING count(*) > $3`,
      [pairs.map((p) => p.memberId), pairs.map((p) => p.day), thresholds.redemptionsPerMemberPerDay, terminalId, timeZone],
    );
    for (const row of over) {
      await insertOnce(tx, 'suspicious-redemptions', terminalId, row.member_id, { subject: row.member_id, day: row.day, count: row.n, threshold: thresholds.redemptionsPerMemberPerDay });
      raised.push('suspicious-redemptions');
    }
  }
  if (enrolDays.size > 0) {
    const pairs = [...enrolDays.values()];
    const over = await tx.query<{ cashier_id: string; day: string; n: number }>(
      `SELECT p.cashier_id, p.day, count(*)::bigint AS n
       FROM unnest($2::text[], $3::text[]) AS p(cashier_id, day)
       JOIN ledger l ON l.entry->>'cashierId' = p.cashier_id
       WHERE l.kind = 'enrol' AND l.terminal_id = $1 AND ${sqlOnStoreDay('p.day', '$5::text')}
       GROUP BY 1, 2 HAVING count(*) > $4`,
      [terminalId, pairs.map((p) => p.cashierId), pairs.map((p) => p.day), thresholds.enrolmentsPerCashierPerDay, timeZone],
    );
    for (const row of over) {
      await insertOnce(tx, 'suspicious-enrolments', terminalId, null, {
        subject: `${terminalId}/${row.cashier_id}`,
        cashierId: row.cashier_id,
        terminalId,
        day: row.day,
        count: row.n,
        threshold: thresholds.enrolmentsPerCashierPerDay,
      });
      raised.push('suspicious-enrolments');
    }
  }
  return raised;
}
