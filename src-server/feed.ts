// The change feed. Rows carry the id of the transaction that wrote them (xid8). A reader returns
// only rows of transactions older than its snapshot's xmin: those are all committed (or rolled
// back), so a transaction that commits late can never be skipped by a cursor that moved past it.
import type { Change, PullResponse } from '../src-shared/sync/protocol';
import type { Queryable } from './db/database';

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

type ChangeRow = { change_id: number; txid: string; dataset: Change['dataset']; key: string; payload: Record<string, unknown> };

export async function pullChanges(db: Queryable, cursorText: string | undefined, limit: number): Promise<PullResponse | { invalidCursor: true }> {
  const cursor = decodeCursor(cursorText);
  if (!cursor) return { invalidCursor: true };
  const [state] = await db.query<{ floor_change_id: number }>('SELECT floor_change_id FROM feed_state WHERE id = 1');
  if (cursorText && cursor.c < (state?.floor_change_id ?? 0)) {
    return { mustRefetch: true, reason: 'The cursor is older than the changes the server keeps: load the snapshot again' };
  }
  const rows = await db.query<ChangeRow>(
    `SELECT change_id, txid::text AS txid, dataset, key, payload FROM changes
     WHERE (txid, change_id) > ($1::text::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY txid, change_id LIMIT $3`,
    [cursor.t, cursor.c, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    mustRefetch: false,
    changes: page.map((r) => ({ dataset: r.dataset, key: r.key, payload: r.payload })),
    cursor: encodeCursor(last ? { t: last.txid, c: last.change_id } : cursor),
    hasMore: rows.length > limit,
  };
}

/** A cursor at "now": every change visible to this snapshot is before it (used by the snapshot). */
export async function currentCursor(db: Queryable): Promise<string> {
  const [row] = await db.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
  // Changes of transactions >= xmin may not be visible yet: start just before them.
  const xmin = BigInt(row?.xmin ?? '1');
  return encodeCursor({ t: String(xmin > 0n ? xmin - 1n : 0n), c: Number.MAX_SAFE_INTEGER });
}

/** Drops changes older than `keepDays`; cursors from before them get mustRefetch. */
export async function pruneFeed(db: Queryable, keepDays: number): Promise<number> {
  const [row] = await db.query<{ max: number | null }>(`SELECT max(change_id) AS max FROM changes WHERE created_at < now() - make_interval(days => $1)`, [keepDays]);
  const floor = row?.max ?? null;
  if (floor === null) return 0;
  const deleted = await db.query('DELETE FROM changes WHERE change_id <= $1 RETURNING change_id', [floor]);
  await db.query('UPDATE feed_state SET floor_change_id = greatest(floor_change_id, $1) WHERE id = 1', [floor]);
  return deleted.length;
}
