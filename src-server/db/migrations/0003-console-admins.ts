// The programme console: admin accounts (scrypt password hashes), sign-in sessions (only the
// token's hash is stored), failed sign-ins (to slow down guessing), and the outbox depth each
// terminal reports when it pushes, and who installed each rule-set version.
export const MIGRATION_0003_CONSOLE_ADMINS = `
CREATE TABLE admin_accounts (
  name text PRIMARY KEY,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE TABLE admin_sessions (
  token_hash text PRIMARY KEY,
  admin_name text NOT NULL REFERENCES admin_accounts (name),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX admin_sessions_admin ON admin_sessions (admin_name);

CREATE TABLE admin_signin_failures (
  failure_id bigserial PRIMARY KEY,
  admin_name text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX admin_signin_failures_name ON admin_signin_failures (admin_name, at);

ALTER TABLE terminals ADD COLUMN queue_depth bigint;
ALTER TABLE terminals ADD COLUMN queue_depth_at timestamptz;

-- Who installed each rule-set version (the console's history shows it).
ALTER TABLE rule_sets ADD COLUMN installed_by text
`;
