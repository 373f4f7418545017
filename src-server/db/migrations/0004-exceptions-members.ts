// The exceptions queue and member administration of the console: flags on members and terminals,
// balance adjustments made by the programme owner (server-originated: they have no terminal seq),
// merges made from the console (with what the merged member was, so a merge can be undone), the
// last four digits of cards linked at terminals (never more of a card), and one suspicious-activity
// exception per subject and day.
export const MIGRATION_0004_EXCEPTIONS_MEMBERS = `
ALTER TABLE members ADD COLUMN flagged_at timestamptz;
ALTER TABLE members ADD COLUMN flag_reason text;
ALTER TABLE terminals ADD COLUMN flagged_at timestamptz;
ALTER TABLE terminals ADD COLUMN flag_reason text;

CREATE TABLE member_adjustments (
  adjustment_id bigserial PRIMARY KEY,
  member_id text NOT NULL,
  points bigint NOT NULL CHECK (points <> 0),
  reason_code text NOT NULL,
  note text,
  exception_id bigint REFERENCES exceptions (exception_id),
  actor text NOT NULL,
  balance_after bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX member_adjustments_member ON member_adjustments (member_id, created_at);

CREATE TABLE member_merges (
  merge_id bigserial PRIMARY KEY,
  from_member_id text NOT NULL,
  into_member_id text NOT NULL,
  merged_member jsonb NOT NULL,
  actor text NOT NULL,
  merged_at timestamptz NOT NULL DEFAULT now(),
  unmerged_at timestamptz,
  unmerged_by text
);
CREATE INDEX member_merges_members ON member_merges (from_member_id, into_member_id);

CREATE TABLE member_cards (
  member_id text NOT NULL,
  last4 text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  terminal_id text NOT NULL,
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, last4)
);
CREATE INDEX member_cards_last4 ON member_cards (last4);

CREATE UNIQUE INDEX exceptions_suspicious_once ON exceptions (kind, (details->>'subject'), (details->>'day'))
  WHERE kind IN ('suspicious-redemptions', 'suspicious-enrolments');
CREATE INDEX exceptions_member ON exceptions (member_id);
CREATE INDEX ledger_kind_day ON ledger (kind, left(device_time, 10)) WHERE kind IN ('redeem', 'enrol')
`;
