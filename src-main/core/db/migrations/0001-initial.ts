import type { Database } from 'better-sqlite3';

// The first schema: settings, members, the append-only ledger with its outbox, and sales.
export function updateToSchemaVersion1(db: Database): void {
  db.exec(`
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE members (
      member_id TEXT PRIMARY KEY,
      phone TEXT NOT NULL UNIQUE,
      name TEXT,
      balance INTEGER NOT NULL DEFAULT 0,
      enrolled_at TEXT NOT NULL
    ) STRICT;

    -- Append-only: rows are never updated or deleted (triggers below refuse it).
    CREATE TABLE ledger (
      seq INTEGER PRIMARY KEY,
      terminal_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('earn','redeem','refund','adjust','donate','referral','expire','enrol')),
      member_id TEXT NOT NULL,
      points INTEGER NOT NULL,
      amount_minor INTEGER,
      currency TEXT,
      rule_set_version TEXT,
      sale_id TEXT,
      breakdown TEXT NOT NULL,
      payload TEXT NOT NULL,
      cashier_id TEXT,
      device_time TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX ledger_member ON ledger (member_id, seq);
    CREATE INDEX ledger_sale ON ledger (sale_id) WHERE sale_id IS NOT NULL;
    CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
    CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

    -- One row per ledger entry waiting for (or done with) the server.
    CREATE TABLE outbox (
      seq INTEGER PRIMARY KEY REFERENCES ledger (seq),
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','acked','flagged')),
      attempts INTEGER NOT NULL DEFAULT 0,
      queued_at TEXT NOT NULL,
      last_error TEXT
    ) STRICT;
    CREATE INDEX outbox_pending ON outbox (seq) WHERE state = 'pending';

    CREATE TABLE sales (
      sale_id TEXT PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
      request_hash TEXT NOT NULL,
      member_id TEXT,
      currency TEXT NOT NULL,
      subtotal_minor INTEGER NOT NULL,
      discount_minor INTEGER NOT NULL,
      total_minor INTEGER NOT NULL,
      points_earned INTEGER NOT NULL,
      points_redeemed INTEGER NOT NULL,
      rule_set_version TEXT NOT NULL,
      cashier_id TEXT,
      completed_at TEXT NOT NULL,
      receipt TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sales_member ON sales (member_id, completed_at) WHERE member_id IS NOT NULL;

    CREATE TABLE sale_lines (
      sale_id TEXT NOT NULL REFERENCES sales (sale_id),
      line_no INTEGER NOT NULL,
      sku TEXT,
      name TEXT,
      category TEXT NOT NULL,
      qty INTEGER NOT NULL,
      unit_price_minor INTEGER NOT NULL,
      amount_minor INTEGER NOT NULL,
      discount_minor INTEGER NOT NULL,
      points INTEGER NOT NULL,
      PRIMARY KEY (sale_id, line_no)
    ) STRICT;
  `);
}
