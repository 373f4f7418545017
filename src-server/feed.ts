// The change feed. Rows carry the id of the transaction that wrote them (xid8). A reader returns
// only rows of transactions older than its snapshot's xmin: those are all committed (or rolled
// back), so a transaction that commits late can never be skipped by a cursor that moved past it.
import type { PullResponse } from '../src-shared/sync/protocol';
import { KasaError } from '../src-shared/api/errors';
import type { Database, Queryable } from './db/database';

/** A change for terminals, in the writing transaction: its txid orders it in the feed. */
export const addChange = (tx: Queryable, dataset: string, key: string, payload: object) =>
  tx.query('INSERT INTO changes (dataset, key, payload) VALUES ($1, $2, $3)', [dataset, key, JSON.stringify(payload)]);

/** Several changes in one statement, in the order given (their change ids follow it). */
export async function addChanges(tx: Queryable, changes: readonly { dataset: string; key: string; payload: object }[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `INSERT INTO changes (dataset, key, payload)
     SELECT c.dataset, c.key, c.payload::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS c(dataset, key, payload, n) ORDER BY c.n`,
    [changes.map((c) => c.dataset), changes.map((c) => c.key), changes.map((c) => JSON.stringify(c.payload))],
  );
}

type Cursor = { t: string; c: number };

export const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

export function decodeCursor(text: string | undefined): Cursor | null {
  if (!text) return { t: '0', c: 0 };
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (typeof value.t !== 'string' || !/^\d{1,20}$/.test(value.t) || !Number.isInteger(value.c) || value.c < 0) return null;
    return value;
  } catch {
    return null;
  }
}

/** Feed order: by transaction id, then change id. */
const before = (a: Cursor, b: Cursor): boolean => BigInt(a.t) < BigInt(b.t) || (a.t === b.t && a.c < b.c);

/** A feed row: the change as JSON text, written by the database, and its place in the feed. */
type ChangeRow = { change: string; txid_text: string; change_id: number };

/**
 * A page of the feed, answered as the JSON text of its PullResponse. The database writes each
 * change's JSON: reading every field, parsing every payload into objects and serialising them
 * again cost this process about as much time as the query took in PostgreSQL. `cardKeyVersion`
 * (the chain card key ring's current version, when the server has one) is written into the text.
 */
export async function pullChanges(db: Queryable, cursorText: string | undefined, limit: number, cardKeyVersion?: number): Promise<{ json: string } | { invalidCursor: true }> {
  const cursor = decodeCursor(cursorText);
  if (!cursor) return { invalidCursor: true };
  // The floor and the page at once (two connections, or one pipelined): the page is only wasted
  // when the cursor must refetch, which is rare.
  const [[floor], rows] = await Promise.all([
    db.query<{ t: string; c: number; xmax: string }>('SELECT floor_txid::text AS t, floor_change_id AS c, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax FROM feed_state WHERE id = 1'),
    db.query<ChangeRow>(
      // The text copy of txid has its own name: "ORDER BY txid" must sort the xid8 column (by the
      // index, numerically), not the text ("10" < "9").
      `SELECT '{"dataset":' || to_json(dataset)::text || ',"key":' || to_json(key)::text || ',"payload":' || payload::text || '}' AS change,
              change_id, txid::text AS txid_text FROM changes
       WHERE (txid, change_id) > ($1::text::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY txid, change_id LIMIT $3`,
      [cursor.t, cursor.c, limit + 1],
    ),
  ]);
  if (cursorText && floor && before(cursor, floor)) {
    const refetch: PullResponse = { mustRefetch: true, reason: 'The cursor is older than the changes the server keeps: load the snapshot again' };
    return { json: JSON.stringify(refetch) };
  }
  // A cursor no transaction of this database has reached: it was given before the database was
  // restored into another PostgreSQL cluster (see realignFeedAfterRestore).
  if (cursorText && floor && BigInt(cursor.t) >= BigInt(floor.xmax)) {
    const refetch: PullResponse = { mustRefetch: true, reason: "The server's database was restored from a backup: load the snapshot again" };
    return { json: JSON.stringify(refetch) };
  }
  const count = Math.min(limit, rows.length);
  let changes = '';
  for (let i = 0; i < count; i += 1) changes += (i === 0 ? '' : ',') + rows[i]!.change;
  const last = rows[count - 1];
  const next = encodeCursor(last ? { t: last.txid_text, c: last.change_id } : cursor);
  const keyVersion = cardKeyVersion === undefined ? '' : `,"cardKeyVersion":${cardKeyVersion}`;
  return { json: `{"mustRefetch":false,"changes":[${changes}],"cursor":${JSON.stringify(next)},"hasMore":${rows.length > limit}${keyVersion}}` };
}

