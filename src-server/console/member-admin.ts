// The programme owner's member actions: search, detail with history across stores, balance
// adjustments with a reason code, merge and unmerge. Every change is one transaction with its
// admin_audit row and the feed changes that carry it to terminals (balances, merges, members).
import { KasaError } from '../../src-shared/api/errors';
import { ADJUSTMENT_REASON_CODES, type AdjustmentReasonCode } from '../../src-shared/console/adjustment-reasons';
import type { MemberDetail, MemberSummary } from '../../src-shared/console/member-views';
import type { Database, Queryable } from '../db/database';
import { recordMemberMerge, recordOwnerAdjustment } from '../insights/insight-facts';
import { auditAdminAction } from '../admin-audit';
import { addChange } from '../feed';
import { updateBalance } from '../balances';
import { activeRuleSet } from '../rule-set-reads';
import { publishMemberCards, sharedCardsOf } from '../linked-cards';

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** The surviving member for an id a terminal may still use (merged ids answer for the survivor). */
export async function resolveMemberId(tx: Queryable, memberId: string): Promise<string | null> {
  const [row] = await tx.query<{ member_id: string }>(
    'SELECT member_id FROM members WHERE member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = $1), $1)',
    [memberId],
  );
  return row?.member_id ?? null;
}


type MemberRow = { member_id: string; phone: string | null; name: string | null; balance: number; flagged_at: Date | null; flag_reason: string | null; card_last4: string[] | null; loyalty_cards: string[] | null };

const summaryOf = (r: MemberRow): MemberSummary => ({
  memberId: r.member_id,
  phone: r.phone,
  name: r.name,
  balance: r.balance,
  cardLast4: r.card_last4 ?? [],
  loyaltyCards: r.loyalty_cards ?? [],
  flaggedAt: iso(r.flagged_at),
  flagReason: r.flag_reason,
});

const MEMBER_COLUMNS = `m.member_id, m.phone, m.name, m.balance, m.flagged_at, m.flag_reason,
  (SELECT array_agg(c.last4 ORDER BY c.last4) FROM member_cards c WHERE c.member_id = m.member_id) AS card_last4,
  (SELECT array_agg(l.card_number ORDER BY l.card_number) FROM linked_cards l WHERE l.member_id = m.member_id AND l.kind = 'loyalty') AS loyalty_cards`;

/**
 * Finds members by phone (any run of at least 4 of its digits), the last four digits of a linked
 * card, a loyalty card number (whole, any case), a name (case-insensitive, any part) or a member id (exact, merged ids included). At most
 * `limit` of them; `more` says that others match too (with a million members, "Mehmet" matches
 * thousands: the console says to type more rather than showing 50 as if they were all).
 */
export async function searchMembers(db: Queryable, query: string, limit = 50): Promise<{ members: MemberSummary[]; more: boolean }> {
  const text = query.trim();
  if (text.length < 2) throw new KasaError('VALIDATION', 'Type at least 2 characters: a phone, the last four digits of a card, a loyalty card number, or a name');
  const digits = text.replace(/[\s()+-]/g, '');
  const isDigits = /^\d{4,15}$/.test(digits);
  // An exact member id (or an id merged into one) is the whole answer.
  const exact = await db.query<MemberRow>(
    `SELECT ${MEMBER_COLUMNS} FROM members m WHERE m.member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = $1), $1)`,
    [text],
  );
  if (exact.length > 0) return { members: exact.map(summaryOf), more: false };
  // Each way of matching on its own (an OR of them would scan every member for each): the card's
  // last four and a loyalty card number by index, phone and name by a scan that stops at `limit` matches.
  const rows = await db.query<MemberRow>(
    `WITH hits AS (
       SELECT member_id FROM member_cards WHERE $1::text IS NOT NULL AND length($1) = 4 AND last4 = $1
       UNION SELECT member_id FROM linked_cards WHERE card_key = 'loyalty:' || upper($4)
       UNION (SELECT member_id FROM members WHERE $1::text IS NOT NULL AND phone LIKE '%' || $1 || '%' LIMIT $3)
       UNION (SELECT member_id FROM members WHERE $1::text IS NULL AND name ILIKE '%' || $2 || '%' LIMIT $3))
     SELECT ${MEMBER_COLUMNS} FROM members m JOIN hits USING (member_id)
     ORDER BY m.name NULLS LAST, m.member_id LIMIT $3`,
    [isDigits ? digits : null, text.replace(/[\\%_]/g, (c) => `\\${c}`), limit + 1, text],
  );
  return { members: rows.slice(0, limit).map(summaryOf), more: rows.length > limit };
}


