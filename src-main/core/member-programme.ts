import type { Database, Statement } from 'better-sqlite3';
import type { Member, MemberProgramme as MemberProgrammeView } from '../../src-shared/api/contract';
import { because, KasaError } from '../../src-shared/api/errors';
import type { LedgerEntry } from '../../src-shared/ledger/entry';
import { computeLots, type LotEntry, type LotsView } from '../../src-shared/program/expiry';
import { expiryEntryDraft } from '../../src-shared/program/ledger-drafts';
import { ExpirePayload } from '../../src-shared/program/ledger-payloads';
import { localTime, parseInstant, type Clock } from '../../src-shared/program/local-time';
import type { RefundComputation } from '../../src-shared/program/refund';
import type { RuleSet } from '../../src-shared/program/rule-set';
import type { MemberContext, SaleComputation, TierStatus } from '../../src-shared/program/sale-types';
import { evaluateTier, tierWindowStart, type TierState } from '../../src-shared/program/tiers';
import type { LedgerWriter } from './ledger-writer';
import { toMember, type MemberRow } from './members-repo';
import { normalizeReferralCode, referralCodeFor } from './referral-code';

type StateRow = {
  referral_code: string;
  referrer_member_id: string | null;
  referral_rewarded: number;
  birth_month: number | null;
  tier_id: string | null;
  tier_since: string | null;
  lots_debt: number;
};
/** A member row with everything the member panel shows, read in one statement. */
type PanelRow = MemberRow & {
  referral_code: string | null;
  referrer_member_id: string | null;
  tier_id: string | null;
  tier_since: string | null;
  /** The earliest last day of any dated lot; null when every lot never expires (the usual case). */
  first_expiry: string | null;
};
type ExpiringRow = { due_first: string | null; due_points: number | null; next_on: string | null; next_points: number | null };

/**
 * The member panel in one statement: the member, their programme state and whether any points
 * expire. A lookup at the counter is then a single read; only a member with dated lots needs the
 * second (what expires next, as of today). Scalar subqueries rather than a LEFT JOIN on
 * member_programme: the joined form measured several times slower per call (1M members).
 */
const programmeColumn = (column: string) => `(SELECT ${column} FROM member_programme WHERE member_id = m.member_id) AS ${column}`;
const PANEL_SELECT = `SELECT m.member_id, m.phone, m.name, m.balance, m.enrolled_at, m.customer_pin_hash IS NOT NULL AS has_pin,
  ${['referral_code', 'referrer_member_id', 'tier_id', 'tier_since'].map(programmeColumn).join(', ')},
  (SELECT min(expires_on) FROM point_lots WHERE member_id = m.member_id AND expires_on IS NOT NULL) AS first_expiry
  FROM members m`;
const EXPIRING_SELECT = `SELECT
  (SELECT min(expires_on) FROM point_lots WHERE member_id = @id AND expires_on < @today) AS due_first,
  (SELECT sum(remaining) FROM point_lots WHERE member_id = @id AND expires_on < @today) AS due_points,
  (SELECT min(expires_on) FROM point_lots WHERE member_id = @id AND expires_on >= @today) AS next_on,
  (SELECT sum(remaining) FROM point_lots WHERE member_id = @id AND expires_on =
    (SELECT min(expires_on) FROM point_lots WHERE member_id = @id AND expires_on >= @today)) AS next_points`;

/**
 * The member as a sale starts, in one statement: the member row, their whole programme state,
 * whether any lot is dated and whether they ever had an earn entry. Scalar subqueries, as in the
 * panel: a LEFT JOIN on member_programme measured 7x slower per call (29 against 3.8 us).
 * Preview and completion read everything else they need from it (panel, engine context, expiry).
 */
const SALE_MEMBER_SELECT = `SELECT m.member_id, m.phone, m.name, m.balance, m.enrolled_at, m.customer_pin_hash IS NOT NULL AS has_pin,
  ${['referral_code', 'referrer_member_id', 'referral_rewarded', 'birth_month', 'tier_id', 'tier_since', 'lots_debt'].map(programmeColumn).join(', ')},
  (SELECT min(expires_on) FROM point_lots WHERE member_id = m.member_id AND expires_on IS NOT NULL) AS first_expiry,
  EXISTS (SELECT 1 FROM ledger WHERE member_id = m.member_id AND kind = 'earn') AS purchased
  FROM members m`;
