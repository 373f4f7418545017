// Why the programme owner moved a member's points: one code per adjustment, shared by the server
// (which refuses any other) and the console (which offers these).
export const ADJUSTMENT_REASON_CODES = ['offline-double-redemption', 'correction', 'goodwill', 'fraud-reversal', 'expired-in-error', 'other'] as const;
export type AdjustmentReasonCode = (typeof ADJUSTMENT_REASON_CODES)[number];