/** A member's page: the newest `historyLimit` rows of history; `historyMore` says older ones exist. */
export async function memberDetail(db: Queryable, memberId: string, historyLimit = 200): Promise<MemberDetail> {
  const id = await resolveMemberId(db, memberId);
  if (!id) throw new KasaError('NOT_FOUND', `No member ${memberId}`);
  // Enrolled when the enrolling terminal recorded its first entry under the id (as insights count
  // new members), not when the server first heard of it: a terminal offline for a week syncs late.
  // The tier is the one the member's latest sale left them in (as insights count it).
  const [row] = await db.query<MemberRow & { enrolled_at: Date; enrolled_by: string | null; enrolled_device_time: string | null; enrolled_store: string | null; enrolled_terminal_name: string | null; tier_id: string | null }>(
    `SELECT ${MEMBER_COLUMNS}, m.enrolled_at, m.enrolled_by, t.store_id AS enrolled_store, t.name AS enrolled_terminal_name, mi.tier_id,
       (SELECT l.device_time FROM ledger l WHERE l.member_id = m.member_id AND l.terminal_id = m.enrolled_by AND l.entry->>'memberId' = m.member_id ORDER BY l.seq LIMIT 1) AS enrolled_device_time
     FROM members m LEFT JOIN terminals t ON t.terminal_id = m.enrolled_by LEFT JOIN member_insights mi ON mi.member_id = m.member_id WHERE m.member_id = $1`,
    [id],
  );
  if (!row) throw new KasaError('NOT_FOUND', `No member ${memberId}`);
  // Named as the programme in force names it.
  const tierId = row.tier_id;
  const tierName = tierId === null ? null : ((await activeRuleSet(db, new Date()))?.tiers?.levels.find((l) => l.id === tierId)?.name ?? tierId);
  const aliases = await db.query<{ alias_id: string; merged_at: Date; merge_id: number | null }>(
    `SELECT a.alias_id, a.merged_at,
       (SELECT max(g.merge_id) FROM member_merges g WHERE g.from_member_id = a.alias_id AND g.into_member_id = a.member_id AND g.unmerged_at IS NULL) AS merge_id
     FROM member_aliases a WHERE a.member_id = $1 ORDER BY a.merged_at`,
    [id],
  );
  const history = await db.query<{
    source: 'ledger' | 'adjustment';
    kind: string;
    points: number;
    at: string;
    store_id: string | null;
    terminal_id: string | null;
    seq: number | null;
    recorded_member_id: string;
    cashier_id: string | null;
    amount_minor: number | null;
    currency: string | null;
    reason_code: string | null;
    note: string | null;
    actor: string | null;
  }>(
    `SELECT * FROM (
       SELECT 'ledger' AS source, l.kind, l.points, l.device_time AS at, t.store_id, l.terminal_id, l.seq, l.entry->>'memberId' AS recorded_member_id,
              l.entry->>'cashierId' AS cashier_id, l.amount_minor, l.currency, NULL AS reason_code, NULL AS note, NULL AS actor
       FROM ledger l JOIN terminals t USING (terminal_id) WHERE l.member_id = $1
       UNION ALL
       SELECT 'adjustment', 'adjust', a.points, to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), NULL, NULL, NULL, a.member_id,
              NULL, NULL, NULL, a.reason_code, a.note, a.actor
       FROM member_adjustments a WHERE a.member_id = $1
     ) h ORDER BY at DESC, terminal_id NULLS FIRST, seq DESC LIMIT $2`,
    [id, historyLimit + 1],
  );
  const historyMore = history.length > historyLimit;
  if (historyMore) history.pop();
  const [open] = await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM exceptions WHERE member_id = $1 AND resolved_at IS NULL', [id]);
  const cards = await db.query<{ card_id: string; kind: 'payment' | 'loyalty'; brand: string | null; last4: string | null; card_number: string | null; terminal_id: string; linked_at: Date }>(
    `SELECT * FROM (SELECT DISTINCT ON (card_id) card_id, kind, brand, last4, card_number, terminal_id, linked_at FROM linked_cards WHERE member_id = $1 ORDER BY card_id, linked_at) c
     ORDER BY linked_at, card_id`,
    [id],
  );
  return {
    ...summaryOf(row),
    tier: tierName,
    tierId,
    enrolledAt: iso(row.enrolled_device_time ?? row.enrolled_at) ?? '',
    enrolledBy: row.enrolled_by,
    enrolledByName: row.enrolled_terminal_name,
    enrolledAtStore: row.enrolled_store,
    aliases: aliases.map((a) => ({ memberId: a.alias_id, mergedAt: iso(a.merged_at) ?? '', mergeId: a.merge_id, undoable: a.merge_id !== null })),
    linkedCards: cards.map((c) => ({ cardId: c.card_id, kind: c.kind, brand: c.brand, last4: c.last4, cardNumber: c.card_number, terminalId: c.terminal_id, linkedAt: iso(c.linked_at) ?? '' })),
    history: history.map((h) => ({
      source: h.source,
      kind: h.kind,
      points: h.points,
      at: h.at,
      storeId: h.store_id,
      terminalId: h.terminal_id,
      seq: h.seq,
      recordedMemberId: h.recorded_member_id,
      cashierId: h.cashier_id,
      amountMinor: h.amount_minor,
      currency: h.currency,
      reasonCode: h.reason_code,
      note: h.note,
      actor: h.actor,
    })),
    historyMore,
    openExceptions: open?.n ?? 0,
  };
}

