// Points expiry by lots: every credit (earn, referral, returned points, positive adjustment) is a lot
// that can be used until its expiry date; every debit uses the lots that expire soonest first (FIFO
// when the policy is uniform). A debit larger than the lots is a debt that later credits repay.
import { addMonthsToDate, daysInMonth, formatDate, localTime, localTimeOf, parseInstant, type Clock, type LocalTime } from './local-time';
import type { RuleSet } from './rule-set';

/** Last local day points earned at `local` can be used, or null when points never expire. */
export function expiresOnFor(ruleSet: RuleSet, local: Pick<LocalTime, 'year' | 'month' | 'day'>): string | null {
  const { expiry } = ruleSet;
  if (expiry.type === 'never') return null;
  const d = addMonthsToDate(local.year, local.month, local.day, expiry.months);
  return formatDate(d.year, d.month, expiry.endOfMonth ? daysInMonth(d.year, d.month) : d.day);
}

/** A ledger entry as lots see it. `ref` identifies it ("terminal:seq"). */
export type LotEntry = {
  ref: string;
  at: string;
  points: number;
  kind: string;
  /** Recorded on credits by the engine: kept even if the policy changes later. */
  expiresOn?: string | null | undefined;
  /** On `expire` entries: which lots expired. */
  expiredLots?: readonly { ref: string; points: number }[] | undefined;
};

export type Lot = { ref: string; earnedOn: string; expiresOn: string | null; points: number; remaining: number };

export type LotsView = {
  /** Lots with points left, soonest expiry first. */
  lots: Lot[];
  balance: number;
  /** Points owed (a refund took back points already spent); later credits repay it first. */
  debt: number;
  /** Lots past their last day with points left: write an `expire` entry for them. */
  due: { ref: string; points: number; expiresOn: string }[];
  nextExpiry: { on: string; points: number } | null;
};

const byExpiry = (a: Lot & { order: number }, b: Lot & { order: number }) => {
  if (a.expiresOn !== b.expiresOn) {
    if (a.expiresOn === null) return 1;
    if (b.expiresOn === null) return -1;
    return a.expiresOn < b.expiresOn ? -1 : 1;
  }
  return a.order - b.order;
};

/** Replays a member's entries (ledger order) into lots, as of `clock`. */
export function computeLots(ruleSet: RuleSet, entries: readonly LotEntry[], clock: Clock): LotsView {
  const lots: (Lot & { order: number })[] = [];
  const byRef = new Map<string, Lot & { order: number }>();
  let debt = 0;
  let order = 0;

  const consume = (amount: number) => {
    let left = amount;
    for (const lot of lots) {
      if (left === 0) break;
      const take = Math.min(lot.remaining, left);
      lot.remaining -= take;
      left -= take;
    }
    debt += left;
  };

  for (const e of entries) {
    if (e.kind === 'expire' && e.expiredLots) {
      let unmatched = 0;
      for (const x of e.expiredLots) {
        const lot = byRef.get(x.ref);
        const take = lot ? Math.min(lot.remaining, x.points) : 0;
        if (lot) lot.remaining -= take;
        unmatched += x.points - take;
      }
      if (unmatched > 0) consume(unmatched);
    } else if (e.points > 0) {
      const repay = Math.min(debt, e.points);
      debt -= repay;
      const credit = e.points - repay;
      if (credit > 0) {
        const local = localTimeOf(parseInstant(e.at), clock.timeZone);
        const expiresOn = e.expiresOn !== undefined ? e.expiresOn : expiresOnFor(ruleSet, local);
        const lot = { ref: e.ref, earnedOn: local.date, expiresOn, points: credit, remaining: credit, order: order++ };
        // Keep the list in consumption order; credits mostly arrive in that order already.
        let at = lots.length;
        while (at > 0 && byExpiry(lots[at - 1] as Lot & { order: number }, lot) > 0) at -= 1;
        lots.splice(at, 0, lot);
        byRef.set(e.ref, lot);
      }
    } else if (e.points < 0) {
      consume(-e.points);
    }
    if (lots.length > 64 && lots.length > 2 * lots.filter((l) => l.remaining > 0).length) {
      // Drop spent lots now and then: long histories stay fast.
      for (let i = lots.length - 1; i >= 0; i -= 1) if (lots[i]?.remaining === 0) lots.splice(i, 1);
    }
  }

  const today = localTime(clock).date;
  const open = lots.filter((l) => l.remaining > 0);
  const due = open.filter((l) => l.expiresOn !== null && l.expiresOn < today).map((l) => ({ ref: l.ref, points: l.remaining, expiresOn: l.expiresOn as string }));
  const upcoming = open.filter((l) => l.expiresOn !== null && l.expiresOn >= today);
  const first = upcoming[0]?.expiresOn ?? null;
  return {
    lots: open.map(({ order: _order, ...lot }) => lot),
    balance: open.reduce((a, l) => a + l.remaining, 0) - debt,
    debt,
    due,
    nextExpiry: first === null ? null : { on: first, points: upcoming.filter((l) => l.expiresOn === first).reduce((a, l) => a + l.remaining, 0) },
  };
}
