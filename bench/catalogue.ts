// The product catalogue at the counter: installing 50,000 products through the core (validation of
// every GTIN and duplicate, replacing the tables in one transaction) beside bare inserts of the same
// rows; and a barcode lookup (catalogue.lookup, and a scan interpreted into its product) beside a bare
// indexed get on the same file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gtinCheckDigit } from '../src-shared/catalogue/gtin';
import { createTerminalCore } from '../src-main/core/terminal-core';
import { percentiles, report, round, sample, scaled } from './bench-util';

const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? scaled(50_000));
const LOOKUPS = scaled(20_000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-bench-catalogue-'));
const core = createTerminalCore({ dataDir });
const { db } = core.context;
const manager = { role: 'manager' as const, userId: null };
const cashier = { role: 'cashier' as const, userId: null };

const barcodeOf = (i: number) => {
  const body = `869${String(i).padStart(9, '0')}`;
  return `${body}${gtinCheckDigit(body)}`;
};
const products = Array.from({ length: PRODUCTS }, (_, i) => ({ sku: `SKU-${i}`, name: `Product ${i}`, category: i % 3 ? 'grocery' : 'drinks', unitPriceMinor: 100 + i, barcodes: [barcodeOf(i)] }));
const text = JSON.stringify({ format: 1, version: 'bench-1', currency: 'TRY', products });

const installStart = process.hrtime.bigint();
const installed = core.dispatch('catalogue.install', { catalogue: text }, manager);
const installSeconds = Number(process.hrtime.bigint() - installStart) / 1e9;
if (!installed.ok) throw new Error(installed.error.message);

// Baseline: the same rows into plain tables of the same shape, no parsing or validation.
db.exec('CREATE TABLE bare_products (sku TEXT PRIMARY KEY, name TEXT, category TEXT, unit_price_minor INTEGER) STRICT; CREATE TABLE bare_barcodes (gtin TEXT PRIMARY KEY, sku TEXT) STRICT;');
const bareStart = process.hrtime.bigint();
const p = db.prepare('INSERT INTO bare_products VALUES (?, ?, ?, ?)');
const b = db.prepare('INSERT INTO bare_barcodes VALUES (?, ?)');
db.transaction(() => {
  for (const x of products) {
    p.run(x.sku, x.name, x.category, x.unitPriceMinor);
    b.run(`0${x.barcodes[0]}`, x.sku);
  }
})();
const bareSeconds = Number(process.hrtime.bigint() - bareStart) / 1e9;

const pick = (i: number) => barcodeOf((i * 7919) % PRODUCTS);
const bare = db.prepare('SELECT p.* FROM bare_barcodes b JOIN bare_products p ON p.sku = b.sku WHERE b.gtin = ?');
for (let i = 0; i < 2000; i += 1) {
  bare.get(`0${pick(i)}`);
  core.dispatch('catalogue.lookup', { barcode: pick(i) }, cashier);
}
const bareSamples = sample(LOOKUPS, (i) => bare.get(`0${pick(i + 1)}`));
const lookupSamples = sample(LOOKUPS, (i) => {
  const r = core.dispatch('catalogue.lookup', { barcode: pick(i + 1) }, cashier);
  if (!r.ok) throw new Error(r.error.message);
});
const scanSamples = sample(LOOKUPS / 4, (i) => {
  const r = core.dispatch('devices.keyboardScan', { text: pick(i + 1) }, cashier);
  if (!r.ok || !(r.value as { product?: unknown }).product) throw new Error('the scan found no product');
});

const bareP = percentiles(bareSamples);
const lookupP = percentiles(lookupSamples);
report('catalogue', {
  products: PRODUCTS,
  jsonBytes: text.length,
  install: { coreSeconds: round(installSeconds, 3), bareInsertSeconds: round(bareSeconds, 3), ratio: round(installSeconds / bareSeconds, 2) },
  lookups: LOOKUPS,
  unit: 'ms',
  coreLookup: lookupP,
  scanToProduct: percentiles(scanSamples),
  bareIndexedGet: bareP,
  ratioP50: round(lookupP.p50 / bareP.p50, 2),
});
core.close();
fs.rmSync(dataDir, { recursive: true, force: true });
