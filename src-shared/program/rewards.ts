// The rewards catalogue as a member sees it (what they can afford now, what they are short of) and
// donations: points given to a named charity, matched by the programme at its stated ratio.
import { because, KasaError } from '../api/errors';
import type { Reward, RuleSet } from './rule-set';
import type { EngineLine } from './sale-types';

export type RewardAvailability = {
  rewardId: string;
  label: string;
  type: Reward['type'];
  /** Points it costs; for a free item priced at the item, the price of the matching item in the sale (null without one). */
  points: number | null;
  /** What it takes off the sale, when known without a sale (fixed discounts). */
  valueMinor: number | null;
  available: boolean;
  reason: 'ok' | 'tier' | 'balance' | 'noMatchingItem';
  /** Points still needed to afford it. */
  shortBy: number;
};

export type RewardMember = { balance: number; tierId: string | null };

function matchingItemPrice(reward: Extract<Reward, { type: 'freeItem' }>, lines: readonly EngineLine[]): number | null {
  let best: number | null = null;
  for (const l of lines) {
    const fits = reward.sku !== undefined ? l.sku === reward.sku : l.category === reward.category;
    if (!fits || l.unitPriceMinor <= 0 || (reward.maxPriceMinor !== undefined && l.unitPriceMinor > reward.maxPriceMinor)) continue;
    if (best === null || l.unitPriceMinor > best) best = l.unitPriceMinor;
  }
  return best;
}

/** Points a member may spend now: the balance above the programme's floor. */
export const spendablePoints = (ruleSet: RuleSet, balance: number): number => Math.max(0, balance - ruleSet.redemption.minimumBalance);

/** Every reward with whether this member can take it now (and on this sale, when lines are given). */
export function listRewards(ruleSet: RuleSet, member: RewardMember, lines: readonly EngineLine[] | null = null): RewardAvailability[] {
  const spendable = spendablePoints(ruleSet, member.balance);
  const { minorPerPoint } = ruleSet.redemption;
  return ruleSet.rewards.map((reward) => {
    let points: number | null;
    let valueMinor: number | null = null;
    let noItem = false;
    switch (reward.type) {
      case 'discountFixed':
        points = reward.points;
        valueMinor = reward.amountMinor;
        break;
      case 'discountPercent':
        points = reward.points;
        break;
      case 'freeItem': {
        const price = lines ? matchingItemPrice(reward, lines) : null;
        noItem = lines !== null && price === null;
        valueMinor = price;
        points = reward.points ?? (price === null ? null : Math.ceil(price / minorPerPoint));
        break;
      }
      case 'donation':
        points = reward.minimumPoints;
        break;
    }
    const tierOk = !reward.tiers || (member.tierId !== null && reward.tiers.includes(member.tierId));
    const shortBy = points === null ? 0 : Math.max(0, points - spendable);
    const reason: RewardAvailability['reason'] = !tierOk ? 'tier' : noItem ? 'noMatchingItem' : shortBy > 0 ? 'balance' : 'ok';
    return { rewardId: reward.id, label: reward.label, type: reward.type, points, valueMinor, available: reason === 'ok', reason, shortBy };
  });
}

export type DonationQuote = {
  rewardId: string;
  charity: string;
  memberPoints: number;
  /** What the member's points are worth, in minor units. */
  memberValueMinor: number;
  matchPoints: number;
  matchValueMinor: number;
  match: { programmePoints: number; perMemberPoints: number };
  balanceAfter: number;
};

/** A donation of `points` through the catalogue's donation reward `rewardId`. */
export function quoteDonation(ruleSet: RuleSet, member: RewardMember, rewardId: string, points: number): DonationQuote {
  const reward = ruleSet.rewards.find((r) => r.id === rewardId);
  if (!reward) throw new KasaError('NOT_FOUND', `unknown reward "${rewardId}"`);
  if (reward.type !== 'donation') throw new KasaError('VALIDATION', `"${reward.label}" is not a donation`);
  if (reward.tiers && !(member.tierId !== null && reward.tiers.includes(member.tierId))) {
    throw new KasaError('VALIDATION', `"${reward.label}" is for ${reward.tiers.join(', ')} members only`, because('reward-tier', { reward: reward.label, tiers: reward.tiers }));
  }
  if (!Number.isSafeInteger(points) || points < reward.minimumPoints) {
    throw new KasaError('VALIDATION', `Donate at least ${reward.minimumPoints} points`, because('donate-minimum', { minimumPoints: reward.minimumPoints }));
  }
  if (points % reward.stepPoints !== 0) throw new KasaError('VALIDATION', `Donate in steps of ${reward.stepPoints} points`, because('donate-step', { stepPoints: reward.stepPoints }));
  const spendable = spendablePoints(ruleSet, member.balance);
  if (points > spendable) {
    const floor = ruleSet.redemption.minimumBalance;
    throw new KasaError('INSUFFICIENT_POINTS', `The member has ${member.balance} points${floor > 0 ? ` and must keep ${floor}` : ''}; ${points} were asked for`, {
      balance: member.balance,
      requested: points,
      minimumBalance: floor,
    });
  }
  const { minorPerPoint } = ruleSet.redemption;
  const matchPoints = Math.floor((points * reward.match.programmePoints) / reward.match.perMemberPoints);
  return {
    rewardId: reward.id,
    charity: reward.charity,
    memberPoints: points,
    memberValueMinor: points * minorPerPoint,
    matchPoints,
    matchValueMinor: matchPoints * minorPerPoint,
    match: reward.match,
    balanceAfter: member.balance - points,
  };
}
