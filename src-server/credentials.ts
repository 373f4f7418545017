import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Credentials and enrolment codes are random and high-entropy, so a plain SHA-256 is enough to
// keep the stored form useless to a thief (unlike PINs, which need a slow KDF).
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export const newCredential = (): string => randomBytes(32).toString('base64url');

/** Enrolment codes are typed by installers: 12 characters from an alphabet without 0/O/1/I. */
export function newEnrolCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

export const normaliseEnrolCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hashSecret(a));
  const y = Buffer.from(hashSecret(b));
  return timingSafeEqual(x, y);
}
