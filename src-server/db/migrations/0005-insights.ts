// Pre-aggregated insights (docs/server.md, "Insights"). The console's figures are answered from
// these tables, never by scanning the ledger per request: they are maintained at ingest, in the push
// transaction, and `admin rebuild-insights` recomputes them from the ledger.
export const MIGRATION_0005_INSIGHTS = `
-- One row per day (the date the terminal's clock wrote on the entry), store, terminal and cashier
-- ('' when no cashier was signed in). Flows only: every column is a sum over that day's entries.
CREATE TABLE insight_daily (
  day date NOT NULL,
  store_id text NOT NULL,
  terminal_id text NOT NULL,
  cashier_id text NOT NULL DEFAULT '',
  identified_sales bigint NOT NULL DEFAULT 0,
  identified_sales_minor bigint NOT NULL DEFAULT 0,
  anonymous_sales bigint NOT NULL DEFAULT 0,
  anonymous_sales_minor bigint NOT NULL DEFAULT 0,
  new_members bigint NOT NULL DEFAULT 0,
  points_issued bigint NOT NULL DEFAULT 0,
  points_redeemed bigint NOT NULL DEFAULT 0,
  redemptions bigint NOT NULL DEFAULT 0,
  points_expired bigint NOT NULL DEFAULT 0,
  points_refunded bigint NOT NULL DEFAULT 0,
  referral_conversions bigint NOT NULL DEFAULT 0,
  donations bigint NOT NULL DEFAULT 0,
  donated_points bigint NOT NULL DEFAULT 0,
  donation_match_points bigint NOT NULL DEFAULT 0,
  donated_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (day, store_id, terminal_id, cashier_id)
);

-- Sales without a member never become ledger entries: terminals push their counts with each batch
-- (docs/sync-protocol.md, "Anonymous sale counts"). Kept per terminal, day and cashier so a rebuild
-- can put them back into insight_daily.
CREATE TABLE anonymous_sale_counts (
  terminal_id text NOT NULL,
  day date NOT NULL,
  cashier_id text NOT NULL DEFAULT '',
  sales bigint NOT NULL DEFAULT 0,
  total_minor bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (terminal_id, day, cashier_id)
);

-- How far each terminal's anonymous sale counts were taken in (the terminal's own sale position).
ALTER TABLE terminals ADD COLUMN anonymous_sales_through bigint NOT NULL DEFAULT 0;

-- Per member: the tier the terminals last saw (from the member context of the latest sale) and
-- every point spent, expired or taken back (debits use the soonest-expiring points first).
CREATE TABLE member_insights (
  member_id text PRIMARY KEY,
  tier_id text,
  tier_at text,
  tier_terminal text,
  tier_seq bigint,
  debited bigint NOT NULL DEFAULT 0
);

-- Per member: points credited, by the month they expire ('9999-12' = never). What is left of each
-- month is what the member's debits did not use, soonest month first.
CREATE TABLE member_point_lots (
  member_id text NOT NULL,
  expires_month text NOT NULL,
  credited bigint NOT NULL,
  PRIMARY KEY (member_id, expires_month)
);

-- Stocks as deltas per terminal: members by tier ('' = no sale yet) and points by expiry month.
-- Keyed by the terminal whose push made the change, so concurrent pushes never wait on one hot row;
-- a figure is the sum over terminals ('' holds what a rebuild computed).
CREATE TABLE insight_stock (
  terminal_id text NOT NULL,
  metric text NOT NULL CHECK (metric IN ('tier', 'expiry')),
  bucket text NOT NULL,
  value bigint NOT NULL,
  PRIMARY KEY (terminal_id, metric, bucket)
);

-- Targets the programme owner sets (e.g. identified share 0.6), shown against actuals.
CREATE TABLE insight_objectives (
  metric text PRIMARY KEY,
  target double precision NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)
`;
