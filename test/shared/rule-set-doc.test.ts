import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainRuleSet } from '../../src-shared/program/explain';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';

const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/rule-set.md'), 'utf8');

describe('docs/rule-set.md', () => {
  it('has a complete example that validates and explains as the text says', () => {
    const start = doc.indexOf('```json') + '```json'.length;
    const result = validateRuleSet(JSON.parse(doc.slice(start, doc.indexOf('```', start))));
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    expect(doc).toContain(explainRuleSet(result.value, { locale: 'tr-TR' }).sections[0]?.items[0]?.text);
  });

  it('documents every field of the schema', () => {
    const fields = [
      'schema', 'version', 'name', 'currency', 'earning', 'tiers', 'promotions', 'stacking', 'referral', 'redemption', 'rewards', 'expiry',
      'pointsPerUnit', 'categoryRates', 'skuRates', 'fixedPoints', 'pointsPerItem', 'excludedCategories', 'excludedSkus', 'categoryLabels',
      'rounding', 'roundingScope', 'minimumSpendMinor', 'caps.perTransaction', 'caps.perDay',
      'basis', 'windowMonths', 'downgrade', 'graceDays', 'levels', 'threshold', 'multiplier', 'perks',
      'effect', 'startsAt', 'endsAt', 'schedule', 'minSpendMinor', 'firstPurchase', 'birthdayMonth', 'group', 'everyMinor', 'maxPoints',
      'referrerPoints', 'refereePoints', 'minorPerPoint', 'minimumBalance', 'maxSharePercent', 'minimumPoints',
      'discountFixed', 'discountPercent', 'freeItem', 'donation', 'amountMinor', 'percent', 'capMinor', 'maxPriceMinor', 'charity', 'match',
      'programmePoints', 'perMemberPoints', 'stepPoints', 'months', 'endOfMonth', 'bestOf', 'exclusiveGroups',
    ];
    for (const field of fields) expect(doc, field).toMatch(new RegExp(`\\b${field.replace('.', '\\.')}\\b`));
  });
});
