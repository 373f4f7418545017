// What installing a catalogue would change against the current one, as facts a screen words in its
// own language: products added and removed, and per product a price, category, name or barcode
// change. Products are the same product when their SKU is; barcodes are compared in their GTIN-14
// form, so a UPC-A written as an EAN-13 is no change. Each list keeps its count and its first lines.
import type { Catalogue, CatalogueProduct } from './catalogue';
import { gtinKey } from './gtin';

/** How many lines of each kind a diff keeps: enough to check, small for a 50,000-product catalogue. */
export const CATALOGUE_DIFF_LINES = 20;

export type CatalogueHeader = { version: string; name: string | null; currency: string; products: number };
export type ProductLine = { sku: string; name: string; category: string; unitPriceMinor: number };
/** `name` is the product's name in the new catalogue (the old one for a rename's `from`). */
export type ValueChangeLine<T> = { sku: string; name: string; from: T; to: T };
export type BarcodeChangeLine = { sku: string; name: string; added: string[]; removed: string[] };
export type DiffList<T> = { count: number; first: T[] };

export type CatalogueDiff = {
  /** The current catalogue; null when none is installed yet. */
  from: CatalogueHeader | null;
  to: CatalogueHeader;
  added: DiffList<ProductLine>;
  removed: DiffList<ProductLine>;
  priceChanged: DiffList<ValueChangeLine<number>>;
  categoryChanged: DiffList<ValueChangeLine<string>>;
  renamed: DiffList<ValueChangeLine<string>>;
  barcodesChanged: DiffList<BarcodeChangeLine>;
  /** Products in both with nothing changed. */
  unchanged: number;
};

export const CATALOGUE_DIFF_KINDS = ['added', 'removed', 'priceChanged', 'categoryChanged', 'renamed', 'barcodesChanged'] as const;
export type CatalogueDiffKind = (typeof CATALOGUE_DIFF_KINDS)[number];

const header = (c: Catalogue): CatalogueHeader => ({ version: c.version, name: c.name ?? null, currency: c.currency, products: c.products.length });
const line = (p: CatalogueProduct): ProductLine => ({ sku: p.sku, name: p.name, category: p.category, unitPriceMinor: p.unitPriceMinor });

/** A list that counts every item and keeps the first `limit`. */
function collector<T>(limit: number): { list: DiffList<T>; add: (item: T) => void } {
  const list: DiffList<T> = { count: 0, first: [] };
  return {
    list,
    add: (item) => {
      list.count += 1;
      if (list.first.length < limit) list.first.push(item);
    },
  };
}

const barcodeKey = (code: string) => gtinKey(code) ?? code;

/** Barcodes in `after` not in `before`, and the reverse, each as written in its own catalogue. */
function barcodeChange(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const had = new Set(before.map(barcodeKey));
  const has = new Set(after.map(barcodeKey));
  return { added: after.filter((c) => !had.has(barcodeKey(c))), removed: before.filter((c) => !has.has(barcodeKey(c))) };
}

/** Every difference from `before` (null: no catalogue yet) to `after`, in the order of their products. */
export function diffCatalogues(before: Catalogue | null, after: Catalogue, limit: number = CATALOGUE_DIFF_LINES): CatalogueDiff {
  const old = new Map((before?.products ?? []).map((p) => [p.sku, p]));
  const now = new Set(after.products.map((p) => p.sku));
  const added = collector<ProductLine>(limit);
  const removed = collector<ProductLine>(limit);
  const priceChanged = collector<ValueChangeLine<number>>(limit);
  const categoryChanged = collector<ValueChangeLine<string>>(limit);
  const renamed = collector<ValueChangeLine<string>>(limit);
  const barcodesChanged = collector<BarcodeChangeLine>(limit);
  let unchanged = 0;
  for (const product of after.products) {
    const was = old.get(product.sku);
    if (!was) {
      added.add(line(product));
      continue;
    }
    const { sku, name } = product;
    let changed = false;
    if (was.unitPriceMinor !== product.unitPriceMinor) {
      priceChanged.add({ sku, name, from: was.unitPriceMinor, to: product.unitPriceMinor });
      changed = true;
    }
    if (was.category !== product.category) {
      categoryChanged.add({ sku, name, from: was.category, to: product.category });
      changed = true;
    }
    if (was.name !== product.name) {
      renamed.add({ sku, name, from: was.name, to: product.name });
      changed = true;
    }
    const codes = barcodeChange(was.barcodes, product.barcodes);
    if (codes.added.length > 0 || codes.removed.length > 0) {
      barcodesChanged.add({ sku, name, ...codes });
      changed = true;
    }
    if (!changed) unchanged += 1;
  }
  for (const product of before?.products ?? []) if (!now.has(product.sku)) removed.add(line(product));
  return {
    from: before ? header(before) : null,
    to: header(after),
    added: added.list,
    removed: removed.list,
    priceChanged: priceChanged.list,
    categoryChanged: categoryChanged.list,
    renamed: renamed.list,
    barcodesChanged: barcodesChanged.list,
    unchanged,
  };
}
