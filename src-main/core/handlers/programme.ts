import type { DonationReceipt, Member, ProgramView, RewardView, SpendVerifiedBy } from '../../../src-shared/api/contract';
import { KasaError } from '../../../src-shared/api/errors';
import { canonicalJson } from '../../../src-shared/ledger/canonical-json';
import { explainRuleSet } from '../../../src-shared/program/explain';
import { donationEntryDrafts } from '../../../src-shared/program/ledger-drafts';
import type { Clock } from '../../../src-shared/program/local-time';
import { listRewards, quoteDonation } from '../../../src-shared/program/rewards';
import type { RuleSet } from '../../../src-shared/program/rule-set';
import { sha256Hex } from '../ledger-writer';
import { MemberProgrammeRepo } from '../member-programme';
import { MembersRepo } from '../members-repo';
import type { CallerContext, HandlerModule } from './handler-types';
import { checkSpendVerification } from './sales';

type ProgrammeMethods = 'program.get' | 'program.install' | 'rewards.list' | 'rewards.donate';

/** The active rule set for people: a summary, "How points work", and the document. */
export function programView(ruleSet: RuleSet, meta: Pick<ProgramView, 'source' | 'activeFrom' | 'installedAt' | 'scheduled'>, locale: string): ProgramView {
  return {
    version: ruleSet.version,
    name: ruleSet.name,
    currency: ruleSet.currency,
    ...meta,
    summary: {
      pointsPerUnit: ruleSet.earning.pointsPerUnit,
      minorPerPoint: ruleSet.redemption.minorPerPoint,
      tiers: (ruleSet.tiers?.levels ?? []).map((l) => ({ tierId: l.id, name: l.name, threshold: l.threshold, multiplier: l.multiplier, perks: l.perks })),
      tierBasis: ruleSet.tiers?.basis ?? null,
      promotions: ruleSet.promotions.map((p) => ({ id: p.id, label: p.label })),
      stacking: ruleSet.stacking ?? null,
      rewards: ruleSet.rewards.length,
      referral: ruleSet.referral ? { referrerPoints: ruleSet.referral.referrerPoints, refereePoints: ruleSet.referral.refereePoints } : null,
      expiryMonths: ruleSet.expiry.type === 'months' ? ruleSet.expiry.months : null,
    },
    explanation: explainRuleSet(ruleSet, { locale }),
    ruleSet: JSON.parse(canonicalJson(ruleSet)) as Record<string, unknown>,
  };
}

export const programmeHandlers: HandlerModule<ProgrammeMethods> = (ctx) => {
  const { db } = ctx;
  const members = new MembersRepo(db);
  const programme = new MemberProgrammeRepo(db, ctx.ledger);
  const donationByKey = db.prepare<[string], { request_hash: string; receipt: string }>('SELECT request_hash, receipt FROM donations WHERE idempotency_key = ?');
  const insertDonation = db.prepare(`INSERT INTO donations (donation_id, idempotency_key, request_hash, member_id, reward_id, charity,
    member_points, match_points, rule_set_version, donated_at, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const clockNow = (): Clock => ({ at: ctx.now(), timeZone: ctx.settings.timeZone });
  const requireMember = (memberId: string): Member => {
    const member = members.byId(memberId);
    if (!member) throw new KasaError('NOT_FOUND', `No member with id ${memberId}`);
    return member;
  };

  const donate = db.transaction((args: { memberId: string; rewardId: string; points: number; idempotencyKey: string }, caller: CallerContext, verifiedBy: SpendVerifiedBy): DonationReceipt => {
    const requestHash = sha256Hex(canonicalJson({ memberId: args.memberId, rewardId: args.rewardId, points: args.points }));
    const previous = donationByKey.get(args.idempotencyKey);
    if (previous) {
      if (previous.request_hash !== requestHash) {
        throw new KasaError('IDEMPOTENCY_CONFLICT', `Idempotency key ${args.idempotencyKey} was already used for a different donation`);
      }
      return JSON.parse(previous.receipt) as DonationReceipt;
    }
    requireMember(args.memberId);
    const clock = clockNow();
    const ruleSet = ctx.activeRuleSet();
    programme.expireDue(args.memberId, ruleSet, clock, caller.userId);
    const member = requireMember(args.memberId);
    const tier = programme.tier(member.memberId, ruleSet, clock);
    const donation = quoteDonation(ruleSet, { balance: member.balance, tierId: tier?.tierId ?? null }, args.rewardId, args.points);
    ctx.spendGuard(member.memberId, args.points, caller, ruleSet);
    const donationId = ctx.newId();
    const drafts = donationEntryDrafts(donation, {
      donationId,
      memberId: member.memberId,
      cashierId: caller.userId,
      ruleSetVersion: ruleSet.version,
      currency: ruleSet.currency,
    });
    const written = ctx.ledger.append(drafts, clock.at);
    programme.applyToLots(written, ruleSet, clock);
    const after = requireMember(member.memberId);
    const receipt: DonationReceipt = {
      donationId,
      idempotencyKey: args.idempotencyKey,
      rewardId: donation.rewardId,
      charity: donation.charity,
      memberPoints: donation.memberPoints,
      memberValueMinor: donation.memberValueMinor,
      matchPoints: donation.matchPoints,
      matchValueMinor: donation.matchValueMinor,
      donatedAt: clock.at,
      member: { ...after, programme: programme.view(after.memberId, ruleSet, clock) },
      balanceAfter: after.balance,
      entrySeqs: written.map((e) => e.seq),
      verifiedBy,
    };
    insertDonation.run(
      donationId,
      args.idempotencyKey,
      requestHash,
      member.memberId,
      donation.rewardId,
      donation.charity,
      donation.memberPoints,
      donation.matchPoints,
      ruleSet.version,
      clock.at,
      JSON.stringify(receipt),
    );
    return receipt;
  });

  return {
    'program.get': () => {
      const now = ctx.now();
      const active = ctx.ruleSets.activeAt(now);
      return programView(
        active.ruleSet,
        { source: active.source, activeFrom: active.activeFrom, installedAt: active.installedAt, scheduled: ctx.ruleSets.scheduledAfter(now) },
        ctx.settings.locale,
      );
    },
    'program.install': (args, caller) =>
      ctx.ruleSets.install(args.ruleSet, { activeFrom: args.activeFrom ?? null, now: ctx.now(), by: caller.approvedBy ?? caller.userId }),
    'rewards.list': (args) => {
      const member = requireMember(args.memberId);
      const clock = clockNow();
      const ruleSet = ctx.activeRuleSet();
      const balance = member.balance - programme.duePoints(member.memberId, clock);
      const tier = programme.tier(member.memberId, ruleSet, clock);
      const available = listRewards(ruleSet, { balance, tierId: tier?.tierId ?? null }, args.lines ?? null);
      const texts = explainRuleSet(ruleSet, { locale: ctx.settings.locale }).sections.find((s) => s.key === 'rewards')?.items ?? [];
      const rewards: RewardView[] = available.map((a, i) => {
        const reward = ruleSet.rewards[i];
        return {
          ...a,
          description: texts[i]?.text ?? a.label,
          donation:
            reward?.type === 'donation'
              ? { charity: reward.charity, minimumPoints: reward.minimumPoints, stepPoints: reward.stepPoints, match: reward.match }
              : null,
        };
      });
      return { memberId: member.memberId, balance, spendable: Math.max(0, balance - ruleSet.redemption.minimumBalance), rewards };
    },
    'rewards.donate': (args, caller) => {
      const verifiedBy = checkSpendVerification(ctx, args.memberId, caller);
      return donate(args, caller, verifiedBy);
    },
  };
};
