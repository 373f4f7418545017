// "How points work": the active rule set in plain language, for cashiers and customers. Each item
// has a stable key and its parameters (for translation) and the English text.
import { formatMoney, minorPerUnit } from '../domain/money';
import { DAYS, type Promotion, type Reward, type RuleSet } from './rule-set';

export type ExplainParams = Record<string, string | number>;
export type ExplainItem = { key: string; params: ExplainParams; text: string };
export type ExplainSection = {
  key: 'earning' | 'tiers' | 'promotions' | 'referral' | 'redemption' | 'rewards' | 'expiry';
  title: string;
  items: ExplainItem[];
};
export type ProgramExplanation = { name: string; version: string; sections: ExplainSection[] };

const item = (key: string, text: string, params: ExplainParams = {}): ExplainItem => ({ key, params, text });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1) ?? ''}`);
const trimDate = (dt: string) => (dt.endsWith('T00:00') ? dt.slice(0, 10) : dt.replace('T', ' '));

export function explainRuleSet(ruleSet: RuleSet, options: { locale?: string } = {}): ProgramExplanation {
  const locale = options.locale ?? 'en';
  const money = (minor: number) => formatMoney(minor, ruleSet.currency, locale);
  const unit = money(minorPerUnit(ruleSet.currency));
  const { earning } = ruleSet;
  const categoryName = (c: string) => earning.categoryLabels[c] ?? c;
  const sections: ExplainSection[] = [];

  // Earning.
  const earn: ExplainItem[] = [
    item('earning.base', `You earn ${plural(earning.pointsPerUnit, 'point')} for every ${unit} you spend.`, { rate: earning.pointsPerUnit, unit }),
  ];
  for (const [category, rate] of Object.entries(earning.categoryRates)) {
    earn.push(item('earning.category', `${categoryName(category)}: ${plural(rate, 'point')} per ${unit}.`, { category: categoryName(category), rate, unit }));
  }
  for (const [sku, rate] of Object.entries(earning.skuRates)) {
    earn.push(item('earning.sku', `Item ${sku}: ${plural(rate, 'point')} per ${unit}.`, { sku, rate, unit }));
  }
  for (const f of earning.fixedPoints) {
    const subject = f.label ?? (f.sku !== undefined ? `Item ${f.sku}` : categoryName(f.category ?? ''));
    earn.push(item('earning.fixed', `${subject}: ${plural(f.pointsPerItem, 'point')} per item.`, { subject, points: f.pointsPerItem }));
  }
  const excluded = [...earning.excludedCategories.map(categoryName), ...earning.excludedSkus.map((s) => `item ${s}`)];
  if (excluded.length > 0) earn.push(item('earning.excluded', `No points on ${list(excluded)}.`, { excluded: list(excluded) }));
  earn.push(item('earning.paidWithMoney', 'Points are earned on what you pay with money, not on what points pay for.'));
  const roundingWords = { floor: 'rounded down', round: 'rounded to the nearest point', ceil: 'rounded up' }[earning.rounding];
  earn.push(
    item('earning.rounding', `Points are ${roundingWords} ${earning.roundingScope === 'line' ? 'on each line' : 'once per receipt'}.`, {
      rounding: earning.rounding,
      scope: earning.roundingScope,
    }),
  );
  if (earning.minimumSpendMinor > 0) {
    earn.push(item('earning.minimumSpend', `Spend at least ${money(earning.minimumSpendMinor)} to earn points.`, { amount: money(earning.minimumSpendMinor) }));
  }
  if (earning.caps.perTransaction !== undefined) {
    earn.push(item('earning.capSale', `At most ${plural(earning.caps.perTransaction, 'point')} per sale.`, { points: earning.caps.perTransaction }));
  }
  if (earning.caps.perDay !== undefined) {
    earn.push(item('earning.capDay', `At most ${plural(earning.caps.perDay, 'point')} per day.`, { points: earning.caps.perDay }));
  }
  sections.push({ key: 'earning', title: 'Earning points', items: earn });

  // Tiers.
  const tiers = ruleSet.tiers;
  if (tiers) {
    const measure = (n: number) => (tiers.basis === 'spend' ? money(n) : plural(n, 'point'));
    const t: ExplainItem[] = [
      item(
        'tiers.basis',
        `Your tier depends on ${tiers.basis === 'spend' ? 'what you spend' : 'the points you earn'} over the last ${plural(tiers.windowMonths, 'month')}.`,
        { basis: tiers.basis, months: tiers.windowMonths },
      ),
    ];
    tiers.levels.forEach((level, i) => {
      const from = i === 0 ? 'where every member starts' : `from ${measure(level.threshold)}`;
      const mult = level.multiplier > 1 ? `; earns ×${level.multiplier} points` : '';
      const perks = level.perks.length > 0 ? `; ${list(level.perks)}` : '';
      t.push(item('tiers.level', `${level.name}: ${from}${mult}${perks}.`, { name: level.name, threshold: level.threshold, multiplier: level.multiplier }));
    });
    if (tiers.downgrade === 'none') t.push(item('tiers.keep', 'Once you reach a tier, you keep it.'));
    else {
      const grace = tiers.graceDays > 0 ? `, after ${plural(tiers.graceDays, 'day')} of grace` : '';
      t.push(
        item(
          'tiers.windowEnd',
          `A tier lasts ${plural(tiers.windowMonths, 'month')} from when you reach it. If you still qualify then, it renews; if not, it moves to the tier you qualify for${grace}.`,
          { months: tiers.windowMonths, graceDays: tiers.graceDays },
        ),
      );
    }
    t.push(item('tiers.immediate', 'You move up as soon as you qualify; the new tier counts from your next purchase.'));
    sections.push({ key: 'tiers', title: 'Tiers', items: t });
  }

  // Promotions.
  if (ruleSet.promotions.length > 0) {
    const p: ExplainItem[] = ruleSet.promotions.map((promo) => item('promotions.promotion', describePromotion(ruleSet, promo, money), { id: promo.id }));
    const stacking = {
      stack: 'Promotions add up.',
      bestOf: 'Only the promotion worth the most applies to a sale.',
      exclusiveGroups: 'Within a group only the promotion worth the most applies; different groups add up.',
    }[ruleSet.stacking ?? 'stack'];
    p.push(item('promotions.stacking', stacking, { stacking: ruleSet.stacking ?? 'stack' }));
    p.push(item('promotions.multipliersAdd', 'Multipliers add up on your base points: double points on a ×2 tier gives ×3, not ×4.'));
    sections.push({ key: 'promotions', title: 'Promotions', items: p });
  }

  // Referral.
  if (ruleSet.referral) {
    const r = ruleSet.referral;
    const min = r.minimumSpendMinor > 0 ? ` of at least ${money(r.minimumSpendMinor)}` : '';
    sections.push({
      key: 'referral',
      title: 'Refer a friend',
      items: [
        item(
          'referral.bonus',
          `Give your referral code to a friend when they join. When they make their first purchase${min}, you get ${plural(r.referrerPoints, 'point')} and they get ${plural(r.refereePoints, 'point')}. Once per friend; you cannot refer yourself.`,
          { referrerPoints: r.referrerPoints, refereePoints: r.refereePoints },
        ),
      ],
    });
  }

  // Paying with points.
  const red = ruleSet.redemption;
  const redeem: ExplainItem[] = [
    item('redemption.value', `Each point is worth ${money(red.minorPerPoint)}.`, { value: money(red.minorPerPoint) }),
    item(
      'redemption.partial',
      red.maxSharePercent < 100
        ? `You can pay any part of a sale with points, up to ${red.maxSharePercent}% of it.`
        : 'You can pay any part of a sale with points.',
      { maxSharePercent: red.maxSharePercent },
    ),
  ];
  if (red.minimumPoints > 1) redeem.push(item('redemption.minimum', `Use at least ${plural(red.minimumPoints, 'point')} at a time.`, { points: red.minimumPoints }));
  if (red.minimumBalance > 0) redeem.push(item('redemption.floor', `Keep at least ${plural(red.minimumBalance, 'point')} on your balance.`, { points: red.minimumBalance }));
  sections.push({ key: 'redemption', title: 'Paying with points', items: redeem });

  if (ruleSet.rewards.length > 0) {
    sections.push({
      key: 'rewards',
      title: 'Rewards',
      items: ruleSet.rewards.map((r) => item(`rewards.${r.type}`, describeReward(ruleSet, r, money), { id: r.id })),
    });
  }

  const ex = ruleSet.expiry;
  sections.push({
    key: 'expiry',
    title: 'Expiry',
    items: [
      ex.type === 'never'
        ? item('expiry.never', 'Points never expire.')
        : item(
            'expiry.months',
            `Points can be used for ${plural(ex.months, 'month')} after you earn them${ex.endOfMonth ? ', until the end of that month' : ''}. The points that expire soonest are used first; your receipt shows what expires next.`,
            { months: ex.months, endOfMonth: ex.endOfMonth ? 1 : 0 },
          ),
    ],
  });
  return { name: ruleSet.name, version: ruleSet.version, sections };
}

function describeSchedule(promo: Promotion): string | null {
  const s = promo.schedule;
  if (!s) return null;
  const days = s.days.length === 7 ? 'every day' : list(DAYS.filter((d) => s.days.includes(d)).map((d) => `${d}`));
  return s.from === undefined ? days : `${days} ${s.from}–${s.to ?? ''}${s.to !== undefined && s.to <= s.from ? ' (past midnight)' : ''}`;
}

function describePromotion(ruleSet: RuleSet, promo: Promotion, money: (minor: number) => string): string {
  const e = promo.effect;
  const effect =
    e.type === 'multiplier'
      ? `×${e.multiplier} points`
      : e.type === 'bonus'
        ? `${plural(e.points, 'bonus point')}`
        : `${plural(e.points, 'bonus point')} for every ${money(e.everyMinor)} spent${e.maxPoints !== undefined ? ` (up to ${e.maxPoints})` : ''}`;
  const conditions: string[] = [];
  const on = [...(promo.categories ?? []).map((c) => ruleSet.earning.categoryLabels[c] ?? c), ...(promo.skus ?? []).map((s) => `item ${s}`)];
  if (on.length > 0) conditions.push(`on ${list(on)}`);
  const schedule = describeSchedule(promo);
  if (schedule) conditions.push(schedule);
  if (promo.startsAt && promo.endsAt) conditions.push(`from ${trimDate(promo.startsAt)} until ${trimDate(promo.endsAt)}`);
  else if (promo.startsAt) conditions.push(`from ${trimDate(promo.startsAt)}`);
  else if (promo.endsAt) conditions.push(`until ${trimDate(promo.endsAt)}`);
  if (promo.tiers) {
    const names = promo.tiers.map((id) => ruleSet.tiers?.levels.find((l) => l.id === id)?.name ?? id);
    conditions.push(`for ${list(names)} members`);
  }
  if (promo.firstPurchase) conditions.push('on your first purchase');
  if (promo.birthdayMonth) conditions.push('in your birthday month');
  if (promo.minSpendMinor !== undefined) conditions.push(`when you spend at least ${money(promo.minSpendMinor)}`);
  return `${promo.label}: ${effect}${conditions.length > 0 ? `, ${conditions.join(', ')}` : ''}.`;
}

function describeReward(ruleSet: RuleSet, r: Reward, money: (minor: number) => string): string {
  const forTiers = r.tiers ? ` (${list(r.tiers.map((id) => ruleSet.tiers?.levels.find((l) => l.id === id)?.name ?? id))} members)` : '';
  switch (r.type) {
    case 'discountFixed':
      return `${r.label}: ${money(r.amountMinor)} off for ${plural(r.points, 'point')}${forTiers}.`;
    case 'discountPercent':
      return `${r.label}: ${r.percent}% off${r.capMinor !== undefined ? ` (up to ${money(r.capMinor)})` : ''} for ${plural(r.points, 'point')}${forTiers}.`;
    case 'freeItem': {
      const what = r.sku !== undefined ? `item ${r.sku}` : `any ${ruleSet.earning.categoryLabels[r.category ?? ''] ?? r.category ?? ''} item`;
      const cost = r.points !== undefined ? plural(r.points, 'point') : 'its price in points';
      const max = r.maxPriceMinor !== undefined ? ` up to ${money(r.maxPriceMinor)}` : '';
      return `${r.label}: ${what}${max} free for ${cost}${forTiers}.`;
    }
    case 'donation': {
      const match =
        r.match.programmePoints > 0
          ? ` The programme adds ${plural(r.match.programmePoints, 'point')} for every ${plural(r.match.perMemberPoints, 'point')} you give.`
          : '';
      return `${r.label}: donate points to ${r.charity}, from ${plural(r.minimumPoints, 'point')}.${match}${forTiers ? ` For${forTiers.slice(1, -1)}.` : ''}`;
    }
  }
}
