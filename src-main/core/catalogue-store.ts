// The product catalogue in the terminal's SQLite file (migration 0010): installed whole, looked up by
// barcode (in its 14-digit GTIN form) or SKU. Installing runs in the caller's transaction (the API
// handler's, or the sync page's), so a catalogue is either all there or not at all.
import type { Database, Statement } from 'better-sqlite3';
import type { CatalogueInfo, ProductView } from '../../src-shared/api/contract';
import type { Catalogue } from '../../src-shared/catalogue/catalogue';
import { gtinKey } from '../../src-shared/catalogue/gtin';

type InfoRow = { version: string; name: string | null; currency: string; products: number; source: 'server' | 'local'; installed_at: string; installed_by: string | null };
type ProductRow = { sku: string; name: string; category: string; unit_price_minor: number };

const toInfo = (r: InfoRow): CatalogueInfo => ({ version: r.version, name: r.name, currency: r.currency, products: r.products, source: r.source, installedAt: r.installed_at });

export class CatalogueStore {
  readonly #info: Statement<[], InfoRow>;
  readonly #bySku: Statement<[string], ProductRow>;
  readonly #byGtin: Statement<[string], ProductRow>;
  readonly #barcodes: Statement<[string], { gtin: string }>;

  constructor(private readonly db: Database) {
    this.#info = db.prepare('SELECT * FROM catalogue_info WHERE id = 1');
    this.#bySku = db.prepare('SELECT sku, name, category, unit_price_minor FROM products WHERE sku = ?');
    this.#byGtin = db.prepare('SELECT p.sku, p.name, p.category, p.unit_price_minor FROM product_barcodes b JOIN products p ON p.sku = b.sku WHERE b.gtin = ?');
    this.#barcodes = db.prepare('SELECT gtin FROM product_barcodes WHERE sku = ? ORDER BY rowid');
  }

  info(): CatalogueInfo | null {
    const row = this.#info.get();
    return row ? toInfo(row) : null;
  }

  /** Replaces the catalogue with `catalogue` (already validated). Call inside a transaction. */
  replace(catalogue: Catalogue, source: 'server' | 'local', by: string | null, at: string): { info: CatalogueInfo; replaced: string | null } {
    const replaced = this.#info.get()?.version ?? null;
    this.db.prepare('DELETE FROM product_barcodes').run();
    this.db.prepare('DELETE FROM products').run();
    const product = this.db.prepare<[string, string, string, number]>('INSERT INTO products (sku, name, category, unit_price_minor) VALUES (?, ?, ?, ?)');
    const barcode = this.db.prepare<[string, string]>('INSERT INTO product_barcodes (gtin, sku) VALUES (?, ?)');
    for (const p of catalogue.products) {
      product.run(p.sku, p.name, p.category, p.unitPriceMinor);
      for (const code of p.barcodes) {
        const key = gtinKey(code);
        if (key !== null) barcode.run(key, p.sku);
      }
    }
    this.db
      .prepare(
        `INSERT INTO catalogue_info (id, version, name, currency, products, source, installed_at, installed_by) VALUES (1, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, name = excluded.name, currency = excluded.currency, products = excluded.products,
           source = excluded.source, installed_at = excluded.installed_at, installed_by = excluded.installed_by`,
      )
      .run(catalogue.version, catalogue.name ?? null, catalogue.currency, catalogue.products.length, source, at, by);
    return { info: this.info() as CatalogueInfo, replaced };
  }

  /** A product by a scanned or typed barcode (EAN-13, UPC-A, EAN-8); null for an unknown or invalid one. */
  byBarcode(code: string): ProductView | null {
    const key = gtinKey(code.trim());
    if (key === null) return null;
    const row = this.#byGtin.get(key);
    return row ? this.#view(row) : null;
  }

  bySku(sku: string): ProductView | null {
    const row = this.#bySku.get(sku.trim());
    return row ? this.#view(row) : null;
  }

  #view(row: ProductRow): ProductView {
    // Barcodes as printed: an EAN-13 or EAN-8 without the GTIN-14 padding.
    const barcodes = this.#barcodes.all(row.sku).map((b) => (b.gtin.startsWith('000000') ? b.gtin.slice(6) : b.gtin.slice(1)));
    return { sku: row.sku, name: row.name, category: row.category, unitPriceMinor: row.unit_price_minor, barcodes };
  }
}
