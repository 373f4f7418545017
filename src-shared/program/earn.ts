// Earning: base points per line, the tier multiplier, promotions (multipliers, bonuses, per-spend
// bonuses) under the stacking policy, rounding per line or per receipt, then caps. Points are
// computed in thousandths of a point and rounded once, as the rule set says; every point is
// attributed to the rule that produced it.
import { KasaError } from '../api/errors';
import { formatMoney } from '../domain/money';
import type { BreakdownItem } from '../ledger/entry';
import { baseRuleLabel, formatRate, isWithinTime, type BaseRule, type CompiledPromotion, type CompiledRuleSet } from './compiled-rule-set';
import { categoryName, ENGLISH_EARN_WORDS, minimumSpendLabel, type EarnWords } from './earn-words';
import { distributeWhole, mulDivFloor, roundCells } from './integer-math';
import type { LocalTime } from './local-time';
import { offerRuleId, type OfferTerms } from './offers';
import type { TierLevel } from './rule-set';
import type { AppliedMultiplier, AppliedOffer, CapHit, Contribution, OutrankedPromotion, PromotionOutcome } from './sale-types';

type BonusOffer = Extract<OfferTerms, { type: 'favouriteCategory' | 'winBack' }>;

/** A line as earning sees it: what was paid for it with money, and how many items remain. */
export type EarnLine = {
  sku?: string | undefined;
  name?: string | undefined;
  category: string;
  qty: number;
  amountMinor: number;
  basisMinor: number;
};

export type EarnInput = {
  compiled: CompiledRuleSet;
  lines: readonly EarnLine[];
  /** Rank of each line by its content: ties never depend on line order. */
  ranks: readonly number[];
  tier: TierLevel | null;
  member: { firstPurchase: boolean; birthMonth: number | null; pointsEarnedToday: number } | null;
  local: LocalTime | null;
  /** Bonus offers (favourite category, win-back) the cashier applied. */
  offers?: readonly BonusOffer[] | undefined;
  /** Recomputing a recorded sale: an offer that no longer applies (items refunded) is left out, not refused. */
  lenient?: boolean | undefined;
  /** The language of the breakdown's own words (default English). */
  words?: EarnWords | undefined;
};

export type EarnResult = {
  pointsEarned: number;
  eligibleSpendMinor: number;
  /** Whether the sale earns at all: something eligible was bought, at or above the minimum spend. */
  qualifies: boolean;
  breakdown: BreakdownItem[];
  baseRules: BaseRule[];
  linePoints: number[];
  lineContributions: Contribution[][];
  multipliers: AppliedMultiplier[];
  caps: CapHit[];
  promotions: { applied: PromotionOutcome[]; outranked: OutrankedPromotion[] };
  offers: AppliedOffer[];
};

/** Most points one sale may earn: within the ledger's range with room for everything else. */
export const MAX_POINTS_PER_SALE = 100_000_000;

type Candidate = { promo: CompiledPromotion; valueMilli: number; extras: number[] | null };

/** A column of thousandths of a point per line: base points, the tier's extra, or a multiplier promotion's extra. */
type Column = { ruleId: string; label: string; multiplierMilli: number; cells: number[] };

/**
 * A SKU rule reads better with the line's own name, and a category the rule set does not label is
 * named in the words' language; in English without a line name, the label compiled with the rule.
 */
function baseLabel(compiled: CompiledRuleSet, rule: BaseRule, line: EarnLine, words: EarnWords): string {
  const lineName = rule.bySku && line.name ? line.name : undefined;
  if (lineName === undefined && words === ENGLISH_EARN_WORDS) return rule.label;
  const subject = lineName ?? (rule.unlabelledCategory === null ? rule.subject : categoryName(words, rule.unlabelledCategory));
  return baseRuleLabel(rule.kind, subject, rule.rateMilli, rule.pointsPerItem, compiled.ruleSet.currency, words);
}

const multiplierLabel = (label: string, multiplierMilli: number) => `${label} ×${formatRate(multiplierMilli)}`;

