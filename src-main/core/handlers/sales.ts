import type { SaleQuote, SaleReceipt } from '../../../src-shared/api/contract';
import { KasaError } from '../../../src-shared/api/errors';
import { canonicalJson } from '../../../src-shared/ledger/canonical-json';
import type { EarnPayload, RedeemPayload } from '../../../src-shared/ledger/payloads';
import { quoteSale, type EngineSale } from '../../../src-shared/program/engine';
import type { CoreContext } from '../core-context';
import { sha256Hex, type NewEntry } from '../ledger-writer';
import { MembersRepo } from '../members-repo';
import type { CallerContext, HandlerModule } from './handler-types';

type SaleMethods = 'sales.preview' | 'sales.complete';

type SaleInput = EngineSale & { memberId?: string | undefined };

function quoteFor(ctx: CoreContext, members: MembersRepo, sale: SaleInput): SaleQuote {
  const member = sale.memberId === undefined ? null : members.byId(sale.memberId);
  if (sale.memberId !== undefined && !member) throw new KasaError('NOT_FOUND', `No member with id ${sale.memberId}`);
  const ruleSet = ctx.activeRuleSet();
  if (ruleSet.currency !== ctx.settings.currency) {
    throw new KasaError('PROGRAM_INVALID', `The programme is in ${ruleSet.currency} but the store sells in ${ctx.settings.currency}`);
  }
  const quote = quoteSale(ruleSet, sale, member ? member.balance : null);
  return {
    ...quote,
    member,
    balanceAfter: member ? member.balance + quote.pointsEarned - quote.pointsRedeemed : null,
  };
}

function entriesFor(quote: SaleQuote, saleId: string, memberId: string, caller: CallerContext): NewEntry[] {
  const cashierId = caller.userId;
  const common = { memberId, currency: quote.currency, ruleSetVersion: quote.ruleSetVersion, saleId, cashierId };
  const earn: EarnPayload = {
    lines: quote.lines.map((l) => ({ ...(l.sku ? { sku: l.sku } : {}), category: l.category, qty: l.qty, unitPriceMinor: l.unitPriceMinor })),
    redeemPoints: quote.pointsRedeemed,
    subtotalMinor: quote.subtotalMinor,
    discountMinor: quote.discountMinor,
  };
  const entries: NewEntry[] = [];
  if (quote.pointsRedeemed > 0) {
    const redeem: RedeemPayload = {
      discountMinor: quote.discountMinor,
      ...(caller.approvedBy ? { approvedBy: caller.approvedBy } : {}),
      verifiedBy: caller.customerVerifiedFor === memberId ? 'customer-pin' : caller.approvedBy ? 'manager' : 'none',
    };
    entries.push({
      ...common,
      kind: 'redeem',
      points: -quote.pointsRedeemed,
      amountMinor: quote.discountMinor,
      breakdown: [{ ruleId: 'redeem.discount', label: `${quote.pointsRedeemed} points as a discount`, points: -quote.pointsRedeemed }],
      payload: redeem,
    });
  }
  // An earn entry even for 0 points: the purchase itself is part of the member's history.
  entries.push({ ...common, kind: 'earn', points: quote.pointsEarned, amountMinor: quote.totalMinor, breakdown: quote.breakdown, payload: earn });
  return entries;
}

export const saleHandlers: HandlerModule<SaleMethods> = (ctx) => {
  const { db } = ctx;
  const members = new MembersRepo(db);
  const byKey = db.prepare<[string], { request_hash: string; receipt: string }>('SELECT request_hash, receipt FROM sales WHERE idempotency_key = ?');
  const insertSale = db.prepare(`INSERT INTO sales (sale_id, idempotency_key, request_hash, member_id, currency, subtotal_minor,
    discount_minor, total_minor, points_earned, points_redeemed, rule_set_version, cashier_id, completed_at, receipt)
    VALUES (@saleId, @idempotencyKey, @requestHash, @memberId, @currency, @subtotalMinor, @discountMinor, @totalMinor,
    @pointsEarned, @pointsRedeemed, @ruleSetVersion, @cashierId, @completedAt, @receipt)`);
  const insertLine = db.prepare(`INSERT INTO sale_lines (sale_id, line_no, sku, name, category, qty, unit_price_minor,
    amount_minor, discount_minor, points) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const complete = db.transaction((sale: SaleInput & { idempotencyKey: string }, caller: CallerContext): { receipt: SaleReceipt; replayed: boolean } => {
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
    const quote = quoteFor(ctx, members, draft);
    const saleId = ctx.newId();
    const completedAt = ctx.now();
    const written = quote.member ? ctx.ledger.append(entriesFor(quote, saleId, quote.member.memberId, caller), completedAt) : [];
    const member = quote.member ? members.byId(quote.member.memberId) : null;
    const receipt: SaleReceipt = {
      ...quote,
      member,
      balanceAfter: member ? member.balance : null,
      saleId,
      idempotencyKey,
      completedAt,
      entrySeqs: written.map((e) => e.seq),
    };
    insertSale.run({ ...receipt, requestHash, memberId: member?.memberId ?? null, cashierId, receipt: JSON.stringify(receipt) });
    quote.lines.forEach((l, i) =>
      insertLine.run(saleId, i, l.sku ?? null, l.name ?? null, l.category, l.qty, l.unitPriceMinor, l.amountMinor, l.discountMinor, l.points),
    );
    return { receipt, replayed: false };
  });

  return {
    'sales.preview': (args) => quoteFor(ctx, members, args),
    'sales.complete': (args, caller) => {
      const verificationNeeded =
        ctx.settings.redemptionVerification === 'customer-pin' && (args.redeemPoints ?? 0) > 0 && !caller.approvedBy && caller.customerVerifiedFor !== args.memberId;
      if (verificationNeeded) {
        throw new KasaError('VERIFICATION_REQUIRED', "Spending points needs the customer's PIN (or a manager's approval)");
      }
      const { receipt, replayed } = complete(args, caller);
      if (!replayed) {
        ctx.events.emit('sale.completed', { saleId: receipt.saleId, memberId: receipt.member?.memberId ?? null, pointsEarned: receipt.pointsEarned });
      }
      return receipt;
    },
  };
};
