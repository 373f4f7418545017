import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from '../core/helpers';

const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);

describe('migration 0007-devices', () => {
  it('adds STRICT devices and member_cards tables to a v4 database, with their constraints', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const v4 = openDatabase(file, upTo(4));
    v4.db.prepare("INSERT INTO members (member_id, phone, balance, enrolled_at) VALUES ('m1', '+905321234567', 0, 'now'), ('m2', '+905321234568', 0, 'now')").run();
    v4.db.close();

    const { db, migratedFrom, backupFile } = openDatabase(file, upTo(7));
    expect(migratedFrom).toBe(4);
    expect(backupFile).not.toBeNull();
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN ('devices', 'member_cards')").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['devices', 'member_cards']);
    for (const t of tables) expect(t.sql.trimEnd()).toMatch(/STRICT$/);

    const device = db.prepare('INSERT INTO devices (device_id, name, transport, enabled, config, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    device.run('d1', 'Front', 'serial', 1, '{"transport":"serial","path":"/dev/ttyACM0"}', 'now');
    expect(() => device.run('d2', 'Bad', 'bluetooth', 1, '{}', 'now')).toThrow(/CHECK/);
    expect(() => device.run('d3', 'Bad', 'hid', 1, 'not json', 'now')).toThrow(/CHECK/);
    expect(() => device.run('d4', 'Bad', 'hid', 'yes', '{}', 'now')).toThrow();

    const card = db.prepare(
      'INSERT INTO member_cards (card_id, member_id, kind, card_token, brand, last4, card_number, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const token = `v1:${'ab'.repeat(32)}`;
    card.run('c1', 'm1', 'payment', token, 'visa', '1111', null, 'now');
    card.run('c2', 'm1', 'payment', `v2:${'cd'.repeat(32)}`, 'visa', '1111', null, 'now');
    card.run('c3', 'm1', 'loyalty', null, null, null, 'LOY-1', 'now');
    // A card token and a loyalty number belong to one member at most (numbers compared without case).
    expect(() => card.run('c4', 'm2', 'payment', token, 'visa', '1111', null, 'now')).toThrow(/UNIQUE/);
    expect(() => card.run('c5', 'm2', 'loyalty', null, null, null, 'loy-1', 'now')).toThrow(/UNIQUE/);
    // A payment card is a token, never a number: no row without a token, no card number beside it, no PAN as last4.
    expect(() => card.run('c6', 'm2', 'payment', null, 'visa', '1111', null, 'now')).toThrow(/CHECK/);
    expect(() => card.run('c7', 'm2', 'payment', `v1:${'ef'.repeat(32)}`, 'visa', '1111', '4111111111111111', 'now')).toThrow(/CHECK/);
    expect(() => card.run('c8', 'm2', 'payment', `v1:${'01'.repeat(32)}`, 'visa', '4111111111111111', null, 'now')).toThrow(/CHECK/);
    expect(() => card.run('c9', 'm2', 'payment', '4111111111111111', 'visa', '1111', null, 'now')).toThrow(/CHECK/);
    expect(() => card.run('c10', 'nobody', 'loyalty', null, null, null, 'LOY-2', 'now')).toThrow(/FOREIGN KEY/);
    expect(db.prepare("SELECT count(*) AS n FROM member_cards WHERE member_id = 'm1'").get()).toEqual({ n: 3 });
    db.close();
  });
});
