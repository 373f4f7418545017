// Migration 0020-chain-card-tokens: member_cards also takes tokens under the chain's card key.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

const HEX = 'ab'.repeat(32);

describe('migration 0020-chain-card-tokens', () => {
  it('keeps the cards linked before, and takes c<N>: tokens beside v<N>: ones', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, MIGRATIONS.filter((m) => m.version < 20)).db;
    before.prepare("INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES ('m1', '05321234567', 'Ayşe', 0, 'then')").run();
    before.prepare("INSERT INTO member_cards (card_id, member_id, kind, card_token, brand, last4, linked_at, linked_by) VALUES ('k1', 'm1', 'payment', ?, 'visa', '1111', 'then', 'u1')").run(`v1:${HEX}`);
    before.prepare("INSERT INTO member_cards (card_id, member_id, kind, card_number, linked_at) VALUES ('k2', 'm1', 'loyalty', 'LOY-1', 'then')").run();
    expect(() => before.prepare("INSERT INTO member_cards (card_id, member_id, kind, card_token, brand, last4, linked_at) VALUES ('k3', 'm1', 'payment', ?, 'visa', '2222', 'then')").run(`c1:${HEX}`)).toThrow(/CHECK/);
    before.close();

    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 20));
    expect(migratedFrom).toBe(19);
    expect(db.pragma('user_version', { simple: true })).toBe(20);
    expect(db.prepare('SELECT card_id, member_id, kind, card_token, brand, last4, card_number, linked_at, linked_by FROM member_cards ORDER BY card_id').all()).toEqual([
      { card_id: 'k1', member_id: 'm1', kind: 'payment', card_token: `v1:${HEX}`, brand: 'visa', last4: '1111', card_number: null, linked_at: 'then', linked_by: 'u1' },
      { card_id: 'k2', member_id: 'm1', kind: 'loyalty', card_token: null, brand: null, last4: null, card_number: 'LOY-1', linked_at: 'then', linked_by: null },
    ]);
    const insert = db.prepare("INSERT INTO member_cards (card_id, member_id, kind, card_token, brand, last4, linked_at) VALUES (?, 'm1', 'payment', ?, 'visa', '2222', 'now')");
    insert.run('k3', `c2:${'cd'.repeat(32)}`);
    expect(() => insert.run('k4', `x1:${HEX}`)).toThrow(/CHECK/);
    // Still one member per token, one per loyalty number (case aside), and the member must exist.
    expect(() => insert.run('k5', `v1:${HEX}`)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO member_cards (card_id, member_id, kind, card_number, linked_at) VALUES ('k6', 'm1', 'loyalty', 'loy-1', 'now')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO member_cards (card_id, member_id, kind, card_number, linked_at) VALUES ('k7', 'nobody', 'loyalty', 'LOY-7', 'now')").run()).toThrow(/FOREIGN KEY/);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'member_cards' AND name = 'member_cards_member'").get()).toEqual({ name: 'member_cards_member' });
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'member_cards'").get() as { sql: string };
    expect(table.sql.trimEnd()).toMatch(/STRICT$/);
    db.close();
  });
});
