import type { Database } from 'better-sqlite3';

// The audit log: every state-changing call (and every refused attempt), hash-chained like the
// ledger and queued for the server in its own outbox.
export function updateToSchemaVersion2(db: Database): void {
  db.exec(`
    CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      terminal_id TEXT NOT NULL,
      at TEXT NOT NULL,
      user_id TEXT,
      role TEXT,
      action TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_action ON audit_log (action, seq);
    CREATE INDEX audit_user ON audit_log (user_id, seq);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

    CREATE TABLE audit_outbox (
      seq INTEGER PRIMARY KEY REFERENCES audit_log (seq),
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acked'))
    ) STRICT;
    CREATE INDEX audit_outbox_pending ON audit_outbox (seq) WHERE state = 'pending';
  `);
}
