import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);

describe('migration 0011-lighter-sale-and-lookup', () => {
  it('drops the unread sales_member index and keeps member_programme by member WITHOUT ROWID, rows and constraints intact', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, upTo(10)).db;
    const member = before.prepare("INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES (?, ?, NULL, 0, '2026-01-01T00:00:00Z')");
    member.run('m1', '+905321234567');
    member.run('m2', '+905321234568');
    before.prepare("INSERT INTO member_programme (member_id, referral_code, referrer_member_id, referral_rewarded, birth_month, tier_id, tier_since, lots_debt) VALUES ('m1', 'AAAA2222', NULL, 0, 5, 'gold', '2026-02-01', 3)").run();
    before.prepare("INSERT INTO member_programme (member_id, referral_code, referrer_member_id, referral_rewarded) VALUES ('m2', 'BBBB3333', 'm1', 1)").run();
    const rowsBefore = before.prepare('SELECT * FROM member_programme ORDER BY member_id').all();
    before.close();

    const { db, migratedFrom, backupFile } = openDatabase(file, upTo(11));
    expect(migratedFrom).toBe(10);
    expect(backupFile).not.toBeNull();
    expect(db.pragma('user_version', { simple: true })).toBe(11);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'sales_member'").get()).toBeUndefined();
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'member_programme'").get() as { sql: string };
    expect(table.sql.trimEnd()).toMatch(/STRICT, WITHOUT ROWID$/);
    expect(db.prepare('SELECT * FROM member_programme ORDER BY member_id').all()).toEqual(rowsBefore);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'member_programme_referrer'").get()).toEqual({ name: 'member_programme_referrer' });
    expect(db.prepare("EXPLAIN QUERY PLAN SELECT tier_id FROM member_programme WHERE member_id = 'm1'").all()).toEqual([expect.objectContaining({ detail: expect.stringMatching(/USING PRIMARY KEY/) })]);

    // Constraints as before: unique codes, known members, no self-referral, tier and its date together.
    const insert = db.prepare('INSERT INTO member_programme (member_id, referral_code, referrer_member_id, tier_id, tier_since) VALUES (?, ?, ?, ?, ?)');
    db.prepare("INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES ('m3', '+905321234569', NULL, 0, 'now')").run();
    expect(() => insert.run('m1', 'CCCC4444', null, null, null)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => insert.run('m3', 'AAAA2222', null, null, null)).toThrow(/UNIQUE/);
    expect(() => insert.run('nobody', 'DDDD5555', null, null, null)).toThrow(/FOREIGN KEY/);
    expect(() => insert.run('m3', 'DDDD5555', 'm3', null, null)).toThrow(/CHECK/);
    expect(() => insert.run('m3', 'DDDD5555', null, 'gold', null)).toThrow(/CHECK/);
    insert.run('m3', 'DDDD5555', 'm1', null, null);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
