import type { Database } from 'better-sqlite3';
import { KasaError } from '../../src-shared/api/errors';
import { lockDurationMs } from './accounts-repo';
import type { AuditLog } from './audit-log';
import { hashPin, verifyPin } from './pin-hash';

type PinRow = { customer_pin_hash: string | null; customer_pin_failures: number; customer_pin_locked_until: string | null };

/** Customer PINs, with the same lockout as staff PINs; checks write their own audit records. */
export class CustomerPins {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly now: () => string,
  ) {}

  set(memberId: string, pin: string): void {
    this.db.prepare('UPDATE members SET customer_pin_hash = ?, customer_pin_failures = 0, customer_pin_locked_until = NULL WHERE member_id = ?').run(hashPin(pin), memberId);
  }

  verify(memberId: string, pin: string, by: { userId: string | null; role: string }): void {
    const row = this.db.prepare<[string], PinRow>('SELECT customer_pin_hash, customer_pin_failures, customer_pin_locked_until FROM members WHERE member_id = ?').get(memberId);
    const record = (outcome: 'ok' | 'failed' | 'refused', details: Record<string, unknown>) =>
      this.db.transaction(() => this.audit.append({ userId: by.userId, role: by.role, action: 'customer.verifyPin', outcome, details: { memberId, ...details } }, this.now()))();
    if (!row) throw new KasaError('NOT_FOUND', `No member with id ${memberId}`);
    if (!row.customer_pin_hash) {
      record('refused', { reason: 'no customer PIN' });
      throw new KasaError('VERIFICATION_REQUIRED', 'This member has no customer PIN: a manager can approve the redemption');
    }
    const nowMs = Date.parse(this.now());
    if (row.customer_pin_locked_until && Date.parse(row.customer_pin_locked_until) > nowMs) {
      record('refused', { reason: 'locked' });
      throw new KasaError('VERIFICATION_REQUIRED', 'Too many wrong customer PINs: a manager can approve, or try again later');
    }
    if (!verifyPin(pin, row.customer_pin_hash)) {
      const failures = row.customer_pin_failures + 1;
      const lockMs = lockDurationMs(failures);
      this.db.transaction(() => {
        this.db
          .prepare('UPDATE members SET customer_pin_failures = ?, customer_pin_locked_until = ? WHERE member_id = ?')
          .run(failures, lockMs > 0 ? new Date(nowMs + lockMs).toISOString() : null, memberId);
      })();
      record('failed', { reason: 'wrong customer PIN', failures });
      throw new KasaError('VERIFICATION_REQUIRED', 'The customer PIN is wrong');
    }
    if (row.customer_pin_failures > 0) this.db.prepare('UPDATE members SET customer_pin_failures = 0, customer_pin_locked_until = NULL WHERE member_id = ?').run(memberId);
    record('ok', {});
  }
}
