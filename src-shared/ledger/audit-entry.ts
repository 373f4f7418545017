// An audit record: who did what, when, on which terminal, and how it ended. Chained like the
// ledger, with the same canonical hashing, so the server verifies both the same way.
import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, type Sha256Hex } from './entry';

export const AuditEntry = z.object({
  terminalId: z.string().min(1).max(64),
  seq: z.number().int().min(1),
  at: z.string().max(40),
  userId: z.string().max(64).nullable(),
  role: z.string().max(20).nullable(),
  action: z.string().max(100),
  outcome: z.enum(['ok', 'refused', 'failed']),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const auditHashInput = (entry: Omit<AuditEntry, 'hash'> | AuditEntry): string => {
  const { hash: _hash, ...rest } = entry as AuditEntry;
  return canonicalJson(rest);
};

export function verifyAuditChain(entries: Iterable<AuditEntry>, sha256Hex: Sha256Hex): { seq: number; reason: string } | null {
  let prevSeq = 0;
  let prevHash = GENESIS_HASH;
  for (const e of entries) {
    if (e.seq !== prevSeq + 1) return { seq: e.seq, reason: 'seq-gap' };
    if (e.prevHash !== prevHash) return { seq: e.seq, reason: 'prev-hash-mismatch' };
    if (sha256Hex(auditHashInput(e)) !== e.hash) return { seq: e.seq, reason: 'hash-mismatch' };
    prevSeq = e.seq;
    prevHash = e.hash;
  }
  return null;
}

const SECRET_KEY = /pin|pan|track|password|secret|token|credential|cvv|cvc|^code$|enrolcode|enrollmentcode/i;

/** Arguments as the audit log keeps them: secrets replaced, long text cut. */
export function redactForAudit(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactForAudit(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactForAudit(v, depth + 1)]),
    );
  }
  return value;
}
