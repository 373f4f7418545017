import { describe, expect, it } from 'vitest';
import { computeSale } from '../../src-shared/program/engine';
import { computeRefund } from '../../src-shared/program/refund';
import { selectOffers, type PurchaseVisit } from '../../src-shared/program/offer-selection';
import type { OfferTerms } from '../../src-shared/program/offers';
import { RuleSet } from '../../src-shared/program/rule-set';
import { formatProblems, validateRuleSet } from '../../src-shared/program/rule-set-validation';
import type { MemberContext } from '../../src-shared/program/sale-types';

const base = {
  schema: 2,
  version: 'offers-1',
  name: 'Club',
  currency: 'TRY',
  earning: { pointsPerUnit: 1, excludedCategories: ['Tobacco'], categoryLabels: { Coffee: 'coffee' } },
  tiers: { basis: 'spend', windowMonths: 12, downgrade: 'none', levels: [{ id: 'member', name: 'Member', threshold: 0 }, { id: 'staff', name: 'Staff', threshold: 1_000_000_000 }] },
  redemption: { minorPerPoint: 1 },
  offers: {
    maxPerMember: 2,
    validityDays: 14,
    historyWeeks: 8,
    excludedTiers: ['staff'],
    excludedMembers: ['m-optout'],
    favouriteCategory: { minPurchases: 3, bonusPoints: 50 },
    bundle: { minPurchases: 3, addOn: { category: 'Bakery' }, discountPercent: 100, maxDiscountMinor: 3000, addOnLabel: 'a pastry' },
    winBack: { weeksAway: 6, bonusPoints: 200 },
  },
};
const rules = RuleSet.parse(base);
const member: MemberContext = { memberId: 'm-1', balance: 0, tier: null, qualifying: 0, firstPurchase: false, birthMonth: null, pointsEarnedToday: 0, referral: null };
const clock = { at: '2026-11-30T10:00:00Z', timeZone: 'Europe/Istanbul' };
const coffee = { sku: 'COFFEE-L', name: 'Large coffee', category: 'Coffee', qty: 1, unitPriceMinor: 4000 };
const pastry = { sku: 'CROISSANT', name: 'Croissant', category: 'Bakery', qty: 1, unitPriceMinor: 3500 };

describe('the offers section of a rule set', () => {
  it('is optional, and every problem is reported with its exact path', () => {
    const { offers: _offers, ...without } = base;
    expect(validateRuleSet(without).ok).toBe(true);
    const bad = validateRuleSet({
      ...base,
      offers: { ...base.offers, maxPerMember: 0, excludedTiers: ['gold'], bundle: { ...base.offers.bundle, addOn: { category: 'Tobacco' }, discountPercent: 120 }, winBack: { weeksAway: 6 }, surprise: true },
    });
    expect(bad.ok).toBe(false);
    const text = bad.ok ? '' : formatProblems(bad.problems);
    expect(text).toContain('offers.maxPerMember: must be at least 1');
    expect(text).toContain('offers.bundle.discountPercent: must be at most 100');
    expect(text).toContain('offers.winBack.bonusPoints: required');
    expect(text).toContain('offers.surprise: unknown field');
    const crossField = validateRuleSet({ ...base, offers: { ...base.offers, excludedTiers: ['gold'], bundle: { ...base.offers.bundle, addOn: { category: 'Tobacco' } } } });
    const crossText = crossField.ok ? '' : formatProblems(crossField.problems);
    expect(crossText).toContain('offers.excludedTiers[0]: unknown tier "gold"');
    expect(crossText).toContain('offers.bundle.addOn.category: category "Tobacco" is excluded from earning: offers never promote it');
  });
});

