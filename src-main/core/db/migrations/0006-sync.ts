import type { Database } from 'better-sqlite3';

// Sync with the central server: the enrolment, how far the server acknowledged this terminal's
// ledger and audit log, where the change feed continues, the server's authoritative balances,
// members merged into others, what the server flagged, and the documents it published.
export function updateToSchemaVersion6(db: Database): void {
  db.exec(`
    CREATE TABLE sync_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      server_url TEXT NOT NULL,
      store_id TEXT NOT NULL,
      store_name TEXT NOT NULL,
      enrolled_at TEXT NOT NULL,
      revoked_at TEXT,
      acked_through_seq INTEGER NOT NULL DEFAULT 0,
      audit_acked_through_seq INTEGER NOT NULL DEFAULT 0,
      -- NULL until the member snapshot is loaded (and again after the server says mustRefetch).
      feed_cursor TEXT,
      last_success_at TEXT,
      last_attempt_at TEXT,
      last_error TEXT,
      last_error_at TEXT
    ) STRICT;

    -- Balances as the server last reported them. What the counter shows is this plus the local
    -- entries the server had not acknowledged when it was reported.
    CREATE TABLE server_balances (
      member_id TEXT PRIMARY KEY,
      balance INTEGER NOT NULL,
      acked_through_seq INTEGER NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    -- Member ids that now mean another member (the same phone enrolled on two terminals).
    CREATE TABLE member_aliases (
      alias_id TEXT PRIMARY KEY,
      member_id TEXT NOT NULL,
      merged_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX member_aliases_member ON member_aliases (member_id);

    -- Entries the server stored but flagged, with the exception kinds it raised.
    CREATE TABLE sync_exceptions (
      seq INTEGER PRIMARY KEY REFERENCES ledger (seq),
      kinds TEXT NOT NULL,
      reported_at TEXT NOT NULL
    ) STRICT;

    -- Rule sets, catalogue and rewards as the server published them in the feed.
    CREATE TABLE server_documents (
      dataset TEXT NOT NULL,
      key TEXT NOT NULL,
      payload TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (dataset, key)
    ) STRICT;
  `);
}
