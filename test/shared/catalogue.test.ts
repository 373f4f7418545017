import { describe, expect, it } from 'vitest';
import { CATALOGUE_LIMITS, parseCatalogueOrThrow, validateCatalogue, validateCatalogueText } from '../../src-shared/catalogue/catalogue';
import { gtinCheckDigit, gtinKey } from '../../src-shared/catalogue/gtin';

const product = (sku: string, barcodes: string[] = [], extra: Record<string, unknown> = {}) => ({ sku, name: `Product ${sku}`, category: 'grocery', unitPriceMinor: 1250, barcodes, ...extra });
const doc = (products: unknown[], extra: Record<string, unknown> = {}) => ({ format: 1, version: '2026-12-01', currency: 'TRY', products, ...extra });

// The English each problem says (what the CLI prints); codes and facts: catalogue-problem-codes.test.ts.
const problems = (input: unknown) => {
  const result = validateCatalogue(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems.map(({ path, message }) => ({ path, message }));
};

describe('GTIN keys', () => {
  it('validates EAN-13, UPC-A and EAN-8 check digits and folds UPC-A into its EAN-13 form', () => {
    expect(gtinKey('4006381333931')).toBe('04006381333931');
    expect(gtinKey('036000291452')).toBe('00036000291452');
    expect(gtinKey('0036000291452')).toBe('00036000291452');
    expect(gtinKey('96385074')).toBe('00000096385074');
    expect(gtinKey('4006381333932')).toBeNull();
    expect(gtinKey('400638133393')).toBeNull();
    expect(gtinKey('40063813339310')).toBeNull();
    expect(gtinCheckDigit('400638133393')).toBe(1);
  });
});

describe('catalogue validation', () => {
  it('accepts a valid catalogue and fills defaults', () => {
    const result = validateCatalogue(doc([product('TEA-1', ['4006381333931', '036000291452', '96385074']), { sku: 'BAG', name: 'Bag', category: 'other', unitPriceMinor: 0 }]));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.products[1]?.barcodes).toEqual([]);
      expect(result.value.version).toBe('2026-12-01');
    }
  });

  it('names a bad GTIN check digit by its exact path and says which digit it needs', () => {
    expect(problems(doc([product('A', ['4006381333931']), product('B', ['9780201379624', '4006381333932'])]))).toEqual([
      { path: 'products[1].barcodes[1]', message: 'check digit is wrong: 400638133393 needs 1, not 2' },
    ]);
    expect(problems(doc([product('A', ['12345', '40063813339x1'])]))).toEqual([
      { path: 'products[0].barcodes[0]', message: 'expected an EAN-13 (13 digits), UPC-A (12) or EAN-8 (8), digits only' },
      { path: 'products[0].barcodes[1]', message: 'expected an EAN-13 (13 digits), UPC-A (12) or EAN-8 (8), digits only' },
    ]);
  });

  it('refuses duplicate SKUs and duplicate barcodes, a UPC-A and its EAN-13 form included', () => {
    expect(problems(doc([product('A', ['036000291452']), product('B', ['4006381333931']), product('A'), product('C', ['0036000291452'])]))).toEqual([
      { path: 'products[2].sku', message: 'duplicate SKU "A" (also products[0])' },
      { path: 'products[3].barcodes[0]', message: 'duplicate barcode 0036000291452 (also products[0].barcodes[0])' },
    ]);
  });

  it('bounds every size and names unknown fields, wrong types and a wrong format', () => {
    const p = problems(
      doc(
        [
          product('S'.repeat(CATALOGUE_LIMITS.sku + 1)),
          product('N', [], { name: '' }),
          product('P', [], { unitPriceMinor: 12.5 }),
          product('Q', [], { unitPriceMinor: -1 }),
          product('R', Array.from({ length: CATALOGUE_LIMITS.barcodesPerProduct + 1 }, () => '96385074')),
          product('T', [], { colour: 'red' }),
          product('U', [], { category: 'a\tb' }),
        ],
        { format: 2, currency: 'lira' },
      ),
    );
    expect(p).toEqual(
      expect.arrayContaining([
        { path: 'format', message: 'expected 1, got 2' },
        { path: 'currency', message: 'an ISO 4217 code such as TRY or EUR' },
        { path: 'products[0].sku', message: `is longer than ${CATALOGUE_LIMITS.sku} characters` },
        { path: 'products[1].name', message: 'must not be empty' },
        { path: 'products[2].unitPriceMinor', message: 'expected a whole number, got 12.5' },
        { path: 'products[3].unitPriceMinor', message: 'must be at least 0' },
        { path: 'products[4].barcodes', message: `has more than ${CATALOGUE_LIMITS.barcodesPerProduct} items` },
        { path: 'products[5].colour', message: 'unknown field' },
        { path: 'products[6].category', message: 'the category holds a control character (tab, newline...)' },
      ]),
    );
    expect(problems(doc([]))).toEqual([{ path: 'products', message: 'needs at least 1 item' }]);
    const tooMany = Array.from({ length: CATALOGUE_LIMITS.products + 1 }, (_, i) => ({ sku: `S${i}`, name: 'x', category: 'c', unitPriceMinor: 1 }));
    expect(problems(doc(tooMany))).toEqual([{ path: 'products', message: `has more than ${CATALOGUE_LIMITS.products} items` }]);
  });

  it('reads JSON text, refuses what is not JSON or too large, and throws a VALIDATION error with the problems', () => {
    expect(validateCatalogueText(JSON.stringify(doc([product('A')]))).ok).toBe(true);
    expect(validateCatalogueText('{"format": 1,')).toMatchObject({ ok: false, problems: [{ path: '', message: expect.stringMatching(/^not valid JSON/), code: 'json-syntax' }] });
    expect(validateCatalogueText(' '.repeat(CATALOGUE_LIMITS.textBytes + 1))).toMatchObject({ ok: false, problems: [{ path: '', message: `larger than ${CATALOGUE_LIMITS.textBytes} bytes`, code: 'text-too-large' }] });
    expect(validateCatalogue(null)).toMatchObject({ ok: false, problems: [{ path: '', message: 'expected an object, got null', code: 'wrong-type' }] });
    try {
      parseCatalogueOrThrow(doc([product('A', ['4006381333932'])]));
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION', details: { problems: [{ path: 'products[0].barcodes[0]' }] } });
      expect((error as Error).message).toContain('products[0].barcodes[0]: check digit is wrong');
    }
  });
});
