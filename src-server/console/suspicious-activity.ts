// Suspicious activity found at ingest: a member redeeming more often in one day than anyone
// plausibly does, or one cashier enrolling more members in a day than a counter plausibly sees.
// Counted over everything the server holds (every terminal), by the day of the entry's own time.
// One exception per subject and day: a unique index makes a second one (from a later push, or a
// concurrent push from another terminal) a no-op.
import type { SuspiciousExceptionKind } from '../../src-shared/console/exception-kinds';
import type { LedgerEntry } from '../../src-shared/ledger/entry';
import type { Queryable } from '../db/database';

export type SuspicionThresholds = {
  /** More redemptions than this by one member in one day raise `suspicious-redemptions`. */
  redemptionsPerMemberPerDay: number;
  /** More enrolments than this by one cashier (of one terminal) in one day raise `suspicious-enrolments`. */
  enrolmentsPerCashierPerDay: number;
};

export const DEFAULT_SUSPICION_THRESHOLDS: SuspicionThresholds = { redemptionsPerMemberPerDay: 5, enrolmentsPerCashierPerDay: 40 };

/** The day an entry happened, as the terminal dated it (ISO date of its device time). */
const dayOf = (deviceTime: string): string => deviceTime.slice(0, 10);

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
): Promise<string[]> {
  const raised: string[] = [];
  const redeemDays = new Map<string, { memberId: string; day: string }>();
  const enrolDays = new Map<string, { cashierId: string; day: string }>();
  for (const { entry, memberId } of stored) {
    const day = dayOf(entry.deviceTime);
    if (entry.kind === 'redeem') redeemDays.set(`${memberId}|${day}`, { memberId, day });
    if (entry.kind === 'enrol' && entry.cashierId) enrolDays.set(`${entry.cashierId}|${day}`, { cashierId: entry.cashierId, day });
  }
  if (redeemDays.size > 0) {
    const pairs = [...redeemDays.values()];
    const over = await tx.query<{ member_id: string; day: string; n: number }>(
      `SELECT l.member_id, left(l.device_time, 10) AS day, count(*)::bigint AS n
       FROM ledger l JOIN unnest($1::text[], $2::text[]) AS p(member_id, day) ON l.member_id = p.member_id AND left(l.device_time, 10) = p.day
       WHERE l.kind = 'redeem' GROUP BY l.member_id, left(l.device_time, 10) HAVING count(*) > $3`,
      [pairs.map((p) => p.memberId), pairs.map((p) => p.day), thresholds.redemptionsPerMemberPerDay],
    );
    for (const row of over) {
      await insertOnce(tx, 'suspicious-redemptions', terminalId, row.member_id, { subject: row.member_id, day: row.day, count: row.n, threshold: thresholds.redemptionsPerMemberPerDay });
      raised.push('suspicious-redemptions');
    }
  }
  if (enrolDays.size > 0) {
    const pairs = [...enrolDays.values()];
    const over = await tx.query<{ cashier_id: string; day: string; n: number }>(
      `SELECT l.entry->>'cashierId' AS cashier_id, left(l.device_time, 10) AS day, count(*)::bigint AS n
       FROM ledger l JOIN unnest($2::text[], $3::text[]) AS p(cashier_id, day) ON l.entry->>'cashierId' = p.cashier_id AND left(l.device_time, 10) = p.day
       WHERE l.kind = 'enrol' AND l.terminal_id = $1 GROUP BY 1, 2 HAVING count(*) > $4`,
      [terminalId, pairs.map((p) => p.cashierId), pairs.map((p) => p.day), thresholds.enrolmentsPerCashierPerDay],
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