export type AdjustmentRequest = { memberId: string; points: number; reasonCode: AdjustmentReasonCode; note?: string | undefined; exceptionId?: number | undefined };
export type AdjustmentResult = { adjustmentId: number; memberId: string; points: number; balance: number };

/**
 * A server-originated adjustment: the member's balance moves by `points` and the new balance goes
 * to every terminal through the feed (`balances`), like any balance the server computes. Given an
 * exception, that exception is resolved by it in the same transaction.
 */
export async function adjustBalanceIn(tx: Queryable, actor: string, request: AdjustmentRequest): Promise<AdjustmentResult> {
  if (!Number.isInteger(request.points) || request.points === 0 || Math.abs(request.points) > 100_000_000) {
    throw new KasaError('VALIDATION', 'An adjustment is a whole number of points, not 0, at most 100,000,000 either way');
  }
  if (!ADJUSTMENT_REASON_CODES.includes(request.reasonCode)) throw new KasaError('VALIDATION', `Reason code must be one of ${ADJUSTMENT_REASON_CODES.join(', ')}`);
  if (request.reasonCode === 'other' && !request.note?.trim()) throw new KasaError('VALIDATION', 'Reason "other" needs a note saying why');
  const id = await resolveMemberId(tx, request.memberId);
  if (!id) throw new KasaError('NOT_FOUND', `No member ${request.memberId}`);
  const member = await updateBalance(tx, id, { by: request.points });
  // Merged into another member between the lookup and the update: nothing was changed.
  if (!member) throw new KasaError('UNAVAILABLE', `${request.memberId} was just merged into another member: try again`);
  const { balance } = member;
  const [row] = await tx.query<{ adjustment_id: number; created_at: Date }>(
    `INSERT INTO member_adjustments (member_id, points, reason_code, note, exception_id, actor, balance_after) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING adjustment_id, created_at`,
    [id, request.points, request.reasonCode, request.note?.trim() || null, request.exceptionId ?? null, actor, balance],
  );
  // The insights' liability and expiry schedule follow at once (the rebuild reads the same row).
  await recordOwnerAdjustment(tx, id, request.points, new Date(row?.created_at ?? Date.now()));
  await addChange(tx, 'balances', id, member);
  const adjustmentId = row?.adjustment_id ?? 0;
  await auditAdminAction(tx, actor, 'member.adjust', { adjustmentId, memberId: id, points: request.points, reasonCode: request.reasonCode, note: request.note ?? null, exceptionId: request.exceptionId ?? null, balance });
  return { adjustmentId, memberId: id, points: request.points, balance };
}

