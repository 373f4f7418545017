// Migration 0010: the ledger loses its foreign key to terminals (ingest inserts rows only under
// its lock on the terminal's row, and terminals are never deleted), keeping every stored row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-server/db/database';
import { migrate, SERVER_MIGRATIONS } from '../../src-server/db/migrate';
import { ENGINES, openUnmigratedDatabase } from './server-harness';

const ledgerForeignKeys = (db: Database) =>
  db.query<{ name: string }>("SELECT conname AS name FROM pg_constraint WHERE conrelid = 'ledger'::regclass AND contype = 'f'");

describe.each(ENGINES)('migration 0010 (ledger without its terminal foreign key) on %s', (engine) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openUnmigratedDatabase(engine));
  });
  afterAll(() => close());

  it('drops the key and keeps the rows stored before it', async () => {
    await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 9));
    expect((await ledgerForeignKeys(db)).map((r) => r.name)).toEqual(['ledger_terminal_id_fkey']);
    await db.exec(`INSERT INTO stores (store_id, name) VALUES ('s1', 'Store');
      INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ('t1', 's1', 'x');
      INSERT INTO ledger (terminal_id, seq, kind, member_id, points, device_time, prev_hash, hash, entry)
        VALUES ('t1', 1, 'enrol', 'm1', 0, '2026-11-30T10:00:00.000Z', 'p', 'h', '{"seq": 1}')`);

    expect(await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 10))).toBe(10);

    expect(await ledgerForeignKeys(db)).toEqual([]);
    expect(await db.query('SELECT terminal_id, seq, hash FROM ledger')).toEqual([{ terminal_id: 't1', seq: 1, hash: 'h' }]);
    // The (terminal, seq) key still holds every row once.
    await expect(db.exec(`INSERT INTO ledger (terminal_id, seq, kind, member_id, points, device_time, prev_hash, hash, entry)
      VALUES ('t1', 1, 'enrol', 'm1', 0, '2026-11-30T10:00:00.000Z', 'p', 'h2', '{"seq": 1}')`)).rejects.toThrow(/duplicate key/);
  });
});
