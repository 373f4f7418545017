// A hand-written check of ProgramEarnPayload (ledger-payloads.ts) for recomputing earn entries: the
// server recomputes every pushed earn entry, and zod's parse of its payload (a copy of every line
// and of the member context) cost more than the engine's computation. It only ever says "certainly
// valid, and zod would return this very value" or "ask zod", like ledger/entry-check.ts. A payload
// with rewards or offers always goes to zod.
import { int, isRecord, nullOr, onlyKeys, str } from '../ledger/plain-checks';
import type { ProgramEarnPayload } from './ledger-payloads';

const PAYLOAD_KEYS: ReadonlySet<string> = new Set(['lines', 'redeemPoints', 'subtotalMinor', 'discountMinor', 'at', 'timeZone', 'member', 'expiresOn']);
const LINE_KEYS: ReadonlySet<string> = new Set(['sku', 'name', 'category', 'qty', 'unitPriceMinor']);
const MEMBER_KEYS: ReadonlySet<string> = new Set(['memberId', 'balance', 'tier', 'qualifying', 'firstPurchase', 'birthMonth', 'pointsEarnedToday', 'referral']);
const TIER_KEYS: ReadonlySet<string> = new Set(['tierId', 'since']);
const REFERRAL_KEYS: ReadonlySet<string> = new Set(['referrerMemberId', 'rewarded']);

function isLine(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, LINE_KEYS, 3)) return false;
  return (
    str(v.category, 0, 64) &&
    int(v.qty) &&
    int(v.unitPriceMinor) &&
    (!('sku' in v) || str(v.sku, 0, 64)) &&
    (!('name' in v) || str(v.name, 0, 120))
  );
}

function isMemberContext(v: unknown): boolean {
  if (!isRecord(v) || !onlyKeys(v, MEMBER_KEYS, MEMBER_KEYS.size)) return false;
  return (
    str(v.memberId, 0, 64) &&
    int(v.balance) &&
    nullOr(v.tier, (t) => isRecord(t) && onlyKeys(t, TIER_KEYS, 2) && str(t.tierId, 0, 64) && str(t.since, 0, 40)) &&
    int(v.qualifying, 0) &&
    typeof v.firstPurchase === 'boolean' &&
    nullOr(v.birthMonth, (m) => int(m, 1, 12)) &&
    int(v.pointsEarnedToday, 0) &&
    nullOr(v.referral, (r) => isRecord(r) && onlyKeys(r, REFERRAL_KEYS, 2) && str(r.referrerMemberId, 0, 64) && typeof r.rewarded === 'boolean')
  );
}

/** True only when `ProgramEarnPayload.parse(value)` would succeed and return a value deep-equal to `value`. */
export function isCertainProgramEarnPayload(value: unknown): value is ProgramEarnPayload {
  if (!isRecord(value) || !onlyKeys(value, PAYLOAD_KEYS, 4)) return false;
  const v = value;
  return (
    Array.isArray(v.lines) &&
    v.lines.length <= 500 &&
    v.lines.every(isLine) &&
    int(v.redeemPoints, 0) &&
    int(v.subtotalMinor) &&
    int(v.discountMinor) &&
    (!('at' in v) || str(v.at, 0, 40)) &&
    (!('timeZone' in v) || str(v.timeZone, 0, 64)) &&
    (!('member' in v) || nullOr(v.member, isMemberContext)) &&
    (!('expiresOn' in v) || nullOr(v.expiresOn, (d) => str(d, 0, 10)))
  );
}
