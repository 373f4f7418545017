// A terminal in miniature for the engine tests: it keeps a hash-chained ledger and derives each
// member's context from it exactly as the core should (balance, tier window, first purchase, points
// earned today, referral state), so every scenario can also be replayed.
import { createHash } from 'node:crypto';
import { GENESIS_HASH, sealEntry, type LedgerEntry } from '../../src-shared/ledger/entry';
import { computeSale, type SaleComputation } from '../../src-shared/program/engine';
import { computeLots, type LotEntry, type LotsView } from '../../src-shared/program/expiry';
import { donationEntryDrafts, expiryEntryDraft, refundEntryDrafts, saleEntryDrafts, type LedgerDraft } from '../../src-shared/program/ledger-drafts';
import { localDayBounds, parseInstant, type Clock } from '../../src-shared/program/local-time';
import { computeRefund, type RefundComputation, type RefundLine, type RefundRequest } from '../../src-shared/program/refund';
import { quoteDonation, type DonationQuote } from '../../src-shared/program/rewards';
import type { RuleSet } from '../../src-shared/program/rule-set';
import type { MemberContext, SaleRequest } from '../../src-shared/program/sale-types';
import { evaluateTier, tierWindowStart, type TierState } from '../../src-shared/program/tiers';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

type SimMember = {
  id: string;
  birthMonth: number | null;
  referral: { referrerMemberId: string; rewarded: boolean } | null;
  tier: TierState | null;
};

type SimSale = {
  saleId: string;
  memberId: string;
  request: SaleRequest;
  context: MemberContext;
  clock: Clock;
  refunded: RefundLine[];
  tierBefore: string | null;
  tierAfter: string | null;
};

export class ProgramSimulator {
  readonly ledger: LedgerEntry[] = [];
  readonly members = new Map<string, SimMember>();
  readonly sales = new Map<string, SimSale>();
  /** Qualifying amount per sale (spend or points), reduced by refunds. */
  readonly qualifying = new Map<string, { memberId: string; at: string; amount: number }>();
  #next = 1;

  constructor(
    readonly ruleSet: RuleSet,
    readonly timeZone: string,
  ) {}