export const adjustBalance = (db: Database, actor: string, request: AdjustmentRequest): Promise<AdjustmentResult> =>
  db.transaction((tx) => adjustBalanceIn(tx, actor, request));

/** Locks members rows in id order (as ingest does), so a merge and a push cannot deadlock. */
const lockMembers = (tx: Queryable, ids: string[]) =>
  tx.query<{ member_id: string; phone: string | null; name: string | null; balance: number; enrolled_by: string | null; enrolled_at: Date; flagged_at: Date | null; flag_reason: string | null }>(
    'SELECT member_id, phone, name, balance, enrolled_by, enrolled_at, flagged_at, flag_reason FROM members WHERE member_id = ANY($1::text[]) ORDER BY member_id FOR UPDATE',
    [ids],
  );

/**
 * Two members become one: `from`'s history, adjustments and cards count for `into`, `from` becomes
 * an alias (terminals still using it reach the survivor), and terminals are told through the feed.
 * What `from` was is kept, so the merge can be undone.
 */
export async function mergeMembers(db: Database, actor: string, fromId: string, intoId: string, note?: string): Promise<{ mergeId: number; memberId: string; balance: number }> {
  return db.transaction(async (tx) => {
    const merged = await mergeMembersIn(tx, actor, fromId, intoId, note);
    // The survivor's cards now include `from`'s: terminals find the survivor by them.
    if (merged.movedCards > 0) await publishMemberCards(tx, [intoId]);
    return { mergeId: merged.mergeId, memberId: merged.memberId, balance: merged.balance };
  });
}

/**
 * mergeMembers within a transaction that is already open (ingest merges the two members a card
 * linked at two terminals belongs to). Locks both members rows in id order; a caller holding other
 * members rows locks these with them first (in one id-ordered statement), so the order holds.
 */
