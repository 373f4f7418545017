// Cards linked at terminals, as the chain knows them: a payment card by its chain token (one row
// per token: a link brings the card under every key version the terminal holds; the tokens of one
// card share its card_id), a loyalty card by 'loyalty:' and its number in capitals (terminals
// compare them case-insensitively). The key the tokens are made with is never in the database:
// it is the server's card key file. One card, one member: a card linked to a second member merges
// the two (ingest.ts).
export const MIGRATION_0014_LINKED_CARDS = `
CREATE TABLE linked_cards (
  card_key text PRIMARY KEY,
  card_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('payment', 'loyalty')),
  member_id text NOT NULL,
  brand text,
  last4 text CHECK (last4 ~ '^[0-9]{4}$'),
  card_number text,
  key_version integer,
  terminal_id text NOT NULL,
  linked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX linked_cards_member ON linked_cards (member_id);
CREATE INDEX linked_cards_card ON linked_cards (card_id)
`;
