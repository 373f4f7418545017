import type { Member, RefundReceipt, SaleQuote, SaleReceipt, SaleRecord, SpendVerifiedBy } from '../../../src-shared/api/contract';
import { because, KasaError } from '../../../src-shared/api/errors';
import { canonicalJson } from '../../../src-shared/ledger/canonical-json';
import { earnWordsFor } from '../../../src-shared/program/earn-words';
import { computeSale, type ComputeOptions } from '../../../src-shared/program/engine';
import { refundEntryDrafts, saleEntryDrafts } from '../../../src-shared/program/ledger-drafts';
import type { ProgramRedeemPayload } from '../../../src-shared/program/ledger-payloads';
import type { Clock } from '../../../src-shared/program/local-time';
import { computeRefund, type RecordedSale, type RefundLine } from '../../../src-shared/program/refund';
import { recordedSaleOf } from '../../../src-shared/program/replay';
import type { RuleSet } from '../../../src-shared/program/rule-set';
import type { SaleComputation, SaleRequest } from '../../../src-shared/program/sale-types';
import type { CoreContext } from '../core-context';
import { rowToEntry, sha256Hex, type LedgerRow } from '../ledger-writer';
import { MemberProgrammeRepo } from '../member-programme';
import { MembersRepo } from '../members-repo';
import { OffersRepo } from '../offers-repo';
import { timeOrderedId } from '../time-ordered-id';
import type { CallerContext, HandlerModule } from './handler-types';

type SaleMethods = 'sales.preview' | 'sales.complete' | 'sales.get' | 'sales.refund';

type SaleInput = Omit<SaleRequest, 'offers'> & { memberId?: string | undefined; offerIds?: string[] | undefined };

type SaleRow = {
  sale_id: string;
  member_id: string | null;
  cashier_id: string | null;
  currency: string;
  rule_set_version: string;
  completed_at: string;
  subtotal_minor: number;
  discount_minor: number;
  total_minor: number;
  points_earned: number;
  points_redeemed: number;
  receipt: string;
  /** The lines of a sale recorded before migration 17; NULL: the receipt's lines are the sale's. */
  lines: string | null;
};
/** A line as the engine priced it: an element of `sales.lines`, or read from the receipt's lines. */
type StoredSaleLine = {
  sku: string | null;
  name: string | null;
  category: string;
  qty: number;
  unitPriceMinor: number;
  amountMinor: number;
  discountMinor: number;
  points: number;
};
type RefundRow = {
  refund_id: string;
  request_hash: string;
  lines: string;
  amount_minor: number;
  points_reversed: number;
  points_returned: number;
  refunded_at: string;
  receipt: string;
};

/** The engine's result in the contract's shape, with the member as the panel shows them. */
export function toQuote(c: SaleComputation, member: Member | null): SaleQuote {
  return {
    currency: c.currency,
    ruleSetVersion: c.ruleSetVersion,
    subtotalMinor: c.subtotalMinor,
    discountMinor: c.discountMinor,
    totalMinor: c.totalMinor,
    pointsEarned: c.pointsEarned,
    pointsRedeemed: c.pointsRedeemed,
    maxRedeemablePoints: c.maxRedeemablePoints,
    lines: c.lines.map((l) => ({
      ...(l.sku === undefined ? {} : { sku: l.sku }),
      ...(l.name === undefined ? {} : { name: l.name }),
      category: l.category,
      qty: l.qty,
      unitPriceMinor: l.unitPriceMinor,
      amountMinor: l.amountMinor,
      discountMinor: l.discountMinor,
      points: l.points,
      excluded: l.excluded,
      rewardDiscountMinor: l.rewardDiscountMinor,
      pointsSpent: l.pointsSpent,
      ruleId: l.ruleId,
    })),
    breakdown: c.breakdown,
    member,
    balanceAfter: c.balanceAfter,
    redeemPoints: c.redeemPoints,
    redemption: c.redemption,
    rewards: c.rewards,
    offers: c.offers,
    multipliers: c.multipliers,
    caps: c.caps,
    promotions: c.promotions,
    tier: c.tier,
    referral: c.referral,
    expiresOn: c.expiresOn,
    localTime: c.localTime,
  };
}

