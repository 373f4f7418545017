// Migration 0014: the chain's linked cards (payment tokens, loyalty numbers), one member per card.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src-server/db/database';
import { migrate, SERVER_MIGRATIONS } from '../../src-server/db/migrate';
import { ENGINES, openUnmigratedDatabase } from './server-harness';

describe.each(ENGINES)('migration 0014 (linked cards) on %s', (engine) => {
  let db: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openUnmigratedDatabase(engine));
  });
  afterAll(() => close());

  it('adds the table: one row per card key, a kind of payment or loyalty, found by member and by card', async () => {
    await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 13));
    expect(await migrate(db, SERVER_MIGRATIONS.filter((m) => m.version <= 14))).toBe(14);
    const token = `c1:${'a'.repeat(64)}`;
    await db.query(`INSERT INTO linked_cards (card_key, card_id, kind, member_id, brand, last4, key_version, terminal_id) VALUES ($1, 'card-1', 'payment', 'm1', 'visa', '4242', 1, 't1')`, [token]);
    await db.query(`INSERT INTO linked_cards (card_key, card_id, kind, member_id, card_number, terminal_id) VALUES ('loyalty:LOY-1', 'card-2', 'loyalty', 'm1', 'loy-1', 't1')`);
    await expect(db.query(`INSERT INTO linked_cards (card_key, card_id, kind, member_id, terminal_id) VALUES ($1, 'card-3', 'payment', 'm2', 't2')`, [token])).rejects.toThrow();
    await expect(db.query(`INSERT INTO linked_cards (card_key, card_id, kind, member_id, terminal_id) VALUES ('x', 'card-4', 'gift', 'm2', 't2')`)).rejects.toThrow();
    const rows = await db.query<{ card_id: string; linked_at: Date }>(`SELECT card_id, linked_at FROM linked_cards WHERE member_id = 'm1' ORDER BY card_id`);
    expect(rows.map((r) => r.card_id)).toEqual(['card-1', 'card-2']);
    expect(rows[0]?.linked_at).toBeTruthy();
    const indexes = await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'linked_cards' ORDER BY indexname`);
    expect(indexes.map((i) => i.indexname)).toEqual(['linked_cards_card', 'linked_cards_member', 'linked_cards_pkey']);
  });
});
