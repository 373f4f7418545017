// A refused programme or catalogue file at the terminal: errorWords says its first problems in the
// store's language, each where it is and why, with the core's English kept as the detail for support.
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src-shared/api/errors';
import { validateCatalogue } from '../../src-shared/catalogue/catalogue';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';
import { errorWords } from '../../src-renderer/components/error-text';
import { createI18n } from '../../src-renderer/i18n/i18n';

const turkish = createI18n('tr');
const english = createI18n('en');

const product = (sku: string, barcodes: string[] = []) => ({ sku, name: `Ürün ${sku}`, category: 'bakkal', unitPriceMinor: 1000, barcodes });

function catalogueRefusal(products: unknown[]): ApiError {
  const result = validateCatalogue({ format: 1, version: 'c1', currency: 'TRY', products });
  if (result.ok) throw new Error('expected problems');
  return { code: 'VALIDATION', message: `Invalid catalogue:\n${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`, details: { problems: result.problems } };
}

function ruleSetRefusal(doc: unknown): ApiError {
  const result = validateRuleSet(doc);
  if (result.ok) throw new Error('expected problems');
  return { code: 'PROGRAM_INVALID', message: `Invalid rule set:\n${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`, details: { problems: result.problems } };
}

describe('a refused file in the store’s language', () => {
  it('names a catalogue’s product and barcode in Turkish, the English beneath', () => {
    const error = catalogueRefusal([product('A'), product('B', ['4006381333932'])]);
    expect(errorWords(error, turkish)).toEqual({
      sentence: 'Dosya kabul edilmedi: Ürün 2 › Barkod 1: 4006381333932 barkodunun kontrol basamağı yanlış: 2 değil, 1 olmalı',
      detail: error.message,
    });
    expect(errorWords(error, english).sentence).toBe('The file was not accepted: Product 2 › Barcode 1: check digit is wrong: 4006381333932 must end in 1, not 2');
  });

  it('says a rule set’s problems by path, the first five and how many more', () => {
    const error = ruleSetRefusal({ schema: 2, version: 'v1', name: '', currency: 'TRY', earning: { pointsPerUnit: -1 }, redemption: { minorPerPoint: 1 }, a: 1, b: 2, c: 3, d: 4, e: 5 });
    const { sentence, detail } = errorWords(error, turkish);
    expect(sentence).toMatch(/^Dosya kabul edilmedi: /);
    expect(sentence).toContain('name: boş olamaz');
    expect(sentence).toContain('earning.pointsPerUnit: en az 0 olmalı');
    expect(sentence).toMatch(/; ve 2 sorun daha$/);
    expect(sentence.split('; ')).toHaveLength(6);
    expect(detail).toBe(error.message);
    expect(errorWords(error, english).sentence).toMatch(/^The file was not accepted: .*name: must not be empty.*; and 2 more$/);
  });

  it('keeps the general sentence for problems without codes (an older core) and for a refusal without problems', () => {
    const old: ApiError = { code: 'VALIDATION', message: 'Invalid catalogue:\nproducts[0].sku: required', details: { problems: [{ path: 'products[0].sku', message: 'required' }] } };
    expect(errorWords(old, turkish)).toEqual({ sentence: 'Bu kabul edilmedi: girilen bilgileri kontrol edin.', detail: old.message });
    const none: ApiError = { code: 'VALIDATION', message: 'Invalid catalogue', details: { problems: [] } };
    expect(errorWords(none, turkish).sentence).toBe('Bu kabul edilmedi: girilen bilgileri kontrol edin.');
  });
});