export async function mergeMembersIn(
  tx: Queryable,
  actor: string,
  fromId: string,
  intoId: string,
  note?: string,
): Promise<{ mergeId: number; memberId: string; balance: number; version: number; movedCards: number }> {
  if (fromId === intoId) throw new KasaError('VALIDATION', 'Pick two different members to merge');
  const rows = await lockMembers(tx, [fromId, intoId]);
  const from = rows.find((r) => r.member_id === fromId);
  const into = rows.find((r) => r.member_id === intoId);
  if (!from || !into) {
    const missing = !from ? fromId : intoId;
    const survivor = await resolveMemberId(tx, missing);
    throw new KasaError('NOT_FOUND', survivor && survivor !== missing ? `${missing} was already merged into ${survivor}` : `No member ${missing}`);
  }
  const aliases = (await tx.query<{ alias_id: string }>('SELECT alias_id FROM member_aliases WHERE member_id = $1', [fromId])).map((r) => r.alias_id);
  const adjustments = (await tx.query<{ adjustment_id: number }>('SELECT adjustment_id FROM member_adjustments WHERE member_id = $1', [fromId])).map((r) => r.adjustment_id);
  const cards = (await tx.query<{ last4: string }>('SELECT last4 FROM member_cards WHERE member_id = $1', [fromId])).map((r) => r.last4);
  // The chain's cards `from` had (their keys): an unmerge gives them back.
  const linkedCards = (await tx.query<{ card_key: string }>('SELECT card_key FROM linked_cards WHERE member_id = $1', [fromId])).map((r) => r.card_key);
  const mergedMember = {
    phone: from.phone,
    name: from.name,
    balance: from.balance,
    enrolledBy: from.enrolled_by,
    enrolledAt: iso(from.enrolled_at),
    flaggedAt: iso(from.flagged_at),
    flagReason: from.flag_reason,
    aliases,
    adjustments,
    cards,
    linkedCards,
  };
  const [merge] = await tx.query<{ merge_id: number }>(
    'INSERT INTO member_merges (from_member_id, into_member_id, merged_member, actor) VALUES ($1, $2, $3, $4) RETURNING merge_id',
    [fromId, intoId, JSON.stringify(mergedMember), actor],
  );
  await tx.query('UPDATE member_aliases SET member_id = $2 WHERE member_id = $1', [fromId, intoId]);
  await tx.query('INSERT INTO member_aliases (alias_id, member_id) VALUES ($1, $2)', [fromId, intoId]);
  await tx.query('UPDATE ledger SET member_id = $2 WHERE member_id = $1', [fromId, intoId]);
  await tx.query('UPDATE member_adjustments SET member_id = $2 WHERE member_id = $1', [fromId, intoId]);
  // Tiers and the points liability follow the merge in the same transaction.
  await recordMemberMerge(tx, fromId, intoId);
  await tx.query('INSERT INTO member_cards (member_id, last4, terminal_id, linked_at) SELECT $2, last4, terminal_id, linked_at FROM member_cards WHERE member_id = $1 ON CONFLICT DO NOTHING', [fromId, intoId]);
  await tx.query('DELETE FROM member_cards WHERE member_id = $1', [fromId]);
  if (linkedCards.length > 0) await tx.query('UPDATE linked_cards SET member_id = $2 WHERE member_id = $1', [fromId, intoId]);
  await tx.query('UPDATE exceptions SET member_id = $2 WHERE member_id = $1', [fromId, intoId]);
  await tx.query('DELETE FROM members WHERE member_id = $1', [fromId]);
  const survivor = await updateBalance(tx, intoId, { by: from.balance });
  const mergeId = merge?.merge_id ?? 0;
  for (const alias of [...aliases, fromId]) await addChange(tx, 'merges', alias, { from: alias, into: intoId });
  if (survivor) await addChange(tx, 'balances', intoId, survivor);
  await auditAdminAction(tx, actor, 'member.merge', { mergeId, from: fromId, into: intoId, movedPoints: from.balance, note: note ?? null });
  return { mergeId, memberId: intoId, balance: survivor?.balance ?? 0, version: survivor?.version ?? 0, movedCards: linkedCards.length };
}

/**
 * Undoes a merge made in error (by the console, or by a card linked at two terminals): the merged
 * member comes back with its phone, name, cards and ids, and takes back every entry recorded under
 * its ids (including those that arrived after the merge) and its own adjustments; both balances
 * are recomputed from what moves and published. Of the chain's linked cards it takes back those it
 * had when merged; a card linked to it that made the merge stays with the survivor (one card is
 * one member's: the card would merge them again), as do cards linked to the survivor since.
 */
