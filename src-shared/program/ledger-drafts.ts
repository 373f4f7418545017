// The ledger entries a sale, refund, donation or expiry writes, built from the engine's results so
// that the terminal and any test write exactly what replay recomputes. The core adds terminal, seq,
// device time and the hash chain.
import type { UnhashedEntry } from '../ledger/entry';
import type { LotsView } from './expiry';
import type { DonatePayload, ExpirePayload, ProgramEarnPayload, ProgramRedeemPayload, ReferralPayload, RefundPayload } from './ledger-payloads';
import type { Clock } from './local-time';
import type { RefundComputation, RefundLine } from './refund';
import type { DonationQuote } from './rewards';
import type { MemberContext, ReferralAward, SaleComputation, SaleRequest } from './sale-types';

export type LedgerDraft = Omit<UnhashedEntry, 'terminalId' | 'seq' | 'prevHash' | 'deviceTime'>;

type Who = { cashierId: string | null };

function referralDrafts(award: ReferralAward, common: Omit<LedgerDraft, 'kind' | 'memberId' | 'points' | 'breakdown' | 'payload'>, sign: 1 | -1, refund?: Omit<RefundPayload, 'part' | 'referralRole'>): LedgerDraft[] {
  const sides = [
    { role: 'referee' as const, memberId: award.refereeMemberId, points: award.refereePoints, label: 'Welcome bonus for joining through a referral' },
    { role: 'referrer' as const, memberId: award.referrerMemberId, points: award.referrerPoints, label: 'Referral bonus: a friend made their first purchase' },
  ];
  return sides
    .filter((s) => s.points > 0)
    .map((s) => {
      const payload: ReferralPayload | RefundPayload = refund
        ? { ...refund, part: 'referralReversal', referralRole: s.role }
        : { role: s.role, referrerMemberId: award.referrerMemberId, refereeMemberId: award.refereeMemberId };
      return {
        ...common,
        kind: refund ? 'refund' : 'referral',
        memberId: s.memberId,
        points: sign * s.points,
        breakdown: [{ ruleId: `referral.${s.role}`, label: refund ? `${s.label}: first purchase refunded` : s.label, points: sign * s.points }],
        payload,
      };
    });
}

/** Entries of a completed member sale: redeem (when points paid), earn (always), referral (both sides, once). */
export function saleEntryDrafts(
  sale: SaleComputation,
  request: SaleRequest,
  member: MemberContext,
  clock: Clock,
  ids: Who & { saleId: string },
): LedgerDraft[] {
  const common = { currency: sale.currency, ruleSetVersion: sale.ruleSetVersion, saleId: ids.saleId, cashierId: ids.cashierId, amountMinor: null };
  const drafts: LedgerDraft[] = [];
  if (sale.pointsRedeemed > 0) {
    const redeem: ProgramRedeemPayload = {
      discountMinor: sale.discountMinor,
      redeemPoints: sale.redeemPoints,
      rewards: sale.rewards.map((r) => ({ rewardId: r.rewardId, points: r.points, discountMinor: r.discountMinor, ...(r.lineIndex === undefined ? {} : { lineIndex: r.lineIndex }) })),
    };
    drafts.push({ ...common, kind: 'redeem', memberId: member.memberId, points: 0 - sale.pointsRedeemed, amountMinor: sale.discountMinor, breakdown: sale.redemption, payload: redeem });
  }
  const earn: ProgramEarnPayload = {
    lines: request.lines.map((l) => ({
      ...(l.sku === undefined ? {} : { sku: l.sku }),
      ...(l.name === undefined ? {} : { name: l.name }),
      category: l.category,
      qty: l.qty,
      unitPriceMinor: l.unitPriceMinor,
    })),
    redeemPoints: sale.redeemPoints,
    ...(request.rewards && request.rewards.length > 0
      ? { rewards: request.rewards.map((r) => ({ rewardId: r.rewardId, ...(r.lineIndex === undefined ? {} : { lineIndex: r.lineIndex }) })) }
      : {}),
    // The terms of the offers used (not just their ids): the entry alone reproduces its points, and
    // the server learns from it which offers were redeemed.
    ...(request.offers && request.offers.length > 0 ? { offers: [...request.offers] } : {}),
    subtotalMinor: sale.subtotalMinor,
    discountMinor: sale.discountMinor,
    at: clock.at,
    timeZone: clock.timeZone,
    member,
    expiresOn: sale.expiresOn,
  };
  // An earn entry even for 0 points: the purchase itself is part of the member's history.
  drafts.push({ ...common, kind: 'earn', memberId: member.memberId, points: sale.pointsEarned, amountMinor: sale.totalMinor, breakdown: sale.breakdown, payload: earn });
  if (sale.referral) drafts.push(...referralDrafts(sale.referral, common, 1));
  return drafts;
}

