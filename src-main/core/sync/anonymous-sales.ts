// Sales without a member write no ledger entry, yet the programme owner needs them to see what share
// of sales were identified. The terminal counts them per day and cashier, from its own sales table,
// and sends the counts with a push; the server answers how far it took them (docs/sync-protocol.md,
// "Anonymous sale counts"). Counts only: no amount per sale, no lines, nothing about the customer.
import type { Database } from 'better-sqlite3';
import { localTimeOf } from '../../../src-shared/program/local-time';
import type { AnonymousSaleCounts } from '../../../src-shared/sync/protocol';
import { readSetting, writeSetting } from '../settings';

const ACKED_KEY = 'sync.anonymousSalesAckedThrough';
/** Sales looked at per push: bounds the work and keeps the counts (one per day and cashier) within the protocol's cap. */
const SALES_PER_PUSH = 1000;

/**
 * The counts of sales after what the server acknowledged, or null when there are none to send; each
 * counted on its date in the store's time zone (the day report's day, and the server's for the
 * store's ledger entries).
 */
export function nextAnonymousSaleCounts(db: Database, timeZone: string): AnonymousSaleCounts | null {
  const fromSale = Number(readSetting(db, ACKED_KEY) ?? 0);
  // The sales table's rowid grows with every sale: a position the server can acknowledge.
  const through = db
    .prepare<[number, number], { through: number | null }>('SELECT max(rowid) AS through FROM (SELECT rowid FROM sales WHERE rowid > ? ORDER BY rowid LIMIT ?)')
    .get(fromSale, SALES_PER_PUSH)?.through;
  if (!through) return null;
  // By minute first (SQLite knows no time zones, and some zones are half or three quarters of an
  // hour off UTC), then by local date here: at most one row per sale looked at.
  const minutes = db
    .prepare<[number, number], { minute: string; cashier_id: string | null; sales: number; total: number }>(
      `SELECT substr(completed_at, 1, 16) AS minute, cashier_id, count(*) AS sales, coalesce(sum(total_minor), 0) AS total
       FROM sales WHERE rowid > ? AND rowid <= ? AND member_id IS NULL GROUP BY 1, 2`,
    )
    .all(fromSale, through);
  const byDay = new Map<string, { day: string; cashierId: string | null; sales: number; totalMinor: number }>();
  for (const h of minutes) {
    const day = localDayOfMinute(h.minute, timeZone);
    if (day === null) continue;
    const key = `${day}\u0000${h.cashier_id ?? ''}`;
    const count = byDay.get(key) ?? { day, cashierId: h.cashier_id, sales: 0, totalMinor: 0 };
    count.sales += h.sales;
    count.totalMinor += Math.max(0, h.total);
    byDay.set(key, count);
  }
  const counts = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day) || (a.cashierId ?? '').localeCompare(b.cashierId ?? ''));
  return { fromSale, throughSale: through, counts };
}

/** The local date of a UTC minute "YYYY-MM-DDTHH:MM", or null for no such minute. */
function localDayOfMinute(minute: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(minute)) return null;
  const ms = Date.parse(`${minute}:00.000Z`);
  return Number.isNaN(ms) ? null : localTimeOf(ms, timeZone).date;
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