export async function unmergeMembers(db: Database, actor: string, mergeId: number, note?: string): Promise<{ memberId: string; balance: number; survivorId: string; survivorBalance: number }> {
  return db.transaction(async (tx) => {
    const [merge] = await tx.query<{ from_member_id: string; into_member_id: string; merged_member: { phone: string | null; name: string | null; enrolledBy: string | null; enrolledAt: string | null; flaggedAt: string | null; flagReason: string | null; aliases: string[]; adjustments: number[]; cards: string[]; linkedCards?: string[] }; unmerged_at: Date | null }>(
      'SELECT from_member_id, into_member_id, merged_member, unmerged_at FROM member_merges WHERE merge_id = $1 FOR UPDATE',
      [mergeId],
    );
    if (!merge) throw new KasaError('NOT_FOUND', `No merge ${mergeId}`);
    if (merge.unmerged_at) throw new KasaError('ALREADY_EXISTS', `Merge ${mergeId} was already undone`);
    const fromId = merge.from_member_id;
    const m = merge.merged_member;
    const ids = [fromId, ...m.aliases];
    // The survivor now, wherever later merges took it.
    const intoId = await resolveMemberId(tx, fromId);
    if (!intoId) throw new KasaError('NOT_FOUND', `The member ${merge.into_member_id} no longer exists`);
    const moved = await tx.query<{ alias_id: string }>('SELECT alias_id FROM member_aliases WHERE alias_id = ANY($1::text[]) AND member_id <> $2', [ids, intoId]);
    if (moved.length > 0) throw new KasaError('VALIDATION', `${moved.map((r) => r.alias_id).join(', ')} no longer belong to ${intoId}: undo the later merge first`);
    await lockMembers(tx, [intoId]);
    const phoneTaken = m.phone ? (await tx.query('SELECT 1 FROM members WHERE phone = $1', [m.phone])).length > 0 : false;
    if (phoneTaken) throw new KasaError('ALREADY_EXISTS', `Phone ${m.phone} now belongs to another member: a phone identifies one member, change one of them first`);

    await tx.query('DELETE FROM member_aliases WHERE alias_id = $1', [fromId]);
    await tx.query('UPDATE member_aliases SET member_id = $1 WHERE alias_id = ANY($2::text[])', [fromId, m.aliases]);
    await tx.query(
      'INSERT INTO members (member_id, phone, name, balance, enrolled_by, enrolled_at, flagged_at, flag_reason) VALUES ($1, $2, $3, 0, $4, coalesce($5::timestamptz, now()), $6, $7)',
      [fromId, m.phone, m.name, m.enrolledBy, m.enrolledAt, m.flaggedAt, m.flagReason],
    );
    const [ledgerMoved] = await tx.query<{ points: number }>(
      `WITH moved AS (UPDATE ledger SET member_id = $1 WHERE member_id = $2 AND entry->>'memberId' = ANY($3::text[]) RETURNING points)
       SELECT coalesce(sum(points), 0)::bigint AS points FROM moved`,
      [fromId, intoId, ids],
    );
    const [adjustmentsMoved] = await tx.query<{ points: number }>(
      `WITH moved AS (UPDATE member_adjustments SET member_id = $1 WHERE member_id = $2 AND adjustment_id = ANY($3::bigint[]) RETURNING points)
       SELECT coalesce(sum(points), 0)::bigint AS points FROM moved`,
      [fromId, intoId, m.adjustments],
    );
    await tx.query('DELETE FROM member_cards WHERE member_id = $1 AND last4 = ANY($2::text[])', [intoId, m.cards]);
    await tx.query('INSERT INTO member_cards (member_id, last4, terminal_id) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING', [fromId, m.cards, 'console']);
    const linkedCards = m.linkedCards ?? [];
    const cardsBack = linkedCards.length > 0 ? await tx.query('UPDATE linked_cards SET member_id = $1 WHERE member_id = $2 AND card_key = ANY($3::text[]) RETURNING card_key', [fromId, intoId, linkedCards]) : [];
    const points = (ledgerMoved?.points ?? 0) + (adjustmentsMoved?.points ?? 0);
    const restored = await updateBalance(tx, fromId, { to: points });
    const survivor = await updateBalance(tx, intoId, { by: -points });
    await tx.query('UPDATE member_merges SET unmerged_at = now(), unmerged_by = $2 WHERE merge_id = $1', [mergeId, actor]);
    // Terminals: the alias goes (an `into` of null), the ids merged into it follow it again, the
    // member comes back, and both balances are new.
    // A terminal that does not know an `into` of null ignores it (it keeps the merge until it loads a snapshot).
    await addChange(tx, 'merges', fromId, { from: fromId, into: null });
    for (const alias of m.aliases) await addChange(tx, 'merges', alias, { from: alias, into: fromId });
    await addChange(tx, 'members', fromId, { memberId: fromId, phone: m.phone, name: m.name, ...(cardsBack.length > 0 ? { cards: (await sharedCardsOf(tx, [fromId])).get(fromId) ?? [] } : {}) });
    if (cardsBack.length > 0) await publishMemberCards(tx, [intoId]);
    if (restored) await addChange(tx, 'balances', fromId, restored);
    if (survivor) await addChange(tx, 'balances', intoId, survivor);
    await auditAdminAction(tx, actor, 'member.unmerge', { mergeId, memberId: fromId, survivorId: intoId, movedPoints: points, note: note ?? null });
    return { memberId: fromId, balance: points, survivorId: intoId, survivorBalance: survivor?.balance ?? 0 };
  });
}

