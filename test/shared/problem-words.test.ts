// The shared wording of a rule set's and a catalogue's problems, as the terminal and the console both
// use it: through a plain translate function over the shared tables (no i18next here), every code
// has a sentence in both languages, and a catalogue's places are named by product and barcode.
import { describe, expect, it } from 'vitest';
import { catalogueFieldLabel } from '../../src-shared/catalogue/catalogue-problem-words';
import { CATALOGUE_PROBLEM_CODES } from '../../src-shared/catalogue/catalogue-problems';
import { validateCatalogue, validateCatalogueText, type CatalogueProblem } from '../../src-shared/catalogue/catalogue';
import {
  CATALOGUE_FIELD_NAMES_EN,
  CATALOGUE_FIELD_NAMES_TR,
  CATALOGUE_PROBLEM_SENTENCES_EN,
  CATALOGUE_PROBLEM_SENTENCES_TR,
  RULE_SET_PROBLEM_SENTENCES_EN,
  RULE_SET_PROBLEM_SENTENCES_TR,
} from '../../src-shared/program/problem-sentences';
import { isProblemLike, problemText, type Translate } from '../../src-shared/program/problem-words';
import { RULE_SET_PROBLEM_CODES, validateRuleSet, validateRuleSetText, type RuleSetProblem } from '../../src-shared/program/rule-set-validation';
import { JSON_SYNTAX_PROBLEMS } from '../../src-shared/program/json-syntax';
import { expectSameKeysAndPlaceholders, flattenTranslations } from './translations';

/** A translate function as small as i18next's for these tables: a dotted key, {{name}} filled in, _one for a count of 1. */
function translator(tables: object): Translate {
  const flat = flattenTranslations(tables);
  return (key, params = {}) => {
    const one = params.count === 1 && flat[`${key}_one`] !== undefined ? `${key}_one` : key;
    const text = flat[one];
    if (text === undefined) throw new Error(`no sentence for ${key}`);
    return text.replace(/{{(\w+)}}/g, (_, name: string) => String(params[name] ?? `{{${name}}}`));
  };
}

const english = translator({ ruleSetProblems: RULE_SET_PROBLEM_SENTENCES_EN, catalogueFields: CATALOGUE_FIELD_NAMES_EN, catalogueProblems: CATALOGUE_PROBLEM_SENTENCES_EN });
const turkish = translator({ ruleSetProblems: RULE_SET_PROBLEM_SENTENCES_TR, catalogueFields: CATALOGUE_FIELD_NAMES_TR, catalogueProblems: CATALOGUE_PROBLEM_SENTENCES_TR });

const base = { schema: 2, version: 'v1', name: 'Test', currency: 'TRY', earning: { pointsPerUnit: 1 }, redemption: { minorPerPoint: 1 } };
const ruleSetProblems = (doc: unknown): RuleSetProblem[] => {
  const result = validateRuleSet(doc);
  return result.ok ? [] : result.problems;
};
const product = (sku: string, extra: Record<string, unknown> = {}) => ({ sku, name: `Ürün ${sku}`, category: 'bakkal', unitPriceMinor: 1000, barcodes: [] as string[], ...extra });
const catalogueProblems = (products: unknown[]): CatalogueProblem[] => {
  const result = validateCatalogue({ format: 1, version: 'c1', currency: 'TRY', products });
  return result.ok ? [] : result.problems;
};

describe('problem sentences', () => {
  it('has a sentence for every code, in English and in Turkish with the same placeholders', () => {
    const ruleSetCodes = Object.keys(RULE_SET_PROBLEM_SENTENCES_EN.codes).filter((k) => !k.endsWith('_one'));
    expect(ruleSetCodes.sort()).toEqual(RULE_SET_PROBLEM_CODES.filter((c) => c !== 'other').sort());
    expect(Object.keys(CATALOGUE_PROBLEM_SENTENCES_EN.codes).sort()).toEqual([...CATALOGUE_PROBLEM_CODES].sort());
    expectSameKeysAndPlaceholders(RULE_SET_PROBLEM_SENTENCES_EN, RULE_SET_PROBLEM_SENTENCES_TR);
    expectSameKeysAndPlaceholders(CATALOGUE_FIELD_NAMES_EN, CATALOGUE_FIELD_NAMES_TR);
    expectSameKeysAndPlaceholders(CATALOGUE_PROBLEM_SENTENCES_EN, CATALOGUE_PROBLEM_SENTENCES_TR);
  });
});

