// A card linked at a terminal, as its `card.linked` audit record tells the server (ingest.ts): the
// card becomes the member's chain-wide, and a card another member already holds makes the two one
// member, as a phone enrolled twice does. The first holder survives; the merge is an ordinary one
// (member_merges), so the console can undo it.
import type { AuditEntry } from '../src-shared/ledger/audit-entry';
import { CARD_LINKED_ACTION, CardLinkedDetails } from '../src-shared/sync/protocol';
import { mergeMembersIn } from './console/member-admin';
import type { Queryable } from './db/database';

export function cardLinkOf(record: AuditEntry): CardLinkedDetails | null {
  if (record.action !== CARD_LINKED_ACTION || record.outcome !== 'ok') return null;
  const details = CardLinkedDetails.safeParse(record.details);
  return details.success ? details.data : null;
}

/** The card's keys in linked_cards: each chain token of a payment card; a loyalty number in capitals (terminals compare them case-insensitively). */
export const cardKeysOf = (link: CardLinkedDetails): string[] => (link.kind === 'payment' ? [...new Set(link.tokens)] : [`loyalty:${link.cardNumber.toUpperCase()}`]);

/** The card as an exception may show it: never a token. */
const cardShown = (link: CardLinkedDetails) => (link.kind === 'payment' ? { kind: link.kind, brand: link.brand, last4: link.last4 } : { kind: link.kind, cardNumber: link.cardNumber });

/**
 * Every member the links could lock: each linking member (after merges) and each holder of one of
 * their cards. Ingest locks them, with the members whose balances it moves, in one id-ordered
 * statement before anything else locks a member.
 */
export async function membersOfLinks(tx: Queryable, links: readonly CardLinkedDetails[]): Promise<string[]> {
  if (links.length === 0) return [];
  const rows = await tx.query<{ member_id: string }>(
    `SELECT coalesce(a.member_id, x.id) AS member_id FROM unnest($1::text[]) AS x(id) LEFT JOIN member_aliases a ON a.alias_id = x.id
     UNION SELECT coalesce(a.member_id, l.member_id) FROM linked_cards l LEFT JOIN member_aliases a ON a.alias_id = l.member_id WHERE l.card_key = ANY($2::text[])`,
    [links.map((l) => l.memberId), links.flatMap(cardKeysOf)],
  );
  return rows.map((r) => r.member_id);
}

export type CardLinkMerge = { from: string; into: string; mergeId: number; balance: number; version: number; exception: Record<string, unknown> };

/**
 * Links the card to `memberId` (the server's member for the record's id, or the id as given when
 * the server does not know it). Returns the member that holds the card now, the merges it made,
 * and whether anything changed.
 */
export async function applyCardLink(tx: Queryable, terminalId: string, link: CardLinkedDetails, memberId: string): Promise<{ holder: string; merges: CardLinkMerge[]; changed: boolean }> {
  const keys = cardKeysOf(link);
  const held = await tx.query<{ card_key: string; card_id: string; member_id: string }>(
    `SELECT l.card_key, l.card_id, coalesce(a.member_id, l.member_id) AS member_id FROM linked_cards l LEFT JOIN member_aliases a ON a.alias_id = l.member_id
     WHERE l.card_key = ANY($1::text[]) ORDER BY l.linked_at, l.card_key`,
    [keys],
  );
  // Who held the card first, then the linking member: those that are members can merge.
  const candidates = [...new Set([...held.map((h) => h.member_id), memberId])];
  const existing = new Set((await tx.query<{ member_id: string }>('SELECT member_id FROM members WHERE member_id = ANY($1::text[])', [candidates])).map((r) => r.member_id));
  const mergeable = candidates.filter((id) => existing.has(id));
  const holder = mergeable[0] ?? memberId;
  const merges: CardLinkMerge[] = [];
  for (const other of mergeable.slice(1)) {
    const merged = await mergeMembersIn(tx, `card-link:${terminalId}`, other, holder, `the same ${link.kind} card was linked to both members`);
    merges.push({
      from: other,
      into: holder,
      mergeId: merged.mergeId,
      balance: merged.balance,
      version: merged.version,
      exception: { card: cardShown(link), mergedMemberId: other, terminalId, mergeId: merged.mergeId },
    });
  }
  const heldKeys = new Set(held.map((h) => h.card_key));
  const missing = keys.filter((k) => !heldKeys.has(k));
  if (missing.length > 0) {
    // The tokens of one card share its id: the one the server already knows it by, if any.
    // Two pushes linking the same new card at once: the second one's insert fails (primary key),
    // nothing of its push is stored, and its retry finds the card held and merges.
    await tx.query(
      `INSERT INTO linked_cards (card_key, card_id, kind, member_id, brand, last4, card_number, key_version, terminal_id)
       SELECT k, $2, $3, $4, $5, $6, $7, (substring(k FROM '^c([0-9]+):'))::int, $8 FROM unnest($1::text[]) AS k`,
      [missing, held[0]?.card_id ?? link.cardId, link.kind, holder, link.kind === 'payment' ? link.brand : null, link.kind === 'payment' ? link.last4 : null, link.kind === 'loyalty' ? link.cardNumber : null, terminalId],
    );
  }
  return { holder, merges, changed: merges.length > 0 || missing.length > 0 };
}
