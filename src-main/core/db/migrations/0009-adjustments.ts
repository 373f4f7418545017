import type { Database } from 'better-sqlite3';

// Manual balance adjustments (issue 7): one row per adjustment, keyed by the client's idempotency key
// so a retried adjustment is recorded once. The points move through an `adjust` ledger entry; this row
// keeps the reason, who asked and who approved, and the balance before and after.
export function updateToSchemaVersion9(db: Database): void {
  db.exec(`
    CREATE TABLE adjustments (
      adjustment_id TEXT PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
      request_hash TEXT NOT NULL,
      member_id TEXT NOT NULL REFERENCES members (member_id),
      points INTEGER NOT NULL CHECK (points <> 0),
      reason TEXT NOT NULL,
      note TEXT,
      cashier_id TEXT,
      approved_by TEXT,
      balance_before INTEGER NOT NULL,
      balance_after INTEGER NOT NULL,
      entry_seq INTEGER NOT NULL,
      adjusted_at TEXT NOT NULL,
      receipt TEXT NOT NULL
    ) STRICT;
    CREATE INDEX adjustments_by_member ON adjustments (member_id, adjusted_at);
  `);
}
