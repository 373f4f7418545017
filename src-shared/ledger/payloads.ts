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
  /** How the customer proved it was them: their own PIN, or nothing asked. */
  verifiedBy: z.enum(['customer-pin', 'manager', 'none']).optional(),
});
export type RedeemPayload = z.infer<typeof RedeemPayload>;
