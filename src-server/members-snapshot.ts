import type { ServerResponse } from 'node:http';
import type { Change, SnapshotHeader, SnapshotMember } from '../src-shared/sync/protocol';
import type { Database } from './db/database';
import { currentCatalogueChange } from './catalogue';
import { currentCursor } from './feed';
import { activeOfferChanges } from './offers';
import { sharedCardsBetween } from './linked-cards';

const PAGE = 10_000;

/** A reader that takes nothing for this long is cut off (default): its snapshot holds a transaction open. */
export const SNAPSHOT_STALL_MS = 60_000;

/**
 * Writes to a streamed answer with back-pressure, and fails (so the caller ends its transaction)
 * when the reader goes away or stops reading for `stallMs`: waiting for 'drain' alone would wait
 * forever on a reader that vanished with a full buffer.
 */
export function backPressuredWriter(raw: ServerResponse, stallMs: number): (chunk: string) => Promise<void> {
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      if (raw.destroyed) return reject(new Error('the reader went away'));
      if (raw.write(chunk)) return resolve();
      const settle = (error?: Error) => {
        clearTimeout(timer);
        raw.off('drain', onDrain);
        raw.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new Error('the reader went away'));
      const timer = setTimeout(() => settle(new Error(`the reader took nothing for ${stallMs} ms`)), stallMs);
      raw.on('drain', onDrain);
      raw.on('close', onClose);
    });
}

/**
 * Streams the whole member directory as NDJSON from one consistent snapshot: a header line with
 * the feed cursor to continue from, then one member per line (with their linked cards). Memory
 * stays constant.
 */
export async function streamSnapshot(db: Database, write: (chunk: string) => Promise<void>): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const cursor = await currentCursor(tx);
    const [count] = await tx.query<{ n: number }>('SELECT count(*)::bigint AS n FROM members');
    const ruleSets = await tx.query<{ version: string; document: Record<string, unknown>; active_from: Date }>('SELECT version, document, active_from FROM rule_sets ORDER BY active_from, version');
    const documents: Change[] = ruleSets.map((r) => ({ dataset: 'rule-sets', key: r.version, payload: { version: r.version, activeFrom: new Date(r.active_from).toISOString(), document: r.document } }));
    // Offers still open come along: the feed after the cursor holds only later changes to them.
    documents.push(...(await activeOfferChanges(tx)));
    // The current product catalogue too: a new terminal can sell by barcode at once.
    const catalogue = await currentCatalogueChange(tx);
    if (catalogue) documents.push(catalogue);
    // Every merge in force: a terminal back from a long time offline, whose feed cursor is older
    // than what the feed keeps, learns here the merges whose feed changes were pruned (an old id it
    // knew must open the survivor); a new one learns the ids its members had before.
    const aliases = await tx.query<{ alias_id: string; member_id: string }>('SELECT alias_id, member_id FROM member_aliases ORDER BY alias_id');
    for (const a of aliases) documents.push({ dataset: 'merges', key: a.alias_id, payload: { from: a.alias_id, into: a.member_id } });
    const header: SnapshotHeader = { cursor, members: count?.n ?? 0, documents };
    await write(`${JSON.stringify(header)}\n`);
    let after = '';
    let sent = 0;
    for (;;) {
      const rows = await tx.query<{ member_id: string; phone: string | null; name: string | null; balance: number; version: number }>(
        'SELECT member_id, phone, name, balance, balance_version AS version FROM members WHERE member_id > $1 ORDER BY member_id LIMIT $2',
        [after, PAGE],
      );
      if (rows.length === 0) break;
      // The page's cards in one range scan (by linked_cards' member index), not a query per member.
      const cards = await sharedCardsBetween(tx, rows[0]?.member_id ?? '', rows.at(-1)?.member_id ?? '');
      let chunk = '';
      for (const r of rows) {
        const memberCards = cards.get(r.member_id);
        const member: SnapshotMember = { memberId: r.member_id, phone: r.phone, name: r.name, balance: r.balance, version: Number(r.version), ...(memberCards ? { cards: memberCards } : {}) };
        chunk += `${JSON.stringify(member)}\n`;
      }
      await write(chunk);
      sent += rows.length;
      after = rows.at(-1)?.member_id ?? after;
    }
    return sent;
  });
}
