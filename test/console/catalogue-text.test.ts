// The Catalogue page says a catalogue's problems, a refused install and what installing would change
// in the console's language, from codes and facts; places are named as the owner reads them.
import { describe, expect, it } from 'vitest';
import { catalogueChangeSections, catalogueSummaryLines } from '../../src-console/components/catalogue-change-text';
import { catalogueErrorText } from '../../src-console/components/catalogue-error-text';
import { catalogueFieldLabel } from '../../src-console/components/catalogue-problem-text';
import { makeFormat } from '../../src-console/components/format';
import { problemText } from '../../src-console/components/problem-text';
import { createConsoleI18n } from '../../src-console/i18n/console-i18n';
import { en } from '../../src-console/i18n/en';
import { validateCatalogue, validateCatalogueText, type Catalogue, type CatalogueProblem } from '../../src-shared/catalogue/catalogue';
import { diffCatalogues } from '../../src-shared/catalogue/catalogue-diff';
import { CATALOGUE_PROBLEM_CODES } from '../../src-shared/catalogue/catalogue-problems';

const tr = createConsoleI18n('tr').t;
const english = createConsoleI18n('en').t;
const product = (sku: string, extra: Record<string, unknown> = {}) => ({ sku, name: `Ürün ${sku}`, category: 'bakkal', unitPriceMinor: 1000, barcodes: [] as string[], ...extra });
const doc = (products: unknown[], extra: Record<string, unknown> = {}) => ({ format: 1, version: 'c1', currency: 'TRY', products, ...extra });

function problems(input: unknown): CatalogueProblem[] {
  const result = validateCatalogue(input);
  return result.ok ? [] : result.problems;
}
function catalogue(version: string, products: unknown[]): Catalogue {
  const result = validateCatalogue(doc(products, { version }));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}
const said = (found: CatalogueProblem[], t: typeof tr) => found.map((p) => `${catalogueFieldLabel(p.path, t)} ${problemText(p, t)}`.trim());

describe('catalogue problems in the console’s language', () => {
  it('has a sentence for every code of the catalogue’s own', () => {
    expect(Object.keys(en.catalogueProblems.codes).sort()).toEqual([...CATALOGUE_PROBLEM_CODES].sort());
  });

  it('says the catalogue’s own checks and the schema’s in Turkish, each where it is', () => {
    const found = problems(
      doc([product('A', { barcodes: ['036000291452'] }), product('A', { barcodes: ['4006381333932', '12345', '0036000291452'], name: 'a\nb', unitPriceMinor: -1 })], { version: 'kış 2' }),
    );
    expect(said(found, tr)).toEqual([
      'Sürüm yalnızca harf, rakam ve . : _ - olabilir; gelen: "kış 2"',
      'Ürün 2 › Ad bir kontrol karakteri içeriyor (sekme, satır sonu…)',
      'Ürün 2 › Birim fiyat (kuruş gibi alt birimle) en az 0 olmalı',
      'Ürün 2 › Barkod 1 4006381333932 barkodunun kontrol basamağı yanlış: 2 değil, 1 olmalı',
      'Ürün 2 › Barkod 2 yalnızca rakamlardan oluşan bir EAN-13 (13 hane), UPC-A (12) ya da EAN-8 (8) olmalı; gelen: "12345"',
      'Ürün 2 › Stok kodu (SKU) "A" stok kodu iki kez kullanılmış (ayrıca: Ürün 1)',
      'Ürün 2 › Barkod 3 0036000291452 barkodu iki kez kullanılmış (ayrıca: Ürün 1 › Barkod 1)',
    ]);
    expect(said(found, english)).toContain('Product 2 › Barcode 1 check digit is wrong: 4006381333932 must end in 1, not 2');
  });

  it('says text that is not JSON or too large in Turkish', () => {
    const notJson = validateCatalogueText('{');
    expect(notJson.ok ? '' : problemText(notJson.problems[0]!, tr)).toBe('geçerli bir JSON değil, satır 1, sütun 2: kapanan süslü parantez (}) eksik');
    expect(problemText({ path: '', message: 'larger than 16777216 bytes', code: 'text-too-large', facts: { maxBytes: 16 * 1024 * 1024 } }, tr)).toBe('dosya 16 MB’tan büyük');
  });

  it('says a refused install in Turkish: a taken version by name, a document with problems, anything else as every call does', () => {
    expect(catalogueErrorText({ code: 'ALREADY_EXISTS', status: 409, message: 'Catalogue c1 exists with different content: give the new one a new version', details: { version: 'c1' } }, tr)).toBe(
      'c1 sürümü farklı içerikle zaten kurulu: sürümler hiç değişmez, bu yüzden buna yeni bir sürüm verin.',
    );
    expect(catalogueErrorText({ code: 'VALIDATION', status: 400, message: 'Invalid catalogue:\n...', details: { problems: [] } }, tr)).toBe('katalogda sorunlar var');
    expect(catalogueErrorText({ code: 'UNAVAILABLE', status: 503, message: 'x' }, tr)).toContain('Sunucu');
  });
});

describe('catalogue changes in the console’s language', () => {
  const before = catalogue('c1', [product('KEEP'), product('GONE'), product('TEA', { barcodes: ['4006381333931'] })]);
  const after = catalogue('c2', [product('KEEP'), product('TEA', { unitPriceMinor: 1250, category: 'içecek', name: 'Çay', barcodes: ['96385074'] }), product('NEW', { unitPriceMinor: 250 })]);
  const turkishMoney = makeFormat('tr-TR', tr).money;

  it('says against what, and each kind of change with its lines, prices in the locale', () => {
    const diff = diffCatalogues(before, after);
    expect(catalogueSummaryLines(diff, tr)).toEqual(['Geçerli katalog c1 (3 ürün) ile karşılaştırıldı: 1 ürün değişmedi.']);
    expect(catalogueChangeSections(diff, tr, turkishMoney).map((s) => [s.heading, ...s.lines])).toEqual([
      ['1 ürün eklendi', 'NEW Ürün NEW: ₺2,50, bakkal'],
      ['1 ürün kaldırıldı', 'GONE Ürün GONE: ₺10,00, bakkal'],
      ['1 fiyat değişikliği', 'TEA Çay: ₺10,00 → ₺12,50'],
      ['1 kategori değişikliği', 'TEA Çay: bakkal → içecek'],
      ['1 ürünün adı değişti', 'TEA: “Ürün TEA” → “Çay”'],
      ['1 ürünün barkodları değişti', 'TEA Çay: eklenen 96385074; kaldırılan 4006381333931'],
    ]);
    const englishSections = catalogueChangeSections(diff, english, makeFormat('en-US', english).money);
    expect(englishSections[0]?.heading).toBe('1 product added');
  });

  it('says a first catalogue, no product changes, and how many lines are not shown', () => {
    expect(catalogueSummaryLines(diffCatalogues(null, after), english)).toEqual(['The first catalogue: c2 with 3 products.']);
    expect(catalogueSummaryLines(diffCatalogues(before, { ...before, version: 'c3' }), tr)).toEqual(['Geçerli katalog c1 (3 ürün) ile karşılaştırıldı: 3 ürün değişmedi.', 'Ürünlerde değişiklik yok.']);
    const many = Array.from({ length: 25 }, (_, i) => product(`P${i}`));
    const [added] = catalogueChangeSections(diffCatalogues(null, catalogue('c9', many)), english, makeFormat('en-US', english).money);
    expect(added?.heading).toBe('25 products added');
    expect(added?.lines).toHaveLength(20);
    expect(added?.more).toBe('…and 5 more');
  });
});
