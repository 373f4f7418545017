// The central schema. Ledger rows are keyed by (terminal_id, seq): the terminal's own numbering.
export const MIGRATION_0001_INITIAL = `
CREATE TABLE stores (
  store_id text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE enrol_codes (
  code_hash text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (store_id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE terminals (
  terminal_id text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (store_id),
  name text,
  credential_hash text NOT NULL UNIQUE,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_seq bigint NOT NULL DEFAULT 0,
  last_hash text NOT NULL DEFAULT '${'0'.repeat(64)}',
  audit_last_seq bigint NOT NULL DEFAULT 0,
  last_push_at timestamptz
);

CREATE TABLE members (
  member_id text PRIMARY KEY,
  phone text UNIQUE,
  name text,
  balance bigint NOT NULL DEFAULT 0,
  enrolled_by text,
  enrolled_at timestamptz NOT NULL DEFAULT now()
);

-- Member ids terminals used that now mean another member (merges).
CREATE TABLE member_aliases (
  alias_id text PRIMARY KEY,
  member_id text NOT NULL REFERENCES members (member_id),
  merged_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ledger (
  terminal_id text NOT NULL REFERENCES terminals (terminal_id),
  seq bigint NOT NULL,
  kind text NOT NULL,
  member_id text NOT NULL,
  points bigint NOT NULL,
  amount_minor bigint,
  currency text,
  rule_set_version text,
  sale_id text,
  device_time text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  entry jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, seq)
);
CREATE INDEX ledger_member ON ledger (member_id);

-- A second, different entry for a (terminal, seq) already stored: kept for audit, never applied.
CREATE TABLE ledger_forks (
  fork_id bigserial PRIMARY KEY,
  terminal_id text NOT NULL,
  seq bigint NOT NULL,
  hash text NOT NULL,
  entry jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE terminal_audit (
  terminal_id text NOT NULL REFERENCES terminals (terminal_id),
  seq bigint NOT NULL,
  entry jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, seq)
);

CREATE TABLE exceptions (
  exception_id bigserial PRIMARY KEY,
  kind text NOT NULL,
  terminal_id text,
  seq bigint,
  member_id text,
  details jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by text,
  resolution text
);
CREATE INDEX exceptions_open ON exceptions (created_at) WHERE resolved_at IS NULL;

CREATE TABLE rule_sets (
  version text PRIMARY KEY,
  document jsonb NOT NULL,
  active_from timestamptz NOT NULL DEFAULT now(),
  installed_at timestamptz NOT NULL DEFAULT now()
);

-- The change feed. txid orders it by commit (see feed.ts); payloads are absolute states.
CREATE TABLE changes (
  change_id bigserial PRIMARY KEY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  dataset text NOT NULL,
  key text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_order ON changes (txid, change_id);

-- Changes up to floor_change_id were pruned: cursors older than that must refetch.
CREATE TABLE feed_state (
  id integer PRIMARY KEY CHECK (id = 1),
  floor_change_id bigint NOT NULL DEFAULT 0
);
INSERT INTO feed_state (id, floor_change_id) VALUES (1, 0);

CREATE TABLE admin_audit (
  audit_id bigserial PRIMARY KEY,
  actor text NOT NULL,
  action text NOT NULL,
  details jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
`;