describe('problem words', () => {
  it('says a rule set’s problems in Turkish from their codes and facts, kinds and types in words', () => {
    const said = Object.fromEntries(ruleSetProblems({ ...base, name: '', earning: { pointsPerUnit: -1 }, extra: 1 }).map((p) => [p.path, problemText(p, turkish)]));
    expect(said).toMatchObject({ name: 'boş olamaz', 'earning.pointsPerUnit': 'en az 0 olmalı', extra: 'bilinmeyen alan' });
    expect(problemText(ruleSetProblems({ ...base, name: [] })[0]!, turkish)).toBe('metin bekleniyordu, gelen: bir liste');
    const reward = { id: 'r', label: 'R', type: 'discountFixed', points: 10, amountMinor: 100 };
    expect(problemText(ruleSetProblems({ ...base, rewards: [reward, reward] })[0]!, turkish)).toBe('Ödül kimliği "r" iki kez kullanılmış');
    expect(problemText(ruleSetProblems({ ...base, earning: { pointsPerUnit: 1, categoryRates: { '': 1 } } })[0]!, turkish)).toBe('anahtar: boş olamaz');
  });

  it('says in English what the validator says, where the wording is the same', () => {
    for (const p of ruleSetProblems({ ...base, name: '', earning: { pointsPerUnit: 1.0001 } })) expect(problemText(p, english), p.path).toBe(p.message);
  });

  it('keeps a value it has no word for, and the English of a problem without a known code', () => {
    expect(problemText({ path: 'name', message: 'expected text', code: 'wrong-type', facts: { expected: 'uuid', gotKind: 'someday' } }, turkish)).toBe('uuid bekleniyordu, gelen: someday');
    expect(problemText({ path: 'x', message: 'something new', code: 'brand-new' }, turkish)).toBe('something new');
    expect(problemText({ path: 'x', message: 'an older core' }, turkish)).toBe('an older core');
  });

  it('says a catalogue’s own problems in Turkish, with the product and barcode they are at', () => {
    const found = catalogueProblems([product('A', { barcodes: ['036000291452'] }), product('A', { barcodes: ['4006381333932', '0036000291452'] })]);
    expect(found.map((p) => `${catalogueFieldLabel(p.path, turkish)}: ${problemText(p, turkish)}`)).toEqual([
      'Ürün 2 › Barkod 1: 4006381333932 barkodunun kontrol basamağı yanlış: 2 değil, 1 olmalı',
      'Ürün 2 › Stok kodu (SKU): "A" stok kodu iki kez kullanılmış (ayrıca: Ürün 1)',
      'Ürün 2 › Barkod 2: 0036000291452 barkodu iki kez kullanılmış (ayrıca: Ürün 1 › Barkod 1)',
    ]);
    expect(catalogueFieldLabel('products[2].barcodes[0]', english)).toBe('Product 3 › Barcode 1');
    expect(catalogueFieldLabel('products[0]', english)).toBe('Product 1');
    expect(catalogueFieldLabel('currency', turkish)).toBe('Para birimi');
    expect(catalogueFieldLabel('', turkish)).toBe('');
    expect(catalogueFieldLabel('somewhere.else', turkish)).toBe('somewhere.else');
  });

  it('takes from an error’s details only what looks like a problem', () => {
    expect([{ path: 'a', message: 'b' }, { path: 1, message: 'b' }, null, 'a: b', { path: '', message: 'm', code: 'required' }].filter(isProblemLike)).toHaveLength(2);
  });

  it('says where and why a text is not JSON, in each language, whichever engine parsed it', () => {
    const said = (text: string) => {
      const result = validateRuleSetText(text);
      const problem = result.ok ? null : result.problems[0];
      if (!problem) throw new Error('valid');
      return { problem, en: problemText(problem, english), tr: problemText(problem, turkish) };
    };
    const trailing = said('{\n  "version": "v1",\n}');
    expect(trailing.problem).toMatchObject({ path: '', code: 'json-syntax', facts: { line: 3, column: 1, syntax: 'property-name-expected' } });
    expect(trailing.en).toBe('not valid JSON at line 3, column 1: a name in double quotes is expected here (or there is a comma too many before it)');
    expect(trailing.tr).toBe('geçerli bir JSON değil, satır 3, sütun 1: burada çift tırnak içinde bir ad bekleniyor (ya da öncesinde fazladan bir virgül var)');
    // The English message (API, CLI) says the same.
    expect(trailing.problem.message).toBe(trailing.en);
    // Each kind of mistake an owner makes by hand, at its place.
    const cases: [string, string, number, number][] = [
      ['{"a": 1', 'close-brace-expected', 1, 8],
      ['[1, 2', 'close-bracket-expected', 1, 6],
      ['{"a" 1}', 'colon-expected', 1, 6],
      ['{"a": 1 "b": 2}', 'comma-expected', 1, 9],
      ['[1, 2,]', 'value-expected', 1, 7],
      ['{"a": 1}\n}', 'end-expected', 2, 1],
      ["{'a': 1}", 'invalid-symbol', 1, 2],
      ['{"a": True}', 'invalid-symbol', 1, 7],
      ['{"a": 1.}', 'invalid-number', 1, 7],
      ['{"a": "x', 'unterminated-string', 1, 7],
      ['{"a": "x\ty"}', 'invalid-character', 1, 7],
      ['{"a": "C:\\q"}', 'invalid-escape', 1, 7],
      ['{"a": 1 // points\n}', 'comment', 1, 9],
      ['', 'value-expected', 1, 1],
    ];
    for (const [text, syntax, line, column] of cases) {
      expect(said(text).problem.facts, text).toEqual({ line, column, syntax });
      expect(said(text).tr, text).not.toMatch(/{{|undefined/);
    }
    // Every syntax problem has its words in both languages.
    for (const syntax of JSON_SYNTAX_PROBLEMS) expect(problemText({ path: '', message: '', code: 'json-syntax', facts: { line: 1, column: 1, syntax } }, turkish)).not.toContain(syntax);
    // A catalogue file is told the same way.
    expect(validateCatalogueText('{"format": 1,')).toMatchObject({ ok: false, problems: [{ code: 'json-syntax', facts: { line: 1, column: 14, syntax: 'property-name-expected' } }] });
  });
});
