// "How points work": the active rule set in plain language, for cashiers and customers, in the
// store's language. Each item has a stable key and its parameters and the text; what is said
// is decided here, how it is said in explain-phrases.ts.
import { formatMoney, minorPerUnit } from '../domain/money';
import { categoryName as builtInName, earnWordsFor } from './earn-words';
import { explainPhrasesFor, type ExplainSectionKey } from './explain-phrases';
import { DAYS, type Promotion, type Reward, type RuleSet } from './rule-set';

export type ExplainParams = Record<string, string | number>;
export type ExplainItem = { key: string; params: ExplainParams; text: string };
export type ExplainSection = { key: ExplainSectionKey; title: string; items: ExplainItem[] };
export type ProgramExplanation = { name: string; version: string; sections: ExplainSection[] };

const item = (key: string, text: string, params: ExplainParams = {}): ExplainItem => ({ key, params, text });

export function explainRuleSet(ruleSet: RuleSet, options: { locale?: string } = {}): ProgramExplanation {
  const locale = options.locale ?? 'en';
  const say = explainPhrasesFor(locale);
  const money = (minor: number) => formatMoney(minor, ruleSet.currency, locale);
  const unit = money(minorPerUnit(ruleSet.currency));
  const { earning } = ruleSet;
  // A category the rule set does not label: the counter's own name for it in this language.
  const categoryName = (c: string) => earning.categoryLabels[c] ?? builtInName(earnWordsFor(locale), c);
  const tierNames = (ids: readonly string[] | undefined) => (ids ? ids.map((id) => ruleSet.tiers?.levels.find((l) => l.id === id)?.name ?? id) : null);
  const sections: ExplainSection[] = [];
  const section = (key: ExplainSectionKey, items: ExplainItem[]) => sections.push({ key, title: say.sectionTitle[key], items });

  const earn: ExplainItem[] = [item('earning.base', say.earningBase(earning.pointsPerUnit, unit), { rate: earning.pointsPerUnit, unit })];
  for (const [category, rate] of Object.entries(earning.categoryRates)) {
    earn.push(item('earning.category', say.earningRate(categoryName(category), rate, unit), { category: categoryName(category), rate, unit }));
  }
  for (const [sku, rate] of Object.entries(earning.skuRates)) {
    earn.push(item('earning.sku', say.earningRate(say.item(sku), rate, unit), { sku, rate, unit }));
  }
  for (const f of earning.fixedPoints) {
    const subject = f.label ?? (f.sku !== undefined ? say.item(f.sku) : categoryName(f.category ?? ''));
    earn.push(item('earning.fixed', say.earningFixed(subject, f.pointsPerItem), { subject, points: f.pointsPerItem }));
  }
  const excluded = say.list([...earning.excludedCategories.map(categoryName), ...earning.excludedSkus.map(say.item)]);
  if (excluded) earn.push(item('earning.excluded', say.earningExcluded(excluded), { excluded }));
  earn.push(item('earning.paidWithMoney', say.earningPaidWithMoney));
  earn.push(item('earning.rounding', say.earningRounding(earning.rounding, earning.roundingScope), { rounding: earning.rounding, scope: earning.roundingScope }));
  if (earning.minimumSpendMinor > 0) {
    earn.push(item('earning.minimumSpend', say.earningMinimumSpend(money(earning.minimumSpendMinor)), { amount: money(earning.minimumSpendMinor) }));
  }
  if (earning.caps.perTransaction !== undefined) {
    earn.push(item('earning.capSale', say.earningCapSale(earning.caps.perTransaction), { points: earning.caps.perTransaction }));
  }
  if (earning.caps.perDay !== undefined) earn.push(item('earning.capDay', say.earningCapDay(earning.caps.perDay), { points: earning.caps.perDay }));
  section('earning', earn);

  const tiers = ruleSet.tiers;
  if (tiers) {
    const measure = (n: number) => (tiers.basis === 'spend' ? money(n) : say.points(n));
    const t: ExplainItem[] = [item('tiers.basis', say.tiersBasis(tiers.basis, tiers.windowMonths), { basis: tiers.basis, months: tiers.windowMonths })];
    tiers.levels.forEach((level, i) => {
      const text = say.tiersLevel({ name: level.name, first: i === 0, threshold: measure(level.threshold), multiplier: level.multiplier, perks: level.perks });
      t.push(item('tiers.level', text, { name: level.name, threshold: level.threshold, multiplier: level.multiplier }));
    });
    if (tiers.downgrade === 'none') t.push(item('tiers.keep', say.tiersKeep));
    else t.push(item('tiers.windowEnd', say.tiersWindowEnd(tiers.windowMonths, tiers.graceDays), { months: tiers.windowMonths, graceDays: tiers.graceDays }));
    t.push(item('tiers.immediate', say.tiersImmediate));
    section('tiers', t);
  }

  if (ruleSet.promotions.length > 0) {
    const p = ruleSet.promotions.map((promo) => item('promotions.promotion', describePromotion(promo), { id: promo.id }));
    const stacking = ruleSet.stacking ?? 'stack';
    p.push(item('promotions.stacking', say.stacking[stacking], { stacking }));
    p.push(item('promotions.multipliersAdd', say.multipliersAdd));
    section('promotions', p);
  }

  if (ruleSet.referral) {
    const r = ruleSet.referral;
    const text = say.referral(r.referrerPoints, r.refereePoints, r.minimumSpendMinor > 0 ? money(r.minimumSpendMinor) : null);
    section('referral', [item('referral.bonus', text, { referrerPoints: r.referrerPoints, refereePoints: r.refereePoints })]);
  }

  const red = ruleSet.redemption;
  const redeem: ExplainItem[] = [
    item('redemption.value', say.redemptionValue(money(red.minorPerPoint)), { value: money(red.minorPerPoint) }),
    item('redemption.partial', say.redemptionPartial(red.maxSharePercent), { maxSharePercent: red.maxSharePercent }),
  ];
  if (red.minimumPoints > 1) redeem.push(item('redemption.minimum', say.redemptionMinimum(red.minimumPoints), { points: red.minimumPoints }));
  if (red.minimumBalance > 0) redeem.push(item('redemption.floor', say.redemptionFloor(red.minimumBalance), { points: red.minimumBalance }));
  section('redemption', redeem);

  if (ruleSet.rewards.length > 0) section('rewards', ruleSet.rewards.map((r) => item(`rewards.${r.type}`, describeReward(r), { id: r.id })));

  const offers = ruleSet.offers;
  if (offers) {
    const o: ExplainItem[] = [];
    const fav = offers.favouriteCategory;
    if (fav?.enabled) o.push(item('offers.favouriteCategory', say.offersFavourite(fav.bonusPoints, fav.minPurchases, offers.historyWeeks), { points: fav.bonusPoints, visits: fav.minPurchases, weeks: offers.historyWeeks }));
    const bundle = offers.bundle;
    if (bundle?.enabled) {
      const max = money(bundle.maxDiscountMinor);
      o.push(item('offers.bundle', say.offersBundle(bundle.addOnLabel, bundle.discountPercent, max), { addOn: bundle.addOnLabel, percent: bundle.discountPercent, max }));
    }
    const winBack = offers.winBack;
    if (winBack?.enabled) o.push(item('offers.winBack', say.offersWinBack(winBack.weeksAway, winBack.bonusPoints), { weeks: winBack.weeksAway, points: winBack.bonusPoints }));
    // Only when some kind of offer is on: paused offers are not promised.
    if (o.length > 0) {
      o.push(item('offers.terms', say.offersTerms(offers.validityDays, offers.maxPerMember), { days: offers.validityDays, maxPerMember: offers.maxPerMember }));
      section('offers', o);
    }
  }

  const ex = ruleSet.expiry;
  section('expiry', [
    ex.type === 'never'
      ? item('expiry.never', say.expiryNever)
      : item('expiry.months', say.expiryMonths(ex.months, ex.endOfMonth), { months: ex.months, endOfMonth: ex.endOfMonth ? 1 : 0 }),
  ]);
  return { name: ruleSet.name, version: ruleSet.version, sections };

  function describePromotion(promo: Promotion): string {
    const e = promo.effect;
    const s = promo.schedule;
    return say.promotion(promo.label, {
      effect: e.type === 'perSpend' ? { type: 'perSpend', points: e.points, every: money(e.everyMinor), maxPoints: e.maxPoints } : e,
      on: [...(promo.categories ?? []).map(categoryName), ...(promo.skus ?? []).map(say.item)],
      schedule: s
        ? { days: DAYS.filter((d) => s.days.includes(d)), from: s.from, to: s.to, pastMidnight: s.from !== undefined && s.to !== undefined && s.to <= s.from }
        : null,
      startsAt: promo.startsAt,
      endsAt: promo.endsAt,
      tiers: tierNames(promo.tiers),
      firstPurchase: Boolean(promo.firstPurchase),
      birthdayMonth: Boolean(promo.birthdayMonth),
      minSpend: promo.minSpendMinor !== undefined ? money(promo.minSpendMinor) : undefined,
    });
  }

  function describeReward(r: Reward): string {
    const forTiers = tierNames(r.tiers);
    switch (r.type) {
      case 'discountFixed':
        return say.rewardDiscountFixed(r.label, money(r.amountMinor), r.points, forTiers);
      case 'discountPercent':
        return say.rewardDiscountPercent(r.label, r.percent, r.capMinor !== undefined ? money(r.capMinor) : null, r.points, forTiers);
      case 'freeItem':
        return say.rewardFreeItem(
          r.label,
          r.sku !== undefined ? { sku: r.sku } : { category: categoryName(r.category ?? '') },
          r.maxPriceMinor !== undefined ? money(r.maxPriceMinor) : null,
          r.points ?? null,
          forTiers,
        );
      case 'donation':
        return say.rewardDonation(
          r.label,
          r.charity,
          r.minimumPoints,
          r.match.programmePoints > 0 ? { perMember: r.match.perMemberPoints, programme: r.match.programmePoints } : null,
          forTiers,
        );
    }
  }
}
