// Paying with points on a sale: catalogue rewards (free items first, then percent, then fixed
// discounts) and the partial amount the cashier enters, within the balance floor and the share of
// the sale points may pay. Each line learns its discount and the points spent on it.
import { because, KasaError } from '../api/errors';
import type { BreakdownItem } from '../ledger/entry';
import { ENGLISH_EARN_WORDS, type EarnWords } from './earn-words';
import type { CompiledRuleSet } from './compiled-rule-set';
import { allocateExact } from './integer-math';
import { offerRuleId, type OfferTerms } from './offers';
import type { Reward } from './rule-set';
import type { AppliedOffer, AppliedReward, EngineLine, RewardRequest } from './sale-types';

export type RedemptionInput = {
  compiled: CompiledRuleSet;
  lines: readonly EngineLine[];
  amounts: readonly number[];
  ranks: readonly number[];
  rewards: readonly RewardRequest[];
  redeemPoints: number;
  /** Bundle offers: the programme pays part of an add-on item when the usual item is in the sale. */
  bundles?: readonly Extract<OfferTerms, { type: 'bundle' }>[] | undefined;
  member: { balance: number; tierId: string | null } | null;
  /** Recomputing a recorded sale: the balance checks already passed when it happened. */
  trustBalance: boolean;
  /** The language of the breakdown's own words (default English). */
  words?: EarnWords | undefined;
};

export type RedemptionResult = {
  lineDiscount: number[];
  lineRewardDiscount: number[];
  linePointsSpent: number[];
  rewards: AppliedReward[];
  offers: AppliedOffer[];
  items: BreakdownItem[];
  pointsRedeemed: number;
  discountMinor: number;
  maxRedeemablePoints: number;
};

type SaleReward = Exclude<Reward, { type: 'donation' }>;

const ORDER: Record<SaleReward['type'], number> = { freeItem: 0, discountPercent: 1, discountFixed: 2 };

function resolveRewards(input: RedemptionInput): { reward: SaleReward; request: RewardRequest }[] {
  const { compiled, member } = input;
  if (input.rewards.length === 0) return [];
  const resolved = input.rewards.map((request, k) => {
    const reward = compiled.rewards.get(request.rewardId);
    if (!reward) throw new KasaError('VALIDATION', `rewards[${k}]: unknown reward "${request.rewardId}"`);
    if (reward.type === 'donation') {
      throw new KasaError('VALIDATION', `rewards[${k}]: "${reward.label}" is a donation, made from the member's panel rather than on a sale`);
    }
    if (reward.tiers && !(member?.tierId && reward.tiers.includes(member.tierId))) {
      throw new KasaError('VALIDATION', `rewards[${k}]: "${reward.label}" is for ${reward.tiers.join(', ')} members only`, because('reward-tier', { reward: reward.label, tiers: reward.tiers }));
    }
    return { reward, request };
  });
  // Stable: requests of the same type keep their order.
  return resolved.map((r, i) => ({ ...r, i })).sort((a, b) => ORDER[a.reward.type] - ORDER[b.reward.type] || a.i - b.i);
}

type LineAmounts = { remaining: number[]; lineDiscount: number[]; linePointsSpent: number[] };

/** Spreads a discount over the lines by what is left to pay on each, and its points cost likewise. */
function spreadDiscount(lines: LineAmounts, ranks: readonly number[], discount: number, cost: number): number[] {
  const { remaining, lineDiscount, linePointsSpent } = lines;
  const parts = allocateExact(discount, remaining, ranks);
  const spent = allocateExact(cost, parts, ranks);
  parts.forEach((p, i) => {
    remaining[i] = (remaining[i] ?? 0) - p;
    lineDiscount[i] = (lineDiscount[i] ?? 0) + p;
    linePointsSpent[i] = (linePointsSpent[i] ?? 0) + (spent[i] ?? 0);
  });
  return parts;
}

