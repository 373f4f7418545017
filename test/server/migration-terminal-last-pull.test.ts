// Migration 0013: terminals gain when they last read the change feed (their last sync is the later
// of their last push and pull); a terminal from before has none until its next pull.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-server/db/database';
import { migrate, SERVER_MIGRATIONS } from '../../src-server/db/migrate';
import { ENGINES, openUnmigratedDatabase } from './server-harness';

describe.each(ENGINES)('migration 0013 (terminal last pull) on %s', (engine) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openUnmigratedDatabase(engine));
  });
  afterAll(() => close());

  it('adds the column, empty for the terminals already there', async () => {
    await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 12));
    await db.exec(`INSERT INTO stores (store_id, name) VALUES ('s1', 'Store');
      INSERT INTO terminals (terminal_id, store_id, credential_hash, last_push_at) VALUES ('t1', 's1', 'x', '2026-12-01T10:00:00Z');`);
    expect(await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 13))).toBe(13);
    const [row] = await db.query<{ last_push_at: Date; last_pull_at: Date | null }>('SELECT last_push_at, last_pull_at FROM terminals');
    expect(row?.last_pull_at).toBeNull();
    expect(new Date(row!.last_push_at).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
});
