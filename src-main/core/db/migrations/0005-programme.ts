import type { Database } from 'better-sqlite3';
import { referralCodeFor } from '../../referral-code';

// The full loyalty programme: installed rule sets (immutable per version) and when each becomes
// active, each member's programme state (referral code and referrer, tier, birth month), the tier
// window's qualifying amounts, points earned per local day (for daily caps), open expiry lots, and
// refunds and donations with their idempotency keys. Everything but rule sets is derived from the
// ledger and kept here so a sale reads a handful of rows, never a member's whole history.
export function updateToSchemaVersion5(db: Database): void {
  db.exec(`
    CREATE TABLE rule_sets (
      version TEXT PRIMARY KEY,
      -- Canonical JSON of the validated rule set (defaults filled in).
      document TEXT NOT NULL CHECK (json_valid(document)),
      digest TEXT NOT NULL,
      installed_at TEXT NOT NULL,
      installed_by TEXT
    ) STRICT;
    CREATE TRIGGER rule_sets_no_update BEFORE UPDATE ON rule_sets
      BEGIN SELECT RAISE(ABORT, 'an installed rule set never changes: install a new version'); END;
    CREATE TRIGGER rule_sets_no_delete BEFORE DELETE ON rule_sets
      BEGIN SELECT RAISE(ABORT, 'installed rule sets are kept: replays need every version'); END;

    -- The active rule set at an instant: the activation with the latest active_from at or before it.
    CREATE TABLE rule_set_activations (
      seq INTEGER PRIMARY KEY,
      version TEXT NOT NULL REFERENCES rule_sets (version),
      active_from TEXT NOT NULL,
      active_from_ms INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      recorded_by TEXT
    ) STRICT;
    CREATE INDEX rule_set_activations_from ON rule_set_activations (active_from_ms, seq);

    CREATE TABLE member_programme (
      member_id TEXT PRIMARY KEY REFERENCES members (member_id),
      referral_code TEXT NOT NULL UNIQUE,
      referrer_member_id TEXT REFERENCES members (member_id),
      referral_rewarded INTEGER NOT NULL DEFAULT 0 CHECK (referral_rewarded IN (0, 1)),
      birth_month INTEGER CHECK (birth_month BETWEEN 1 AND 12),
      tier_id TEXT,
      tier_since TEXT,
      -- Points a refund took back after they were spent; later credits repay it first.
      lots_debt INTEGER NOT NULL DEFAULT 0 CHECK (lots_debt >= 0),
      CHECK (referrer_member_id IS NULL OR referrer_member_id <> member_id),
      CHECK ((tier_id IS NULL) = (tier_since IS NULL))
    ) STRICT;
    CREATE INDEX member_programme_referrer ON member_programme (referrer_member_id) WHERE referrer_member_id IS NOT NULL;

    -- What each sale adds to the tier window (eligible spend and points), at the sale's instant; a
    -- refund adds a negative row at the same instant. Both measures, whatever the tier basis today.
    CREATE TABLE tier_qualifying (
      id INTEGER PRIMARY KEY,
      member_id TEXT NOT NULL REFERENCES members (member_id),
      sale_id TEXT NOT NULL,
      at_ms INTEGER NOT NULL,
      spend_minor INTEGER NOT NULL,
      points INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX tier_qualifying_member ON tier_qualifying (member_id, at_ms);

    CREATE TABLE member_day_points (
      member_id TEXT NOT NULL REFERENCES members (member_id),
      day TEXT NOT NULL,
      points INTEGER NOT NULL,
      PRIMARY KEY (member_id, day)
    ) STRICT;

    -- Open expiry lots: credits with points left, used soonest-expiring first. Lots that never
    -- expire are kept as one row per member (ref 'never').
    CREATE TABLE point_lots (
      member_id TEXT NOT NULL REFERENCES members (member_id),
      ref TEXT NOT NULL,
      earned_at TEXT NOT NULL,
      expires_on TEXT,
      ord INTEGER NOT NULL,
      remaining INTEGER NOT NULL CHECK (remaining > 0),
      PRIMARY KEY (member_id, ref)
    ) STRICT;

    CREATE TABLE refunds (
      refund_id TEXT PRIMARY KEY,
      sale_id TEXT NOT NULL REFERENCES sales (sale_id),
      idempotency_key TEXT NOT NULL UNIQUE,
      request_hash TEXT NOT NULL,
      lines TEXT NOT NULL CHECK (json_valid(lines)),
      amount_minor INTEGER NOT NULL,
      points_reversed INTEGER NOT NULL,
      points_returned INTEGER NOT NULL,
      cashier_id TEXT,
      approved_by TEXT,
      refunded_at TEXT NOT NULL,
      receipt TEXT NOT NULL
    ) STRICT;
    CREATE INDEX refunds_sale ON refunds (sale_id);

    CREATE TABLE donations (
      donation_id TEXT PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
      request_hash TEXT NOT NULL,
      member_id TEXT NOT NULL REFERENCES members (member_id),
      reward_id TEXT NOT NULL,
      charity TEXT NOT NULL,
      member_points INTEGER NOT NULL CHECK (member_points > 0),
      match_points INTEGER NOT NULL CHECK (match_points >= 0),
      rule_set_version TEXT NOT NULL,
      donated_at TEXT NOT NULL,
      receipt TEXT NOT NULL
    ) STRICT;
  `);

  // Members enrolled before the programme: a referral code each, and their balance as one lot that
  // never expires (the only rule set before this version was the default, which never expires points).
  const insertState = db.prepare('INSERT INTO member_programme (member_id, referral_code, lots_debt) VALUES (?, ?, ?)');
  const codeTaken = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM member_programme WHERE referral_code = ?');
  const insertLot = db.prepare("INSERT INTO point_lots (member_id, ref, earned_at, expires_on, ord, remaining) VALUES (?, 'never', ?, NULL, 0, ?)");
  for (const m of db.prepare<[], { member_id: string; balance: number; enrolled_at: string }>('SELECT member_id, balance, enrolled_at FROM members ORDER BY member_id').all()) {
    let attempt = 0;
    while ((codeTaken.get(referralCodeFor(m.member_id, attempt))?.n ?? 0) > 0) attempt += 1;
    insertState.run(m.member_id, referralCodeFor(m.member_id, attempt), Math.max(0, -m.balance));
    if (m.balance > 0) insertLot.run(m.member_id, m.enrolled_at, m.balance);
  }
}
