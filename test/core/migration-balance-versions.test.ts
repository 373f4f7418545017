// Migration 0013-balance-versions: server balances keep the server's version of each balance.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

describe('migration 0013-balance-versions', () => {
  it('adds a version to every server balance, unknown (NULL) for those already kept', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, MIGRATIONS.filter((m) => m.version < 13)).db;
    before.prepare("INSERT INTO server_balances (member_id, balance, acked_through_seq, updated_at) VALUES ('m1', 420, 7, 'then')").run();
    before.close();
    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 13));
    expect(migratedFrom).toBe(12);
    expect(db.pragma('user_version', { simple: true })).toBe(13);
    expect(db.prepare('SELECT member_id, balance, acked_through_seq, version FROM server_balances').all()).toEqual([{ member_id: 'm1', balance: 420, acked_through_seq: 7, version: null }]);
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'server_balances'").get() as { sql: string };
    expect(table.sql.trimEnd()).toMatch(/STRICT$/);
    db.prepare("UPDATE server_balances SET version = 12 WHERE member_id = 'm1'").run();
    expect(() => db.prepare("UPDATE server_balances SET version = -1 WHERE member_id = 'm1'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE server_balances SET version = 'new' WHERE member_id = 'm1'").run()).toThrow();
    db.close();
  });
});