export const saleHandlers: HandlerModule<SaleMethods> = (ctx) => {
  const { db } = ctx;
  const members = new MembersRepo(db);
  const programme = new MemberProgrammeRepo(db, ctx.ledger);
  const offers = new OffersRepo(db);
  const byKey = db.prepare<[string], { request_hash: string; receipt: string }>('SELECT request_hash, receipt FROM sales WHERE idempotency_key = ?');
  const insertSale = db.prepare(`INSERT INTO sales (sale_id, idempotency_key, request_hash, member_id, currency, subtotal_minor,
    discount_minor, total_minor, points_earned, points_redeemed, rule_set_version, cashier_id, completed_at, receipt)
    VALUES (@saleId, @idempotencyKey, @requestHash, @memberId, @currency, @subtotalMinor, @discountMinor, @totalMinor,
    @pointsEarned, @pointsRedeemed, @ruleSetVersion, @cashierId, @completedAt, @receipt)`);
  const saleById = db.prepare<[string], SaleRow>(
    `SELECT sale_id, member_id, cashier_id, currency, rule_set_version, completed_at, subtotal_minor, discount_minor, total_minor,
     points_earned, points_redeemed, receipt, lines FROM sales WHERE sale_id = ?`,
  );
  const linesOf = (sale: SaleRow): StoredSaleLine[] => {
    if (sale.lines !== null) return JSON.parse(sale.lines) as StoredSaleLine[];
    const { lines } = JSON.parse(sale.receipt) as SaleReceipt;
    return lines.map(({ sku, name, category, qty, unitPriceMinor, amountMinor, discountMinor, points }) => ({ sku: sku ?? null, name: name ?? null, category, qty, unitPriceMinor, amountMinor, discountMinor, points }));
  };
  // A sale's earn entry is found by the seqs its receipt recorded: the ledger keeps no index on
  // sale_id (migration 16), which every sale paid a b-tree page for and only a refund read.
  const entryBySeq = db.prepare<[number], LedgerRow>('SELECT * FROM ledger WHERE seq = ?');
  const earnBySaleScan = db.prepare<[string], LedgerRow>("SELECT * FROM ledger WHERE sale_id = ? AND kind = 'earn' ORDER BY seq LIMIT 1");
  const earnOf = (sale: SaleRow): LedgerRow | undefined => {
    const { entrySeqs } = JSON.parse(sale.receipt) as { entrySeqs?: unknown };
    if (!Array.isArray(entrySeqs)) return earnBySaleScan.get(sale.sale_id);
    for (const seq of entrySeqs) {
      const row = typeof seq === 'number' ? entryBySeq.get(seq) : undefined;
      if (row?.kind === 'earn' && row.sale_id === sale.sale_id) return row;
    }
    return undefined;
  };
  const refundsOf = db.prepare<[string], RefundRow>(
    'SELECT refund_id, request_hash, lines, amount_minor, points_reversed, points_returned, refunded_at, receipt FROM refunds WHERE sale_id = ? ORDER BY rowid',
  );
  const refundByKey = db.prepare<[string], { request_hash: string; receipt: string }>('SELECT request_hash, receipt FROM refunds WHERE idempotency_key = ?');
  const insertRefund = db.prepare(`INSERT INTO refunds (refund_id, sale_id, idempotency_key, request_hash, lines, amount_minor,
    points_reversed, points_returned, cashier_id, approved_by, refunded_at, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const clockNow = (): Clock => ({ at: ctx.now(), timeZone: ctx.settings.timeZone });
  // The breakdown's own words in the store's language: the receipt shows them and the ledger keeps them.
  const computeOptions = (): ComputeOptions => ({ words: earnWordsFor(ctx.settings.locale) });

  const ruleSetAt = (at: string): RuleSet => {
    const ruleSet = ctx.ruleSets.activeAt(at).ruleSet;
    if (ruleSet.currency !== ctx.settings.currency) {
      throw new KasaError('PROGRAM_INVALID', `The programme is in ${ruleSet.currency} but the store sells in ${ctx.settings.currency}`);
    }
    return ruleSet;
  };

  const requireMember = (memberId: string): Member => {
    const member = members.byId(memberId);
    if (!member) throw new KasaError('NOT_FOUND', `No member with id ${memberId}`);
    return member;
  };

  const withProgramme = (member: Member, ruleSet: RuleSet, clock: Clock): Member => ({
    ...member,
    programme: programme.view(member.memberId, ruleSet, clock),
  });

  // Offers are named by id: the member must hold each one here, unused and valid today.
  const requestOf = (sale: SaleInput, clock: Clock): SaleRequest => ({
    lines: sale.lines,
    ...(sale.redeemPoints === undefined ? {} : { redeemPoints: sale.redeemPoints }),
    ...(sale.rewards === undefined ? {} : { rewards: sale.rewards }),
    ...(sale.offerIds && sale.offerIds.length > 0 ? { offers: offers.termsFor(sale.memberId, sale.offerIds, clock) } : {}),
  });

  const preview = (sale: SaleInput): SaleQuote => {
    const clock = clockNow();
    const ruleSet = ruleSetAt(clock.at);
    // The member, their programme view (shown beside the quote) and what the engine reads of them: one read.
    const read = sale.memberId === undefined ? null : programme.saleMember(sale.memberId);
    if (sale.memberId !== undefined && !read) throw new KasaError('NOT_FOUND', `No member with id ${sale.memberId}`);
    const member = read ? programme.panelOf(read, ruleSet, clock) : null;
    // Points past their last day are expired by the next write; the preview already leaves them out.
    const context = read ? programme.contextOf(read, read.balance - programme.duePointsOf(read, clock), ruleSet, clock) : null;
    const computation = computeSale(ruleSet, requestOf(sale, clock), context, clock, computeOptions());
    return toQuote(computation, member);
  };

  const completeIn = (sale: SaleInput & { idempotencyKey: string }, caller: CallerContext, verifiedBy: SpendVerifiedBy | null): { receipt: SaleReceipt; replayed: boolean } => {
    const cashierId = caller.userId;
    const { idempotencyKey, ...draft } = sale;
    const requestHash = sha256Hex(canonicalJson(draft));
    const previous = byKey.get(idempotencyKey);
    if (previous) {
      if (previous.request_hash !== requestHash) {
        throw new KasaError('IDEMPOTENCY_CONFLICT', `Idempotency key ${idempotencyKey} was already used for a different sale`);
      }
      return { receipt: JSON.parse(previous.receipt) as SaleReceipt, replayed: true };
    }
    const clock = clockNow();
    const ruleSet = ruleSetAt(clock.at);
    // The member, their programme state and what the engine reads of them: one read (again only after an expiry).
    let member = draft.memberId === undefined ? null : programme.saleMember(draft.memberId);
    if (draft.memberId !== undefined && !member) throw new KasaError('NOT_FOUND', `No member with id ${draft.memberId}`);
    if (member && programme.expireDueOf(member, ruleSet, clock, cashierId)) member = programme.saleMemberByExactId(member.memberId);
    const context = member ? programme.contextOf(member, member.balance, ruleSet, clock) : null;
    const request = requestOf(draft, clock);
    const computation = computeSale(ruleSet, request, context, clock, computeOptions());
    if (member && computation.pointsRedeemed > 0) ctx.spendGuard(member.memberId, computation.pointsRedeemed, caller, ruleSet);
    const saleId = timeOrderedId();
    const completedAt = clock.at;
    let entrySeqs: number[] = [];
    let after: Member | null = null;
    if (member && context) {
      const drafts = saleEntryDrafts(computation, request, context, clock, { saleId, cashierId }).map((d) => {
        if (d.kind !== 'redeem') return d;
        // Who let the points be spent: the customer's PIN or card, a manager, or nobody was asked.
        const payload: ProgramRedeemPayload = {
          ...(d.payload as ProgramRedeemPayload),
          ...(caller.approvedBy ? { approvedBy: caller.approvedBy } : {}),
          verifiedBy: verifiedBy ?? spendVerification(ctx, context.memberId, caller) ?? 'none',
        };
        return { ...d, payload };
      });
      const written = ctx.ledger.append(drafts, completedAt);
      const relotted = programme.applyToLots(written, ruleSet, clock, member);
      const tier = programme.recordSale(context.memberId, saleId, computation, ruleSet, clock, member.stateStored ? member.state : undefined);
      entrySeqs = written.map((e) => e.seq);
      // In the sale's transaction: a second sale can never use these offers, even after a restart.
      if (request.offers) offers.markUsed(request.offers.map((o) => o.offerId), saleId, completedAt);
      // The receipt's panel from what the sale knows; read again only when it cannot know it.
      after = programme.panelAfterSale(member, written, tier, relotted, ruleSet, clock);
    }
    // member.memberId is already the surviving member's own id: no alias to resolve.
    if (member && !after) after = programme.panelByExactId(member.memberId, ruleSet, clock);
    const receipt: SaleReceipt = {
      ...toQuote(computation, after),
      balanceAfter: after ? after.balance : null,
      saleId,
      idempotencyKey,
      completedAt,
      entrySeqs,
      ...(member && computation.pointsRedeemed > 0 ? { verifiedBy: verifiedBy ?? spendVerification(ctx, member.memberId, caller) ?? 'none' } : {}),
    };
    insertSale.run({ ...receipt, requestHash, memberId: after?.memberId ?? null, cashierId, receipt: JSON.stringify(receipt) });
    return { receipt, replayed: false };
  };
  const completeTx = db.transaction(completeIn);
  // Called by dispatch inside the sale's audit transaction (a savepoint of the group commit's, when
  // grouped), which already rolls the whole call back if it fails: a savepoint of its own would only
  // cost its statements. Anywhere else the sale is its own transaction.
  const complete = (...args: Parameters<typeof completeIn>) => (db.inTransaction ? completeIn(...args) : completeTx(...args));

  const requireSale = (saleId: string): SaleRow => {
    const sale = saleById.get(saleId);
    if (!sale) throw new KasaError('NOT_FOUND', `No sale with id ${saleId}`);
    return sale;
  };

  const refundedLines = (saleId: string): RefundLine[] => {
    const qty = new Map<number, number>();
    for (const r of refundsOf.all(saleId)) {
      for (const l of JSON.parse(r.lines) as RefundLine[]) qty.set(l.lineIndex, (qty.get(l.lineIndex) ?? 0) + l.qty);
    }
    return [...qty].sort(([a], [b]) => a - b).map(([lineIndex, q]) => ({ lineIndex, qty: q }));
  };

  /** The sale exactly as the engine priced it: from its earn entry, with the rule-set version it recorded. */
  const recordedSale = (sale: SaleRow): RecordedSale => {
    if (sale.member_id === null) {
      const ruleSet = ctx.ruleSets.get(sale.rule_set_version) ?? ctx.ruleSets.defaultFor(sale.currency);
      const lines = linesOf(sale).map((l) => ({
        ...(l.sku === null ? {} : { sku: l.sku }),
        ...(l.name === null ? {} : { name: l.name }),
        category: l.category,
        qty: l.qty,
        unitPriceMinor: l.unitPriceMinor,
      }));
      return { ruleSet, request: { lines }, member: null, clock: null };
    }
    const earn = earnOf(sale);
    if (!earn) throw new KasaError('NOT_FOUND', `Sale ${sale.sale_id} has no earn entry on this terminal`);
    const ruleSet = earn.rule_set_version ? ctx.ruleSets.get(earn.rule_set_version) : undefined;
    if (!ruleSet) {
      throw new KasaError('PROGRAM_INVALID', `Sale ${sale.sale_id} was priced with rule set "${String(earn.rule_set_version)}", which this terminal does not have`);
    }
    const recorded = recordedSaleOf(rowToEntry(earn), ruleSet, ctx.settings.timeZone);
    if (!recorded) throw new KasaError('PROGRAM_INVALID', `The earn entry of sale ${sale.sale_id} cannot be read back`);
    return recorded;
  };

  const refund = db.transaction(
    (args: { saleId: string; lines?: RefundLine[] | undefined; idempotencyKey: string }, caller: CallerContext): RefundReceipt => {
      const requestHash = sha256Hex(canonicalJson({ saleId: args.saleId, lines: args.lines ?? 'all' }));
      const previous = refundByKey.get(args.idempotencyKey);
      if (previous) {
        if (previous.request_hash !== requestHash) {
          throw new KasaError('IDEMPOTENCY_CONFLICT', `Idempotency key ${args.idempotencyKey} was already used for a different refund`);
        }
        return JSON.parse(previous.receipt) as RefundReceipt;
      }
      const sale = requireSale(args.saleId);
      const clock = clockNow();
      checkCashierMayRefund(sale, caller, clock.at, ctx.settings.cashierRefundWindowHours);
      const refundedBefore = refundedLines(sale.sale_id);
      const computed = computeRefund(recordedSale(sale), refundedBefore, args.lines ? { lines: args.lines } : { all: true }, earnWordsFor(ctx.settings.locale));
      const refundId = ctx.newId();
      const approvedBy = caller.approvedBy ?? (caller.role === 'manager' ? caller.userId : null);
      let entrySeqs: number[] = [];
      let member: Member | null = null;
      if (sale.member_id !== null) {
        const memberId = sale.member_id;
        const ruleSet = ruleSetAt(clock.at);
        programme.expireDue(memberId, ruleSet, clock, caller.userId);
        const drafts = refundEntryDrafts(computed, { saleId: sale.sale_id, refundId, memberId, cashierId: caller.userId, refundedBefore });
        // A balance goes below zero only through a refund of points already spent, and only with a manager.
        const deltas = new Map<string, number>();
        for (const d of drafts) deltas.set(d.memberId, (deltas.get(d.memberId) ?? 0) + d.points);
        for (const [id, delta] of deltas) {
          const balance = members.byId(id)?.balance ?? 0;
          if (delta < 0 && balance + delta < 0 && approvedBy === null) {
            throw new KasaError(
              'FORBIDDEN',
              `This refund takes back ${-delta} points from a balance of ${balance}: the points were already spent. A manager must approve it (the balance would be ${balance + delta})`,
              { reason: 'refund-points-spent', memberId: id, balance, balanceAfter: balance + delta },
            );
          }
        }
        const written = ctx.ledger.append(drafts, clock.at);
        programme.applyToLots(written, ruleSet, clock);
        programme.recordRefund(memberId, sale.sale_id, computed, sale.completed_at, ruleSet, clock);
        entrySeqs = written.map((e) => e.seq);
        member = withProgramme(requireMember(memberId), ruleSet, clock);
      }
      const receipt: RefundReceipt = {
        refundId,
        saleId: sale.sale_id,
        idempotencyKey: args.idempotencyKey,
        refundedAt: clock.at,
        currency: sale.currency,
        ruleSetVersion: computed.ruleSetVersion,
        lines: computed.lines.map((l) => (member ? l : { ...l, pointsReturned: 0 })),
        refundAmountMinor: computed.refundAmountMinor,
        pointsReversed: member ? computed.pointsReversed : 0,
        pointsReturned: member ? computed.pointsReturned : 0,
        reversal: member ? computed.reversal : [],
        returned: member ? computed.returned : [],
        referralReversed: member !== null && computed.referralReversal !== null,
        fullyRefunded: computed.fullyRefunded,
        member,
        balanceAfter: member ? member.balance : null,
        approvedBy,
        entrySeqs,
      };
      insertRefund.run(
        refundId,
        sale.sale_id,
        args.idempotencyKey,
        requestHash,
        JSON.stringify(computed.lines.map((l) => ({ lineIndex: l.lineIndex, qty: l.qty }))),
        receipt.refundAmountMinor,
        receipt.pointsReversed,
        receipt.pointsReturned,
        caller.userId,
        approvedBy,
        clock.at,
        JSON.stringify(receipt),
      );
      return receipt;
    },
  );

  const saleRecord = (saleId: string): SaleRecord => {
    const sale = requireSale(saleId);
    const refunds = refundsOf.all(saleId).map((r) => ({
      refundId: r.refund_id,
      refundedAt: r.refunded_at,
      lines: JSON.parse(r.lines) as RefundLine[],
      amountMinor: r.amount_minor,
      pointsReversed: r.points_reversed,
      pointsReturned: r.points_returned,
    }));
    const refunded = new Map<number, number>();
    for (const r of refunds) for (const l of r.lines) refunded.set(l.lineIndex, (refunded.get(l.lineIndex) ?? 0) + l.qty);
    const lines = linesOf(sale).map((l, lineIndex) => ({ lineIndex, ...l, refundedQty: refunded.get(lineIndex) ?? 0 }));
    return {
      saleId,
      memberId: sale.member_id,
      currency: sale.currency,
      ruleSetVersion: sale.rule_set_version,
      completedAt: sale.completed_at,
      subtotalMinor: sale.subtotal_minor,
      discountMinor: sale.discount_minor,
      totalMinor: sale.total_minor,
      pointsEarned: sale.points_earned,
      pointsRedeemed: sale.points_redeemed,
      lines,
      refunds,
      fullyRefunded: lines.every((l) => l.refundedQty >= l.qty),
    };
  };

  return {
    'sales.preview': (args) => preview(args),
    'sales.complete': (args, caller) => {
      const spends = (args.redeemPoints ?? 0) > 0 || (args.rewards?.length ?? 0) > 0;
      const verifiedBy = spends ? checkSpendVerification(ctx, args.memberId, caller) : null;
      const { receipt, replayed } = complete(args, caller, verifiedBy);
      if (!replayed) {
        // The sale is over: the next one needs its own card scan to count as card present.
        ctx.cardPresence.clear();
        ctx.events.emit('sale.completed', { saleId: receipt.saleId, memberId: receipt.member?.memberId ?? null, pointsEarned: receipt.pointsEarned });
      }
      return receipt;
    },
    'sales.get': (args) => saleRecord(args.saleId),
    'sales.refund': (args, caller) => refund(args, caller),
  };
};

/**
 * A cashier alone refunds only a sale they rang up, within the store's window after it was completed;
 * any other refund needs a manager (signed in, or an override on the cashier's screen, which makes the
 * caller a manager for that one call and records both people).
 */
function checkCashierMayRefund(sale: { sale_id: string; cashier_id: string | null; completed_at: string }, caller: CallerContext, at: string, windowHours: number): void {
  if (caller.role === 'manager') return;
  if (sale.cashier_id === null || sale.cashier_id !== caller.userId) {
    throw new KasaError('FORBIDDEN', `Sale ${sale.sale_id} was rung up by someone else: a manager must approve this refund`, because('not-own-sale', { saleId: sale.sale_id }));
  }
  const ageMs = Date.parse(at) - Date.parse(sale.completed_at);
  if (windowHours === 0 || !(ageMs <= windowHours * 3_600_000)) {
    const window = windowHours === 0 ? 'this store lets cashiers refund only with a manager' : `cashiers refund their own sales within ${windowHours} h`;
    throw new KasaError('FORBIDDEN', `Sale ${sale.sale_id} was completed at ${sale.completed_at}; ${window}: a manager must approve this refund`, because('outside-refund-window', { saleId: sale.sale_id, windowHours }));
  }
}

/** How the customer is verified for spending points now, or null when nothing would verify them. */
function spendVerification(ctx: CoreContext, memberId: string | undefined, caller: CallerContext): SpendVerifiedBy | null {
  if (memberId !== undefined && caller.customerVerifiedFor === memberId) return 'customer-pin';
  const card = memberId === undefined ? null : ctx.cardPresence.current(memberId);
  if (card && ctx.settings.redemptionVerification !== 'customer-pin') return card.method;
  if (caller.approvedBy) return 'manager';
  return ctx.settings.redemptionVerification === 'none' ? (card?.method ?? 'none') : null;
}

/**
 * Spending points (redemption, rewards, donations) may need the customer's PIN, their card in this
 * sale, or a manager, as the store decided; returns how the customer was verified, for the receipt,
 * the ledger and the audit record.
 */
export function checkSpendVerification(ctx: CoreContext, memberId: string | undefined, caller: CallerContext): SpendVerifiedBy {
  const verifiedBy = spendVerification(ctx, memberId, caller);
  if (verifiedBy) return verifiedBy;
  throw new KasaError(
    'VERIFICATION_REQUIRED',
    ctx.settings.redemptionVerification === 'card-present'
      ? "Spending points needs the customer's card in this sale (scan the loyalty card or swipe a linked payment card), the customer's PIN, or a manager's approval"
      : "Spending points needs the customer's PIN (or a manager's approval)",
    { policy: ctx.settings.redemptionVerification },
  );
}
