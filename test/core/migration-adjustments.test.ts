// Migration 0009-adjustments: the adjustments table on a database of the previous version.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

describe('migration 0009-adjustments', () => {
  it('adds a STRICT adjustments table to an older database, keyed once per idempotency key', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = MIGRATIONS.filter((m) => m.version < 9);
    openDatabase(file, before).db.close();
    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 9));
    expect(migratedFrom).toBe(before.at(-1)?.version);
    expect(db.pragma('user_version', { simple: true })).toBe(9);
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'adjustments'").get() as { sql: string };
    expect(table.sql.trimEnd()).toMatch(/STRICT$/);
    db.prepare("INSERT INTO members (member_id, phone, balance, enrolled_at) VALUES ('m1', '+905321234567', 0, 'now')").run();
    const insert = db.prepare(`INSERT INTO adjustments (adjustment_id, idempotency_key, request_hash, member_id, points, reason, note, cashier_id,
      approved_by, balance_before, balance_after, entry_seq, adjusted_at, receipt) VALUES (?, ?, 'h', 'm1', ?, 'goodwill', NULL, 'u', NULL, 0, ?, 1, 'now', '{}')`);
    insert.run('a1', 'key-00001', 10, 10);
    expect(() => insert.run('a2', 'key-00001', 5, 15)).toThrow(/UNIQUE/);
    expect(() => insert.run('a3', 'key-00003', 0, 10)).toThrow(/CHECK/);
    expect(() => insert.run('a4', 'key-00004', 'ten', 10)).toThrow();
    db.close();
  });
});
