import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);
const tableSql = (db: ReturnType<typeof openDatabase>['db'], name: string) =>
  (db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(name) as { sql: string }).sql.trimEnd();

describe('migration 0012-sale-tables-without-rowid', () => {
  it('keeps sale_lines, point_lots and tier_qualifying WITHOUT ROWID with their rows, sums and constraints', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, upTo(11)).db;
    before.prepare("INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES ('m1', '+905321234567', NULL, 0, '2026-01-01T00:00:00Z')").run();
    before
      .prepare(`INSERT INTO sales (sale_id, idempotency_key, request_hash, member_id, currency, subtotal_minor, discount_minor, total_minor,
        points_earned, points_redeemed, rule_set_version, cashier_id, completed_at, receipt) VALUES (?, ?, 'h', 'm1', 'TRY', 1000, 0, 1000, 10, 0, 'v1', 'c', 'now', '{}')`)
      .run('s1', 'key-0001');
    const line = before.prepare(`INSERT INTO sale_lines (sale_id, line_no, sku, name, category, qty, unit_price_minor, amount_minor, discount_minor, points)
      VALUES ('s1', ?, ?, NULL, 'Bakery', 1, 500, 500, 0, 5)`);
    line.run(1, null);
    line.run(0, 'SKU-1');
    const lot = before.prepare("INSERT INTO point_lots (member_id, ref, earned_at, expires_on, ord, remaining) VALUES ('m1', ?, 'now', ?, ?, ?)");
    lot.run('never:m1', null, 0, 7);
    lot.run('t1:4', '2027-01-31', 4, 3);
    // A sale and two partial refunds of it: three rows of one (member, instant, sale).
    const qualifying = before.prepare("INSERT INTO tier_qualifying (member_id, sale_id, at_ms, spend_minor, points) VALUES ('m1', ?, ?, ?, ?)");
    qualifying.run('s1', 1000, 1000, 10);
    qualifying.run('s1', 1000, -300, -3);
    qualifying.run('s1', 1000, -200, -2);
    qualifying.run('s2', 2000, 400, 4);
    const linesBefore = before.prepare('SELECT * FROM sale_lines ORDER BY sale_id, line_no').all();
    const lotsBefore = before.prepare('SELECT * FROM point_lots ORDER BY member_id, ref').all();
    const window = 'SELECT sum(spend_minor) AS spend, sum(points) AS points FROM tier_qualifying WHERE member_id = ? AND at_ms > ? AND at_ms <= ?';
    const sumsBefore = [before.prepare(window).get('m1', 0, 1500), before.prepare(window).get('m1', 0, 3000)];
    before.close();

    const { db, migratedFrom, backupFile } = openDatabase(file, upTo(12));
    expect(migratedFrom).toBe(11);
    expect(backupFile).not.toBeNull();
    expect(db.pragma('user_version', { simple: true })).toBe(12);
    for (const name of ['sale_lines', 'point_lots', 'tier_qualifying']) expect(tableSql(db, name)).toMatch(/STRICT, WITHOUT ROWID$/);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('sale_lines', 'point_lots', 'tier_qualifying')").all()).toEqual([]);
    expect(db.prepare('SELECT * FROM sale_lines ORDER BY sale_id, line_no').all()).toEqual(linesBefore);
    expect(db.prepare('SELECT * FROM point_lots ORDER BY member_id, ref').all()).toEqual(lotsBefore);
    expect([db.prepare(window).get('m1', 0, 1500), db.prepare(window).get('m1', 0, 3000)]).toEqual(sumsBefore);
    expect(db.prepare('SELECT count(*) AS n FROM tier_qualifying').get()).toEqual({ n: 2 });
    expect(db.prepare(`EXPLAIN QUERY PLAN ${window}`).all('m1', 0, 1)).toEqual([expect.objectContaining({ detail: expect.stringMatching(/USING PRIMARY KEY/) })]);

    // Constraints as before: keys unique, rows belong to known sales and members, lots hold points.
    const newLine = db.prepare(`INSERT INTO sale_lines (sale_id, line_no, category, qty, unit_price_minor, amount_minor, discount_minor, points)
      VALUES (?, ?, 'Bakery', 1, 500, 500, 0, 5)`);
    expect(() => newLine.run('s1', 0)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => newLine.run('no-such-sale', 0)).toThrow(/FOREIGN KEY/);
    const newLot = db.prepare("INSERT INTO point_lots (member_id, ref, earned_at, expires_on, ord, remaining) VALUES (?, ?, 'now', NULL, 0, ?)");
    expect(() => newLot.run('m1', 'never:m1', 1)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => newLot.run('nobody', 'never:nobody', 1)).toThrow(/FOREIGN KEY/);
    expect(() => newLot.run('m1', 't1:9', 0)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO tier_qualifying (member_id, sale_id, at_ms, spend_minor, points) VALUES ('nobody', 's9', 1, 1, 1)").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
