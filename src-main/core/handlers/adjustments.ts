// Manual balance adjustments (issue 7): a manager, or a cashier with a manager's override, adds or
// takes away points with a reason code. The points move through one `adjust` ledger entry (so they
// sync and the server recomputes the balance); the `adjustments` row keeps the receipt for retries.
// The dispatcher's audit record of the call names the user, the approving manager and the balances.
import type { AdjustmentReceipt } from '../../../src-shared/api/contract';
import { KasaError } from '../../../src-shared/api/errors';
import { canonicalJson } from '../../../src-shared/ledger/canonical-json';
import type { AdjustPayload } from '../../../src-shared/ledger/payloads';
import { sha256Hex } from '../ledger-writer';
import { MemberProgrammeRepo } from '../member-programme';
import { MembersRepo } from '../members-repo';
import type { HandlerModule } from './handler-types';

export const adjustmentHandlers: HandlerModule<'members.adjust'> = (ctx) => {
  const { db } = ctx;
  const members = new MembersRepo(db);
  const programme = new MemberProgrammeRepo(db, ctx.ledger);
  const byKey = db.prepare<[string], { request_hash: string; receipt: string }>('SELECT request_hash, receipt FROM adjustments WHERE idempotency_key = ?');
  const insert = db.prepare(`INSERT INTO adjustments (adjustment_id, idempotency_key, request_hash, member_id, points, reason, note,
    cashier_id, approved_by, balance_before, balance_after, entry_seq, adjusted_at, receipt)
    VALUES (@adjustmentId, @idempotencyKey, @requestHash, @memberId, @points, @reason, @note, @userId, @approvedBy,
    @balanceBefore, @balanceAfter, @entrySeq, @adjustedAt, @receipt)`);

  return {
    'members.adjust': (args, caller) => {
      // The contract already requires the manager role; a cashier reaches here only through an override.
      if (caller.role !== 'manager') throw new KasaError('FORBIDDEN', 'Adjusting a balance needs a manager');
      const { idempotencyKey, ...request } = args;
      const note = request.note && request.note.length > 0 ? request.note : null;
      const requestHash = sha256Hex(canonicalJson({ ...request, note }));
      const previous = byKey.get(idempotencyKey);
      if (previous) {
        if (previous.request_hash !== requestHash) {
          throw new KasaError('IDEMPOTENCY_CONFLICT', `Idempotency key ${idempotencyKey} was already used for a different adjustment`);
        }
        return JSON.parse(previous.receipt) as AdjustmentReceipt;
      }
      const found = members.byId(request.memberId);
      if (!found) throw new KasaError('NOT_FOUND', `No member with id ${request.memberId}`);
      const memberId = found.memberId;
      const clock = { at: ctx.now(), timeZone: ctx.settings.timeZone };
      const ruleSet = ctx.activeRuleSet();
      // Points past their last day go first, so "before" is what the member really has now.
      programme.expireDue(memberId, ruleSet, clock, caller.userId);
      const balanceBefore = members.byId(memberId)?.balance ?? 0;
      const balanceAfter = balanceBefore + request.points;
      if (balanceAfter < 0) {
        throw new KasaError(
          'INSUFFICIENT_POINTS',
          `The member has ${balanceBefore} points: taking away ${-request.points} would leave ${balanceAfter}. An adjustment never takes a balance below zero`,
          // `requested` as every INSUFFICIENT_POINTS says it, for the screen's own sentence.
          { balance: balanceBefore, requested: -request.points, balanceAfter },
        );
      }
      const adjustmentId = ctx.newId();
      const approvedBy = caller.approvedBy ?? null;
      const payload: AdjustPayload = { adjustmentId, reason: request.reason, note, approvedBy, balanceBefore, balanceAfter };
      const written = ctx.ledger.append(
        [
          {
            kind: 'adjust',
            memberId,
            points: request.points,
            amountMinor: null,
            currency: null,
            ruleSetVersion: ruleSet.version,
            saleId: null,
            breakdown: [{ ruleId: `adjust:${request.reason}`, label: note ?? request.reason, points: request.points }],
            payload,
            cashierId: caller.userId,
          },
        ],
        clock.at,
      );
      programme.applyToLots(written, ruleSet, clock);
      const member = members.byId(memberId);
      if (!member) throw new KasaError('NOT_FOUND', `No member with id ${memberId}`);
      const receipt: AdjustmentReceipt = {
        adjustmentId,
        idempotencyKey,
        memberId,
        points: request.points,
        reason: request.reason,
        note,
        userId: caller.userId,
        approvedBy,
        balanceBefore,
        balanceAfter: member.balance,
        adjustedAt: clock.at,
        member,
        entrySeqs: written.map((e) => e.seq),
      };
      insert.run({ ...receipt, requestHash, entrySeq: written[0]?.seq ?? 0, receipt: JSON.stringify(receipt) });
      return receipt;
    },
  };
};