type SaleMemberRow = PanelRow & {
  referral_rewarded: number | null;
  birth_month: number | null;
  lots_debt: number | null;
  purchased: number;
};

/** What a sale reads of its member before it writes anything (see SALE_MEMBER_SELECT). */
export type SaleMember = {
  readonly memberId: string;
  readonly balance: number;
  /** The member_programme row exists (otherwise `state` is what state() reads for a member without one). */
  readonly stateStored: boolean;
  readonly state: MemberState;
  /** The earliest last day of any dated lot, or null when no lot is dated. */
  readonly firstExpiry: string | null;
  readonly purchased: boolean;
  readonly row: PanelRow;
};

type LotRow = { ref: string; earned_at: string; expires_on: string | null; ord: number; remaining: number };

export type MemberState = {
  referralCode: string;
  referrerMemberId: string | null;
  referralRewarded: boolean;
  birthMonth: number | null;
  tier: TierState | null;
  debt: number;
};

/**
 * Lots that never expire are kept as one row per member (their order never matters). Its ref names
 * the member, so moving a merged member's rows onto the survivor never collides; any number of
 * such rows reads as one.
 */
const neverRef = (memberId: string) => `never:${memberId}`;

const refOf = (e: Pick<LedgerEntry, 'terminalId' | 'seq'>) => `${e.terminalId}:${e.seq}`;

/** A ledger entry as expiry lots see it, exactly as the replay reads it. */
export function lotEntryOf(e: LedgerEntry): LotEntry {
  const earnExpiresOn = e.kind === 'earn' ? (e.payload as { expiresOn?: unknown }).expiresOn : undefined;
  const expired = e.kind === 'expire' ? ExpirePayload.safeParse(e.payload) : null;
  return {
    ref: refOf(e),
    at: e.deviceTime,
    points: e.points,
    kind: e.kind,
    expiresOn: typeof earnExpiresOn === 'string' || earnExpiresOn === null ? earnExpiresOn : undefined,
    expiredLots: expired?.success ? expired.data.lots : undefined,
  };
}

/**
 * Each member's place in the programme, derived from the ledger and kept in small tables so a sale
 * reads a few rows: referral code and referrer, tier and its window, points earned today, open
 * expiry lots. Every write runs inside the caller's transaction.
 */
export class MemberProgrammeRepo {
  readonly #state: Statement<[string], StateRow>;
  readonly #insertState: Statement<[string, string, string | null, number | null]>;
  readonly #codeOwner: Statement<[string], { member_id: string }>;
  readonly #setTier: Statement<[string, string, string]>;
  readonly #setRewarded: Statement<[number, string]>;
  readonly #setDebt: Statement<[number, string]>;
  readonly #qualifying: Statement<[string, number, number], { spend: number | null; points: number | null }>;
  readonly #addQualifying: Statement<[string, string, number, number, number]>;
  readonly #dayPoints: Statement<[string, string], { points: number }>;
  readonly #addDayPoints: Statement<[string, string, number]>;
  readonly #purchased: Statement<[string], { one: number }>;
  readonly #lots: Statement<[string], LotRow>;
  readonly #deleteLots: Statement<[string]>;
  readonly #insertLot: Statement<[string, string, string, string | null, number, number]>;
  readonly #growNeverLot: Statement<[number, string, string, string]>;
  readonly #referredCounts: Statement<[string], { referred: number; rewarded: number | null }>;
  readonly #lotKinds: Statement<[string], { dated: number; never: number | null }>;
  readonly #dueLots: Statement<[string, string], { first: string | null; points: number | null }>;
  readonly #panelByPhone: Statement<[string], PanelRow>;
  readonly #panelById: Statement<{ id: string }, PanelRow>;
  readonly #panelByExactId: Statement<[string], PanelRow>;
  readonly #expiring: Statement<{ id: string; today: string }, ExpiringRow>;
  readonly #saleMember: Statement<{ id: string }, SaleMemberRow>;
  readonly #saleMemberByExactId: Statement<[string], SaleMemberRow>;

