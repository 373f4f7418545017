import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

const upTo = (version: number) => MIGRATIONS.filter((m) => m.version <= version);

describe('migration 0010-products', () => {
  it('adds STRICT catalogue tables to a v9 database, with their constraints and the barcode index', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, upTo(9));
    const from = before.db.pragma('user_version', { simple: true }) as number;
    before.db.close();

    const { db, migratedFrom } = openDatabase(file, upTo(10));
    expect(migratedFrom).toBe(from);
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN ('catalogue_info', 'products', 'product_barcodes')").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['catalogue_info', 'product_barcodes', 'products']);
    for (const t of tables) expect(t.sql.trimEnd()).toMatch(/STRICT$/);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'product_barcodes_sku'").get()).toEqual({ name: 'product_barcodes_sku' });

    const info = db.prepare('INSERT INTO catalogue_info (id, version, name, currency, products, source, installed_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    info.run(1, 'v1', null, 'TRY', 1, 'local', 'now');
    expect(() => info.run(2, 'v2', null, 'TRY', 1, 'local', 'now')).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE catalogue_info SET source = 'usb' WHERE id = 1").run()).toThrow(/CHECK/);

    const product = db.prepare('INSERT INTO products (sku, name, category, unit_price_minor) VALUES (?, ?, ?, ?)');
    product.run('TEA-1', 'Tea', 'grocery', 4500);
    expect(() => product.run('TEA-1', 'Tea again', 'grocery', 1)).toThrow(/UNIQUE/);
    expect(() => product.run('NEG', 'Negative', 'grocery', -1)).toThrow(/CHECK/);
    expect(() => product.run('FLOAT', 'Float', 'grocery', 1.5)).toThrow(/cannot store REAL value in INTEGER column/);

    const barcode = db.prepare('INSERT INTO product_barcodes (gtin, sku) VALUES (?, ?)');
    barcode.run('04006381333931', 'TEA-1');
    expect(() => barcode.run('04006381333931', 'TEA-1')).toThrow(/UNIQUE/);
    expect(() => barcode.run('4006381333931', 'TEA-1')).toThrow(/CHECK/);
    expect(() => barcode.run('0400638133393x', 'TEA-1')).toThrow(/CHECK/);
    expect(() => barcode.run('00000096385074', 'NOBODY')).toThrow(/FOREIGN KEY/);
    // Removing a product takes its barcodes with it.
    db.prepare("DELETE FROM products WHERE sku = 'TEA-1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM product_barcodes').get()).toEqual({ n: 0 });
    db.close();
  });
});
