// Migration 0019-sync-error-codes: the sync state keeps a code beside the last error's message.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { SyncStore } from '../../src-main/core/sync/sync-store';
import { tempDir } from './helpers';

describe('migration 0019-sync-error-codes', () => {
  it('adds a code to the last sync error; an error recorded before codes reads as other', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, MIGRATIONS.filter((m) => m.version < 19)).db;
    before
      .prepare("INSERT INTO sync_state (id, server_url, store_id, store_name, enrolled_at, last_error, last_error_at) VALUES (1, 'https://kasa.example', 's1', 'Moda', 'then', 'The server is unreachable (ECONNREFUSED)', 'now')")
      .run();
    before.close();
    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 19));
    expect(migratedFrom).toBe(18);
    expect(db.pragma('user_version', { simple: true })).toBe(19);
    expect(db.prepare('SELECT last_error, last_error_code FROM sync_state').get()).toEqual({ last_error: 'The server is unreachable (ECONNREFUSED)', last_error_code: null });
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'sync_state'").get() as { sql: string };
    expect(table.sql.trimEnd()).toMatch(/STRICT$/);

    const store = new SyncStore(db);
    expect(store.lastError()).toEqual({ code: 'other', message: 'The server is unreachable (ECONNREFUSED)', at: 'now' });
    store.recordFailure({ code: 'timeout', message: 'The server timed out (TimeoutError)' }, 'later', []);
    expect(store.lastError()).toEqual({ code: 'timeout', message: 'The server timed out (TimeoutError)', at: 'later' });
    store.recordSuccess('latest');
    expect(store.lastError()).toBeNull();
    expect(db.prepare('SELECT last_error_code FROM sync_state').get()).toEqual({ last_error_code: null });
    // A code is a kebab-case word: nothing else gets in.
    expect(() => db.prepare("UPDATE sync_state SET last_error_code = 'Server Error'").run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE sync_state SET last_error_code = 5').run()).toThrow();
    db.close();
  });
});