/** The extra thousandths `extraMilli` pays on each line in scope that has base points. */
function extraCells(baseMilli: readonly number[], extraMilli: number, inScope: readonly boolean[]): number[] {
  const cells = new Array<number>(baseMilli.length);
  for (let i = 0; i < baseMilli.length; i += 1) {
    const b = baseMilli[i] as number;
    cells[i] = inScope[i] && b > 0 ? mulDivFloor(b, extraMilli, 1000) : 0;
  }
  return cells;
}

/** The sum of `extraCells` without building them. */
function extraTotal(baseMilli: readonly number[], extraMilli: number, inScope: readonly boolean[]): number {
  let total = 0;
  for (let i = 0; i < baseMilli.length; i += 1) {
    const b = baseMilli[i] as number;
    if (inScope[i] && b > 0) total += mulDivFloor(b, extraMilli, 1000);
  }
  return total;
}

type Stacking = NonNullable<CompiledRuleSet['ruleSet']['stacking']>;

/** Which group a candidate competes in under the stacking policy (undefined: none, it always applies). */
const stackingGroup = (policy: Stacking, promo: CompiledPromotion): string | undefined =>
  policy === 'stack' ? undefined : policy === 'bestOf' ? '*' : promo.promotion.group;

const sum = (cells: readonly number[]): number => {
  let total = 0;
  for (const c of cells) total += c;
  return total;
};

function selectByStacking(compiled: CompiledRuleSet, candidates: Candidate[]): { chosen: Candidate[]; outranked: OutrankedPromotion[] } {
  const policy = compiled.ruleSet.stacking ?? 'stack';
  if (policy === 'stack' || candidates.length < 2) return { chosen: candidates, outranked: [] };
  const groups = new Map<string, Candidate[]>();
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    const key = stackingGroup(policy, c.promo);
    if (key === undefined) {
      chosen.push(c);
      continue;
    }
    const members = groups.get(key);
    if (members) members.push(c);
    else groups.set(key, [c]);
  }
  const outranked: OutrankedPromotion[] = [];
  for (const group of groups.values()) {
    // Best of a group: most points, then first in the rule set.
    let winner = group[0] as Candidate;
    for (const c of group) if (c.valueMilli > winner.valueMilli) winner = c;
    chosen.push(winner);
    for (const c of group) {
      if (c !== winner) outranked.push({ id: c.promo.promotion.id, label: c.promo.promotion.label, by: winner.promo.promotion.id });
    }
  }
  chosen.sort((a, b) => a.promo.index - b.promo.index);
  return { chosen, outranked };
}

