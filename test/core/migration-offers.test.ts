import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);

describe('migration 0008-offers', () => {
  it('adds a STRICT offers table to a version-7 database, keeping what was there, and refuses malformed offers', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const v7 = openDatabase(file, upTo(7)).db;
    v7.prepare('INSERT INTO members (member_id, phone, balance, enrolled_at) VALUES (?, ?, ?, ?)').run('m-1', '+905321111111', 10, '2026-01-02T10:00:00.000Z');
    v7.close();

    const { db, migratedFrom } = openDatabase(file, upTo(8));
    expect(migratedFrom).toBe(7);
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'offers'").get() as { sql: string };
    expect(table.sql.trimEnd()).toMatch(/STRICT$/);
    expect(db.prepare('SELECT member_id, balance FROM members').all()).toEqual([{ member_id: 'm-1', balance: 10 }]);

    const insert = db.prepare(
      'INSERT INTO offers (offer_id, member_id, type, terms, reason, valid_from, valid_until, server_status, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('of-1', 'm-1', 'winBack', '{"type":"winBack"}', 'Away 9 weeks', '2026-11-01', '2026-11-14', 'active', 'now');
    expect(() => insert.run('of-2', 'm-1', 'coupon', '{}', 'r', '2026-11-01', '2026-11-14', 'active', 'now')).toThrow(/CHECK/);
    expect(() => insert.run('of-3', 'm-1', 'winBack', 'not json', 'r', '2026-11-01', '2026-11-14', 'active', 'now')).toThrow(/CHECK/);
    expect(() => insert.run('of-4', 'm-1', 'winBack', '{}', 'r', '2026-11-14', '2026-11-01', 'active', 'now')).toThrow(/CHECK/);
    expect(() => insert.run('of-5', 'm-1', 'winBack', '{}', 'r', '1 Nov', '2026-11-14', 'active', 'now')).toThrow(/CHECK/);
    expect(() => insert.run('of-6', 'm-1', 'winBack', '{}', 'r', '2026-11-01', '2026-11-14', 'used', 'now')).toThrow(/CHECK/);
    expect(() => insert.run('of-7', 'm-1', 'winBack', '{}', 'r', '2026-11-01', 20261114, 'active', 'now')).toThrow();
    expect(db.prepare('SELECT count(*) AS n FROM offers').get()).toEqual({ n: 1 });
    db.close();
  });
});