describe('offers in the engine', () => {
  const favourite: OfferTerms = { offerId: 'of-fav', type: 'favouriteCategory', label: '+50 points on coffee', category: 'Coffee', bonusPoints: 50, minSpendMinor: 0 };
  const bundle: OfferTerms = { offerId: 'of-bun', type: 'bundle', label: 'Your usual Large coffee + a pastry free', usualSku: 'COFFEE-L', addOn: { category: 'Bakery' }, discountPercent: 100, maxDiscountMinor: 3000 };

  it('gives a bonus offer its own breakdown line, within the caps', () => {
    const sale = computeSale(rules, { lines: [coffee], offers: [favourite] }, member, clock);
    expect(sale.pointsEarned).toBe(40 + 50);
    expect(sale.breakdown.at(-1)).toEqual({ ruleId: 'offer:of-fav', label: '+50 points on coffee', points: 50, basisMinor: 4000 });
    expect(sale.offers).toEqual([{ offerId: 'of-fav', type: 'favouriteCategory', label: '+50 points on coffee', points: 50, discountMinor: 0 }]);
    const capped = RuleSet.parse({ ...base, version: 'capped', earning: { ...base.earning, caps: { perTransaction: 60 } } });
    expect(computeSale(capped, { lines: [coffee], offers: [favourite] }, member, clock).pointsEarned).toBe(60);
  });

  it('discounts the add-on of a bundle at the programme’s cost, not the member’s points', () => {
    const sale = computeSale(rules, { lines: [coffee, pastry], offers: [bundle] }, member, clock);
    expect(sale.discountMinor).toBe(3000);
    expect(sale.pointsRedeemed).toBe(0);
    expect(sale.redemption).toEqual([{ ruleId: 'offer:of-bun', label: bundle.label, points: 0, lineIndex: 1, basisMinor: 3000 }]);
    expect(sale.pointsEarned).toBe(40 + 5);
  });

  it('takes a bonus offer back only when a refund undoes its condition', () => {
    const sale = { ruleSet: rules, request: { lines: [coffee, pastry], offers: [favourite] }, member, clock };
    expect(computeSale(rules, sale.request, member, clock).pointsEarned).toBe(75 + 50);
    const pastryBack = computeRefund(sale, [], { lines: [{ lineIndex: 1, qty: 1 }] });
    expect(pastryBack.pointsReversed).toBe(35);
    const coffeeBack = computeRefund(sale, [{ lineIndex: 1, qty: 1 }], { lines: [{ lineIndex: 0, qty: 1 }] });
    expect(coffeeBack.pointsReversed).toBe(40 + 50);
    expect(coffeeBack.reversal).toContainEqual({ ruleId: 'offer:of-fav', label: '+50 points on coffee: no longer applies', points: -50 });
  });

  it('refuses an offer the sale does not meet, twice on one sale, or without a member; a recomputation leaves it out', () => {
    expect(() => computeSale(rules, { lines: [pastry], offers: [favourite] }, member, clock)).toThrow('Offer "+50 points on coffee" needs coffee in the sale');
    expect(() => computeSale(rules, { lines: [pastry], offers: [bundle] }, member, clock)).toThrow(/needs the usual item/);
    expect(() => computeSale(rules, { lines: [coffee], offers: [favourite, favourite] }, member, clock)).toThrow(/once on a sale/);
    expect(() => computeSale(rules, { lines: [coffee], offers: [favourite] }, null, clock)).toThrow(/member sale/);
    expect(computeSale(rules, { lines: [pastry], offers: [favourite, bundle] }, member, clock, { trustBalance: true }).offers).toEqual([]);
  });
});

describe('choosing offers from a purchase history', () => {
  const visit = (date: string, lines: PurchaseVisit['lines'], tierId: string | null = 'member'): PurchaseVisit => ({ date, lines, tierId });
  const history = [
    visit('2026-10-05', [coffee, pastry]),
    visit('2026-10-19', [coffee]),
    visit('2026-11-02', [coffee, { category: 'Tobacco' }]),
    visit('2026-11-03', [{ category: 'Tobacco' }]),
    visit('2026-11-04', [{ category: 'Tobacco' }]),
    visit('2026-11-05', [{ category: 'Tobacco' }]),
    visit('2026-11-16', [coffee, pastry]),
  ];

  it('is deterministic, explains itself and never promotes an excluded category', () => {
    // Tobacco was bought on more visits, but it earns nothing: never an offer. The visit of
    // 2026-10-05 is 8 weeks before and falls outside the window.
    const a = selectOffers(rules, 'm-1', history, '2026-11-30');
    const b = selectOffers(rules, 'm-1', [...history].reverse(), '2026-11-30');
    expect(b).toEqual(a);
    expect(a.excluded).toBeNull();
    expect(a.candidates.map((c) => [c.type, c.subject, c.reason])).toEqual([
      ['favouriteCategory', 'Coffee', 'You bought coffee 3 times in the last 8 weeks'],
      ['bundle', 'COFFEE-L', 'You bought Large coffee 3 times in the last 8 weeks'],
    ]);
  });

  it('offers a win-back after N weeks away, and nothing to excluded members or tiers', () => {
    const away = selectOffers(rules, 'm-1', history, '2027-01-04');
    expect(away.candidates.map((c) => [c.type, c.reason])).toEqual([['winBack', 'Your last visit was 7 weeks ago (2026-11-16)']]);
    expect(selectOffers(rules, 'm-optout', history, '2026-11-30')).toEqual({ excluded: 'excluded-member', candidates: [] });
    expect(selectOffers(rules, 'm-1', [...history, visit('2026-11-20', [coffee], 'staff')], '2026-11-30')).toEqual({ excluded: 'excluded-tier', candidates: [] });
    // Later purchases than the day asked about do not count.
    expect(selectOffers(rules, 'm-1', history, '2026-10-20').candidates).toEqual([]);
  });

  it('says one point and one week in the singular', () => {
    const single = RuleSet.parse({ ...base, offers: { ...base.offers, favouriteCategory: { minPurchases: 3, bonusPoints: 1 }, winBack: { weeksAway: 1, bonusPoints: 1 } } });
    expect(selectOffers(single, 'm-1', history, '2026-11-30').candidates.find((c) => c.type === 'favouriteCategory')?.terms.label).toBe('+1 point on coffee');
    const away = selectOffers(single, 'm-1', history, '2026-11-24').candidates.find((c) => c.type === 'winBack');
    expect([away?.terms.label, away?.reason]).toEqual(['Welcome back: +1 point', 'Your last visit was 1 week ago (2026-11-16)']);
  });
});
