// Replay: recompute every point of a run of ledger entries with the rule-set version each one
// recorded, and report each entry whose points do not follow. Pure: the server runs it over a day
// (or a terminal's whole history), a test runs it over a generated ledger, anyone can run it.
import type { LedgerEntry, LedgerKind } from '../ledger/entry';
import { adjustEntryProblem } from '../ledger/payloads';
import { isCertainProgramEarnPayload } from './earn-payload-check';
import { computeSale, type SaleComputation } from './engine';
import { computeLots, type LotEntry } from './expiry';
import { DonatePayload, ExpirePayload, ProgramEarnPayload, ReferralPayload, RefundPayload } from './ledger-payloads';
import { computeRefund, type RecordedSale } from './refund';
import type { RuleSet } from './rule-set';
import type { MemberContext } from './sale-types';

export type RuleSetSource = ReadonlyMap<string, RuleSet> | ((version: string) => RuleSet | undefined);

export type ReplayMismatch = {
  terminalId: string;
  seq: number;
  kind: LedgerKind;
  memberId: string;
  saleId: string | null;
  reason:
    | 'unknown-rule-set'
    | 'bad-payload'
    | 'points'
    | 'breakdown'
    | 'amount'
    | 'missing-sale'
    | 'not-computable'
    | 'referral-twice'
    | 'self-referral'
    | 'donation-match';
  expected?: number | undefined;
  actual?: number | undefined;
  detail: string;
};

export type ReplayReport = {
  entries: number;
  /** Entries whose points were recomputed and found right. */
  verified: number;
  /** Entries with nothing to recompute (enrolments; expiries without the full history). */
  skipped: number;
  mismatches: ReplayMismatch[];
  byKind: Partial<Record<LedgerKind, { entries: number; verified: number }>>;
};

export type ReplayOptions = {
  /** Zone for entries recorded without one (the first engine's). */
  timeZone?: string;
  /** Earn entries of sales outside `entries` (refunds of earlier days), by sale id. */
  findSaleEntries?: (saleId: string) => readonly LedgerEntry[];
  /** `entries` hold every entry of their members from the first: expiries are verified too. */
  fullHistory?: boolean;
  /** Stop collecting after this many mismatches (the count of verified entries stays exact). */
  maxMismatches?: number;
};

const LEGACY_BALANCE = Number.MAX_SAFE_INTEGER;

function legacyMember(memberId: string): MemberContext {
  return { memberId, balance: LEGACY_BALANCE, tier: null, qualifying: 0, firstPurchase: false, birthMonth: null, pointsEarnedToday: 0, referral: null };
}

/** The sale an earn entry recorded, ready to recompute. */
export function recordedSaleOf(entry: LedgerEntry, ruleSet: RuleSet, defaultTimeZone: string): RecordedSale | null {
  let p: ProgramEarnPayload;
  if (isCertainProgramEarnPayload(entry.payload)) p = entry.payload;
  else {
    const parsed = ProgramEarnPayload.safeParse(entry.payload);
    if (!parsed.success) return null;
    p = parsed.data;
  }
  return {
    ruleSet,
    request: { lines: p.lines, redeemPoints: p.redeemPoints, rewards: p.rewards, offers: p.offers },
    member: p.member ?? legacyMember(entry.memberId),
    clock: p.at ? { at: p.at, timeZone: p.timeZone ?? defaultTimeZone } : null,
  };
}

const sameBreakdown = (a: LedgerEntry['breakdown'], b: LedgerEntry['breakdown']): boolean =>
  a.length === b.length && a.every((x, i) => x.ruleId === b[i]?.ruleId && x.points === b[i]?.points && (x.lineIndex ?? -1) === (b[i]?.lineIndex ?? -1));

/** Kinds whose points replay checks (an expiry too, with the full history). */
const CHECKED_KINDS: ReadonlySet<LedgerKind> = new Set<LedgerKind>(['earn', 'redeem', 'referral', 'refund', 'donate', 'adjust']);

type SaleResult = { sale: RecordedSale; result: SaleComputation };
/** A sale named by entries of the run: its earn entry there, how many entries are still to come, its recomputation. */
type SaleRecord = { earn: LedgerEntry | undefined; entriesLeft: number; computed: SaleResult | string | undefined };

