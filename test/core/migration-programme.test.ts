import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { referralCodeFor } from '../../src-main/core/referral-code';
import { tempDir } from './helpers';

const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);
const PROGRAMME_TABLES = ['donations', 'member_day_points', 'member_programme', 'point_lots', 'refunds', 'rule_set_activations', 'rule_sets', 'tier_qualifying'];

describe('migration 0005-programme', () => {
  it('adds STRICT programme tables and gives members enrolled before it a referral code and their balance as a lot', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const v4 = openDatabase(file, upTo(4)).db;
    const insert = v4.prepare('INSERT INTO members (member_id, phone, balance, enrolled_at) VALUES (?, ?, ?, ?)');
    insert.run('m-rich', '+905321111111', 1234, '2026-01-02T10:00:00.000Z');
    insert.run('m-zero', '+905322222222', 0, '2026-01-03T10:00:00.000Z');
    insert.run('m-owes', '+905323333333', -50, '2026-01-04T10:00:00.000Z');
    v4.close();

    const { db, migratedFrom, backupFile } = openDatabase(file, upTo(5));
    expect(migratedFrom).toBe(4);
    expect(backupFile).not.toBeNull();
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN (" + PROGRAMME_TABLES.map(() => '?').join(',') + ')').all(...PROGRAMME_TABLES) as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(PROGRAMME_TABLES);
    for (const t of tables) expect(t.sql.trimEnd(), t.name).toMatch(/STRICT$/);

    const states = db.prepare('SELECT member_id, referral_code, lots_debt FROM member_programme ORDER BY member_id').all();
    expect(states).toEqual([
      { member_id: 'm-owes', referral_code: referralCodeFor('m-owes'), lots_debt: 50 },
      { member_id: 'm-rich', referral_code: referralCodeFor('m-rich'), lots_debt: 0 },
      { member_id: 'm-zero', referral_code: referralCodeFor('m-zero'), lots_debt: 0 },
    ]);
    expect(db.prepare('SELECT member_id, ref, expires_on, remaining FROM point_lots').all()).toEqual([{ member_id: 'm-rich', ref: 'never', expires_on: null, remaining: 1234 }]);

    // Rule sets are immutable once installed; a self-referral cannot be stored.
    db.prepare("INSERT INTO rule_sets (version, document, digest, installed_at) VALUES ('v1', '{}', 'd', 'now')").run();
    expect(() => db.prepare("UPDATE rule_sets SET digest = 'x'").run()).toThrow(/never changes/);
    expect(() => db.prepare('DELETE FROM rule_sets').run()).toThrow(/kept/);
    expect(() => db.prepare("UPDATE member_programme SET referrer_member_id = 'm-rich' WHERE member_id = 'm-rich'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO point_lots (member_id, ref, earned_at, ord, remaining) VALUES ('m-zero', 'x', 'now', 1, 'many')").run()).toThrow();
    db.close();
  });

  it('derives referral codes that stay the same and avoid look-alike characters', () => {
    const code = referralCodeFor('7b0c1f9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f');
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(referralCodeFor('7b0c1f9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f')).toBe(code);
    expect(referralCodeFor('7b0c1f9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f', 1)).not.toBe(code);
  });
});
