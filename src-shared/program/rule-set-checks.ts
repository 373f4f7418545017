// Rules that span fields of a rule set: unique ids, references to tiers, conflicting earn rules,
// windows that end before they start. Each problem names the exact path a person can find.
import type { z } from 'zod';
import type { RuleSet } from './rule-set';

type Path = (string | number)[];

function duplicates<T>(items: readonly T[], key: (item: T) => string): { index: number; key: string }[] {
  const seen = new Set<string>();
  const out: { index: number; key: string }[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) out.push({ index, key: k });
    seen.add(k);
  });
  return out;
}

export function checkRuleSet(rs: RuleSet, ctx: z.RefinementCtx): void {
  // The code and facts go with the English message: the console words them in its own language.
  const problem = (path: Path, message: string, code: string, facts: Record<string, string | number> = {}) =>
    ctx.addIssue({ code: 'custom', path, message, params: { ...facts, problem: code } });
  const { earning } = rs;

  // Earning: one rule per category and per SKU, so which rule a line follows is never ambiguous.
  const categoryRules = new Map<string, string>();
  for (const category of Object.keys(earning.categoryRates)) categoryRules.set(category, 'earning.categoryRates');
  const skuRules = new Map<string, string>();
  for (const sku of Object.keys(earning.skuRates)) skuRules.set(sku, 'earning.skuRates');
  earning.fixedPoints.forEach((rule, i) => {
    const [map, key, what, kind] = rule.sku !== undefined ? [skuRules, rule.sku, 'SKU', 'sku'] : [categoryRules, rule.category ?? '', 'category', 'category'];
    const other = map.get(key);
    if (other) problem(['earning', 'fixedPoints', i], `${what} "${key}" already has a rule in ${other}`, 'rule-conflict', { kind, key, other });
    map.set(key, `earning.fixedPoints[${i}]`);
  });
  earning.excludedCategories.forEach((category, i) => {
    const other = categoryRules.get(category);
    if (other) problem(['earning', 'excludedCategories', i], `category "${category}" is excluded but also has a rule in ${other}`, 'excluded-but-has-rule', { kind: 'category', key: category, other });
  });
  earning.excludedSkus.forEach((sku, i) => {
    const other = skuRules.get(sku);
    if (other) problem(['earning', 'excludedSkus', i], `SKU "${sku}" is excluded but also has a rule in ${other}`, 'excluded-but-has-rule', { kind: 'sku', key: sku, other });
  });

  // Tiers: the first is where everyone starts; thresholds climb.
  const tierIds = new Set<string>();
  if (rs.tiers) {
    const { levels } = rs.tiers;
    for (const d of duplicates(levels, (l) => l.id)) problem(['tiers', 'levels', d.index, 'id'], `tier id "${d.key}" is used twice`, 'duplicate-id', { kind: 'tier', id: d.key });
    levels.forEach((level, i) => {
      tierIds.add(level.id);
      if (i === 0 && level.threshold !== 0) problem(['tiers', 'levels', 0, 'threshold'], 'the first tier is where every member starts: its threshold is 0', 'first-tier-threshold');
      const previous = levels[i - 1];
      if (previous && level.threshold <= previous.threshold) {
        problem(['tiers', 'levels', i, 'threshold'], `must be above the threshold of "${previous.id}" (${previous.threshold})`, 'tier-thresholds-order', {
          previous: previous.id,
          threshold: previous.threshold,
        });
      }
    });
  }
  const checkTierRefs = (tiers: readonly string[] | undefined, path: Path) =>
    tiers?.forEach((id, j) => {
      if (!tierIds.has(id)) problem([...path, j], rs.tiers ? `unknown tier "${id}"` : `unknown tier "${id}": the rule set has no tiers`, rs.tiers ? 'unknown-tier' : 'no-tiers', { tier: id });
    });

  // Promotions.
  if (rs.promotions.length > 0 && rs.stacking === undefined) {
    problem(['stacking'], 'say how promotions combine: "stack", "bestOf" or "exclusiveGroups"', 'stacking-required');
  }
  for (const d of duplicates(rs.promotions, (p) => p.id)) problem(['promotions', d.index, 'id'], `promotion id "${d.key}" is used twice`, 'duplicate-id', { kind: 'promotion', id: d.key });
  rs.promotions.forEach((p, i) => {
    checkTierRefs(p.tiers, ['promotions', i, 'tiers']);
    if (p.startsAt !== undefined && p.endsAt !== undefined && p.endsAt <= p.startsAt) {
      problem(['promotions', i, 'endsAt'], `ends (${p.endsAt}) before it starts (${p.startsAt})`, 'ends-before-starts', { startsAt: p.startsAt, endsAt: p.endsAt });
    }
    if (p.group !== undefined && rs.stacking !== 'exclusiveGroups') {
      problem(['promotions', i, 'group'], 'groups apply only when "stacking" is "exclusiveGroups"', 'group-needs-exclusive-groups');
    }
    if (p.effect.type === 'perSpend' && p.effect.maxPoints !== undefined && p.effect.maxPoints < p.effect.points) {
      problem(['promotions', i, 'effect', 'maxPoints'], `is below the points of one step (${p.effect.points})`, 'max-below-step', { points: p.effect.points });
    }
  });

  // Rewards.
  for (const d of duplicates(rs.rewards, (r) => r.id)) problem(['rewards', d.index, 'id'], `reward id "${d.key}" is used twice`, 'duplicate-id', { kind: 'reward', id: d.key });
  rs.rewards.forEach((r, i) => {
    checkTierRefs(r.tiers, ['rewards', i, 'tiers']);
    if (r.type === 'freeItem' && (r.sku === undefined) === (r.category === undefined)) {
      problem(['rewards', i], 'a free item names exactly one of "sku" or "category"', 'sku-or-category');
    }
  });

  // Offers: tiers they exclude exist; a bundle's add-on is something the programme sells.
  if (rs.offers) {
    checkTierRefs(rs.offers.excludedTiers, ['offers', 'excludedTiers']);
    const addOn = rs.offers.bundle?.addOn;
    if (addOn?.category !== undefined && earning.excludedCategories.includes(addOn.category)) {
      problem(['offers', 'bundle', 'addOn', 'category'], `category "${addOn.category}" is excluded from earning: offers never promote it`, 'excluded-from-offers', {
        kind: 'category',
        key: addOn.category,
      });
    }
    if (addOn?.sku !== undefined && earning.excludedSkus.includes(addOn.sku)) {
      problem(['offers', 'bundle', 'addOn', 'sku'], `SKU "${addOn.sku}" is excluded from earning: offers never promote it`, 'excluded-from-offers', { kind: 'sku', key: addOn.sku });
    }
  }
}
