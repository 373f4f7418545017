// A catalogue's problems carry a stable code and the facts to word them anew (the console does, in
// its language): the catalogue's own checks have codes of their own, the schema's are the rule set's;
// the English message stays beside them for the CLI and older clients.
import { describe, expect, it } from 'vitest';
import { CATALOGUE_LIMITS, validateCatalogue, validateCatalogueText, type CatalogueProblem } from '../../src-shared/catalogue/catalogue';
import { CATALOGUE_PROBLEM_CODES } from '../../src-shared/catalogue/catalogue-problems';
import { RULE_SET_PROBLEM_CODES } from '../../src-shared/program/rule-set-validation';

const product = (sku: string, barcodes: string[] = [], extra: Record<string, unknown> = {}) => ({ sku, name: `Product ${sku}`, category: 'grocery', unitPriceMinor: 1250, barcodes, ...extra });
const doc = (products: unknown[], extra: Record<string, unknown> = {}) => ({ format: 1, version: '2026-12-01', currency: 'TRY', products, ...extra });

function problems(input: unknown): CatalogueProblem[] {
  const result = validateCatalogue(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}
const byPath = (found: CatalogueProblem[]) => Object.fromEntries(found.map((p) => [p.path, { code: p.code, facts: p.facts }]));

describe('catalogue problem codes', () => {
  it('gives the catalogue’s own checks codes of their own, none shared with the rule set’s', () => {
    expect(CATALOGUE_PROBLEM_CODES.filter((c) => (RULE_SET_PROBLEM_CODES as readonly string[]).includes(c))).toEqual([]);
  });

  it('says duplicates with the SKU or barcode and where it was first', () => {
    expect(problems(doc([product('A', ['036000291452']), product('A', ['0036000291452'])]))).toEqual([
      { path: 'products[1].sku', message: 'duplicate SKU "A" (also products[0])', code: 'duplicate-sku', facts: { sku: 'A', alsoAt: 'products[0]' } },
      { path: 'products[1].barcodes[0]', message: 'duplicate barcode 0036000291452 (also products[0].barcodes[0])', code: 'duplicate-barcode', facts: { barcode: '0036000291452', alsoAt: 'products[0].barcodes[0]' } },
    ]);
  });

  it('says a wrong check digit with the digit found and the one needed, and a number of the wrong shape with what it got', () => {
    expect(byPath(problems(doc([product('A', ['4006381333932', '12345'])])))).toEqual({
      'products[0].barcodes[0]': { code: 'gtin-check-digit', facts: { barcode: '4006381333932', needs: 1, found: 2 } },
      'products[0].barcodes[1]': { code: 'gtin-shape', facts: { got: '"12345"' } },
    });
  });

  it('codes control characters, version characters and the schema’s reasons', () => {
    const found = byPath(problems(doc([product('A', [], { name: 'a\nb', unitPriceMinor: -1, colour: 'red' }), product('B', [], { sku: 'B\u0007' })], { version: 'winter 2', currency: 'lira' })));
    expect(found).toEqual({
      version: { code: 'version-characters', facts: { got: '"winter 2"' } },
      currency: { code: 'bad-currency', facts: { format: 'regex' } },
      'products[0].name': { code: 'control-character', facts: { field: 'name' } },
      'products[0].unitPriceMinor': { code: 'too-small', facts: { min: 0 } },
      'products[0].colour': { code: 'unknown-field', facts: { field: 'colour' } },
      'products[1].sku': { code: 'control-character', facts: { field: 'sku' } },
    });
  });

  it('codes text that is not JSON or too large, and a value that cannot be read', () => {
    expect(validateCatalogueText('{"format": 1,')).toMatchObject({ ok: false, problems: [{ code: 'json-syntax', facts: { line: 1, column: 14, syntax: 'property-name-expected' } }] });
    expect(validateCatalogueText(' '.repeat(CATALOGUE_LIMITS.textBytes + 1))).toMatchObject({ ok: false, problems: [{ code: 'text-too-large', facts: { maxBytes: CATALOGUE_LIMITS.textBytes } }] });
    const hostile = new Proxy({}, { get: () => { throw new Error('no'); }, ownKeys: () => { throw new Error('no'); } });
    expect(validateCatalogue(hostile)).toMatchObject({ ok: false, problems: [{ code: 'unreadable', facts: { detail: 'no' } }] });
  });
});
