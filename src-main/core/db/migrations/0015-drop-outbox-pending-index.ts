import type { Database } from 'better-sqlite3';

// The queue is read by seq (readLedgerQueue: pending rows are exactly those after the server's
// acknowledgement), so nothing reads outbox_pending any more, and every ledger entry paid for it
// with one more b-tree page in its commit. The outbox rows themselves stay, state and all.
export function updateToSchemaVersion15(db: Database): void {
  db.exec('DROP INDEX outbox_pending;');
}
