// A rule set prepared for fast evaluation: lookups by SKU and category, promotions with their
// conditions as sets and minutes. Compiled once per rule-set object and cached.
import { currencyExponent } from '../domain/money';
import { categoryName, ENGLISH_EARN_WORDS, type EarnWords } from './earn-words';
import { dayIndex, minutesOfDay, type Promotion, type Reward, type RuleSet, type TierLevel } from './rule-set';
import type { LocalTime } from './local-time';

export type BaseRuleKind = 'rate' | 'fixed' | 'excluded';

/** The rule that gives a line its base points. */
export type BaseRule = {
  ruleId: string;
  kind: BaseRuleKind;
  /** Points per whole currency unit, in thousandths (rate rules). */
  rateMilli: number;
  /** Points per item (fixed rules). */
  pointsPerItem: number;
  /** What the label names: the category's label, the SKU or the fixed rule's label. */
  subject: string;
  /** Whether the subject is a SKU (then the line's own name reads better when it has one). */
  bySku: boolean;
  /** The category the subject names when the rule set gives it no label: each language names it. */
  unlabelledCategory: string | null;
  /** The breakdown label in English when it names the subject (a line's own name replaces a SKU). */
  label: string;
};

export type CompiledPromotion = {
  promotion: Promotion;
  ruleId: string;
  index: number;
  startsAt: string | null;
  endsAt: string | null;
  /** Weekly slot: days[0] is Monday. */
  schedule: { days: boolean[]; from: number; to: number } | null;
  timed: boolean;
  tiers: Set<string> | null;
  categories: Set<string> | null;
  skus: Set<string> | null;
  /** Multiplier in thousandths, minus 1000: the extra it pays on base points. */
  extraMilli: number;
};

export type CompiledRuleSet = {
  ruleSet: RuleSet;
  /** Minor units per whole currency unit. */
  unitMinor: number;
  baseRuleFor: (sku: string | undefined, category: string) => BaseRule;
  promotions: CompiledPromotion[];
  tierIndex: Map<string, number>;
  levels: TierLevel[];
  rewards: Map<string, Reward>;
};

const toMilli = (x: number) => Math.round(x * 1000);

export const formatRate = (rateMilli: number): string => String(rateMilli / 1000);

/** What a line's base points say: "Bakery: 2 pt per EUR", "Gift box: 15 pt per item", "Tobacco: earns no points". */
export function baseRuleLabel(kind: BaseRuleKind, subject: string, rateMilli: number, pointsPerItem: number, currency: string, words: EarnWords = ENGLISH_EARN_WORDS): string {
  switch (kind) {
    case 'excluded':
      return words.excluded(subject);
    case 'fixed':
      return words.perItem(subject, pointsPerItem);
    default:
      return words.rate(subject, rateMilli / 1000, currency);
  }
}

function compileSchedule(p: Promotion): CompiledPromotion['schedule'] {
  if (!p.schedule) return null;
  const days = new Array<boolean>(7).fill(false);
  for (const d of p.schedule.days) days[dayIndex(d)] = true;
  const from = p.schedule.from === undefined ? 0 : minutesOfDay(p.schedule.from);
  const to = p.schedule.to === undefined ? 1440 : minutesOfDay(p.schedule.to);
  return { days, from, to };
}

