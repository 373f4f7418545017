// A member's balance changes with a new version (migration 0009) that travels with it to terminals:
// the feed, push answers and the snapshot carry it, and a terminal keeps the newest it has seen.
import type { Queryable } from './db/database';

/** What every UPDATE of members.balance also sets (ingest's batch statement uses it too). */
export const NEXT_BALANCE_VERSION = "balance_version = nextval('balance_versions')";

export type VersionedBalance = { memberId: string; balance: number; version: number };

/** Moves one member's balance `by` points or sets it `to` a value; null when the member row is gone. */
export async function updateBalance(tx: Queryable, memberId: string, change: { by: number } | { to: number }): Promise<VersionedBalance | null> {
  const [row] = await tx.query<{ balance: number; version: number }>(
    `UPDATE members SET balance = ${'by' in change ? 'balance + $2' : '$2'}, ${NEXT_BALANCE_VERSION} WHERE member_id = $1 RETURNING balance, balance_version AS version`,
    [memberId, 'by' in change ? change.by : change.to],
  );
  return row ? { memberId, balance: row.balance, version: Number(row.version) } : null;
}