  constructor(
    db: Database,
    private readonly ledger: LedgerWriter,
  ) {
    this.#state = db.prepare(
      'SELECT referral_code, referrer_member_id, referral_rewarded, birth_month, tier_id, tier_since, lots_debt FROM member_programme WHERE member_id = ?',
    );
    this.#insertState = db.prepare('INSERT INTO member_programme (member_id, referral_code, referrer_member_id, birth_month) VALUES (?, ?, ?, ?)');
    this.#codeOwner = db.prepare('SELECT member_id FROM member_programme WHERE referral_code = ?');
    this.#setTier = db.prepare('UPDATE member_programme SET tier_id = ?, tier_since = ? WHERE member_id = ?');
    this.#setRewarded = db.prepare('UPDATE member_programme SET referral_rewarded = ? WHERE member_id = ?');
    this.#setDebt = db.prepare('UPDATE member_programme SET lots_debt = ? WHERE member_id = ?');
    this.#qualifying = db.prepare(
      'SELECT sum(spend_minor) AS spend, sum(points) AS points FROM tier_qualifying WHERE member_id = ? AND at_ms > ? AND at_ms <= ?',
    );
    // A refund adds into its sale's row (same member, instant and sale): the window's sums are unchanged.
    this.#addQualifying = db.prepare(`INSERT INTO tier_qualifying (member_id, sale_id, at_ms, spend_minor, points) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (member_id, at_ms, sale_id) DO UPDATE SET spend_minor = spend_minor + excluded.spend_minor, points = points + excluded.points`);
    this.#dayPoints = db.prepare('SELECT points FROM member_day_points WHERE member_id = ? AND day = ?');
    this.#addDayPoints = db.prepare(
      'INSERT INTO member_day_points (member_id, day, points) VALUES (?, ?, ?) ON CONFLICT (member_id, day) DO UPDATE SET points = points + excluded.points',
    );
    this.#purchased = db.prepare("SELECT 1 AS one FROM ledger WHERE member_id = ? AND kind = 'earn' LIMIT 1");
    this.#lots = db.prepare(
      'SELECT ref, earned_at, expires_on, ord, remaining FROM point_lots WHERE member_id = ? ORDER BY expires_on IS NULL, expires_on, ord',
    );
    this.#deleteLots = db.prepare('DELETE FROM point_lots WHERE member_id = ?');
    this.#insertLot = db.prepare('INSERT INTO point_lots (member_id, ref, earned_at, expires_on, ord, remaining) VALUES (?, ?, ?, ?, ?, ?)');
    this.#growNeverLot = db.prepare('UPDATE point_lots SET remaining = remaining + ?, earned_at = ? WHERE member_id = ? AND ref = ?');
    this.#lotKinds = db.prepare(
      'SELECT count(expires_on) AS dated, sum(remaining) FILTER (WHERE expires_on IS NULL) AS never FROM point_lots WHERE member_id = ?',
    );
    this.#dueLots = db.prepare('SELECT min(expires_on) AS first, sum(remaining) AS points FROM point_lots WHERE member_id = ? AND expires_on < ?');
    this.#panelByPhone = db.prepare(`${PANEL_SELECT} WHERE m.phone = ?`);
    // An id merged into another member (sync) opens the surviving member.
    this.#panelById = db.prepare(`${PANEL_SELECT} WHERE m.member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = @id), @id)`);
    this.#panelByExactId = db.prepare(`${PANEL_SELECT} WHERE m.member_id = ?`);
    this.#expiring = db.prepare(EXPIRING_SELECT);
    this.#saleMember = db.prepare(`${SALE_MEMBER_SELECT} WHERE m.member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = @id), @id)`);
    this.#saleMemberByExactId = db.prepare(`${SALE_MEMBER_SELECT} WHERE m.member_id = ?`);
    this.#referredCounts = db.prepare(
      'SELECT count(*) AS referred, sum(referral_rewarded) AS rewarded FROM member_programme WHERE referrer_member_id = ?',
    );
  }

  /** The member's state; a member without a row yet (enrolled elsewhere) reads as new. */
  state(memberId: string): MemberState {
    return this.#stateOf(memberId, this.#state.get(memberId));
  }

  #stateOf(memberId: string, row: StateRow | undefined): MemberState {
    return {
      referralCode: row?.referral_code ?? referralCodeFor(memberId),
      referrerMemberId: row?.referrer_member_id ?? null,
      referralRewarded: row?.referral_rewarded === 1,
      birthMonth: row?.birth_month ?? null,
      tier: row?.tier_id && row.tier_since ? { tierId: row.tier_id, since: row.tier_since } : null,
      debt: row?.lots_debt ?? 0,
    };
  }

  /** Creates the member's row (with a unique referral code) when it does not exist. */
  ensure(memberId: string, init: { referrerMemberId?: string | null; birthMonth?: number | null } = {}): MemberState {
    const row = this.#state.get(memberId);
    if (row) return this.#stateOf(memberId, row);
    let attempt = 0;
    while (this.#codeOwner.get(referralCodeFor(memberId, attempt))) attempt += 1;
    this.#insertState.run(memberId, referralCodeFor(memberId, attempt), init.referrerMemberId ?? null, init.birthMonth ?? null);
    return this.state(memberId);
  }

  /** The member a referral code belongs to, or null. Throws VALIDATION for text that cannot be a code. */
  memberByCode(text: string): string | null {
    const code = normalizeReferralCode(text);
    if (!code) throw new KasaError('VALIDATION', `referralCode: "${text.slice(0, 20)}" is not a referral code (8 letters and digits, e.g. ABCD-2345)`, because('referral-code-format', { code: text.slice(0, 20) }));
    return this.#codeOwner.get(code)?.member_id ?? null;
  }

  referredCounts(memberId: string): { referred: number; rewarded: number } {
    const row = this.#referredCounts.get(memberId);
    return { referred: row?.referred ?? 0, rewarded: row?.rewarded ?? 0 };
  }

  /** Qualifying spend or points in the tier window ending at `clock`. */
  qualifyingAt(memberId: string, ruleSet: RuleSet, clock: Clock): number {
    const start = tierWindowStart(ruleSet, clock);
    if (start === null || !ruleSet.tiers) return 0;
    const sums = this.#qualifying.get(memberId, parseInstant(start), parseInstant(clock.at));
    return Math.max(0, (ruleSet.tiers.basis === 'spend' ? sums?.spend : sums?.points) ?? 0);
  }

  /** The member as the engine sees them at the start of a sale. */
  context(memberId: string, balance: number, ruleSet: RuleSet, clock: Clock): MemberContext {
    return this.#contextOf(memberId, this.state(memberId), this.#purchased.get(memberId) === undefined, balance, ruleSet, clock);
  }

  /** The same for a member read by saleMember(): their state and first purchase are not read again. */
  contextOf(member: SaleMember, balance: number, ruleSet: RuleSet, clock: Clock): MemberContext {
    return this.#contextOf(member.memberId, member.state, !member.purchased, balance, ruleSet, clock);
  }

  #contextOf(memberId: string, state: MemberState, firstPurchase: boolean, balance: number, ruleSet: RuleSet, clock: Clock): MemberContext {
    return {
      memberId,
      balance,
      tier: state.tier,
      qualifying: this.qualifyingAt(memberId, ruleSet, clock),
      firstPurchase,
      birthMonth: state.birthMonth,
      pointsEarnedToday: ruleSet.earning.caps.perDay === undefined ? 0 : (this.#dayPoints.get(memberId, localTime(clock).date)?.points ?? 0),
      referral: state.referrerMemberId ? { referrerMemberId: state.referrerMemberId, rewarded: state.referralRewarded } : null,
    };
  }

  /** The member a sale is for, by id (a merged id opens the surviving member), or null: one read. */
  saleMember(memberId: string): SaleMember | null {
    return this.#saleMemberOf(this.#saleMember.get({ id: memberId }));
  }

  /** The same by the member's own id (already resolved, no merged ids). */
  saleMemberByExactId(memberId: string): SaleMember | null {
    return this.#saleMemberOf(this.#saleMemberByExactId.get(memberId));
  }

  #saleMemberOf(row: SaleMemberRow | undefined): SaleMember | null {
    if (!row) return null;
    // referral_code is NOT NULL in member_programme: null here means the member has no row.
    const stored = row.referral_code !== null;
    const stateRow: StateRow | undefined = stored
      ? {
          referral_code: row.referral_code ?? referralCodeFor(row.member_id),
          referrer_member_id: row.referrer_member_id,
          referral_rewarded: row.referral_rewarded ?? 0,
          birth_month: row.birth_month,
          tier_id: row.tier_id,
          tier_since: row.tier_since,
          lots_debt: row.lots_debt ?? 0,
        }
      : undefined;
    return {
      memberId: row.member_id,
      balance: row.balance,
      stateStored: stored,
      state: this.#stateOf(row.member_id, stateRow),
      firstExpiry: row.first_expiry,
      purchased: row.purchased === 1,
      row,
    };
  }

  /** Points past their last day (as duePoints()), read only when a dated lot is already past it. */
  duePointsOf(member: SaleMember, clock: Clock): number {
    return member.firstExpiry !== null && member.firstExpiry < localTime(clock).date ? this.duePoints(member.memberId, clock) : 0;
  }

  /** expireDue() for a member read by saleMember(): nothing to do (and nothing read) unless a dated lot is past its last day. */
  expireDueOf(member: SaleMember, ruleSet: RuleSet, clock: Clock, cashierId: string | null): LedgerEntry | null {
    if (member.firstExpiry === null || member.firstExpiry >= localTime(clock).date) return null;
    return this.expireDue(member.memberId, ruleSet, clock, cashierId);
  }

  /** The member panel of a member read by saleMember() (exactly what panelById() reads). */
  panelOf(member: SaleMember, ruleSet: RuleSet, clock: Clock): Member {
    return this.#memberPanel(member.row, ruleSet, clock);
  }

  /**
   * The member panel after a sale, from what the sale read and wrote: exactly what panelByExactId()
   * would read then (the balance moved by the member's own entries, the tier recordSale() stored, the
   * tier window read again), without reading the member again. Null when the sale cannot know it so
   * (no programme row before the sale, dated lots before it or possibly after it): read it then.
   */
  panelAfterSale(
    member: SaleMember,
    written: readonly LedgerEntry[],
    tier: TierState | null,
    relotted: ReadonlySet<string>,
    ruleSet: RuleSet,
    clock: Clock,
  ): Member | null {
    if (!member.stateStored || member.firstExpiry !== null || relotted.has(member.memberId)) return null;
    let balance = member.balance;
    for (const e of written) if (e.memberId === member.memberId) balance += e.points;
    return this.#memberPanel({ ...member.row, balance, tier_id: tier?.tierId ?? null, tier_since: tier?.since ?? null }, ruleSet, clock);
  }

  tier(memberId: string, ruleSet: RuleSet, clock: Clock): TierStatus | null {
    return evaluateTier(ruleSet, this.state(memberId).tier, this.qualifyingAt(memberId, ruleSet, clock), clock);
  }

  /** Open lots as of `clock`, after `extra` entries (not yet in the table) are applied. */
  lots(memberId: string, ruleSet: RuleSet, clock: Clock, extra: readonly LotEntry[] = []): LotsView & { meta: Map<string, { at: string; ord: number }> } {
    const rows = this.#lots.all(memberId);
    const debt = this.state(memberId).debt;
    const meta = new Map<string, { at: string; ord: number }>();
    // Debt only exists when no lot is open: later credits repay it first.
    const stored: LotEntry[] =
      debt > 0
        ? [{ ref: 'debt', at: clock.at, points: -debt, kind: 'debt' }]
        : rows.map((r) => {
            meta.set(r.ref, { at: r.earned_at, ord: r.ord });
            return { ref: r.ref, at: r.earned_at, points: r.remaining, kind: 'lot', expiresOn: r.expires_on };
          });
    for (const e of extra) meta.set(e.ref, { at: e.at, ord: Number(e.ref.slice(e.ref.lastIndexOf(':') + 1)) || 0 });
    return { ...computeLots(ruleSet, [...stored, ...extra], clock), meta };
  }

  /**
   * Moves the lots of every member these new entries touch. `known` is a member's state as the caller
   * read it in this transaction (saleMember()), so it is not read again. Returns the members whose
   * lots were recomputed one by one (they may now hold dated lots); the others hold undated lots only,
   * or lots this call did not touch.
   */
  applyToLots(entries: readonly LedgerEntry[], ruleSet: RuleSet, clock: Clock, known?: SaleMember): ReadonlySet<string> {
    const relotted = new Set<string>();
    const byMember = new Map<string, LotEntry[]>();
    for (const e of entries) {
      if (e.points === 0 && e.kind !== 'expire') continue;
      const list = byMember.get(e.memberId) ?? [];
      list.push(lotEntryOf(e));
      byMember.set(e.memberId, list);
    }
    for (const [memberId, extra] of byMember) {
      const read = known?.stateStored && known.memberId === memberId ? known : undefined;
      const { debt } = read ? read.state : this.ensure(memberId);
      // Nothing that expires, before or now: the lots are just the net balance (the usual case, kept cheap).
      const undated = extra.every((e) => e.kind !== 'expire' && (e.points < 0 || (e.expiresOn !== undefined ? e.expiresOn === null : ruleSet.expiry.type === 'never')));
      // The usual sale: points that never expire added for a member read in this transaction with no
      // dated lot and no debt. The undated lot grows in place (one statement instead of a read, a
      // delete and an insert); a merged member's other undated rows still read as one with it.
      if (undated && read?.firstExpiry === null && debt === 0 && extra.every((e) => e.points > 0)) {
        const added = extra.reduce((a, e) => a + e.points, 0);
        const at = extra[0]?.at ?? clock.at;
        if (this.#growNeverLot.run(added, at, memberId, neverRef(memberId)).changes === 0) this.#insertLot.run(memberId, neverRef(memberId), at, null, 0, added);
        continue;
      }
      const kinds = undated ? this.#lotKinds.get(memberId) : undefined;
      if (kinds?.dated === 0) {
        const never = kinds.never ?? 0;
        const net = never - debt + extra.reduce((a, e) => a + e.points, 0);
        this.#deleteLots.run(memberId);
        if (net > 0) this.#insertLot.run(memberId, neverRef(memberId), extra[0]?.at ?? clock.at, null, 0, net);
        if (Math.max(0, -net) !== debt) this.#setDebt.run(Math.max(0, -net), memberId);
        continue;
      }
      relotted.add(memberId);
      const view = this.lots(memberId, ruleSet, clock, extra);
      this.#deleteLots.run(memberId);
      let neverAt: string | null = null;
      let neverPoints = 0;
      for (const lot of view.lots) {
        const meta = view.meta.get(lot.ref) ?? { at: clock.at, ord: 0 };
        if (lot.expiresOn === null) {
          neverPoints += lot.remaining;
          if (neverAt === null || meta.at < neverAt) neverAt = meta.at;
        } else {
          this.#insertLot.run(memberId, lot.ref, meta.at, lot.expiresOn, meta.ord, lot.remaining);
        }
      }
      if (neverAt !== null && neverPoints > 0) this.#insertLot.run(memberId, neverRef(memberId), neverAt, null, 0, neverPoints);
      if (view.debt !== debt) this.#setDebt.run(view.debt, memberId);
    }
    return relotted;
  }

  /** Writes the `expire` entry for the member's lots past their last day; returns it, or null when none are due. */
  expireDue(memberId: string, ruleSet: RuleSet, clock: Clock, cashierId: string | null): LedgerEntry | null {
    if (!this.#dueLots.get(memberId, localTime(clock).date)?.points) return null;
    const draft = expiryEntryDraft(this.lots(memberId, ruleSet, clock), { memberId, cashierId, ruleSetVersion: ruleSet.version });
    if (!draft) return null;
    const written = this.ledger.append([draft], clock.at);
    this.applyToLots(written, ruleSet, clock);
    return written[0] ?? null;
  }

  /** Points past their last day that the next write will expire. */
  duePoints(memberId: string, clock: Clock): number {
    return this.#dueLots.get(memberId, localTime(clock).date)?.points ?? 0;
  }

  /**
   * After a member sale's entries are written: tier, referral, the tier window and today's points.
   * `state` is the member's stored state as read in this transaction (saleMember()), if it was stored.
   * Returns the member's tier as stored now.
   */
  recordSale(memberId: string, saleId: string, sale: SaleComputation, ruleSet: RuleSet, clock: Clock, state?: MemberState): TierState | null {
    const { tier } = state ?? this.ensure(memberId);
    const after = sale.tier.after;
    let stored = tier;
    if (after?.since && (after.tierId !== tier?.tierId || after.since !== tier.since)) {
      this.#setTier.run(after.tierId, after.since, memberId);
      stored = { tierId: after.tierId, since: after.since };
    }
    if (sale.referral) this.#setRewarded.run(1, memberId);
    // Both measures are kept, so a tiered programme installed later counts past sales too.
    this.#addQualifying.run(memberId, saleId, parseInstant(clock.at), sale.eligibleSpendMinor, sale.pointsEarned);
    // Only a daily cap reads these: without one, nothing is kept.
    if (sale.pointsEarned !== 0 && ruleSet.earning.caps.perDay !== undefined) this.#addDayPoints.run(memberId, localTime(clock).date, sale.pointsEarned);
    return stored;
  }

  /**
   * After a refund's entries are written: the tier window loses what the refunded items qualified
   * for (at the sale's own instant), the referral can be earned again, and the tier is re-evaluated
   * as if the refunded sale had not promoted the member.
   */
  recordRefund(memberId: string, saleId: string, refund: RefundComputation, saleAt: string, ruleSet: RuleSet, clock: Clock): TierStatus | null {
    this.ensure(memberId);
    const spendBack = refund.lines.reduce((a, l) => a + (refund.original.lines[l.lineIndex]?.excluded ? 0 : l.amountMinor), 0);
    this.#addQualifying.run(memberId, saleId, parseInstant(saleAt), -spendBack, -refund.pointsReversed);
    if (refund.referralReversal) this.#setRewarded.run(0, memberId);
    const { before, after } = refund.original.tier;
    const state = this.state(memberId);
    const status = evaluateTier(
      ruleSet,
      state.tier,
      this.qualifyingAt(memberId, ruleSet, clock),
      clock,
      before && after ? { refundOf: { tierBefore: before.tierId, tierAfter: after.tierId } } : {},
    );
    if (status?.since && ruleSet.tiers) this.#setTier.run(status.tierId, status.since, memberId);
    return status;
  }

  /** What the member panel shows: tier and progress, what expires next, the referral code. */
  view(memberId: string, ruleSet: RuleSet, clock: Clock): MemberProgrammeView {
    const row = this.#panelByExactId.get(memberId);
    if (row) return this.#viewOf(row, ruleSet, clock);
    // No member row: no lots either (they reference it), the state alone.
    const state = this.state(memberId);
    return {
      tier: evaluateTier(ruleSet, state.tier, this.qualifyingAt(memberId, ruleSet, clock), clock),
      expiring: null,
      referralCode: state.referralCode,
      referredBy: state.referrerMemberId,
    };
  }

  /** The member with their programme view, by E.164 phone: one read. */
  panelByPhone(e164: string, ruleSet: RuleSet, clock: Clock): Member | null {
    return this.#panelOf(this.#panelByPhone.get(e164), ruleSet, clock);
  }

  /** The member with their programme view, by id (a merged id opens the survivor): one read. */
  panelById(memberId: string, ruleSet: RuleSet, clock: Clock): Member | null {
    return this.#panelOf(this.#panelById.get({ id: memberId }), ruleSet, clock);
  }

  /** The member with their programme view, by their own id (already resolved, no merged ids): one read. */
  panelByExactId(memberId: string, ruleSet: RuleSet, clock: Clock): Member | null {
    return this.#panelOf(this.#panelByExactId.get(memberId), ruleSet, clock);
  }

  #panelOf(row: PanelRow | undefined, ruleSet: RuleSet, clock: Clock): Member | null {
    return row ? this.#memberPanel(row, ruleSet, clock) : null;
  }

  #memberPanel(row: PanelRow, ruleSet: RuleSet, clock: Clock): Member {
    return { ...toMember(row), programme: this.#viewOf(row, ruleSet, clock) };
  }

  /** What expires next as of the local day: points already past their last day first. */
  #expiringOf(memberId: string, clock: Clock): MemberProgrammeView['expiring'] {
    const e = this.#expiring.get({ id: memberId, today: localTime(clock).date });
    if (e?.due_first && e.due_points) return { on: e.due_first, points: e.due_points };
    return e?.next_on && e.next_points !== null ? { on: e.next_on, points: e.next_points } : null;
  }

  #viewOf(row: PanelRow, ruleSet: RuleSet, clock: Clock): MemberProgrammeView {
    const tier = row.tier_id && row.tier_since ? { tierId: row.tier_id, since: row.tier_since } : null;
    // Without tiers in the rule set there is no window to sum.
    const qualifying = ruleSet.tiers ? this.qualifyingAt(row.member_id, ruleSet, clock) : 0;
    return {
      tier: evaluateTier(ruleSet, tier, qualifying, clock),
      expiring: row.first_expiry === null ? null : this.#expiringOf(row.member_id, clock),
      referralCode: row.referral_code ?? referralCodeFor(row.member_id),
      referredBy: row.referrer_member_id,
    };
  }
}