/** Entries of a refund: the earned points taken back (always, for the record), the redeemed points given back, a referral reversed. */
export function refundEntryDrafts(
  refund: RefundComputation,
  ids: Who & { saleId: string; refundId: string; memberId: string; refundedBefore: readonly RefundLine[] },
): LedgerDraft[] {
  const common = { currency: refund.original.currency, ruleSetVersion: refund.ruleSetVersion, saleId: ids.saleId, cashierId: ids.cashierId, amountMinor: null };
  const base: Omit<RefundPayload, 'part' | 'referralRole'> = {
    refundId: ids.refundId,
    lines: refund.lines.map((l) => ({ lineIndex: l.lineIndex, qty: l.qty })),
    refundedBefore: ids.refundedBefore.map((l) => ({ lineIndex: l.lineIndex, qty: l.qty })),
    refundAmountMinor: refund.refundAmountMinor,
  };
  const drafts: LedgerDraft[] = [
    {
      ...common,
      kind: 'refund',
      memberId: ids.memberId,
      points: 0 - refund.pointsReversed,
      amountMinor: refund.refundAmountMinor,
      breakdown: refund.reversal,
      payload: { ...base, part: 'earnReversal' } satisfies RefundPayload,
    },
  ];
  if (refund.pointsReturned > 0) {
    drafts.push({
      ...common,
      kind: 'refund',
      memberId: ids.memberId,
      points: refund.pointsReturned,
      breakdown: refund.returned,
      payload: { ...base, part: 'redeemReturn' } satisfies RefundPayload,
    });
  }
  if (refund.referralReversal) drafts.push(...referralDrafts(refund.referralReversal, common, -1, base));
  return drafts;
}

/** A donation: the member's points off their balance, and the programme's match as its own entry (no points off anyone). */
export function donationEntryDrafts(
  donation: DonationQuote,
  ids: Who & { donationId: string; memberId: string; ruleSetVersion: string; currency: string },
): LedgerDraft[] {
  const common = { memberId: ids.memberId, currency: ids.currency, ruleSetVersion: ids.ruleSetVersion, saleId: null, cashierId: ids.cashierId };
  const payload = (role: DonatePayload['role']): DonatePayload => ({
    donationId: ids.donationId,
    rewardId: donation.rewardId,
    charity: donation.charity,
    role,
    memberPoints: donation.memberPoints,
    matchPoints: donation.matchPoints,
    match: donation.match,
  });
  const drafts: LedgerDraft[] = [
    {
      ...common,
      kind: 'donate',
      points: -donation.memberPoints,
      amountMinor: donation.memberValueMinor,
      breakdown: [{ ruleId: `donate:${donation.rewardId}`, label: `Donated to ${donation.charity}`, points: -donation.memberPoints }],
      payload: payload('member'),
    },
  ];
  if (donation.matchPoints > 0) {
    drafts.push({
      ...common,
      kind: 'donate',
      points: 0,
      amountMinor: donation.matchValueMinor,
      breakdown: [{ ruleId: `donate.match:${donation.rewardId}`, label: `Programme match: ${donation.matchPoints} points to ${donation.charity}`, points: 0 }],
      payload: payload('match'),
    });
  }
  return drafts;
}

/** The `expire` entry for lots past their last day, or null when none are due. */
export function expiryEntryDraft(view: LotsView, ids: Who & { memberId: string; ruleSetVersion: string }): LedgerDraft | null {
  if (view.due.length === 0) return null;
  const points = view.due.reduce((a, l) => a + l.points, 0);
  const payload: ExpirePayload = { lots: view.due.map((l) => ({ ref: l.ref, points: l.points, expiresOn: l.expiresOn })) };
  return {
    memberId: ids.memberId,
    kind: 'expire',
    points: -points,
    amountMinor: null,
    currency: null,
    ruleSetVersion: ids.ruleSetVersion,
    saleId: null,
    cashierId: ids.cashierId,
    breakdown: view.due.map((l) => ({ ruleId: 'expire', label: `Points earned until ${l.expiresOn} expired`, points: -l.points })),
    payload,
  };
}
