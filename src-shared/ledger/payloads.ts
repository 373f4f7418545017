// What each ledger kind carries in `payload`: enough for the server to rebuild members and to
// recompute earned points with the entry's rule-set version. Never card data or PINs.
import { z } from 'zod';

export const EnrolPayload = z.object({
  phone: z.string().regex(/^\+\d{6,15}$/),
  name: z.string().max(120).nullable(),
});
export type EnrolPayload = z.infer<typeof EnrolPayload>;

export const SaleLinePayload = z.object({
  sku: z.string().max(64).optional(),
  category: z.string().max(64),
  qty: z.number().int(),
  unitPriceMinor: z.number().int(),
});

/** On `earn`: the sale as the engine saw it, so `quoteSale` with the same rule set reproduces `points`. */
export const EarnPayload = z.object({
  lines: z.array(SaleLinePayload).max(500),
  redeemPoints: z.number().int().min(0),
  subtotalMinor: z.number().int(),
  discountMinor: z.number().int(),
});
export type EarnPayload = z.infer<typeof EarnPayload>;

/** On `redeem`: the discount the points paid for. */
export const RedeemPayload = z.object({
  discountMinor: z.number().int().min(0),
  /** The manager who approved this redemption on the cashier's screen, when one did. */
  approvedBy: z.string().max(64).optional(),
  /** How the customer proved it was them: their own PIN, a card identified in the sale, a manager, or nothing asked. */
  verifiedBy: z.enum(['customer-pin', 'loyalty-card', 'payment-card', 'manager', 'none']).optional(),
});
export type RedeemPayload = z.infer<typeof RedeemPayload>;

/** Why a manager moved points by hand (docs/operations.md explains when to use which). */
export const ADJUST_REASONS = ['goodwill', 'correction', 'complaint', 'lost-card-transfer', 'other'] as const;
export type AdjustReason = (typeof ADJUST_REASONS)[number];
/** Longest note an adjustment keeps; `other` needs one of at least ADJUST_NOTE_MIN characters. */
export const ADJUST_NOTE_MAX = 200;
export const ADJUST_NOTE_MIN = 3;
/** Largest number of points one adjustment moves, either way. */
export const ADJUST_MAX_POINTS = 1_000_000;

/** On `adjust`: a manual correction of a balance, with its reason and the balance the terminal saw. */
export const AdjustPayload = z.object({
  adjustmentId: z.string().min(1).max(64),
  reason: z.enum(ADJUST_REASONS),
  note: z.string().max(ADJUST_NOTE_MAX).nullable(),
  /** The manager who approved it on a cashier's screen; null when a signed-in manager did it. */
  approvedBy: z.string().max(64).nullable(),
  balanceBefore: z.number().int(),
  balanceAfter: z.number().int(),
});
export type AdjustPayload = z.infer<typeof AdjustPayload>;

/**
 * What is wrong with an `adjust` entry as recorded, or null when it holds together: a known reason
 * (with a note for `other`), points within bounds and not zero, no money, and before + points = after >= 0.
 */
export function adjustEntryProblem(entry: { points: number; amountMinor: number | null; payload: Record<string, unknown> }): string | null {
  const parsed = AdjustPayload.safeParse(entry.payload);
  if (!parsed.success) return 'adjust payload does not parse (reason, note, balances)';
  const p = parsed.data;
  if (p.reason === 'other' && (p.note ?? '').trim().length < ADJUST_NOTE_MIN) return 'reason "other" without a note';
  if (entry.points === 0 || Math.abs(entry.points) > ADJUST_MAX_POINTS) return `points ${entry.points} outside ±1..${ADJUST_MAX_POINTS}`;
  if (entry.amountMinor !== null) return 'an adjustment carries no money amount';
  if (p.balanceBefore + entry.points !== p.balanceAfter) return `balance ${p.balanceBefore} + ${entry.points} is not ${p.balanceAfter}`;
  if (p.balanceAfter < 0) return `balance after the adjustment is ${p.balanceAfter}`;
  return null;
}
