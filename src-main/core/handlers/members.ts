import { KasaError } from '../../../src-shared/api/errors';
import { normalizePhone } from '../../../src-shared/domain/phone';
import type { EnrolPayload } from '../../../src-shared/ledger/payloads';
import type { LedgerRow } from '../ledger-writer';
import { CustomerPins } from '../customer-pins';
import { MembersRepo } from '../members-repo';
import type { HandlerModule } from './handler-types';

type MemberMethods = 'members.lookup' | 'members.enroll' | 'members.get' | 'members.history' | 'members.setCustomerPin';

export const memberHandlers: HandlerModule<MemberMethods> = (ctx) => {
  const { db, ledger } = ctx;
  const members = new MembersRepo(db);
  const customerPins = new CustomerPins(db, ctx.audit, ctx.now);
  const history = db.prepare<[string, number, number], LedgerRow>(
    'SELECT * FROM ledger WHERE member_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );

  const requireMember = (memberId: string) => {
    const member = members.byId(memberId);
    if (!member) throw new KasaError('NOT_FOUND', `No member with id ${memberId}`);
    return member;
  };

  const enroll = db.transaction((phone: string, name: string | null, customerPin: string | undefined) => {
    const existing = members.byPhone(phone);
    if (existing) return { member: existing, created: false };
    const memberId = ctx.newId();
    const at = ctx.now();
    members.insert(memberId, phone, name, at);
    if (customerPin) customerPins.set(memberId, customerPin);
    const payload: EnrolPayload = { phone, name };
    ledger.append(
      [{ kind: 'enrol', memberId, points: 0, amountMinor: null, currency: null, ruleSetVersion: null, saleId: null, breakdown: [], payload, cashierId: null }],
      at,
    );
    return { member: requireMember(memberId), created: true };
  });

  return {
    'members.lookup': (args) => {
      if ('memberId' in args) return { member: members.byId(args.memberId), normalizedPhone: null };
      const phone = normalizePhone(args.phone, ctx.settings.country);
      return { member: members.byPhone(phone), normalizedPhone: phone };
    },
    'members.enroll': (args, caller) => {
      const phone = normalizePhone(args.phone, ctx.settings.country);
      const name = args.name && args.name.length > 0 ? args.name : null;
      const result = enroll(phone, name, args.customerPin);
      if (result.created) ctx.events.emit('member.enrolled', { memberId: result.member.memberId, by: caller.userId });
      return result;
    },
    'members.get': (args) => requireMember(args.memberId),
    'members.setCustomerPin': (args) => {
      requireMember(args.memberId);
      customerPins.set(args.memberId, args.pin);
      return requireMember(args.memberId);
    },
    'members.history': (args) => {
      requireMember(args.memberId);
      const rows = history.all(args.memberId, args.beforeSeq ?? Number.MAX_SAFE_INTEGER, args.limit + 1);
      const page = rows.slice(0, args.limit);
      return {
        entries: page.map((r) => ({
          seq: r.seq,
          kind: r.kind,
          points: r.points,
          amountMinor: r.amount_minor,
          currency: r.currency,
          saleId: r.sale_id,
          deviceTime: r.device_time,
          breakdown: JSON.parse(r.breakdown),
        })),
        nextBeforeSeq: rows.length > args.limit ? (page.at(-1)?.seq ?? null) : null,
      };
    },
  };
};
