import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteSale } from '../../src-shared/program/engine';
import { defaultRuleSet, RuleSet } from '../../src-shared/program/rule-set';

const tr = defaultRuleSet('TRY');
const line = (category: string, qty: number, unitPriceMinor: number) => ({ category, qty, unitPriceMinor });

describe('first points engine', () => {
  it('defaults to 1 point per whole currency unit, floored per receipt', () => {
    expect(quoteSale(tr, { lines: [line('G', 1, 1234)] }, 0).pointsEarned).toBe(12);
    // Per receipt: 0.99 + 0.99 + 0.99 = 2.97 -> 2 points, not 0 per line.
    expect(quoteSale(tr, { lines: [line('A', 1, 99), line('B', 1, 99), line('C', 1, 99)] }, 0).pointsEarned).toBe(2);
  });

  it('applies category rates and exclusions, and explains each line', () => {
    const rules = RuleSet.parse({
      ...tr,
      version: 'cat-1',
      earning: { pointsPerUnit: 1, categoryRates: { Bakery: 2.5 }, excludedCategories: ['Tobacco'], rounding: 'floor', roundingScope: 'line' },
    });
    const quote = quoteSale(rules, { lines: [line('Bakery', 2, 500), line('Tobacco', 1, 8000), line('Groceries', 1, 1050)] }, 0);
    expect(quote.lines.map((l) => l.points)).toEqual([25, 0, 10]);
    expect(quote.pointsEarned).toBe(35);
    expect(quote.breakdown.map((b) => b.ruleId)).toEqual(['earn.category:Bakery', 'earn.excluded:Tobacco', 'earn.base']);
    expect(quote.breakdown[1]?.label).toContain('no points');
  });

  it('rounds as configured', () => {
    const with_ = (rounding: 'floor' | 'round' | 'ceil') => RuleSet.parse({ ...tr, earning: { ...tr.earning, rounding } });
    expect(quoteSale(with_('floor'), { lines: [line('G', 1, 1250)] }, 0).pointsEarned).toBe(12);
    expect(quoteSale(with_('round'), { lines: [line('G', 1, 1250)] }, 0).pointsEarned).toBe(13);
    expect(quoteSale(with_('round'), { lines: [line('G', 1, 1249)] }, 0).pointsEarned).toBe(12);
    expect(quoteSale(with_('ceil'), { lines: [line('G', 1, 1201)] }, 0).pointsEarned).toBe(13);
  });

  it('earns on what was paid after redeeming, and caps redemption by balance and sale', () => {
    const quote = quoteSale(tr, { lines: [line('G', 1, 1000)], redeemPoints: 300 }, 500);
    expect(quote).toMatchObject({ discountMinor: 300, totalMinor: 700, pointsEarned: 7, maxRedeemablePoints: 500 });
    expect(() => quoteSale(tr, { lines: [line('G', 1, 1000)], redeemPoints: 600 }, 500)).toThrow(/has 500 points/);
    expect(() => quoteSale(tr, { lines: [line('G', 1, 100)], redeemPoints: 101 }, 500)).toThrow(/At most 100/);
  });

  it('keeps the breakdown summing to the points, whatever the basket (property)', () => {
    const basket = fc.array(fc.record({ category: fc.constantFrom('A', 'B', 'C'), qty: fc.integer({ min: 1, max: 20 }), unitPriceMinor: fc.integer({ min: 0, max: 100_000 }) }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(basket, fc.integer({ min: 0, max: 10_000 }), (lines, balance) => {
        const quote = quoteSale(tr, { lines }, balance);
        expect(quote.breakdown.reduce((s, b) => s + b.points, 0)).toBe(quote.pointsEarned);
        expect(quote.pointsEarned).toBeGreaterThanOrEqual(0);
        expect(quoteSale(tr, { lines: [...lines].reverse() }, balance).pointsEarned).toBe(quote.pointsEarned);
      }),
    );
  });
});