  #append(drafts: readonly LedgerDraft[], at: string): LedgerEntry[] {
    return drafts.map((d) => {
      const prev = this.ledger.at(-1);
      const entry = sealEntry({ ...d, terminalId: 't1', seq: (prev?.seq ?? 0) + 1, prevHash: prev?.hash ?? GENESIS_HASH, deviceTime: at }, sha256Hex);
      this.ledger.push(entry);
      return entry;
    });
  }

  enrol(id: string, options: { birthMonth?: number; referredBy?: string } = {}): void {
    this.members.set(id, {
      id,
      birthMonth: options.birthMonth ?? null,
      referral: options.referredBy === undefined ? null : { referrerMemberId: options.referredBy, rewarded: false },
      tier: null,
    });
  }

  member(id: string): SimMember {
    const m = this.members.get(id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  }

  balance(id: string): number {
    return this.ledger.filter((e) => e.memberId === id).reduce((a, e) => a + e.points, 0);
  }

  qualifyingAt(id: string, clock: Clock): number {
    const start = tierWindowStart(this.ruleSet, clock);
    if (start === null) return 0;
    const from = parseInstant(start);
    const to = parseInstant(clock.at);
    let sum = 0;
    for (const q of this.qualifying.values()) {
      const t = parseInstant(q.at);
      if (q.memberId === id && t > from && t <= to) sum += q.amount;
    }
    return sum;
  }

  contextFor(id: string, clock: Clock): MemberContext {
    const m = this.member(id);
    const day = localDayBounds(clock);
    const [start, end] = [parseInstant(day.start), parseInstant(day.end)];
    const mine = this.ledger.filter((e) => e.memberId === id);
    return {
      memberId: id,
      balance: this.balance(id),
      tier: m.tier,
      qualifying: this.qualifyingAt(id, clock),
      firstPurchase: !mine.some((e) => e.kind === 'earn'),
      birthMonth: m.birthMonth,
      pointsEarnedToday: mine
        .filter((e) => e.kind === 'earn' && parseInstant(e.deviceTime) >= start && parseInstant(e.deviceTime) < end)
        .reduce((a, e) => a + e.points, 0),
      referral: m.referral,
    };
  }

  sale(memberId: string, at: string, request: SaleRequest): { sale: SaleComputation; saleId: string; entries: LedgerEntry[] } {
    const clock = { at, timeZone: this.timeZone };
    const context = this.contextFor(memberId, clock);
    const sale = computeSale(this.ruleSet, request, context, clock);
    const saleId = `sale-${this.#next++}`;
    const entries = this.#append(saleEntryDrafts(sale, request, context, clock, { saleId, cashierId: 'c1' }), at);
    const m = this.member(memberId);
    if (sale.tier.after?.since) m.tier = { tierId: sale.tier.after.tierId, since: sale.tier.after.since };
    if (sale.referral && m.referral) m.referral = { ...m.referral, rewarded: true };
    this.qualifying.set(saleId, { memberId, at, amount: sale.tier.qualifyingAdded });
    this.sales.set(saleId, {
      saleId,
      memberId,
      request,
      context,
      clock,
      refunded: [],
      tierBefore: sale.tier.before?.tierId ?? null,
      tierAfter: sale.tier.after?.tierId ?? null,
    });
    return { sale, saleId, entries };
  }

  refund(saleId: string, at: string, request: RefundRequest): { refund: RefundComputation; entries: LedgerEntry[] } {
    const s = this.sales.get(saleId);
    if (!s) throw new Error(`no sale ${saleId}`);
    const refund = computeRefund({ ruleSet: this.ruleSet, request: s.request, member: s.context, clock: s.clock }, s.refunded, request);
    const entries = this.#append(
      refundEntryDrafts(refund, { saleId, refundId: `refund-${this.#next++}`, memberId: s.memberId, cashierId: 'c1', refundedBefore: s.refunded }),
      at,
    );
    s.refunded = refund.refundedAfter;
    const q = this.qualifying.get(saleId);
    if (q) q.amount -= refund.qualifyingReversed;
    const m = this.member(s.memberId);
    if (refund.referralReversal && m.referral) m.referral = { ...m.referral, rewarded: false };
    const clock = { at, timeZone: this.timeZone };
    if (this.ruleSet.tiers && s.tierBefore && s.tierAfter) {
      const status = evaluateTier(this.ruleSet, m.tier, this.qualifyingAt(s.memberId, clock), clock, {
        refundOf: { tierBefore: s.tierBefore, tierAfter: s.tierAfter },
      });
      if (status?.since) m.tier = { tierId: status.tierId, since: status.since };
    }
    return { refund, entries };
  }

  donate(memberId: string, at: string, rewardId: string, points: number): { donation: DonationQuote; entries: LedgerEntry[] } {
    const m = this.member(memberId);
    const donation = quoteDonation(this.ruleSet, { balance: this.balance(memberId), tierId: m.tier?.tierId ?? null }, rewardId, points);
    const entries = this.#append(
      donationEntryDrafts(donation, {
        donationId: `donation-${this.#next++}`,
        memberId,
        cashierId: 'c1',
        ruleSetVersion: this.ruleSet.version,
        currency: this.ruleSet.currency,
      }),
      at,
    );
    return { donation, entries };
  }

  lotEntries(memberId: string): LotEntry[] {
    return this.ledger
      .filter((e) => e.memberId === memberId)
      .map((e) => ({
        ref: `${e.terminalId}:${e.seq}`,
        at: e.deviceTime,
        points: e.points,
        kind: e.kind,
        expiresOn: e.kind === 'earn' ? ((e.payload as { expiresOn?: string | null }).expiresOn ?? undefined) : undefined,
        expiredLots: e.kind === 'expire' ? (e.payload as { lots: { ref: string; points: number }[] }).lots : undefined,
      }));
  }

  lots(memberId: string, at: string): LotsView {
    return computeLots(this.ruleSet, this.lotEntries(memberId), { at, timeZone: this.timeZone });
  }

  /** Writes the expiry of every lot past its last day; returns the points expired. */
  expire(memberId: string, at: string): number {
    const draft = expiryEntryDraft(this.lots(memberId, at), { memberId, cashierId: null, ruleSetVersion: this.ruleSet.version });
    if (!draft) return 0;
    this.#append([draft], at);
    return -draft.points;
  }
}