export function computeEarn(input: EarnInput): EarnResult {
  const { compiled, lines, ranks, tier, member, local } = input;
  const words = input.words ?? ENGLISH_EARN_WORDS;
  const { earning, currency } = compiled.ruleSet;
  const n = lines.length;
  const baseRules = new Array<BaseRule>(n);
  const eligible = new Array<boolean>(n);
  let eligibleSpendMinor = 0;
  for (let i = 0; i < n; i += 1) {
    const line = lines[i] as EarnLine;
    const rule = compiled.baseRuleFor(line.sku, line.category);
    baseRules[i] = rule;
    eligible[i] = rule.kind !== 'excluded';
    if (eligible[i]) eligibleSpendMinor += line.basisMinor;
  }
  const qualifies = eligibleSpendMinor > 0 && eligibleSpendMinor >= earning.minimumSpendMinor;

  // Base points in thousandths: rates on what was paid with money; fixed points per item paid for.
  const baseMilli = new Array<number>(n);
  for (let i = 0; i < n; i += 1) {
    const line = lines[i] as EarnLine;
    const rule = baseRules[i] as BaseRule;
    if (!qualifies || rule.kind === 'excluded') baseMilli[i] = 0;
    else if (rule.kind === 'fixed') {
      baseMilli[i] = line.amountMinor > 0 ? mulDivFloor(rule.pointsPerItem * 1000 * line.qty, line.basisMinor, line.amountMinor) : 0;
    } else baseMilli[i] = mulDivFloor(line.basisMinor, rule.rateMilli, compiled.unitMinor);
  }

  // Columns of thousandths: base, then the tier's multiplier, then each applied multiplier promotion.
  const columns: Column[] = [{ ruleId: '', label: '', multiplierMilli: 1000, cells: baseMilli }];
  if (qualifies && tier && tier.multiplier > 1) {
    const multiplierMilli = Math.round(tier.multiplier * 1000);
    columns.push({ ruleId: `tier:${tier.id}`, label: tier.name, multiplierMilli, cells: extraCells(baseMilli, multiplierMilli - 1000, eligible) });
  }

  const candidates: Candidate[] = [];
  if (qualifies && compiled.promotions.length > 0) {
    // Each line's category as a small number, and the eligible spend of each category: a promotion
    // scoped by category looks each category up once, and sums categories rather than lines.
    const categories: string[] = [];
    const categorySpend: number[] = [];
    const lineCategory = new Array<number>(n);
    for (let i = 0; i < n; i += 1) {
      const line = lines[i] as EarnLine;
      let id = categories.indexOf(line.category);
      if (id < 0) {
        id = categories.push(line.category) - 1;
        categorySpend.push(0);
      }
      lineCategory[i] = id;
      if (eligible[i]) categorySpend[id] = (categorySpend[id] as number) + line.basisMinor;
    }
    const categoryInScope = new Array<boolean>(categories.length);
    const inScope = new Array<boolean>(n);
    // The best value so far in each stacking group: a multiplier that does not beat it can never be
    // chosen (the first best wins), so its cells are not built.
    const policy = compiled.ruleSet.stacking ?? 'stack';
    const leaders = new Map<string, number>();
    for (const promo of compiled.promotions) {
      const p = promo.promotion;
      if (promo.timed && (!local || !isWithinTime(promo, local))) continue;
      if (promo.tiers && !(tier && promo.tiers.has(tier.id))) continue;
      if (p.firstPurchase && !member?.firstPurchase) continue;
      if (p.birthdayMonth && !(member?.birthMonth && local && member.birthMonth === local.month)) continue;
      // The lines in scope: every eligible line, or those of its categories, or of its categories and SKUs.
      const { categories: promoCategories, skus } = promo;
      let scopeSpend = 0;
      if (promoCategories === null && skus === null) scopeSpend = eligibleSpendMinor;
      else {
        for (let c = 0; c < categories.length; c += 1) {
          const within = promoCategories?.has(categories[c] as string) ?? false;
          categoryInScope[c] = within;
          if (within && skus === null) scopeSpend += categorySpend[c] as number;
        }
        if (skus !== null) {
          for (let i = 0; i < n; i += 1) {
            const line = lines[i] as EarnLine;
            const within = (eligible[i] as boolean) && ((categoryInScope[lineCategory[i] as number] as boolean) || (line.sku !== undefined && skus.has(line.sku)));
            inScope[i] = within;
            if (within) scopeSpend += line.basisMinor;
          }
        }
      }
      if (scopeSpend <= 0 || (p.minSpendMinor !== undefined && scopeSpend < p.minSpendMinor)) continue;
      if (p.effect.type === 'multiplier' && skus === null && promoCategories !== null) {
        for (let i = 0; i < n; i += 1) inScope[i] = (eligible[i] as boolean) && (categoryInScope[lineCategory[i] as number] as boolean);
      }
      const effect = p.effect;
      let candidate: Candidate | null = null;
      if (effect.type === 'multiplier') {
        const scope = promoCategories === null && skus === null ? eligible : inScope;
        candidate = { promo, valueMilli: extraTotal(baseMilli, promo.extraMilli, scope), extras: null };
        const group = stackingGroup(policy, promo);
        const leader = group === undefined ? undefined : leaders.get(group);
        if (leader === undefined || candidate.valueMilli > leader) candidate.extras = extraCells(baseMilli, promo.extraMilli, scope);
      } else if (effect.type === 'bonus') {
        candidate = { promo, valueMilli: effect.points * 1000, extras: null };
      } else {
        const steps = Math.floor(scopeSpend / effect.everyMinor);
        const points = Math.min(steps * effect.points, effect.maxPoints ?? Number.MAX_SAFE_INTEGER);
        if (points > 0) candidate = { promo, valueMilli: points * 1000, extras: null };
      }
      if (candidate) {
        candidates.push(candidate);
        const group = stackingGroup(policy, promo);
        if (group !== undefined && candidate.valueMilli > (leaders.get(group) ?? Number.NEGATIVE_INFINITY)) leaders.set(group, candidate.valueMilli);
      }
    }
  }
  const { chosen, outranked } = selectByStacking(compiled, candidates);
  for (const c of chosen) {
    if (c.extras) {
      columns.push({
        ruleId: c.promo.ruleId,
        label: c.promo.promotion.label,
        multiplierMilli: c.promo.extraMilli + 1000,
        cells: c.extras,
      });
    }
  }

  // Rounding: per line, or once for the receipt; either way each cell ends a whole number of points.
  const cols = columns.length;
  const cellPoints: number[][] = new Array<number[]>(cols);
  if (earning.roundingScope === 'line') {
    for (let r = 0; r < cols; r += 1) cellPoints[r] = new Array<number>(n);
    const columnRanks = new Array<number>(cols);
    const cellsOfLine = new Array<number>(cols);
    for (let r = 0; r < cols; r += 1) columnRanks[r] = r;
    for (let i = 0; i < n; i += 1) {
      for (let r = 0; r < cols; r += 1) cellsOfLine[r] = (columns[r] as Column).cells[i] ?? 0;
      const parts = roundCells(cellsOfLine, earning.rounding, columnRanks);
      for (let r = 0; r < cols; r += 1) (cellPoints[r] as number[])[i] = parts[r] as number;
    }
  } else {
    const columnRanks = new Array<number>(cols);
    const totals = new Array<number>(cols);
    for (let r = 0; r < cols; r += 1) {
      columnRanks[r] = r;
      totals[r] = sum((columns[r] as Column).cells);
    }
    const columnTotals = roundCells(totals, earning.rounding, columnRanks);
    for (let r = 0; r < cols; r += 1) cellPoints[r] = distributeWhole(columnTotals[r] ?? 0, (columns[r] as Column).cells, ranks);
  }
  const basePoints = cellPoints[0] as number[];
  const columnPoints = new Array<number>(cols);
  for (let r = 0; r < cols; r += 1) columnPoints[r] = sum(cellPoints[r] as number[]);

  const breakdown: BreakdownItem[] = new Array<BreakdownItem>(n);
  for (let i = 0; i < n; i += 1) {
    const line = lines[i] as EarnLine;
    const rule = baseRules[i] as BaseRule;
    breakdown[i] = { ruleId: rule.ruleId, label: baseLabel(compiled, rule, line, words), points: basePoints[i] ?? 0, lineIndex: i, basisMinor: line.basisMinor };
  }
  if (eligibleSpendMinor > 0 && !qualifies) {
    breakdown.push({
      ruleId: 'earn.minimumSpend',
      label: minimumSpendLabel(words, earning.minimumSpendMinor, currency),
      points: 0,
      basisMinor: eligibleSpendMinor,
    });
  }
  // Each line's points rule by rule, in column order (its base rule always, the others when they pay).
  const lineContributions: Contribution[][] = new Array<Contribution[]>(n);
  const linePoints = new Array<number>(n);
  for (let i = 0; i < n; i += 1) {
    let points = basePoints[i] ?? 0;
    let paying = 1;
    for (let r = 1; r < cols; r += 1) if (((cellPoints[r] as number[])[i] ?? 0) !== 0) paying += 1;
    // Sized once: a line's list would otherwise grow as columns pay.
    const own = new Array<Contribution>(paying);
    own[0] = { ruleId: (baseRules[i] as BaseRule).ruleId, points };
    for (let r = 1, k = 1; r < cols; r += 1) {
      const p = (cellPoints[r] as number[])[i] ?? 0;
      points += p;
      if (p !== 0) own[k++] = { ruleId: (columns[r] as Column).ruleId, points: p };
    }
    lineContributions[i] = own;
    linePoints[i] = points;
  }
  const multipliers: AppliedMultiplier[] = [];
  for (let r = 1; r < cols; r += 1) {
    const c = columns[r] as Column;
    multipliers.push({ ruleId: c.ruleId, label: c.label, multiplier: c.multiplierMilli / 1000, points: columnPoints[r] ?? 0 });
  }

  // Items in rule-set order: the tier, then promotions as listed (multipliers and bonuses alike).
  for (const m of multipliers) {
    if (m.ruleId.startsWith('tier:')) breakdown.push({ ruleId: m.ruleId, label: multiplierLabel(m.label, Math.round(m.multiplier * 1000)), points: m.points });
  }
  const applied: PromotionOutcome[] = [];
  for (const c of chosen) {
    let points = c.valueMilli / 1000;
    if (c.extras) {
      let column = -1;
      for (let r = 0; r < cols && column < 0; r += 1) if ((columns[r] as Column).ruleId === c.promo.ruleId) column = r;
      points = columnPoints[column] ?? 0;
    }
    const label = c.extras ? multiplierLabel(c.promo.promotion.label, c.promo.extraMilli + 1000) : c.promo.promotion.label;
    breakdown.push({ ruleId: c.promo.ruleId, label, points });
    applied.push({ id: c.promo.promotion.id, label: c.promo.promotion.label, points });
  }

  // Personalised offers: a fixed bonus each, after promotions and before caps (caps hold for offers too).
  const appliedOffers: AppliedOffer[] = [];
  for (const offer of input.offers ?? []) {
    let spend = eligibleSpendMinor;
    if (offer.type === 'favouriteCategory') {
      spend = 0;
      for (let i = 0; i < n; i += 1) if (eligible[i] && (lines[i] as EarnLine).category === offer.category) spend += (lines[i] as EarnLine).basisMinor;
    }
    if (!qualifies || spend <= 0 || spend < offer.minSpendMinor) {
      if (input.lenient) continue;
      const what = offer.type === 'favouriteCategory' ? `${compiled.ruleSet.earning.categoryLabels[offer.category] ?? offer.category} in the sale` : 'a sale that earns';
      const minimum = offer.minSpendMinor > 0 ? ` (at least ${formatMoney(offer.minSpendMinor, currency, 'en')})` : '';
      throw new KasaError('VALIDATION', `Offer "${offer.label}" needs ${what}${minimum}`);
    }
    breakdown.push({ ruleId: offerRuleId(offer.offerId), label: offer.label, points: offer.bonusPoints, basisMinor: spend });
    appliedOffers.push({ offerId: offer.offerId, type: offer.type, label: offer.label, points: offer.bonusPoints, discountMinor: 0 });
  }

  let total = 0;
  for (const item of breakdown) total += item.points;
  const caps: CapHit[] = [];
  const { perTransaction, perDay } = earning.caps;
  if (perTransaction !== undefined && total > perTransaction) {
    const cut = total - perTransaction;
    caps.push({ ruleId: 'cap.transaction', limit: perTransaction, cutPoints: cut });
    breakdown.push({ ruleId: 'cap.transaction', label: words.capSale(perTransaction), points: -cut });
    total -= cut;
  }
  if (perDay !== undefined && member) {
    const room = Math.max(0, perDay - member.pointsEarnedToday);
    if (total > room) {
      const cut = total - room;
      caps.push({ ruleId: 'cap.day', limit: perDay, cutPoints: cut });
      breakdown.push({ ruleId: 'cap.day', label: words.capDay(perDay), points: -cut });
      total -= cut;
    }
  }
  if (total > MAX_POINTS_PER_SALE) {
    throw new KasaError('VALIDATION', `This sale would earn ${total} points, above the ${MAX_POINTS_PER_SALE} one sale may earn`);
  }
  return {
    pointsEarned: total,
    eligibleSpendMinor,
    qualifies,
    breakdown,
    baseRules,
    linePoints,
    lineContributions,
    multipliers,
    caps,
    promotions: { applied, outranked },
    offers: appliedOffers,
  };
}