function compile(ruleSet: RuleSet): CompiledRuleSet {
  const { earning } = ruleSet;
  const excludedCategories = new Set(earning.excludedCategories);
  const excludedSkus = new Set(earning.excludedSkus);
  const fixedBySku = new Map<string, { points: number; label: string | undefined }>();
  const fixedByCategory = new Map<string, { points: number; label: string | undefined }>();
  for (const f of earning.fixedPoints) {
    if (f.sku !== undefined) fixedBySku.set(f.sku, { points: f.pointsPerItem, label: f.label });
    else if (f.category !== undefined) fixedByCategory.set(f.category, { points: f.pointsPerItem, label: f.label });
  }

  // Most specific first: a SKU's own rule, then its category's, then the base rate.
  const resolve = (sku: string | undefined, category: string): BaseRule => {
    const unlabelled = earning.categoryLabels[category] === undefined ? category : null;
    const categorySubject = earning.categoryLabels[category] ?? categoryName(ENGLISH_EARN_WORDS, category);
    const rule = (ruleId: string, kind: BaseRuleKind, rateMilli: number, pointsPerItem: number, subject: string, bySku: boolean, unlabelledCategory: string | null = null): BaseRule => ({
      ruleId,
      kind,
      rateMilli,
      pointsPerItem,
      subject,
      bySku,
      unlabelledCategory,
      label: baseRuleLabel(kind, subject, rateMilli, pointsPerItem, ruleSet.currency),
    });
    if (sku !== undefined) {
      if (excludedSkus.has(sku)) return rule(`earn.excluded.sku:${sku}`, 'excluded', 0, 0, sku, true);
      const fixed = fixedBySku.get(sku);
      if (fixed) return rule(`earn.fixed.sku:${sku}`, 'fixed', 0, fixed.points, fixed.label ?? sku, fixed.label === undefined);
      const rate = earning.skuRates[sku];
      if (rate !== undefined) return rule(`earn.sku:${sku}`, 'rate', toMilli(rate), 0, sku, true);
    }
    if (excludedCategories.has(category)) return rule(`earn.excluded:${category}`, 'excluded', 0, 0, categorySubject, false, unlabelled);
    const fixed = fixedByCategory.get(category);
    if (fixed) return rule(`earn.fixed.category:${category}`, 'fixed', 0, fixed.points, fixed.label ?? categorySubject, false, fixed.label === undefined ? unlabelled : null);
    const rate = earning.categoryRates[category];
    if (rate !== undefined) return rule(`earn.category:${category}`, 'rate', toMilli(rate), 0, categorySubject, false, unlabelled);
    return rule('earn.base', 'rate', toMilli(earning.pointsPerUnit), 0, categorySubject, false, unlabelled);
  };
  const memo = new Map<string, BaseRule>();
  const baseRuleFor = (sku: string | undefined, category: string): BaseRule => {
    const key = `${sku ?? ''}\u0000${category}`;
    let rule = memo.get(key);
    if (!rule) {
      rule = resolve(sku, category);
      if (memo.size > 50_000) memo.clear();
      memo.set(key, rule);
    }
    return rule;
  };

  const promotions = ruleSet.promotions.map((p, index): CompiledPromotion => {
    const schedule = compileSchedule(p);
    return {
      promotion: p,
      ruleId: `promo:${p.id}`,
      index,
      startsAt: p.startsAt ?? null,
      endsAt: p.endsAt ?? null,
      schedule,
      timed: schedule !== null || p.startsAt !== undefined || p.endsAt !== undefined || p.birthdayMonth === true,
      tiers: p.tiers ? new Set(p.tiers) : null,
      categories: p.categories ? new Set(p.categories) : null,
      skus: p.skus ? new Set(p.skus) : null,
      extraMilli: p.effect.type === 'multiplier' ? toMilli(p.effect.multiplier) - 1000 : 0,
    };
  });

  const levels = ruleSet.tiers?.levels ?? [];
  return {
    ruleSet,
    unitMinor: 10 ** currencyExponent(ruleSet.currency),
    baseRuleFor,
    promotions,
    tierIndex: new Map(levels.map((l, i) => [l.id, i])),
    levels,
    rewards: new Map(ruleSet.rewards.map((r) => [r.id, r])),
  };
}

const cache = new WeakMap<RuleSet, CompiledRuleSet>();

export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  let compiled = cache.get(ruleSet);
  if (!compiled) {
    compiled = compile(ruleSet);
    cache.set(ruleSet, compiled);
  }
  return compiled;
}

/** Whether a promotion's window and weekly slot hold at this wall-clock time. */
export function isWithinTime(p: CompiledPromotion, local: LocalTime): boolean {
  if (p.startsAt !== null && local.dateTime < p.startsAt) return false;
  if (p.endsAt !== null && local.dateTime >= p.endsAt) return false;
  const s = p.schedule;
  if (!s) return true;
  const minute = local.hour * 60 + local.minute;
  if (s.from < s.to) return (s.days[local.weekday] ?? false) && minute >= s.from && minute < s.to;
  // Past midnight: from `from` on a listed day, until `to` on the day after it.
  const yesterday = (local.weekday + 6) % 7;
  return ((s.days[local.weekday] ?? false) && minute >= s.from) || ((s.days[yesterday] ?? false) && minute < s.to);
}
