// Personalised offers the server issued to members (src-server/offers.ts), and what became of each.
// Dates are store-local "YYYY-MM-DD" text: compared as text, never shifted by a client's zone.
export const MIGRATION_0006_OFFERS = `
CREATE TABLE offers (
  offer_id text PRIMARY KEY,
  member_id text NOT NULL,
  type text NOT NULL CHECK (type IN ('favouriteCategory', 'bundle', 'winBack')),
  subject text NOT NULL,
  terms jsonb NOT NULL,
  reason text NOT NULL,
  valid_from text NOT NULL CHECK (valid_from ~ '^\\d{4}-\\d{2}-\\d{2}$'),
  valid_until text NOT NULL CHECK (valid_until ~ '^\\d{4}-\\d{2}-\\d{2}$' AND valid_until >= valid_from),
  status text NOT NULL CHECK (status IN ('active', 'redeemed', 'expired', 'withdrawn')),
  rule_set_version text NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  status_at timestamptz NOT NULL DEFAULT now(),
  redeemed_terminal_id text,
  redeemed_seq bigint,
  redeemed_sale_id text
);
CREATE INDEX offers_member ON offers (member_id, valid_until);
CREATE INDEX offers_active_until ON offers (valid_until) WHERE status = 'active';
CREATE INDEX offers_issued ON offers (valid_from, type)
`;
