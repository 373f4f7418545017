// Migration 0012: exceptions keep how they were resolved as data beside the English sentence, and
// those resolved before it are read back from the sentences the server wrote; any other text (the
// CLI's resolve-exception) is the owner's own words; open ones have none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-server/db/database';
import { migrate, SERVER_MIGRATIONS } from '../../src-server/db/migrate';
import { ENGINES, openUnmigratedDatabase } from './server-harness';

describe.each(ENGINES)('migration 0012 (exception resolution action) on %s', (engine) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openUnmigratedDatabase(engine));
  });
  afterAll(() => close());

  it('reads the resolutions recorded before it into data', async () => {
    await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 11));
    const resolutions = [
      'accepted: same person, two phones',
      'adjusted +300 points (offline-double-redemption): two tills offline at once\nsecond line',
      'adjusted -1 points (correction)',
      'member flagged: shares a card: (twice)',
      'terminal flagged: wrong clock',
      'called the store, all fine',
      null,
    ];
    for (const [i, resolution] of resolutions.entries()) {
      await db.query(`INSERT INTO exceptions (exception_id, kind, details, resolved_at, resolution) VALUES ($1, 'fork', '{}', CASE WHEN $2::text IS NULL THEN NULL ELSE now() END, $2)`, [i + 1, resolution]);
    }
    expect(await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 12))).toBe(12);
    const rows = await db.query<{ resolution: string | null; resolution_action: unknown }>('SELECT resolution, resolution_action FROM exceptions ORDER BY exception_id');
    expect(rows.map((r) => r.resolution_action)).toEqual([
      { action: 'accepted', note: 'same person, two phones' },
      { action: 'adjusted', points: 300, reasonCode: 'offline-double-redemption', note: 'two tills offline at once\nsecond line' },
      { action: 'adjusted', points: -1, reasonCode: 'correction', note: null },
      { action: 'flagged', target: 'member', reason: 'shares a card: (twice)' },
      { action: 'flagged', target: 'terminal', reason: 'wrong clock' },
      { action: 'noted', text: 'called the store, all fine' },
      null,
    ]);
    // The sentences stay as they were.
    expect(rows.map((r) => r.resolution)).toEqual(resolutions);
  });
});
