import type { Database } from 'better-sqlite3';

// Scanners and card readers configured on this terminal, and the cards linked to members.
// A payment card is stored only as its keyed token (HMAC-SHA-256 under the programme's card key,
// "v<N>:<hex>") with brand and last four: never the PAN, never track data (PCI DSS 3.3, 3.5.1.1).
export function updateToSchemaVersion7(db: Database): void {
  db.exec(`
    CREATE TABLE devices (
      device_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      transport TEXT NOT NULL CHECK (transport IN ('serial', 'hid')),
      enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
      config TEXT NOT NULL CHECK (json_valid(config)),
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE member_cards (
      card_id TEXT PRIMARY KEY,
      member_id TEXT NOT NULL REFERENCES members (member_id),
      kind TEXT NOT NULL CHECK (kind IN ('payment', 'loyalty')),
      -- Payment cards: a card token belongs to one member at most.
      card_token TEXT UNIQUE CHECK (card_token IS NULL OR card_token GLOB 'v[0-9]*:[0-9a-f]*'),
      brand TEXT,
      last4 TEXT CHECK (last4 IS NULL OR (length(last4) = 4 AND last4 NOT GLOB '*[^0-9]*')),
      -- Loyalty cards and digital card codes: printed on the card, not secret.
      card_number TEXT UNIQUE COLLATE NOCASE,
      linked_at TEXT NOT NULL,
      linked_by TEXT,
      CHECK (
        (kind = 'payment' AND card_token IS NOT NULL AND brand IS NOT NULL AND last4 IS NOT NULL AND card_number IS NULL)
        OR (kind = 'loyalty' AND card_number IS NOT NULL AND card_token IS NULL AND last4 IS NULL)
      )
    ) STRICT;
    CREATE INDEX member_cards_member ON member_cards (member_id);
  `);
}
