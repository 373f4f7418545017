import type { Database } from 'better-sqlite3';

// Personalised offers the server published for members (the `offers` feed dataset), and their use
// here. `server_status` is what the server last said; `used_sale_id` is set in the same transaction
// as the sale that used the offer, so a second sale cannot use it, even offline after a restart.
// No foreign key to members: an offer may arrive before its member, and merges are resolved on read.
export function updateToSchemaVersion8(db: Database): void {
  db.exec(`
    CREATE TABLE offers (
      offer_id TEXT PRIMARY KEY,
      member_id TEXT NOT NULL,
      type TEXT NOT NULL CHECK (type IN ('favouriteCategory', 'bundle', 'winBack')),
      terms TEXT NOT NULL CHECK (json_valid(terms)),
      reason TEXT NOT NULL,
      valid_from TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      valid_until TEXT NOT NULL CHECK (valid_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND valid_until >= valid_from),
      server_status TEXT NOT NULL CHECK (server_status IN ('active', 'redeemed', 'expired', 'withdrawn')),
      used_sale_id TEXT,
      used_at TEXT,
      received_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX offers_member ON offers (member_id, valid_until);
  `);
}
