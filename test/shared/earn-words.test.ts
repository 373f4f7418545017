import { describe, expect, it } from 'vitest';
import { ENGLISH_EARN_WORDS, earnWordsFor, TURKISH_CATEGORY_NAMES, TURKISH_EARN_WORDS } from '../../src-shared/program/earn-words';
import { computeSale } from '../../src-shared/program/engine';
import { explainRuleSet } from '../../src-shared/program/explain';
import { computeRefund } from '../../src-shared/program/refund';
import { RuleSet } from '../../src-shared/program/rule-set';
import type { MemberContext } from '../../src-shared/program/sale-types';
import { tr } from '../../src-renderer/i18n/tr';

const rules = RuleSet.parse({
  schema: 2,
  version: 'words-1',
  name: 'Kadıköy Club',
  currency: 'TRY',
  earning: {
    pointsPerUnit: 1,
    categoryRates: { Bakery: 1.5 },
    fixedPoints: [{ sku: 'LOYALTY-MUG', pointsPerItem: 50, label: 'Club mug' }, { sku: 'GIFT-BOX', pointsPerItem: 15 }],
    excludedCategories: ['Tobacco', 'GiftCards'],
    categoryLabels: { GiftCards: 'Gift cards' },
    caps: { perTransaction: 300 },
  },
  redemption: { minorPerPoint: 1 },
});
const member: MemberContext = { memberId: 'm-1', balance: 0, tier: null, qualifying: 0, firstPurchase: false, birthMonth: null, pointsEarnedToday: 0, referral: null };
const clock = { at: '2026-12-01T10:00:00Z', timeZone: 'Europe/Istanbul' };
const sale = {
  lines: [
    { category: 'Groceries', qty: 1, unitPriceMinor: 10_000 },
    { category: 'Bakery', qty: 2, unitPriceMinor: 5_000 },
    { category: 'Tobacco', qty: 1, unitPriceMinor: 8_000 },
    { category: 'GiftCards', qty: 1, unitPriceMinor: 20_000 },
    { sku: 'LOYALTY-MUG', category: 'Household', qty: 1, unitPriceMinor: 9_000 },
    { sku: 'GIFT-BOX', category: 'Household', qty: 2, unitPriceMinor: 3_000 },
    { category: 'Stationery', qty: 1, unitPriceMinor: 2_000 },
  ],
};