export function applyRedemption(input: RedemptionInput): RedemptionResult {
  const { compiled, lines, amounts, ranks, member } = input;
  const { redemption } = compiled.ruleSet;
  const n = lines.length;
  const remaining = [...amounts];
  const lineRewardDiscount = new Array<number>(n).fill(0);
  const lineDiscount = new Array<number>(n).fill(0);
  const linePointsSpent = new Array<number>(n).fill(0);
  const freeUnits = new Array<number>(n).fill(0);
  const subtotal = amounts.reduce((a, b) => a + b, 0);
  const shareLimit = Math.floor((subtotal * redemption.maxSharePercent) / 100);
  let shareUsed = 0;
  const applied: AppliedReward[] = [];
  const items: BreakdownItem[] = [];

  if ((input.rewards.length > 0 || input.redeemPoints > 0) && member === null) {
    throw new KasaError('VALIDATION', 'Points can be redeemed only on a member sale');
  }

  // Bundle offers first: the programme pays for them, not the member's points, so they do not
  // count against the share points may pay.
  const appliedOffers: AppliedOffer[] = [];
  for (const offer of input.bundles ?? []) {
    if (member === null) throw new KasaError('VALIDATION', 'Offers apply only on a member sale');
    const usual = lines.findIndex((l) => l.sku === offer.usualSku && l.unitPriceMinor > 0);
    const fits = (i: number) => {
      const line = lines[i] as EngineLine;
      const match = offer.addOn.sku !== undefined ? line.sku === offer.addOn.sku : line.category === offer.addOn.category;
      // The usual item itself is not its own add-on: that line needs a second unit.
      const units = line.qty - (freeUnits[i] ?? 0) - (i === usual ? 1 : 0);
      return match && line.unitPriceMinor > 0 && units > 0 && (remaining[i] ?? 0) > 0;
    };
    let chosen = -1;
    for (let i = 0; i < n; i += 1) {
      if (!fits(i)) continue;
      const best = lines[chosen];
      const line = lines[i] as EngineLine;
      if (!best || line.unitPriceMinor > best.unitPriceMinor || (line.unitPriceMinor === best.unitPriceMinor && (ranks[i] ?? 0) < (ranks[chosen] ?? 0))) chosen = i;
    }
    if (usual < 0 || chosen < 0) {
      // Recomputing a recorded sale (a refund took the items back): the offer simply no longer applies.
      if (input.trustBalance) continue;
      throw new KasaError('VALIDATION', `Offer "${offer.label}": the sale needs the usual item (${offer.usualSku}) and the add-on`);
    }
    const price = (lines[chosen] as EngineLine).unitPriceMinor;
    const discount = Math.min(Math.floor((price * offer.discountPercent) / 100), offer.maxDiscountMinor, remaining[chosen] ?? 0);
    if (discount <= 0) continue;
    freeUnits[chosen] = (freeUnits[chosen] ?? 0) + 1;
    remaining[chosen] = (remaining[chosen] ?? 0) - discount;
    lineDiscount[chosen] = (lineDiscount[chosen] ?? 0) + discount;
    appliedOffers.push({ offerId: offer.offerId, type: 'bundle', label: offer.label, points: 0, discountMinor: discount, lineIndex: chosen });
    items.push({ ruleId: offerRuleId(offer.offerId), label: offer.label, points: 0, lineIndex: chosen, basisMinor: discount });
  }

  for (const { reward, request } of resolveRewards(input)) {
    const left = remaining.reduce((a, b) => a + b, 0);
    if (reward.type === 'freeItem') {
      const matches = (i: number) => {
        const line = lines[i] as EngineLine;
        const fits = reward.sku !== undefined ? line.sku === reward.sku : line.category === reward.category;
        return (
          fits &&
          line.unitPriceMinor > 0 &&
          (reward.maxPriceMinor === undefined || line.unitPriceMinor <= reward.maxPriceMinor) &&
          (freeUnits[i] ?? 0) < line.qty
        );
      };
      let chosen = -1;
      if (request.lineIndex !== undefined) {
        if (request.lineIndex >= n || !matches(request.lineIndex)) {
          throw new KasaError('VALIDATION', `"${reward.label}" does not apply to line ${request.lineIndex}`);
        }
        chosen = request.lineIndex;
      } else {
        // The dearest matching item: the one the customer would pick.
        for (let i = 0; i < n; i += 1) {
          if (!matches(i)) continue;
          const best = lines[chosen];
          const line = lines[i] as EngineLine;
          if (!best || line.unitPriceMinor > best.unitPriceMinor || (line.unitPriceMinor === best.unitPriceMinor && (ranks[i] ?? 0) < (ranks[chosen] ?? 0))) {
            chosen = i;
          }
        }
      }
      if (chosen < 0) throw new KasaError('VALIDATION', `"${reward.label}": no matching item in the sale`, because('reward-no-item', { reward: reward.label }));
      const price = (lines[chosen] as EngineLine).unitPriceMinor;
      const cost = reward.points ?? Math.ceil(price / redemption.minorPerPoint);
      freeUnits[chosen] = (freeUnits[chosen] ?? 0) + 1;
      remaining[chosen] = (remaining[chosen] ?? 0) - price;
      lineRewardDiscount[chosen] = (lineRewardDiscount[chosen] ?? 0) + price;
      lineDiscount[chosen] = (lineDiscount[chosen] ?? 0) + price;
      linePointsSpent[chosen] = (linePointsSpent[chosen] ?? 0) + cost;
      applied.push({ rewardId: reward.id, label: reward.label, type: reward.type, points: cost, discountMinor: price, lineIndex: chosen });
      items.push({ ruleId: `reward:${reward.id}`, label: reward.label, points: -cost, lineIndex: chosen, basisMinor: price });
      continue;
    }
    const discount =
      reward.type === 'discountFixed'
        ? reward.amountMinor
        : Math.min(Math.floor((left * reward.percent) / 100), reward.capMinor ?? Number.MAX_SAFE_INTEGER);
    if (discount <= 0) throw new KasaError('VALIDATION', `"${reward.label}": nothing left on the sale to discount`, because('reward-nothing-left', { reward: reward.label }));
    if (discount > left) throw new KasaError('VALIDATION', `"${reward.label}" is worth more than is left to pay on this sale`, because('reward-exceeds-sale', { reward: reward.label }));
    const parts = spreadDiscount({ remaining, lineDiscount, linePointsSpent }, ranks, discount, reward.points);
    parts.forEach((p, i) => {
      lineRewardDiscount[i] = (lineRewardDiscount[i] ?? 0) + p;
    });
    shareUsed += discount;
    applied.push({ rewardId: reward.id, label: reward.label, type: reward.type, points: reward.points, discountMinor: discount });
    items.push({ ruleId: `reward:${reward.id}`, label: reward.label, points: -reward.points, basisMinor: discount });
  }

  const rewardCost = applied.reduce((a, r) => a + r.points, 0);
  const balance = member?.balance ?? 0;
  const available = Math.max(0, balance - redemption.minimumBalance);
  const floorNote = redemption.minimumBalance > 0 ? ` and must keep ${redemption.minimumBalance}` : '';
  if (!input.trustBalance && shareUsed > shareLimit) {
    throw new KasaError('VALIDATION', `Points may pay at most ${redemption.maxSharePercent}% of this sale`, because('points-share', { maxSharePercent: redemption.maxSharePercent, shareLimitMinor: shareLimit }));
  }
  if (!input.trustBalance && rewardCost > available) {
    throw new KasaError('INSUFFICIENT_POINTS', `The member has ${balance} points${floorNote}; the rewards cost ${rewardCost}`, {
      balance,
      requested: rewardCost,
      minimumBalance: redemption.minimumBalance,
    });
  }

  const left = remaining.reduce((a, b) => a + b, 0);
  const maxByValue = Math.floor(Math.max(0, Math.min(left, shareLimit - shareUsed)) / redemption.minorPerPoint);
  const maxRedeemablePoints = member ? Math.max(0, Math.min(available - rewardCost, maxByValue)) : 0;
  const redeem = input.redeemPoints;
  if (redeem > 0 && !input.trustBalance) {
    if (redeem + rewardCost > available) {
      throw new KasaError('INSUFFICIENT_POINTS', `The member has ${balance} points${floorNote}; ${redeem + rewardCost} were asked for`, {
        balance,
        requested: redeem + rewardCost,
        minimumBalance: redemption.minimumBalance,
      });
    }
    if (redeem > maxRedeemablePoints) {
      throw new KasaError('VALIDATION', `At most ${maxRedeemablePoints} points can be used on this sale`, because('redeem-max', { maxRedeemablePoints }));
    }
    if (redeem < redemption.minimumPoints) {
      throw new KasaError('VALIDATION', `Redeem at least ${redemption.minimumPoints} points at a time`, because('redeem-minimum', { minimumPoints: redemption.minimumPoints }));
    }
  }
  if (redeem > 0) {
    spreadDiscount({ remaining, lineDiscount, linePointsSpent }, ranks, redeem * redemption.minorPerPoint, redeem);
    items.push({ ruleId: 'redeem.discount', label: (input.words ?? ENGLISH_EARN_WORDS).pointsAsDiscount(redeem), points: -redeem, basisMinor: redeem * redemption.minorPerPoint });
  }

  return {
    lineDiscount,
    lineRewardDiscount,
    linePointsSpent,
    rewards: applied,
    offers: appliedOffers,
    items,
    pointsRedeemed: rewardCost + redeem,
    discountMinor: lineDiscount.reduce((a, b) => a + b, 0),
    maxRedeemablePoints,
  };
}
