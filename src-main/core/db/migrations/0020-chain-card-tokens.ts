import type { Database } from 'better-sqlite3';

// Payment cards may be kept under the chain's card key too. Every terminal of a chain makes the
// same token of a card with it (`c<N>:<hex>`), so links sync and a card linked at one store is
// known at every other. Tokens under the terminal's own key (`v<N>:<hex>`, what it made before
// the chain gave it a key) stay as they are and are still found here. The table is rebuilt: a
// CHECK constraint cannot be changed in place.
export function updateToSchemaVersion20(db: Database): void {
  db.exec(`
    CREATE TABLE member_cards_chain (
      card_id TEXT PRIMARY KEY,
      member_id TEXT NOT NULL REFERENCES members (member_id),
      kind TEXT NOT NULL CHECK (kind IN ('payment', 'loyalty')),
      -- Payment cards: a card token belongs to one member at most.
      card_token TEXT UNIQUE CHECK (card_token IS NULL OR card_token GLOB 'v[0-9]*:[0-9a-f]*' OR card_token GLOB 'c[0-9]*:[0-9a-f]*'),
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
    INSERT INTO member_cards_chain SELECT card_id, member_id, kind, card_token, brand, last4, card_number, linked_at, linked_by FROM member_cards;
    DROP TABLE member_cards;
    ALTER TABLE member_cards_chain RENAME TO member_cards;
    CREATE INDEX member_cards_member ON member_cards (member_id);
  `);
}
