import type { Database } from 'better-sqlite3';

// The product catalogue at the counter (docs/catalogue.md): one current catalogue, replaced whole when
// a new one is installed (from the server's feed, or imported by a manager on a standalone terminal).
// Barcodes are kept in their 14-digit GTIN form, so a UPC-A scanned as EAN-13 finds its product.
export function updateToSchemaVersion10(db: Database): void {
  db.exec(`
    CREATE TABLE catalogue_info (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version TEXT NOT NULL,
      name TEXT,
      currency TEXT NOT NULL CHECK (length(currency) = 3),
      products INTEGER NOT NULL CHECK (products >= 0),
      source TEXT NOT NULL CHECK (source IN ('server', 'local')),
      installed_at TEXT NOT NULL,
      installed_by TEXT
    ) STRICT;

    CREATE TABLE products (
      sku TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      category TEXT NOT NULL,
      unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0)
    ) STRICT;

    CREATE TABLE product_barcodes (
      gtin TEXT PRIMARY KEY CHECK (length(gtin) = 14 AND gtin NOT GLOB '*[^0-9]*'),
      sku TEXT NOT NULL REFERENCES products (sku) ON DELETE CASCADE
    ) STRICT;
    CREATE INDEX product_barcodes_sku ON product_barcodes (sku);
  `);
}
