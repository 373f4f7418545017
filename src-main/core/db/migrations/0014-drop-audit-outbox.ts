import type { Database } from 'better-sqlite3';

// Audit records reach the server by seq, after sync_state.audit_acked_through_seq; the per-record
// queue rows of migration 2 were never read, and new records no longer get one. The table goes,
// with its index; the audit log itself is untouched.
export function updateToSchemaVersion14(db: Database): void {
  db.exec('DROP TABLE audit_outbox;');
}
