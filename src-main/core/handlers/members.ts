import type { Member } from '../../../src-shared/api/contract';
import { because, KasaError } from '../../../src-shared/api/errors';
import { normalizePhone } from '../../../src-shared/domain/phone';
import type { EnrolPayload } from '../../../src-shared/ledger/payloads';
import type { LedgerRow } from '../ledger-writer';
import { CustomerPins } from '../customer-pins';
import { MemberProgrammeRepo } from '../member-programme';
import { MembersRepo } from '../members-repo';
import { formatReferralCode } from '../referral-code';
import type { HandlerModule } from './handler-types';

/** E.164 as normalizePhone writes it: "+", a country code that does not start with 0, at most 15 digits. */
const CANONICAL_E164 = /^\+[1-9]\d{1,14}$/;

type MemberMethods = 'members.lookup' | 'members.enroll' | 'members.get' | 'members.history' | 'members.setCustomerPin' | 'members.referralCode';

/** On `enrol`, beyond the first schema: who referred the member and their birth month, for the server. */
type ProgrammeEnrolPayload = EnrolPayload & { referrerMemberId?: string; birthMonth?: number };

export const memberHandlers: HandlerModule<MemberMethods> = (ctx) => {
  const { db, ledger } = ctx;
  const members = new MembersRepo(db);
  const customerPins = new CustomerPins(db, ctx.audit, ctx.now);
  const programme = new MemberProgrammeRepo(db, ledger);
  /** The member with their tier, progress, expiring points and referral code, as of now. */
  const withProgramme = (member: Member | null): Member | null => {
    if (!member) return null;
    const clock = { at: ctx.now(), timeZone: ctx.settings.timeZone };
    return { ...member, programme: programme.view(member.memberId, ctx.activeRuleSet(), clock) };
  };
  const history = db.prepare<[string, number, number], LedgerRow>(
    'SELECT * FROM ledger WHERE member_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );

  const requireMember = (memberId: string) => {
    const member = members.byId(memberId);
    if (!member) throw new KasaError('NOT_FOUND', `No member with id ${memberId}`);
    return member;
  };

  /** `cashierId`: who enrolled the member, as on every other entry (the day report's and the server's per-cashier counts). */
  type EnrolOptions = { customerPin?: string | undefined; referralCode?: string | undefined; birthMonth?: number | undefined; cashierId: string | null };
  const enroll = db.transaction((phone: string, name: string | null, options: EnrolOptions) => {
    const existing = members.byPhone(phone);
    // Joining happens once: a code given with a number already enrolled refers nobody (never oneself).
    if (existing) return { member: existing, created: false };
    const referrerMemberId = options.referralCode === undefined ? null : programme.memberByCode(options.referralCode);
    if (options.referralCode !== undefined && referrerMemberId === null) {
      const code = options.referralCode.slice(0, 20);
      throw new KasaError('NOT_FOUND', `No member has the referral code ${code} on this terminal: check it, or enrol without it`, because('referral-code', { code }));
    }
    const memberId = ctx.newId();
    const at = ctx.now();
    members.insert(memberId, phone, name, at);
    programme.ensure(memberId, { referrerMemberId, birthMonth: options.birthMonth ?? null });
    if (options.customerPin) customerPins.set(memberId, options.customerPin);
    const payload: ProgrammeEnrolPayload = {
      phone,
      name,
      ...(referrerMemberId ? { referrerMemberId } : {}),
      ...(options.birthMonth ? { birthMonth: options.birthMonth } : {}),
    };
    ledger.append(
      [{ kind: 'enrol', memberId, points: 0, amountMinor: null, currency: null, ruleSetVersion: null, saleId: null, breakdown: [], payload, cashierId: options.cashierId }],
      at,
    );
    return { member: requireMember(memberId), created: true };
  });

  return {
    // The member and their programme view in one read: this is the counter's hot path.
    'members.lookup': (args) => {
      const clock = { at: ctx.now(), timeZone: ctx.settings.timeZone };
      const ruleSet = ctx.ruleSets.activeAt(clock.at).ruleSet;
      if ('memberId' in args) return { member: programme.panelById(args.memberId, ruleSet, clock), normalizedPhone: null };
      // Stored phones are normalizePhone's output, which it maps to itself: a member holding exactly
      // what was sent is the answer without parsing it again (parsing is most of a lookup's time).
      const canonical = CANONICAL_E164.test(args.phone);
      const exact = canonical ? programme.panelByPhone(args.phone, ruleSet, clock) : null;
      if (exact) return { member: exact, normalizedPhone: args.phone };
      const phone = normalizePhone(args.phone, ctx.settings.country);
      // Already looked for under this spelling.
      if (canonical && phone === args.phone) return { member: null, normalizedPhone: phone };
      return { member: programme.panelByPhone(phone, ruleSet, clock), normalizedPhone: phone };
    },
    'members.enroll': (args, caller) => {
      const phone = normalizePhone(args.phone, ctx.settings.country);
      const name = args.name && args.name.length > 0 ? args.name : null;
      const result = enroll(phone, name, { customerPin: args.customerPin, referralCode: args.referralCode, birthMonth: args.birthMonth, cashierId: caller.userId });
      if (result.created) ctx.events.emit('member.enrolled', { memberId: result.member.memberId, by: caller.userId });
      return { member: withProgramme(result.member) ?? result.member, created: result.created };
    },
    'members.get': (args) => withProgramme(requireMember(args.memberId)) ?? requireMember(args.memberId),
    'members.referralCode': (args) => {
      requireMember(args.memberId);
      // The code is derived from the member id; storing it lets enrolment find the member by it.
      const { referralCode } = db.transaction(() => programme.ensure(args.memberId))();
      return { memberId: args.memberId, code: referralCode, display: formatReferralCode(referralCode), ...programme.referredCounts(args.memberId) };
    },
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
