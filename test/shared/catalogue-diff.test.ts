// What installing a catalogue would change against the current one, as facts: products matched by
// SKU, barcodes compared in their GTIN-14 form, each kind counted with its first lines.
import { describe, expect, it } from 'vitest';
import { validateCatalogue, type Catalogue } from '../../src-shared/catalogue/catalogue';
import { CATALOGUE_DIFF_LINES, diffCatalogues } from '../../src-shared/catalogue/catalogue-diff';

const product = (sku: string, extra: Record<string, unknown> = {}) => ({ sku, name: `Product ${sku}`, category: 'grocery', unitPriceMinor: 1000, barcodes: [] as string[], ...extra });

function catalogue(version: string, products: unknown[], extra: Record<string, unknown> = {}): Catalogue {
  const result = validateCatalogue({ format: 1, version, currency: 'TRY', products, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

describe('catalogue diff', () => {
  it('says a first catalogue adds every product', () => {
    const diff = diffCatalogues(null, catalogue('c1', [product('A'), product('B')]));
    expect(diff.from).toBeNull();
    expect(diff.to).toEqual({ version: 'c1', name: null, currency: 'TRY', products: 2 });
    expect(diff.added).toEqual({ count: 2, first: [{ sku: 'A', name: 'Product A', category: 'grocery', unitPriceMinor: 1000 }, { sku: 'B', name: 'Product B', category: 'grocery', unitPriceMinor: 1000 }] });
    expect(diff.removed).toEqual({ count: 0, first: [] });
    expect(diff.unchanged).toBe(0);
  });

  it('finds added, removed, price, category, name and barcode changes by SKU', () => {
    const before = catalogue('c1', [
      product('KEEP'),
      product('GONE'),
      product('PRICE'),
      product('CAT'),
      product('NAME'),
      product('CODES', { barcodes: ['036000291452', '4006381333931'] }),
      product('ALL', { unitPriceMinor: 500 }),
    ], { name: 'Winter' });
    const after = catalogue('c2', [
      product('NEW', { unitPriceMinor: 250 }),
      product('KEEP'),
      product('PRICE', { unitPriceMinor: 1250 }),
      product('CAT', { category: 'bakery' }),
      product('NAME', { name: 'Better name' }),
      // The UPC-A written as its EAN-13 is the same barcode; the EAN-8 is new; the other one went.
      product('CODES', { barcodes: ['0036000291452', '96385074'] }),
      product('ALL', { unitPriceMinor: 600, category: 'deli', name: 'All of it' }),
    ]);
    const diff = diffCatalogues(before, after);
    expect(diff.from).toEqual({ version: 'c1', name: 'Winter', currency: 'TRY', products: 7 });
    expect(diff.added).toEqual({ count: 1, first: [{ sku: 'NEW', name: 'Product NEW', category: 'grocery', unitPriceMinor: 250 }] });
    expect(diff.removed).toEqual({ count: 1, first: [{ sku: 'GONE', name: 'Product GONE', category: 'grocery', unitPriceMinor: 1000 }] });
    expect(diff.priceChanged).toEqual({ count: 2, first: [{ sku: 'PRICE', name: 'Product PRICE', from: 1000, to: 1250 }, { sku: 'ALL', name: 'All of it', from: 500, to: 600 }] });
    expect(diff.categoryChanged).toEqual({ count: 2, first: [{ sku: 'CAT', name: 'Product CAT', from: 'grocery', to: 'bakery' }, { sku: 'ALL', name: 'All of it', from: 'grocery', to: 'deli' }] });
    expect(diff.renamed).toEqual({ count: 2, first: [{ sku: 'NAME', name: 'Better name', from: 'Product NAME', to: 'Better name' }, { sku: 'ALL', name: 'All of it', from: 'Product ALL', to: 'All of it' }] });
    expect(diff.barcodesChanged).toEqual({ count: 1, first: [{ sku: 'CODES', name: 'Product CODES', added: ['96385074'], removed: ['4006381333931'] }] });
    expect(diff.unchanged).toBe(1);
  });

  it('says nothing changed when only the version did', () => {
    const products = [product('A', { barcodes: ['4006381333931'] })];
    const diff = diffCatalogues(catalogue('c1', products), catalogue('c2', products));
    for (const kind of ['added', 'removed', 'priceChanged', 'categoryChanged', 'renamed', 'barcodesChanged'] as const) expect(diff[kind]).toEqual({ count: 0, first: [] });
    expect(diff.unchanged).toBe(1);
  });

  it('counts every change but keeps only the first lines of each kind', () => {
    const many = (price: number) => Array.from({ length: 50 }, (_, i) => product(`P${String(i).padStart(2, '0')}`, { unitPriceMinor: price }));
    const diff = diffCatalogues(catalogue('c1', many(100)), catalogue('c2', many(200)));
    expect(diff.priceChanged.count).toBe(50);
    expect(diff.priceChanged.first).toHaveLength(CATALOGUE_DIFF_LINES);
    expect(diff.priceChanged.first[0]).toEqual({ sku: 'P00', name: 'Product P00', from: 100, to: 200 });
    expect(diffCatalogues(null, catalogue('c1', many(1)), 3).added).toMatchObject({ count: 50, first: [{ sku: 'P00' }, { sku: 'P01' }, { sku: 'P02' }] });
  });
});
