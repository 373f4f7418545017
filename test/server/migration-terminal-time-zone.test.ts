// Migration 0011: terminals gain the store's time zone their pushes say (insights count an entry on
// its date there); a terminal from before has none (counted in UTC) until its next push says it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-server/db/database';
import { migrate, SERVER_MIGRATIONS } from '../../src-server/db/migrate';
import { ENGINES, openUnmigratedDatabase } from './server-harness';

describe.each(ENGINES)('migration 0011 (terminal time zone) on %s', (engine) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openUnmigratedDatabase(engine));
  });
  afterAll(() => close());

  it('adds the column, empty for the terminals already there', async () => {
    await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 10));
    await db.exec(`INSERT INTO stores (store_id, name) VALUES ('s1', 'Store');
      INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ('t1', 's1', 'x');`);
    expect(await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 11))).toBe(11);
    expect(await db.query('SELECT terminal_id, time_zone FROM terminals')).toEqual([{ terminal_id: 't1', time_zone: null }]);
    await db.exec(`UPDATE terminals SET time_zone = 'Europe/Istanbul'`);
    expect(await db.query('SELECT time_zone FROM terminals')).toEqual([{ time_zone: 'Europe/Istanbul' }]);
  });
});
