// Hand-written checks of the hottest methods' argument schemas (src-shared/api/contract.ts): zod
// took about a tenth of a sale's CPU (preview and complete each parse the sale). Like the server's
// entry check (src-shared/ledger/entry-check.ts), a check only ever says "certainly valid, and zod
// would return a deep-equal value" or "ask zod": dispatch falls back to the schema for anything it
// does not accept, so zod still decides every refusal and writes every error message. Anything
// unusual (rewards, offers, untrimmed text, extra keys) simply goes to zod.
import { MAX_AMOUNT_MINOR } from '../../src-shared/domain/money';
import type { MethodName } from '../../src-shared/api/contract';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const int = (v: unknown, min: number, max: number) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
/** A string zod's `.trim().min(min).max(max)` returns unchanged: nothing to trim. */
const trimmed = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max && v.trim() === v;
/** Only these keys, none of them undefined: zod would drop any other, and the value would not be the one it returns. */
const onlyKeys = (v: Record<string, unknown>, keys: ReadonlySet<string>) => {
  for (const key in v) if (!keys.has(key) || v[key] === undefined) return false;
  return true;
};

const LINE_KEYS: ReadonlySet<string> = new Set(['sku', 'name', 'category', 'qty', 'unitPriceMinor']);
const DRAFT_KEYS: ReadonlySet<string> = new Set(['memberId', 'lines', 'redeemPoints']);
const COMMAND_KEYS: ReadonlySet<string> = new Set(['memberId', 'lines', 'redeemPoints', 'idempotencyKey']);
const PHONE_KEYS: ReadonlySet<string> = new Set(['phone']);
const IDEMPOTENCY_KEY = /^[\w.:-]+$/;
const isIdempotencyKey = (k: unknown) => typeof k === 'string' && k.length >= 8 && k.length <= 100 && IDEMPOTENCY_KEY.test(k);

function isCertainLine(v: unknown): v is { qty: number; unitPriceMinor: number } {
  if (!isRecord(v) || !onlyKeys(v, LINE_KEYS)) return false;
  return (
    (!('sku' in v) || trimmed(v.sku, 1, 64)) &&
    (!('name' in v) || trimmed(v.name, 1, 120)) &&
    trimmed(v.category, 1, 64) &&
    int(v.qty, 1, 9999) &&
    int(v.unitPriceMinor, 0, MAX_AMOUNT_MINOR)
  );
}

/** SaleDraft (sales.preview) without rewards or offers; with `keys` = COMMAND_KEYS, SaleCommand. */
function isCertainSale(v: unknown, keys: ReadonlySet<string>): boolean {
  if (!isRecord(v) || !onlyKeys(v, keys)) return false;
  if ('memberId' in v && !trimmed(v.memberId, 1, 64)) return false;
  if ('redeemPoints' in v && !int(v.redeemPoints, 0, 1_000_000_000)) return false;
  const { lines } = v;
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > 500 || Object.getPrototypeOf(lines) !== Array.prototype) return false;
  let total = 0;
  for (const line of lines) {
    if (!isCertainLine(line)) return false;
    total += line.qty * line.unitPriceMinor;
  }
  return total <= MAX_AMOUNT_MINOR;
}

export const certainArgs: Partial<Record<MethodName, (v: unknown) => boolean>> = {
  'sales.preview': (v) => isCertainSale(v, DRAFT_KEYS),
  'sales.complete': (v) => isCertainSale(v, COMMAND_KEYS) && isIdempotencyKey((v as { idempotencyKey?: unknown }).idempotencyKey),
  'members.lookup': (v) => isRecord(v) && onlyKeys(v, PHONE_KEYS) && typeof v.phone === 'string' && v.phone.length >= 1 && v.phone.length <= 40,
};
