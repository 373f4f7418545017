// Every rule-set problem carries a stable code and its facts beside the English message, so the
// console can word it in its own language; the English message (server, CLI, logs) is unchanged.
import { describe, expect, it } from 'vitest';
import { validateRuleSet, validateRuleSetText, type RuleSetProblem } from '../../src-shared/program/rule-set-validation';

const base = { schema: 2, version: 'v1', name: 'Test', currency: 'TRY', earning: { pointsPerUnit: 1 }, redemption: { minorPerPoint: 1 } };
const tiers = (levels: unknown[]) => ({ basis: 'spend', windowMonths: 12, downgrade: 'none', levels });
const promo = (extra: Record<string, unknown> = {}) => ({ id: 'p', label: 'P', effect: { type: 'multiplier', multiplier: 2 }, ...extra });

function problems(doc: unknown): RuleSetProblem[] {
  const result = validateRuleSet(doc);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}
const at = (doc: unknown, path: string) => problems(doc).find((p) => p.path === path);

describe('rule-set problem codes and facts', () => {
  it('codes the schema’s own checks: required, types, values, kinds, sizes, unknown fields, keys', () => {
    expect(at({ ...base, name: undefined }, 'name')).toMatchObject({ code: 'required', facts: {}, message: 'required' });
    expect(at({ ...base, name: 5 }, 'name')).toMatchObject({ code: 'wrong-type', facts: { expected: 'string', got: '5' }, message: 'expected text, got 5' });
    expect(at({ ...base, name: [] }, 'name')).toMatchObject({ code: 'wrong-type', facts: { expected: 'string', gotKind: 'list' } });
    expect(at({ ...base, earning: { pointsPerUnit: 1, rounding: 'up' } }, 'earning.rounding')).toMatchObject({ code: 'not-allowed-value', facts: { expected: '"floor", "round", "ceil"', got: '"up"' } });
    expect(at({ ...base, expiry: { type: 'weeks' } }, 'expiry.type')).toMatchObject({ code: 'unknown-kind', facts: { field: 'type', got: '"weeks"' } });
    expect(at({ ...base, name: '' }, 'name')).toMatchObject({ code: 'empty', message: 'must not be empty' });
    expect(at({ ...base, name: 'x'.repeat(121) }, 'name')).toMatchObject({ code: 'too-long', facts: { max: 120 } });
    expect(at({ ...base, earning: { pointsPerUnit: -1 } }, 'earning.pointsPerUnit')).toMatchObject({ code: 'too-small', facts: { min: 0 }, message: 'must be at least 0' });
    expect(at({ ...base, earning: { pointsPerUnit: 1001 } }, 'earning.pointsPerUnit')).toMatchObject({ code: 'too-big', facts: { max: 1000 } });
    expect(at({ ...base, tiers: tiers([]) }, 'tiers.levels')).toMatchObject({ code: 'too-few', facts: { min: 1 } });
    expect(at({ ...base, extra: 1 }, 'extra')).toMatchObject({ code: 'unknown-field', facts: { field: 'extra' }, message: 'unknown field' });
    expect(at({ ...base, earning: { pointsPerUnit: 1, categoryRates: { '': 1 } } }, 'earning.categoryRates.')).toMatchObject({ code: 'bad-key', facts: { inner: 'empty' }, message: 'key must not be empty' });
  });

  it('codes the formats and refinements written in rule-set.ts', () => {
    expect(at({ ...base, currency: 'try' }, 'currency')).toMatchObject({ code: 'bad-currency' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ id: '-x' })] }, 'promotions[0].id')).toMatchObject({ code: 'bad-id' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ startsAt: '2025/01/01' })] }, 'promotions[0].startsAt')).toMatchObject({ code: 'bad-local-date-time' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ startsAt: '2025-02-30' })] }, 'promotions[0].startsAt')).toMatchObject({ code: 'not-a-real-date', message: 'not a real date or time' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ schedule: { days: ['Mon'], from: '25:00', to: '10:00' } })] }, 'promotions[0].schedule.from')).toMatchObject({ code: 'bad-time-of-day' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ schedule: { days: ['Mon'], from: '10:00' } })] }, 'promotions[0].schedule.to')).toMatchObject({ code: 'from-and-to' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ schedule: { days: ['Funday'] } })] }, 'promotions[0].schedule.days')).toMatchObject({ code: 'unknown-day', facts: { day: 'Funday' } });
    expect(at({ ...base, earning: { pointsPerUnit: 1.0001 } }, 'earning.pointsPerUnit')).toMatchObject({ code: 'three-decimals', message: 'at most three decimals' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ effect: { type: 'multiplier', multiplier: 1 } })] }, 'promotions[0].effect.multiplier')).toMatchObject({ code: 'promotion-multiplier' });
    expect(at({ ...base, earning: { pointsPerUnit: 1, fixedPoints: [{ pointsPerItem: 5 }] } }, 'earning.fixedPoints[0]')).toMatchObject({ code: 'sku-or-category' });
  });

  it('codes the cross-field checks with their facts', () => {
    const conflict = { ...base, earning: { pointsPerUnit: 1, categoryRates: { Bakery: 2 }, fixedPoints: [{ category: 'Bakery', pointsPerItem: 5 }], excludedSkus: [], excludedCategories: ['Bakery'] } };
    expect(at(conflict, 'earning.fixedPoints[0]')).toMatchObject({ code: 'rule-conflict', facts: { kind: 'category', key: 'Bakery', other: 'earning.categoryRates' } });
    expect(at(conflict, 'earning.excludedCategories[0]')).toMatchObject({ code: 'excluded-but-has-rule', facts: { kind: 'category', key: 'Bakery', other: 'earning.fixedPoints[0]' } });
    const levels = [
      { id: 'a', name: 'A', threshold: 5 },
      { id: 'a', name: 'B', threshold: 3 },
    ];
    expect(at({ ...base, tiers: tiers(levels) }, 'tiers.levels[0].threshold')).toMatchObject({ code: 'first-tier-threshold' });
    expect(at({ ...base, tiers: tiers(levels) }, 'tiers.levels[1].threshold')).toMatchObject({ code: 'tier-thresholds-order', facts: { previous: 'a', threshold: 5 }, message: 'must be above the threshold of "a" (5)' });
    expect(at({ ...base, tiers: tiers(levels) }, 'tiers.levels[1].id')).toMatchObject({ code: 'duplicate-id', facts: { kind: 'tier', id: 'a' } });
    expect(at({ ...base, tiers: tiers([{ id: 'm', name: 'M', threshold: 0 }]), stacking: 'stack', promotions: [promo({ tiers: ['gold'] })] }, 'promotions[0].tiers[0]')).toMatchObject({ code: 'unknown-tier', facts: { tier: 'gold' } });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ tiers: ['gold'] })] }, 'promotions[0].tiers[0]')).toMatchObject({ code: 'no-tiers', facts: { tier: 'gold' } });
    expect(at({ ...base, promotions: [promo()] }, 'stacking')).toMatchObject({ code: 'stacking-required' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ startsAt: '2025-06-02', endsAt: '2025-06-01' })] }, 'promotions[0].endsAt')).toMatchObject({
      code: 'ends-before-starts',
      facts: { startsAt: '2025-06-02T00:00', endsAt: '2025-06-01T00:00' },
    });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ group: 'g' })] }, 'promotions[0].group')).toMatchObject({ code: 'group-needs-exclusive-groups' });
    expect(at({ ...base, stacking: 'stack', promotions: [promo({ effect: { type: 'perSpend', points: 10, everyMinor: 100, maxPoints: 5 } })] }, 'promotions[0].effect.maxPoints')).toMatchObject({
      code: 'max-below-step',
      facts: { points: 10 },
    });
    const reward = { id: 'r', label: 'R', type: 'discountFixed', points: 10, amountMinor: 100 };
    expect(at({ ...base, rewards: [reward, reward] }, 'rewards[1].id')).toMatchObject({ code: 'duplicate-id', facts: { kind: 'reward', id: 'r' } });
  });

  it('codes input that is not a rule set at all', () => {
    const text = validateRuleSetText('{');
    expect(text.ok ? null : text.problems[0]).toMatchObject({ path: '', code: 'json-syntax', facts: { line: 1, column: 2, syntax: 'close-brace-expected' } });
    expect(text.ok ? '' : text.problems[0]?.message).toMatch(/^not valid JSON at line 1, column 2: /);
  });
});
