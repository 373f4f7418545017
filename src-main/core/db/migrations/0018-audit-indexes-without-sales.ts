import type { Database } from 'better-sqlite3';

// Most audit records are completed sales, and each one cost its commit two index pages (by action,
// by user). The indexes now leave sales out: the audit view finds a sale record by walking back
// from the newest (sales are most of the log, so its page is near), and a user's sales between
// their own other records, which the index still finds (audit.list, handlers/audit.ts).
export function updateToSchemaVersion18(db: Database): void {
  db.exec(`
    DROP INDEX audit_action;
    DROP INDEX audit_user;
    CREATE INDEX audit_action ON audit_log (action, seq) WHERE action <> 'sales.complete';
    CREATE INDEX audit_user ON audit_log (user_id, seq) WHERE action <> 'sales.complete';
  `);
}