export function replayLedger(entries: readonly LedgerEntry[], ruleSets: RuleSetSource, options: ReplayOptions = {}): ReplayReport {
  const ruleSetOf = typeof ruleSets === 'function' ? ruleSets : (v: string) => ruleSets.get(v);
  const timeZone = options.timeZone ?? 'UTC';
  const maxMismatches = options.maxMismatches ?? 10_000;
  const report: ReplayReport = { entries: 0, verified: 0, skipped: 0, mismatches: [], byKind: {} };

  // Each sale's earn entry, and how many entries name the sale: its recomputation is dropped after
  // the last of them, so a long ledger keeps only the sales still in progress in memory.
  const sales = new Map<string, SaleRecord>();
  for (const e of entries) {
    if (e.saleId === null) continue;
    let record = sales.get(e.saleId);
    if (!record) {
      record = { earn: undefined, entriesLeft: 0, computed: undefined };
      sales.set(e.saleId, record);
    }
    record.entriesLeft += 1;
    if (e.kind === 'earn' && record.earn === undefined) record.earn = e;
  }

  /** The sale behind an entry, recomputed once; a string says why it cannot be. */
  const saleFor = (saleId: string, record: SaleRecord): SaleResult | string => {
    if (record.computed !== undefined) return record.computed;
    let value: SaleResult | string;
    const earn = record.earn ?? options.findSaleEntries?.(saleId).find((x) => x.kind === 'earn');
    const rs = earn?.ruleSetVersion ? ruleSetOf(earn.ruleSetVersion) : undefined;
    if (!earn) value = 'missing-sale';
    else if (!rs) value = 'unknown-rule-set';
    else {
      const sale = recordedSaleOf(earn, rs, timeZone);
      if (!sale) value = 'bad-payload';
      else {
        try {
          value = { sale, result: computeSale(rs, sale.request, sale.member, sale.clock, { trustBalance: true }) };
        } catch (error) {
          value = `not-computable: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
    }
    record.computed = value;
    return value;
  };

  const mismatch = (e: LedgerEntry, reason: ReplayMismatch['reason'], detail: string, expected?: number) => {
    if (report.mismatches.length < maxMismatches) {
      report.mismatches.push({ terminalId: e.terminalId, seq: e.seq, kind: e.kind, memberId: e.memberId, saleId: e.saleId, reason, expected, actual: e.points, detail });
    }
  };
  const fromSale = (e: LedgerEntry, record: SaleRecord | undefined): SaleResult | null => {
    if (e.saleId === null || record === undefined) {
      mismatch(e, 'missing-sale', 'entry names no sale');
      return null;
    }
    const found = saleFor(e.saleId, record);
    if (typeof found === 'string') {
      const reason = found.startsWith('not-computable') ? 'not-computable' : (found as ReplayMismatch['reason']);
      mismatch(e, reason, `sale ${e.saleId}: ${found}`);
      return null;
    }
    return found;
  };
  const expectPoints = (e: LedgerEntry, expected: number, what: string): boolean => {
    if (e.points === expected) return true;
    mismatch(e, 'points', `${what}: recomputed ${expected}, recorded ${e.points}`, expected);
    return false;
  };

  const refereesRewarded = new Map<string, number>();
  const history = new Map<string, LotEntry[]>();

  for (const e of entries) {
    report.entries += 1;
    const counts = (report.byKind[e.kind] ??= { entries: 0, verified: 0 });
    counts.entries += 1;
    const record = e.saleId === null ? undefined : sales.get(e.saleId);
    let verified = false;

    switch (e.kind) {
      case 'earn': {
        const found = fromSale(e, record);
        if (!found) break;
        const { result } = found;
        if (!expectPoints(e, result.pointsEarned, 'earned points')) break;
        if (!sameBreakdown(e.breakdown, result.breakdown)) {
          mismatch(e, 'breakdown', 'the points match but not rule by rule', result.pointsEarned);
          break;
        }
        if (e.amountMinor !== null && e.amountMinor !== result.totalMinor) {
          mismatch(e, 'amount', `paid ${result.totalMinor} recomputed, ${e.amountMinor} recorded`);
          break;
        }
        verified = true;
        break;
      }
      case 'redeem': {
        const found = fromSale(e, record);
        if (found) verified = expectPoints(e, -found.result.pointsRedeemed, 'redeemed points');
        break;
      }
      case 'referral': {
        const payload = ReferralPayload.safeParse(e.payload);
        if (!payload.success) {
          mismatch(e, 'bad-payload', 'referral payload does not parse');
          break;
        }
        const p = payload.data;
        if (p.referrerMemberId === p.refereeMemberId) {
          mismatch(e, 'self-referral', `member ${p.refereeMemberId} referred themself`);
          break;
        }
        const found = fromSale(e, record);
        if (!found) break;
        const award = found.result.referral;
        const expected = award ? (p.role === 'referee' ? award.refereePoints : award.referrerPoints) : 0;
        if (!expectPoints(e, expected, `referral (${p.role})`)) break;
        if (p.role === 'referee') {
          const times = (refereesRewarded.get(p.refereeMemberId) ?? 0) + 1;
          refereesRewarded.set(p.refereeMemberId, times);
          if (times > 1) {
            mismatch(e, 'referral-twice', `member ${p.refereeMemberId} earned a referral bonus again`);
            break;
          }
        }
        verified = true;
        break;
      }
      case 'refund': {
        const payload = RefundPayload.safeParse(e.payload);
        if (!payload.success) {
          mismatch(e, 'bad-payload', 'refund payload does not parse');
          break;
        }
        const found = fromSale(e, record);
        if (!found) break;
        const p = payload.data;
        let refund;
        try {
          refund = computeRefund(found.sale, p.refundedBefore, { lines: p.lines });
        } catch (error) {
          mismatch(e, 'not-computable', error instanceof Error ? error.message : String(error));
          break;
        }
        if (p.part === 'earnReversal') verified = expectPoints(e, -refund.pointsReversed, 'points taken back');
        else if (p.part === 'redeemReturn') verified = expectPoints(e, refund.pointsReturned, 'points given back');
        else {
          const award = refund.referralReversal;
          const expected = award ? -(p.referralRole === 'referrer' ? award.referrerPoints : award.refereePoints) : 0;
          verified = expectPoints(e, expected, 'referral reversal');
          if (verified && p.referralRole === 'referee' && award) {
            refereesRewarded.set(award.refereeMemberId, Math.max(0, (refereesRewarded.get(award.refereeMemberId) ?? 0) - 1));
          }
        }
        break;
      }
      case 'donate': {
        const payload = DonatePayload.safeParse(e.payload);
        const rs = e.ruleSetVersion ? ruleSetOf(e.ruleSetVersion) : undefined;
        if (!payload.success) {
          mismatch(e, 'bad-payload', 'donation payload does not parse');
          break;
        }
        if (!rs) {
          mismatch(e, 'unknown-rule-set', `rule set ${e.ruleSetVersion ?? '(none)'} is not known`);
          break;
        }
        const p = payload.data;
        const reward = rs.rewards.find((r) => r.id === p.rewardId);
        if (!reward || reward.type !== 'donation') {
          mismatch(e, 'donation-match', `reward ${p.rewardId} is not a donation in ${rs.version}`);
          break;
        }
        const matchPoints = Math.floor((p.memberPoints * reward.match.programmePoints) / reward.match.perMemberPoints);
        if (p.matchPoints !== matchPoints) {
          mismatch(e, 'donation-match', `match ${matchPoints} recomputed, ${p.matchPoints} recorded`, matchPoints);
          break;
        }
        const points = p.role === 'member' ? -p.memberPoints : 0;
        const value = (p.role === 'member' ? p.memberPoints : matchPoints) * rs.redemption.minorPerPoint;
        if (!expectPoints(e, points, `donation (${p.role})`)) break;
        if (e.amountMinor !== value) {
          mismatch(e, 'amount', `value ${value} recomputed, ${String(e.amountMinor)} recorded`);
          break;
        }
        verified = true;
        break;
      }
      case 'adjust': {
        // Nothing to recompute from a rule set: the entry must hold together (reason, bounds, before + points = after).
        const problem = adjustEntryProblem(e);
        if (problem) mismatch(e, problem.startsWith('adjust payload') || problem.startsWith('reason') ? 'bad-payload' : 'points', problem);
        else verified = true;
        break;
      }
      case 'expire': {
        const rs = e.ruleSetVersion ? ruleSetOf(e.ruleSetVersion) : undefined;
        if (!options.fullHistory) break;
        if (!rs) {
          mismatch(e, 'unknown-rule-set', `rule set ${e.ruleSetVersion ?? '(none)'} is not known`);
          break;
        }
        const due = computeLots(rs, history.get(e.memberId) ?? [], { at: e.deviceTime, timeZone }).due;
        verified = expectPoints(e, -due.reduce((a, l) => a + l.points, 0), 'expired points');
        break;
      }
      default:
        break;
    }
    if (options.fullHistory) {
      const lots = history.get(e.memberId) ?? [];
      const earnPayload = e.kind === 'earn' ? (e.payload as { expiresOn?: unknown }) : null;
      const expirePayload = e.kind === 'expire' ? ExpirePayload.safeParse(e.payload) : null;
      lots.push({
        ref: `${e.terminalId}:${e.seq}`,
        at: e.deviceTime,
        points: e.points,
        kind: e.kind,
        expiresOn: typeof earnPayload?.expiresOn === 'string' || earnPayload?.expiresOn === null ? earnPayload.expiresOn : undefined,
        expiredLots: expirePayload?.success ? expirePayload.data.lots : undefined,
      });
      history.set(e.memberId, lots);
    }
    if (verified) {
      report.verified += 1;
      counts.verified += 1;
    } else if (!CHECKED_KINDS.has(e.kind) && !(e.kind === 'expire' && options.fullHistory)) {
      report.skipped += 1;
    }
    if (record) {
      record.entriesLeft -= 1;
      if (record.entriesLeft === 0) record.computed = undefined;
    }
  }
  return report;
}
