// The chain's linked cards (migration 0014) as terminals receive them: SharedCard, one per card (a
// payment card by its token under the newest key version the server holds for it).
import type { SharedCard } from '../src-shared/sync/protocol';
import type { Queryable } from './db/database';
import { addChange } from './feed';

type CardRow = { member_id: string; card_id: string; kind: string; card_key: string; brand: string | null; last4: string | null; card_number: string | null };

/** Newest key version first within each card: the first row of a card is the one published. */
const CARD_COLUMNS = 'member_id, card_id, kind, card_key, brand, last4, card_number';
const CARD_ORDER = 'ORDER BY member_id, card_id, key_version DESC NULLS LAST, card_key';

function groupCards(rows: readonly CardRow[]): Map<string, SharedCard[]> {
  const byMember = new Map<string, SharedCard[]>();
  let last = '';
  for (const r of rows) {
    const key = `${r.member_id}\u0000${r.card_id}`;
    if (key === last) continue;
    last = key;
    let card: SharedCard | null = null;
    if (r.kind === 'payment' && r.brand !== null && r.last4 !== null) card = { kind: 'payment', cardId: r.card_id, token: r.card_key, brand: r.brand, last4: r.last4 };
    if (r.kind === 'loyalty' && r.card_number !== null) card = { kind: 'loyalty', cardId: r.card_id, cardNumber: r.card_number };
    if (!card) continue;
    const cards = byMember.get(r.member_id);
    if (cards) cards.push(card);
    else byMember.set(r.member_id, [card]);
  }
  return byMember;
}

/** Each given member's cards (members without any are absent). */
export async function sharedCardsOf(tx: Queryable, memberIds: readonly string[]): Promise<Map<string, SharedCard[]>> {
  if (memberIds.length === 0) return new Map();
  return groupCards(await tx.query<CardRow>(`SELECT ${CARD_COLUMNS} FROM linked_cards WHERE member_id = ANY($1::text[]) ${CARD_ORDER}`, [memberIds]));
}

/** The cards of every member whose id lies from `first` to `last`: one range scan for a snapshot page. */
export async function sharedCardsBetween(tx: Queryable, first: string, last: string): Promise<Map<string, SharedCard[]>> {
  return groupCards(await tx.query<CardRow>(`SELECT ${CARD_COLUMNS} FROM linked_cards WHERE member_id BETWEEN $1 AND $2 ${CARD_ORDER}`, [first, last]));
}

/** A `members` change with every card of each member (after a link or a merge changed them). */
export async function publishMemberCards(tx: Queryable, memberIds: readonly string[]): Promise<void> {
  const ids = [...new Set(memberIds)].sort();
  if (ids.length === 0) return;
  const members = await tx.query<{ member_id: string; phone: string | null; name: string | null }>('SELECT member_id, phone, name FROM members WHERE member_id = ANY($1::text[]) ORDER BY member_id', [ids]);
  const cards = await sharedCardsOf(tx, ids);
  for (const m of members) await addChange(tx, 'members', m.member_id, { memberId: m.member_id, phone: m.phone, name: m.name, cards: cards.get(m.member_id) ?? [] });
}
