// Tier evaluation over a rolling window. Upgrades happen as soon as the member qualifies; with
// downgrade "windowEnd" a tier is held for a whole window from when it was reached or renewed, then
// kept if the member still qualifies, else after the grace period dropped to what they qualify for.
import { addDaysToInstant, addMonthsToInstant, addMonthsToMs, parseInstant, type Clock } from './local-time';
import type { RuleSet, TierLevel } from './rule-set';
import type { TierStatus } from './sale-types';

export type TierState = { tierId: string; since: string };

export type TierOptions = {
  /** Evaluating after a refund of the sale that moved the member from `tierBefore` to `tierAfter`. */
  refundOf?: { tierBefore: string; tierAfter: string };
};

const qualifiedIndex = (levels: readonly TierLevel[], qualifying: number): number => {
  let index = 0;
  levels.forEach((l, i) => {
    if (qualifying >= l.threshold) index = i;
  });
  return index;
};

/** Renewals are bounded: a member away for decades still evaluates in a few steps. */
const MAX_RENEWALS = 240;

/** Evaluates a member's tier at `clock` (or without time, when the sale has none). Null when the programme has no tiers. */
export function evaluateTier(
  ruleSet: RuleSet,
  state: TierState | null,
  qualifying: number,
  clock: Clock | null,
  options: TierOptions = {},
): TierStatus | null {
  const tiers = ruleSet.tiers;
  if (!tiers) return null;
  const { levels } = tiers;
  const known = state ? levels.findIndex((l) => l.id === state.tierId) : -1;
  const qualified = qualifiedIndex(levels, qualifying);
  const at = clock?.at ?? null;

  let index: number;
  let since: string | null;
  let change: TierStatus['change'] = null;
  let keepBy: string | null = null;
  /** A review date not yet written out: only a tier above the first shows it. */
  let reviewPendingMs: number | null = null;
  let inGrace = false;

  if (!state || known < 0) {
    // New member, or a tier the new rule set no longer has: what they qualify for now.
    index = qualified;
    since = at ?? state?.since ?? null;
  } else if (options.refundOf && options.refundOf.tierAfter === state.tierId && options.refundOf.tierAfter !== options.refundOf.tierBefore) {
    // The refunded sale was the one that promoted the member: it no longer counts.
    const before = Math.max(0, levels.findIndex((l) => l.id === options.refundOf?.tierBefore));
    index = Math.max(before, qualified);
    since = index === known ? state.since : (at ?? state.since);
    if (index < known) change = 'down';
  } else if (qualified > known) {
    index = qualified;
    since = at ?? state.since;
    change = 'up';
  } else if (tiers.downgrade === 'none' || !clock) {
    index = known;
    since = state.since;
  } else {
    index = known;
    since = state.since;
    // Instants as milliseconds here: the review dates are compared, and only written out when kept.
    const now = parseInstant(clock.at);
    const reviewMs = addMonthsToMs(parseInstant(state.since), tiers.windowMonths, clock.timeZone);
    reviewPendingMs = reviewMs;
    if (now >= reviewMs) {
      reviewPendingMs = null;
      const review = new Date(reviewMs).toISOString();
      keepBy = review;
      const threshold = levels[known]?.threshold ?? 0;
      if (qualifying >= threshold) {
        // Renewed at the latest review date that has passed.
        let renewedMs = reviewMs;
        for (let i = 0; i < MAX_RENEWALS; i += 1) {
          const nextReviewMs = addMonthsToMs(renewedMs, tiers.windowMonths, clock.timeZone);
          if (nextReviewMs > now) break;
          renewedMs = nextReviewMs;
        }
        since = new Date(renewedMs).toISOString();
        keepBy = new Date(addMonthsToMs(renewedMs, tiers.windowMonths, clock.timeZone)).toISOString();
        change = 'renewed';
      } else {
        const graceEnd = addDaysToInstant(review, tiers.graceDays, clock.timeZone);
        if (now < parseInstant(graceEnd)) {
          inGrace = true;
          keepBy = graceEnd;
        } else {
          index = qualified;
          since = clock.at;
          change = index < known ? 'down' : null;
          keepBy = null;
        }
      }
    }
  }

  const level = levels[index] as TierLevel;
  const nextLevel = levels[index + 1];
  if (reviewPendingMs !== null && index > 0) keepBy = new Date(reviewPendingMs).toISOString();
  if (tiers.downgrade === 'windowEnd' && index > 0 && keepBy === null && since !== null && clock) {
    keepBy = addMonthsToInstant(since, tiers.windowMonths, clock.timeZone);
  }
  return {
    tierId: level.id,
    name: level.name,
    level: index,
    multiplier: level.multiplier,
    perks: level.perks,
    since,
    basis: tiers.basis,
    qualifying,
    next: nextLevel
      ? { tierId: nextLevel.id, name: nextLevel.name, threshold: nextLevel.threshold, remaining: Math.max(0, nextLevel.threshold - qualifying) }
      : null,
    keep:
      tiers.downgrade === 'windowEnd' && index > 0 && keepBy !== null
        ? { threshold: level.threshold, remaining: Math.max(0, level.threshold - qualifying), by: keepBy, inGrace }
        : null,
    change,
  };
}

/** Where the rolling window of a tier evaluation at `clock` starts (ISO instant): the core sums qualifying entries after it. */
export function tierWindowStart(ruleSet: RuleSet, clock: Clock): string | null {
  if (!ruleSet.tiers) return null;
  return addMonthsToInstant(clock.at, -ruleSet.tiers.windowMonths, clock.timeZone);
}