/** A cursor at "now": every change visible to this snapshot is before it (used by the snapshot). */
export async function currentCursor(db: Queryable): Promise<string> {
  const [row] = await db.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
  // Changes of transactions >= xmin may not be visible yet: start just before them.
  const xmin = BigInt(row?.xmin ?? '1');
  return encodeCursor({ t: String(xmin > 0n ? xmin - 1n : 0n), c: Number.MAX_SAFE_INTEGER });
}

/**
 * A database restored into another PostgreSQL cluster (a pg_dump loaded into a new server, a move
 * to another provider) keeps its changes' transaction ids, which that cluster's own have not
 * reached: its new changes would sort before the old ones, and a terminal whose cursor lies among
 * the old ones would never see them. Run where the database is opened: when changes stand at or
 * past every transaction this cluster has begun, they are moved before all of its transactions
 * (their order among themselves kept), and the floor to just before this transaction, so every
 * cursor from before the restore is told to refetch: one below the floor as any old cursor is,
 * one past this cluster's transactions by pullChanges. Returns how many changes were moved.
 */
export async function realignFeedAfterRestore(db: Database): Promise<number> {
  // The usual case, one index probe: nothing committed can stand at or past the snapshot's xmax.
  const [ahead] = await db.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM changes WHERE txid >= pg_snapshot_xmax(pg_current_snapshot())) AS found');
  if (!ahead?.found) return 0;
  return db.transaction(async (tx) => {
    // One process at a time (several may start together on the restored database).
    await tx.query('LOCK TABLE feed_state IN EXCLUSIVE MODE');
    const [moved] = await tx.query<{ n: number }>(
      `WITH m AS (UPDATE changes SET txid = '1'::xid8 WHERE txid >= pg_current_xact_id() RETURNING 1) SELECT count(*)::bigint AS n FROM m`,
    );
    const n = Number(moved?.n ?? 0);
    if (n > 0) {
      await tx.query(
        `UPDATE feed_state SET floor_txid = (pg_current_xact_id()::text::numeric - 1)::text::xid8, floor_change_id = ${Number.MAX_SAFE_INTEGER} WHERE id = 1`,
      );
    }
    return n;
  });
}

/**
 * Drops changes older than `keepDays` (of finished transactions only). The floor is the last
 * dropped position in feed order; a cursor before it may have missed some, so it must refetch.
 */
export async function pruneFeed(db: Database, keepDays: number): Promise<number> {
  if (!Number.isFinite(keepDays) || keepDays < 0) throw new KasaError('VALIDATION', '--keep-days must be a number of days, 0 or more');
  return db.transaction(async (tx) => {
    // One statement: the count and the last position, without shipping every deleted row back.
    const [last] = await tx.query<{ n: number; t: string; c: number }>(
      `WITH d AS (
         DELETE FROM changes WHERE created_at < now() - make_interval(days => $1) AND txid < pg_snapshot_xmin(pg_current_snapshot())
         RETURNING txid, change_id)
       SELECT (SELECT count(*) FROM d)::bigint AS n, txid::text AS t, change_id AS c FROM d ORDER BY txid DESC, change_id DESC LIMIT 1`,
      [keepDays],
    );
    if (last) {
      await tx.query(
        `UPDATE feed_state SET floor_txid = $1::text::xid8, floor_change_id = $2
         WHERE id = 1 AND (floor_txid, floor_change_id) < ($1::text::xid8, $2::bigint)`,
        [last.t, last.c],
      );
    }
    return last?.n ?? 0;
  });
}
