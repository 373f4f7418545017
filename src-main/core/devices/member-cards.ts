// Cards linked to members (table member_cards, migration 7). Payment cards are rows of keyed token +
// brand + last four; loyalty cards and digital card codes are rows of their printed number.
import type { Database, Statement } from 'better-sqlite3';
import type { CardLinkedDetails } from '../../../src-shared/sync/protocol';
import { isChainToken } from '../card-keys';

export type LinkedCardRow = {
  card_id: string;
  member_id: string;
  kind: 'payment' | 'loyalty';
  card_token: string | null;
  brand: string | null;
  last4: string | null;
  card_number: string | null;
  linked_at: string;
};

export type LinkedCardView = {
  cardId: string;
  kind: 'payment' | 'loyalty';
  brand: string | null;
  last4: string | null;
  cardNumber: string | null;
  linkedAt: string;
};

// The token stays inside the core: callers get brand and last four.
export const toLinkedCardView = (row: LinkedCardRow): LinkedCardView => ({
  cardId: row.card_id,
  kind: row.kind,
  brand: row.brand,
  last4: row.last4,
  cardNumber: row.card_number,
  linkedAt: row.linked_at,
});

const COLUMNS = 'card_id, member_id, kind, card_token, brand, last4, card_number, linked_at';

/** Prepared statements over member_cards; callers own the transaction. */
export class MemberCardsRepo {
  readonly #byToken: Statement<[string], LinkedCardRow>;
  readonly #byNumber: Statement<[string], LinkedCardRow>;
  readonly #byId: Statement<[string], LinkedCardRow>;
  readonly #insert: Statement<[string, string, string, string | null, string | null, string | null, string | null, string, string | null]>;
  readonly #retoken: Statement<[string, string]>;

  constructor(db: Database) {
    this.#byToken = db.prepare(`SELECT ${COLUMNS} FROM member_cards WHERE card_token = ?`);
    this.#byNumber = db.prepare(`SELECT ${COLUMNS} FROM member_cards WHERE card_number = ?`);
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM member_cards WHERE card_id = ?`);
    this.#insert = db.prepare(
      'INSERT INTO member_cards (card_id, member_id, kind, card_token, brand, last4, card_number, linked_at, linked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#retoken = db.prepare('UPDATE member_cards SET card_token = ? WHERE card_id = ?');
  }

  /** The row of a payment card under any of its key versions' tokens. */
  byTokens(tokens: readonly string[]): LinkedCardRow | null {
    for (const token of tokens) {
      const row = this.#byToken.get(token);
      if (row) return row;
    }
    return null;
  }

  byNumber(cardNumber: string): LinkedCardRow | null {
    return this.#byNumber.get(cardNumber) ?? null;
  }

  insertPayment(cardId: string, memberId: string, token: string, brand: string, last4: string, at: string, by: string | null): LinkedCardRow {
    this.#insert.run(cardId, memberId, 'payment', token, brand, last4, null, at, by);
    return this.#byId.get(cardId) as LinkedCardRow;
  }

  /** The card now kept under another of its tokens (the chain's, for a card linked under the terminal's own key). */
  retoken(cardId: string, token: string): LinkedCardRow {
    this.#retoken.run(token, cardId);
    return this.#byId.get(cardId) as LinkedCardRow;
  }

  insertLoyalty(cardId: string, memberId: string, cardNumber: string, at: string, by: string | null): LinkedCardRow {
    this.#insert.run(cardId, memberId, 'loyalty', null, null, null, cardNumber, at, by);
    return this.#byId.get(cardId) as LinkedCardRow;
  }
}

/** A payment card as a swipe gave it: its tokens (never its number). */
export type SwipedCard = { token: string; chainTokens: readonly string[]; brand: string; last4: string };

/**
 * A payment card linked or swiped here: a row kept under the terminal's own key moves to the
 * chain's token (the swipe made it), and what the server is to be told of the link, or null while
 * the terminal has no chain key (its tokens mean nothing elsewhere).
 */
export function chainPaymentLink(cards: MemberCardsRepo, row: LinkedCardRow, card: SwipedCard): { row: LinkedCardRow; shared: CardLinkedDetails | null } {
  if (card.chainTokens.length === 0) return { row, shared: null };
  const kept = row.card_token !== null && !isChainToken(row.card_token) ? cards.retoken(row.card_id, card.token) : row;
  return { row: kept, shared: { kind: 'payment', memberId: kept.member_id, cardId: kept.card_id, tokens: [...card.chainTokens], brand: card.brand, last4: card.last4 } };
}