describe("the breakdown's own words in the store's language", () => {
  const english = computeSale(rules, sale, member, clock);
  const turkish = computeSale(rules, sale, member, clock, { words: TURKISH_EARN_WORDS });

  it('writes every label the engine makes in Turkish, and the owner names as written', () => {
    expect(turkish.breakdown.map((b) => b.label)).toEqual([
      'Market: TRY başına 1 puan',
      'Fırın: TRY başına 1,5 puan',
      'Tütün: puan kazandırmaz',
      'Gift cards: puan kazandırmaz',
      'Club mug: adet başına 50 puan',
      'GIFT-BOX: adet başına 15 puan',
      'Stationery: TRY başına 1 puan',
      'Satış başına en fazla 300 puan',
    ]);
  });

  it('keeps English as it was, and the same rules and points in both languages', () => {
    expect(english.breakdown.map((b) => b.label)).toEqual([
      'Groceries: 1 pt per TRY',
      'Bakery: 1.5 pt per TRY',
      'Tobacco: earns no points',
      'Gift cards: earns no points',
      'Club mug: 50 pt per item',
      'GIFT-BOX: 15 pt per item',
      'Stationery: 1 pt per TRY',
      'At most 300 points per sale',
    ]);
    const { breakdown: englishItems, ...englishRest } = english;
    const { breakdown: turkishItems, ...turkishRest } = turkish;
    expect(turkishItems.map(({ label: _label, ...item }) => item)).toEqual(englishItems.map(({ label: _label, ...item }) => item));
    expect(turkishRest).toEqual(englishRest);
    expect(english.pointsEarned).toBe(300);
  });

  it('names a SKU line by its own name in either language', () => {
    const named = { lines: [{ sku: 'GIFT-BOX', name: 'Hediye kutusu', category: 'Household', qty: 1, unitPriceMinor: 3_000 }] };
    expect(computeSale(rules, named, member, clock, { words: TURKISH_EARN_WORDS }).breakdown[0]?.label).toBe('Hediye kutusu: adet başına 15 puan');
    expect(computeSale(rules, named, member, clock).breakdown[0]?.label).toBe('Hediye kutusu: 15 pt per item');
  });

  it('says the daily cap and the minimum spend in Turkish', () => {
    const capped = RuleSet.parse({ ...rules, earning: { ...rules.earning, caps: { perDay: 100 }, minimumSpendMinor: 0 } });
    const tight = computeSale(capped, { lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 50_000 }] }, { ...member, pointsEarnedToday: 80 }, clock, { words: TURKISH_EARN_WORDS });
    expect(tight.breakdown.at(-1)).toMatchObject({ ruleId: 'cap.day', label: 'Günde en fazla 100 puan', points: -480 });
    const minimum = RuleSet.parse({ ...rules, earning: { ...rules.earning, caps: {}, minimumSpendMinor: 5_000 } });
    const small = computeSale(minimum, { lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 2_000 }] }, member, clock, { words: TURKISH_EARN_WORDS });
    expect(small.breakdown.find((b) => b.ruleId === 'earn.minimumSpend')?.label).toBe('Puan kazanmak için en az ₺50,00 harcayın');
    expect(small.pointsEarned).toBe(0);
  });

  it('writes a refund in Turkish: the lines taken back, a promotion that no longer applies, the points given back', () => {
    const club = RuleSet.parse({ ...rules, earning: { ...rules.earning, caps: {} }, stacking: 'stack', promotions: [{ id: 'big-basket', label: 'Büyük sepet', effect: { type: 'bonus', points: 100 }, minSpendMinor: 20_000 }] });
    const request = { lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 15_000 }, { category: 'Bakery', qty: 2, unitPriceMinor: 5_000 }], redeemPoints: 500 };
    const recorded = { ruleSet: club, request, member: { ...member, balance: 1_000 }, clock };
    const turkishRefund = computeRefund(recorded, [], { lines: [{ lineIndex: 0, qty: 1 }] }, TURKISH_EARN_WORDS);
    expect([...turkishRefund.reversal, ...turkishRefund.returned].map((b) => b.label)).toEqual([
      'Market: TRY başına 1 puan',
      'Büyük sepet: artık geçerli değil',
      'İade edilen ürünler için ödenen puanlar',
    ]);
    const englishRefund = computeRefund(recorded, [], { lines: [{ lineIndex: 0, qty: 1 }] });
    expect([...englishRefund.reversal, ...englishRefund.returned].map((b) => b.label)).toEqual([
      'Groceries: 1 pt per TRY',
      'Büyük sepet: no longer applies',
      'Points that paid for the returned items',
    ]);
    expect(turkishRefund.pointsReversed).toBe(englishRefund.pointsReversed);
    expect(turkishRefund.pointsReturned).toBe(englishRefund.pointsReturned);
  });

  it('says the points spent as a discount in Turkish, with the same points and money', () => {
    const request = { lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 15_000 }], redeemPoints: 500 };
    const rich = { ...member, balance: 1_000 };
    const inTurkish = computeSale(rules, request, rich, clock, { words: TURKISH_EARN_WORDS });
    const inEnglish = computeSale(rules, request, rich, clock);
    expect(inTurkish.redemption.map((b) => b.label)).toEqual(['İndirim olarak 500 puan']);
    expect(inEnglish.redemption.map((b) => b.label)).toEqual(['500 points as a discount']);
    expect(inTurkish.redemption.map((b) => [b.points, b.basisMinor])).toEqual(inEnglish.redemption.map((b) => [b.points, b.basisMinor]));
    expect(inTurkish.totalMinor).toBe(inEnglish.totalMinor);
  });

  it("picks the table by the store's locale, as \"How points work\" does", () => {
    expect(earnWordsFor('tr-TR')).toBe(TURKISH_EARN_WORDS);
    expect(earnWordsFor('TR')).toBe(TURKISH_EARN_WORDS);
    expect(earnWordsFor('en-GB')).toBe(ENGLISH_EARN_WORDS);
    expect(earnWordsFor('de-DE')).toBe(ENGLISH_EARN_WORDS);
    const earning = explainRuleSet(rules, { locale: 'tr-TR' }).sections.find((s) => s.key === 'earning')?.items.map((i) => i.text) ?? [];
    expect(earning.some((text) => text.startsWith('Fırın: '))).toBe(true);
  });

  it("names the built-in categories as the cashier's buttons do", () => {
    expect(tr.category).toBe(TURKISH_CATEGORY_NAMES);
  });
});
