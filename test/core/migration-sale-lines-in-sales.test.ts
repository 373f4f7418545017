// Migration 0017-sale-lines-in-sales: the lines of sales recorded before move from the sale_lines
// table into their rows, in line order, with every field; a new sale's lines are its receipt's.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import type { CallerContext } from '../../src-main/core/handlers/handler-types';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, openCore, tempDir } from './helpers';

const manager: CallerContext = { role: 'manager', userId: 'manager-1' };
let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

describe('migration 0017-sale-lines-in-sales', () => {
  it("moves every sale's lines into its row in line order, and drops sale_lines", () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'kasa.db');
    const before = openDatabase(file, MIGRATIONS.filter((m) => m.version < 17)).db;
    const sale = before.prepare(`INSERT INTO sales (sale_id, idempotency_key, request_hash, member_id, currency, subtotal_minor, discount_minor, total_minor,
      points_earned, points_redeemed, rule_set_version, cashier_id, completed_at, receipt) VALUES (?, ?, 'h', NULL, 'TRY', ?, 0, ?, 0, 0, 'default-TRY-1', 'c', '2026-11-30T10:00:00.000Z', '{}')`);
    sale.run('s1', 'key-0001', 1400, 1400);
    sale.run('s2', 'key-0002', 2598, 2598);
    const line = before.prepare(`INSERT INTO sale_lines (sale_id, line_no, sku, name, category, qty, unit_price_minor, amount_minor, discount_minor, points)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Inserted out of order: the row keeps them by line number.
    line.run('s1', 1, null, null, 'Drinks', 1, 900, 900, 0, 9);
    line.run('s1', 0, 'SKU-1', 'Simit', 'Bakery', 2, 250, 500, 0, 5);
    line.run('s2', 0, null, null, 'Groceries', 2, 1299, 2598, 100, 24);
    before.close();

    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 17));
    expect(migratedFrom).toBe(16);
    expect(db.pragma('user_version', { simple: true })).toBe(17);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'sale_lines'").all()).toEqual([]);
    const linesOf = (saleId: string) => JSON.parse((db.prepare('SELECT lines FROM sales WHERE sale_id = ?').get(saleId) as { lines: string }).lines) as unknown;
    expect(linesOf('s1')).toEqual([
      { sku: 'SKU-1', name: 'Simit', category: 'Bakery', qty: 2, unitPriceMinor: 250, amountMinor: 500, discountMinor: 0, points: 5 },
      { sku: null, name: null, category: 'Drinks', qty: 1, unitPriceMinor: 900, amountMinor: 900, discountMinor: 0, points: 9 },
    ]);
    expect(linesOf('s2')).toEqual([{ sku: null, name: null, category: 'Groceries', qty: 2, unitPriceMinor: 1299, amountMinor: 2598, discountMinor: 100, points: 24 }]);
    db.close();

    // The core reads the migrated lines: the sale's view and a refund of its second line.
    core = openCore(dataDir);
    const view = call(core, 'sales.get', { saleId: 's1' }, manager);
    expect(view.lines.map((l: { lineIndex: number; name: string | null; amountMinor: number }) => [l.lineIndex, l.name, l.amountMinor])).toEqual([
      [0, 'Simit', 500],
      [1, null, 900],
    ]);
    const refund = call(core, 'sales.refund', { saleId: 's1', lines: [{ lineIndex: 1, qty: 1 }], idempotencyKey: 'refund-s1-drinks' }, manager);
    expect(refund.refundAmountMinor).toBe(900);
  });

  it("reads a new sale's lines from its receipt: what the view shows and a refund reads, with nothing written beside it", () => {
    core = openCore(tempDir());
    const lines = [
      { sku: 'SKU-9', name: 'Ayran', category: 'Drinks', qty: 3, unitPriceMinor: 1_500 },
      { category: 'Groceries', qty: 1, unitPriceMinor: 4_000 },
    ];
    const sold = call(core, 'sales.complete', { lines, idempotencyKey: 'anonymous-sale-1' });
    expect(core.context.db.prepare('SELECT lines FROM sales WHERE sale_id = ?').get(sold.saleId)).toEqual({ lines: null });
    const view = call(core, 'sales.get', { saleId: sold.saleId }, manager);
    expect(view.lines).toEqual([
      { lineIndex: 0, sku: 'SKU-9', name: 'Ayran', category: 'Drinks', qty: 3, unitPriceMinor: 1_500, amountMinor: 4_500, discountMinor: 0, points: 45, refundedQty: 0 },
      { lineIndex: 1, sku: null, name: null, category: 'Groceries', qty: 1, unitPriceMinor: 4_000, amountMinor: 4_000, discountMinor: 0, points: 40, refundedQty: 0 },
    ]);
    const refund = call(core, 'sales.refund', { saleId: sold.saleId, lines: [{ lineIndex: 0, qty: 2 }], idempotencyKey: 'refund-ayran-2' }, manager);
    expect(refund.refundAmountMinor).toBe(3_000);
    expect(call(core, 'sales.get', { saleId: sold.saleId }, manager).lines[0]?.refundedQty).toBe(2);
  });
});
