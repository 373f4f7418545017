import { hash } from 'node:crypto';

// Referral codes are derived from the member id, so the server (and any terminal) computes the same
// code for the same member without asking anyone. Never change the derivation: printed codes and
// migration 0005 depend on it.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud at a counter

/** The `attempt`-th candidate code of a member: 8 characters; attempt > 0 only after a collision. */
export function referralCodeFor(memberId: string, attempt = 0): string {
  // One-shot hash: a lookup of a member without a programme row derives the code every time.
  const digest = hash('sha256', attempt === 0 ? memberId : `${memberId}:${attempt}`, 'buffer');
  let code = '';
  for (let i = 0; i < 8; i += 1) code += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return code;
}

/** What a cashier types ("abcd-2345", "ABCD 2345") as a stored code, or null when it cannot be one. */
export function normalizeReferralCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s-]/g, '');
  return /^[A-Z0-9]{8}$/.test(code) ? code : null;
}

/** For people: "ABCD-2345". */
export const formatReferralCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;