/** Marks (or clears) a member for attention: visible in the console, recorded with who and why. */
export async function flagMemberIn(tx: Queryable, actor: string, memberId: string, reason: string | null): Promise<string> {
  const id = await resolveMemberId(tx, memberId);
  if (!id) throw new KasaError('NOT_FOUND', `No member ${memberId}`);
  await tx.query(reason === null ? 'UPDATE members SET flagged_at = NULL, flag_reason = NULL WHERE member_id = $1' : 'UPDATE members SET flagged_at = now(), flag_reason = $2 WHERE member_id = $1', reason === null ? [id] : [id, reason]);
  await auditAdminAction(tx, actor, reason === null ? 'member.unflag' : 'member.flag', { memberId: id, reason });
  return id;
}

/**
 * Takes a card off a member: one linked to the wrong member (a merge it caused was undone, and the
 * card still opens the first holder), or one the member lost. Terminals drop it from the member
 * through the feed (the member's cards, published whole); a terminal that links it again links it
 * anew.
 */
export async function unlinkMemberCard(db: Database, actor: string, memberId: string, cardId: string): Promise<{ memberId: string; cardId: string }> {
  return db.transaction(async (tx) => {
    const id = await resolveMemberId(tx, memberId);
    if (!id) throw new KasaError('NOT_FOUND', `No member ${memberId}`);
    // A push linking a card to this member waits, or is waited for: one of them sees the other's cards.
    await lockMembers(tx, [id]);
    const removed = await tx.query<{ kind: string; brand: string | null; last4: string | null; card_number: string | null }>(
      'DELETE FROM linked_cards WHERE member_id = $1 AND card_id = $2 RETURNING kind, brand, last4, card_number',
      [id, cardId],
    );
    const card = removed[0];
    if (!card) throw new KasaError('NOT_FOUND', `Member ${id} has no card ${cardId}`);
    // Its last four goes from the member's search too, unless another of their cards ends the same.
    if (card.last4 !== null) {
      await tx.query("DELETE FROM member_cards WHERE member_id = $1 AND last4 = $2 AND NOT EXISTS (SELECT 1 FROM linked_cards WHERE member_id = $1 AND kind = 'payment' AND last4 = $2)", [id, card.last4]);
    }
    await publishMemberCards(tx, [id]);
    await auditAdminAction(tx, actor, 'member.unlinkCard', { memberId: id, cardId, kind: card.kind, ...(card.kind === 'payment' ? { brand: card.brand, last4: card.last4 } : { cardNumber: card.card_number }) });
    return { memberId: id, cardId };
  });
}
