// The programme page says a rule set's problems in the console's language, from their codes and
// facts, and names the field as the form labels it; problems without a code keep their English.
import { describe, expect, it } from 'vitest';
import { ruleSetFieldLabel, problemText } from '../../src-console/components/problem-text';
import { createConsoleI18n } from '../../src-console/i18n/console-i18n';
import { en } from '../../src-console/i18n/en';
import { RULE_SET_PROBLEM_CODES, validateRuleSet, type RuleSetProblem } from '../../src-shared/program/rule-set-validation';

const tr = createConsoleI18n('tr').t;
const english = createConsoleI18n('en').t;
const base = { schema: 2, version: 'v1', name: 'Test', currency: 'TRY', earning: { pointsPerUnit: 1 }, redemption: { minorPerPoint: 1 } };

function problems(doc: unknown): RuleSetProblem[] {
  const result = validateRuleSet(doc);
  return result.ok ? [] : result.problems;
}

describe('rule-set problems in the console’s language', () => {
  it('has a sentence for every code but "other"', () => {
    const sentences = Object.keys(en.ruleSetProblems.codes)
      .filter((k) => !k.endsWith('_one'))
      .sort();
    expect(sentences).toEqual(RULE_SET_PROBLEM_CODES.filter((c) => c !== 'other').sort());
  });

  it('says the problems in Turkish, with their facts', () => {
    const levels = [
      { id: 'member', name: 'Üye', threshold: 0 },
      { id: 'gold', name: 'Altın', threshold: 0 },
    ];
    const found = problems({ ...base, name: '', earning: { pointsPerUnit: -1 }, extra: 1, tiers: { basis: 'spend', windowMonths: 12, downgrade: 'none', levels }, promotions: [{ id: 'p', label: 'P', effect: { type: 'bonus', points: 5 }, tiers: ['silver'] }] });
    const said = Object.fromEntries(found.map((p) => [p.path, problemText(p, tr)]));
    expect(said).toMatchObject({
      name: 'boş olamaz',
      'earning.pointsPerUnit': 'en az 0 olmalı',
      extra: 'bilinmeyen alan',
      'tiers.levels[1].threshold': '"member" seviyesinin eşiğinden (0) büyük olmalı',
      'promotions[0].tiers[0]': 'bilinmeyen seviye "silver"',
      stacking: 'kampanyaların nasıl birleşeceğini seçin: "stack", "bestOf" ya da "exclusiveGroups"',
    });
    const key = problems({ ...base, earning: { pointsPerUnit: 1, categoryRates: { '': 1 } } })[0];
    expect(key && problemText(key, tr)).toBe('anahtar: boş olamaz');
    const type = problems({ ...base, name: [] })[0];
    expect(type && problemText(type, tr)).toBe('metin bekleniyordu, gelen: bir liste');
    const reward = { id: 'r', label: 'R', type: 'discountFixed', points: 10, amountMinor: 100 };
    const twice = problems({ ...base, rewards: [reward, reward] })[0];
    expect(twice && problemText(twice, tr)).toBe('Ödül kimliği "r" iki kez kullanılmış');
  });

  it('says in English what the validator says, for the checks whose wording is the same', () => {
    const levels = [
      { id: 'member', name: 'M', threshold: 5 },
      { id: 'gold', name: 'G', threshold: 1 },
    ];
    for (const p of problems({ ...base, name: '', earning: { pointsPerUnit: 1.0001 }, tiers: { basis: 'spend', windowMonths: 12, downgrade: 'none', levels }, promotions: [{ id: 'p', label: 'P', effect: { type: 'bonus', points: 5 }, startsAt: '2025-06-02', endsAt: '2025-06-01' }] })) {
      expect(problemText(p, english), p.path).toBe(p.message);
    }
  });

  it('counts items in English as the validator does', () => {
    const one = problems({ ...base, tiers: { basis: 'spend', windowMonths: 12, downgrade: 'none', levels: [] } })[0];
    expect(one && problemText(one, english)).toBe('needs at least 1 item');
    expect(one?.message).toBe('needs at least 1 item');
  });

  it('keeps the English message of a problem without a known code (an older server)', () => {
    expect(problemText({ path: 'x', message: 'something else' }, tr)).toBe('something else');
    expect(problemText({ path: 'x', message: 'custom', code: 'other', facts: {} }, tr)).toBe('custom');
  });

  it('names the field with the form’s label, and the list item it is in; unknown paths stay as they are', () => {
    expect(ruleSetFieldLabel('earning.pointsPerUnit', tr)).toBe('Para birimi başına puan');
    expect(ruleSetFieldLabel('promotions[1].endsAt', tr)).toBe('Kampanya 2 › Bitiş (dahil değil)');
    expect(ruleSetFieldLabel('tiers.levels[0].threshold', tr)).toBe('Seviyeler 1 › Eşik');
    expect(ruleSetFieldLabel('earning.categoryRates.Bakery', tr)).toBe('Kategori oranları (birim başına puan) “Bakery”');
    expect(ruleSetFieldLabel('offers.bundle.addOn.sku', tr)).toBe('offers.bundle.addOn.sku');
    expect(ruleSetFieldLabel('', tr)).toBe('');
  });
});
