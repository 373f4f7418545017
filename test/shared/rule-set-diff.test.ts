// "What changed" between rule-set versions as structured changes (kind and facts), and the English
// lines the server has always answered with, made from them.
import { describe, expect, it } from 'vitest';
import type { RuleSet } from '../../src-shared/program/rule-set';
import { changeLine, describeRuleSetChanges, diffRuleSets } from '../../src-shared/program/rule-set-diff';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';

const ruleSet = (extra: Record<string, unknown>): RuleSet => {
  const result = validateRuleSet({ schema: 2, version: 'v1', name: 'Club', currency: 'TRY', earning: { pointsPerUnit: 1 }, redemption: { minorPerPoint: 1 }, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
};
const promo = (id: string, points = 10) => ({ id, label: id, effect: { type: 'bonus', points } });
const reward = (id: string, points = 500) => ({ id, label: id, type: 'discountFixed', points, amountMinor: 100 });
const tiers = { basis: 'spend', windowMonths: 12, downgrade: 'none', levels: [{ id: 'member', name: 'Member', threshold: 0 }] };

describe('rule-set changes', () => {
  it('gives each kind of change its facts, and the English line for it', () => {
    const before = ruleSet({ promotions: [promo('tue'), promo('fri')], stacking: 'stack', rewards: [reward('coffee'), reward('tea')], referral: { referrerPoints: 100, refereePoints: 50 } });
    const after = ruleSet({
      version: 'v2',
      name: 'Club+',
      currency: 'EUR',
      earning: { pointsPerUnit: 2, categoryRates: { Bakery: 3 } },
      tiers,
      promotions: [promo('fri', 20), promo('wed')],
      stacking: 'bestOf',
      rewards: [reward('coffee', 400), reward('cake')],
      redemption: { minorPerPoint: 1, offlineDailyCapPoints: 500 },
      expiry: { type: 'months', months: 24, endOfMonth: true },
      offers: undefined,
    });
    const changes = diffRuleSets(before, after);
    expect(changes).toEqual([
      { kind: 'value-changed', field: 'name', from: 'Club', to: 'Club+' },
      { kind: 'value-changed', field: 'currency', from: 'TRY', to: 'EUR' },
      { kind: 'value-changed', field: 'earning.pointsPerUnit', from: 1, to: 2 },
      { kind: 'value-changed', field: 'earning.categoryRates.Bakery', to: 3 },
      { kind: 'section-added', section: 'tiers' },
      { kind: 'item-changed', list: 'promotion', id: 'fri' },
      { kind: 'item-added', list: 'promotion', id: 'wed' },
      { kind: 'item-removed', list: 'promotion', id: 'tue' },
      { kind: 'value-changed', field: 'stacking', from: 'stack', to: 'bestOf' },
      { kind: 'section-removed', section: 'referral' },
      { kind: 'value-changed', field: 'redemption.offlineDailyCapPoints', to: 500 },
      { kind: 'item-changed', list: 'reward', id: 'coffee' },
      { kind: 'item-added', list: 'reward', id: 'cake' },
      { kind: 'item-removed', list: 'reward', id: 'tea' },
      { kind: 'expiry-changed', months: 24, endOfMonth: true },
    ]);
    expect(changes.map(changeLine)).toEqual([
      'name: "Club" → "Club+"',
      'currency: TRY → EUR',
      'earning.pointsPerUnit: 1 → 2',
      'earning.categoryRates.Bakery: none → 3',
      'tiers added',
      'promotion fri changed',
      'promotion wed added',
      'promotion tue removed',
      'stacking: "stack" → "bestOf"',
      'referral removed',
      'redemption.offlineDailyCapPoints: none → 500',
      'reward coffee changed',
      'reward cake added',
      'reward tea removed',
      'expiry: 24 months, end of month',
    ]);
    expect(describeRuleSetChanges(before, after)).toEqual(changes.map(changeLine));
  });

  it('says each category rate that moved with its values, what a list of categories gained and lost, and a list of levels as changed', () => {
    const before = ruleSet({ earning: { pointsPerUnit: 1, categoryRates: { Bakery: 2, Drinks: 1 }, excludedCategories: ['tobacco', 'alcohol'] }, tiers });
    const after = ruleSet({
      version: 'v2',
      earning: { pointsPerUnit: 1, categoryRates: { Bakery: 3, Fruit: 2 }, excludedCategories: ['alcohol', 'lottery', 'giftcard'] },
      tiers: { ...tiers, levels: [...tiers.levels, { id: 'gold', name: 'Gold', threshold: 1000 }] },
    });
    const changes = diffRuleSets(before, after);
    expect(changes).toEqual([
      { kind: 'value-changed', field: 'earning.categoryRates.Bakery', from: 2, to: 3 },
      { kind: 'value-changed', field: 'earning.categoryRates.Drinks', from: 1 },
      { kind: 'value-changed', field: 'earning.categoryRates.Fruit', to: 2 },
      { kind: 'list-changed', field: 'earning.excludedCategories', added: ['lottery', 'giftcard'], removed: ['tobacco'] },
      { kind: 'field-changed', field: 'tiers.levels' },
    ]);
    expect(changes.map(changeLine)).toEqual([
      'earning.categoryRates.Bakery: 2 → 3',
      'earning.categoryRates.Drinks: 1 → none',
      'earning.categoryRates.Fruit: none → 2',
      'earning.excludedCategories: added "lottery", "giftcard"; removed "tobacco"',
      'tiers.levels changed',
    ]);
    // The same categories in another order: the document changed, nothing was gained or lost.
    const reordered = ruleSet({ version: 'v3', earning: { ...before.earning, excludedCategories: ['alcohol', 'tobacco'] }, tiers });
    expect(diffRuleSets(before, reordered)).toEqual([{ kind: 'field-changed', field: 'earning.excludedCategories' }]);
  });

  it('says a first version, no change, expiry back to never, and an unknown section', () => {
    const one = ruleSet({ expiry: { type: 'months', months: 12 } });
    expect(diffRuleSets(null, one)).toEqual([{ kind: 'first-version' }]);
    expect(describeRuleSetChanges(null, one)).toEqual(['first version']);
    expect(diffRuleSets(one, { ...one, version: 'v2' })).toEqual([{ kind: 'no-change' }]);
    expect(describeRuleSetChanges(one, { ...one, version: 'v2' })).toEqual(['no change but the version']);
    const never = ruleSet({ version: 'v3' });
    expect(diffRuleSets(one, never)).toEqual([{ kind: 'expiry-changed' }]);
    expect(describeRuleSetChanges(one, never)).toEqual(['expiry: never']);
    const withOffers = { ...never, offers: { anything: true } } as unknown as RuleSet;
    expect(diffRuleSets(never, withOffers)).toEqual([{ kind: 'field-changed', field: 'offers' }]);
    expect(describeRuleSetChanges(never, withOffers)).toEqual(['offers changed']);
  });
});
