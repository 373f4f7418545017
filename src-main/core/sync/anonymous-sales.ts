// Sales without a member write no ledger entry, yet the programme owner needs them to see what share
// of sales were identified. The terminal counts them per day and cashier, from its own sales table,
// and sends the counts with a push; the server answers how far it took them (docs/sync-protocol.md,
// "Anonymous sale counts"). Counts only: no amount per sale, no lines, nothing about the customer.
import type { Database } from 'better-sqlite3';
import type { AnonymousSaleCounts } from '../../../src-shared/sync/protocol';
import { readSetting, writeSetting } from '../settings';

const ACKED_KEY = 'sync.anonymousSalesAckedThrough';
/** Sales looked at per push: bounds the work and keeps the counts (one per day and cashier) within the protocol's cap. */
const SALES_PER_PUSH = 1000;

/** The counts of sales after what the server acknowledged, or null when there are none to send. */
export function nextAnonymousSaleCounts(db: Database): AnonymousSaleCounts | null {
  const fromSale = Number(readSetting(db, ACKED_KEY) ?? 0);
  // The sales table's rowid grows with every sale: a position the server can acknowledge.
  const through = db
    .prepare<[number, number], { through: number | null }>('SELECT max(rowid) AS through FROM (SELECT rowid FROM sales WHERE rowid > ? ORDER BY rowid LIMIT ?)')
    .get(fromSale, SALES_PER_PUSH)?.through;
  if (!through) return null;
  const counts = db
    .prepare<[number, number], { day: string; cashier_id: string | null; sales: number; total: number }>(
      `SELECT substr(completed_at, 1, 10) AS day, cashier_id, count(*) AS sales, coalesce(sum(total_minor), 0) AS total
       FROM sales WHERE rowid > ? AND rowid <= ? AND member_id IS NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all(fromSale, through)
    .filter((c) => /^\d{4}-\d{2}-\d{2}$/.test(c.day))
    .map((c) => ({ day: c.day, cashierId: c.cashier_id, sales: c.sales, totalMinor: Math.max(0, c.total) }));
  return { fromSale, throughSale: through, counts };
}

/**
 * What the server answered. An older server does not answer at all: the counts are then taken as
 * sent, so they are not sent again and again.
 */
export function recordAnonymousSalesAck(db: Database, sent: AnonymousSaleCounts, ackedThrough: number | undefined): boolean {
  const next = ackedThrough ?? sent.throughSale;
  writeSetting(db, ACKED_KEY, String(next));
  return next !== sent.fromSale;
}
