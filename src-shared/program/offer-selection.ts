// Which offers a member's purchase history earns them under a rule set, on a given day. Pure and
// deterministic: the same visits, rule set and date give the same candidates in the same order,
// each with the reason a cashier can read out. The server decides ids, caps against offers the
// member already holds, and storage (src-server/offers.ts).
import { dayNumber } from './local-time';
import type { OfferTerms, OfferType } from './offers';
import type { RuleSet } from './rule-set';

/** One purchase: its store-local date, what was bought, and the member's tier at the time. */
export type PurchaseVisit = {
  date: string;
  lines: readonly { sku?: string | undefined; name?: string | undefined; category: string }[];
  tierId: string | null;
};

type TermsWithoutId<T> = T extends unknown ? Omit<T, 'offerId'> : never;

export type OfferCandidate = {
  type: OfferType;
  /** What the offer is about (a category, a SKU, the absence): one offer per type and subject. */
  subject: string;
  terms: TermsWithoutId<OfferTerms>;
  reason: string;
};

export type OfferSelection =
  | { excluded: 'no-offers' | 'excluded-member' | 'excluded-tier'; candidates: [] }
  | { excluded: null; candidates: OfferCandidate[] };

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
/** "1 point", "50 points": a count and its noun, singular for one. */
const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The most frequent key (most visits), ties broken by the key itself so the answer never depends on order. */
function mostFrequent(counts: Map<string, number>): [string, number] | null {
  let best: [string, number] | null = null;
  for (const [key, count] of counts) {
    if (!best || count > best[1] || (count === best[1] && key < best[0])) best = [key, count];
  }
  return best;
}

/**
 * The offers `visits` earn on `date` (store-local "YYYY-MM-DD"), most valuable to the programme first:
 * win-back, favourite category, bundle. Only visits on or before `date` count.
 */
export function selectOffers(ruleSet: RuleSet, memberId: string, visits: readonly PurchaseVisit[], date: string): OfferSelection {
  const rules = ruleSet.offers;
  if (!rules) return { excluded: 'no-offers', candidates: [] };
  if (rules.excludedMembers.includes(memberId)) return { excluded: 'excluded-member', candidates: [] };
  const today = dayNumber(date);
  const past = visits.filter((v) => dayNumber(v.date) <= today).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const last = past.at(-1);
  // The member's tier as of their latest purchase: a member of an excluded tier never gets offers.
  if (last?.tierId && rules.excludedTiers.includes(last.tierId)) return { excluded: 'excluded-tier', candidates: [] };

  const { earning } = ruleSet;
  const categoryLabel = (c: string) => earning.categoryLabels[c] ?? c;
  const earns = (line: PurchaseVisit['lines'][number]) =>
    !earning.excludedCategories.includes(line.category) && !(line.sku !== undefined && earning.excludedSkus.includes(line.sku));
  const windowStart = today - rules.historyWeeks * 7;
  const recent = past.filter((v) => dayNumber(v.date) > windowStart);
  const candidates: OfferCandidate[] = [];

  const winBack = rules.winBack;
  if (winBack?.enabled && last) {
    const daysAway = today - dayNumber(last.date);
    if (daysAway >= winBack.weeksAway * 7) {
      candidates.push({
        type: 'winBack',
        subject: 'away',
        terms: {
          type: 'winBack',
          label: `Welcome back: +${counted(winBack.bonusPoints, 'point')}`,
          bonusPoints: winBack.bonusPoints,
          minSpendMinor: winBack.minSpendMinor,
          why: { weeks: Math.floor(daysAway / 7), lastVisit: last.date },
        },
        reason: `Your last visit was ${counted(Math.floor(daysAway / 7), 'week')} ago (${last.date})`,
      });
    }
  }

  const favourite = rules.favouriteCategory;
  if (favourite?.enabled) {
    const counts = new Map<string, number>();
    for (const v of recent) for (const c of new Set(v.lines.filter(earns).map((l) => l.category))) counts.set(c, (counts.get(c) ?? 0) + 1);
    const best = mostFrequent(counts);
    if (best && best[1] >= favourite.minPurchases) {
      const [category, count] = best;
      candidates.push({
        type: 'favouriteCategory',
        subject: category,
        terms: {
          type: 'favouriteCategory',
          label: `+${counted(favourite.bonusPoints, 'point')} on ${categoryLabel(category)}`,
          category,
          bonusPoints: favourite.bonusPoints,
          minSpendMinor: favourite.minSpendMinor,
          why: { subject: categoryLabel(category), visits: count, weeks: rules.historyWeeks },
        },
        reason: `You bought ${categoryLabel(category)} ${times(count)} in the last ${rules.historyWeeks} weeks`,
      });
    }
  }

  const bundle = rules.bundle;
  if (bundle?.enabled) {
    const counts = new Map<string, number>();
    const names = new Map<string, string>();
    for (const v of recent) {
      for (const line of v.lines) {
        if (line.sku !== undefined && line.name !== undefined && !names.has(line.sku)) names.set(line.sku, line.name);
      }
      const skus = new Set(v.lines.filter((l) => earns(l) && l.sku !== undefined && l.sku !== bundle.addOn.sku).map((l) => l.sku as string));
      for (const sku of skus) counts.set(sku, (counts.get(sku) ?? 0) + 1);
    }
    const best = mostFrequent(counts);
    if (best && best[1] >= bundle.minPurchases) {
      const [sku, count] = best;
      const name = names.get(sku) ?? sku;
      const deal = bundle.discountPercent === 100 ? 'free' : `${bundle.discountPercent}% off`;
      candidates.push({
        type: 'bundle',
        subject: sku,
        terms: {
          type: 'bundle',
          label: `Your usual ${name} + ${bundle.addOnLabel} ${deal}`,
          usualSku: sku,
          addOn: bundle.addOn.sku !== undefined ? { sku: bundle.addOn.sku } : { category: bundle.addOn.category as string },
          discountPercent: bundle.discountPercent,
          maxDiscountMinor: bundle.maxDiscountMinor,
          why: { subject: name, addOn: bundle.addOnLabel, visits: count, weeks: rules.historyWeeks },
        },
        reason: `You bought ${name} ${times(count)} in the last ${rules.historyWeeks} weeks`,
      });
    }
  }
  return { excluded: null, candidates };
}
