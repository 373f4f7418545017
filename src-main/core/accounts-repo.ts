import type { Database } from 'better-sqlite3';
import type { StaffMember, User, UserRole } from '../../src-shared/api/contract';
import { because, KasaError } from '../../src-shared/api/errors';
import type { AuditLog } from './audit-log';
import { hashPin, verifyPin } from './pin-hash';

type UserRow = { user_id: string; name: string; role: UserRole; pin_hash: string; active: number; failed_attempts: number; locked_until: string | null };

const toUser = (r: UserRow): User => ({ userId: r.user_id, name: r.name, role: r.role, active: r.active === 1 });

/** Wrong PINs allowed before the first lock, the first lock, and the longest. */
export const LOCKOUT = { freeAttempts: 4, firstLockMs: 30_000, maxLockMs: 15 * 60_000 };

export function lockDurationMs(failedAttempts: number): number {
  if (failedAttempts <= LOCKOUT.freeAttempts) return 0;
  return Math.min(LOCKOUT.firstLockMs * 2 ** (failedAttempts - LOCKOUT.freeAttempts - 1), LOCKOUT.maxLockMs);
}

/** Accounts and PIN checks. PIN checks write their own audit records: a wrong PIN must be counted even though the call fails. */
export class AccountsRepo {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly now: () => string,
    private readonly newId: () => string,
  ) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  list(): User[] {
    return this.#rows().map(toUser);
  }

  /** Every account for a manager's staff list, with the lock wrong PINs put on it while it lasts (a new PIN lifts it). */
  staff(): StaffMember[] {
    const nowMs = Date.parse(this.now());
    return this.#rows().map((r) => ({ ...toUser(r), lockedUntil: r.locked_until && Date.parse(r.locked_until) > nowMs ? r.locked_until : null }));
  }

  /** Every account's row, managers first, then by name: the sign-in list's order and the staff list's. */
  #rows(): UserRow[] {
    return this.db.prepare<[], UserRow>('SELECT * FROM users ORDER BY role DESC, name').all();
  }

  get(userId: string): User | null {
    const row = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE user_id = ?').get(userId);
    return row ? toUser(row) : null;
  }

  create(name: string, role: UserRole, pin: string): User {
    if (this.db.prepare('SELECT 1 FROM users WHERE name = ?').get(name)) throw new KasaError('ALREADY_EXISTS', `There is already an account named ${name}`, because('account-name-taken', { name }));
    const userId = this.newId();
    this.db.prepare('INSERT INTO users (user_id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(userId, name, role, hashPin(pin), this.now());
    return this.get(userId) as User;
  }

  update(userId: string, change: { role?: UserRole | undefined; pin?: string | undefined; active?: boolean | undefined }): User {
    const user = this.get(userId);
    if (!user) throw new KasaError('NOT_FOUND', `No account ${userId}`);
    const demotesLastManager = (change.role === 'cashier' || change.active === false) && user.role === 'manager' && this.activeManagers() === 1;
    if (demotesLastManager) throw new KasaError('VALIDATION', 'The terminal must keep at least one active manager', because('last-manager'));
    if (change.role) this.db.prepare('UPDATE users SET role = ? WHERE user_id = ?').run(change.role, userId);
    if (change.active !== undefined) this.db.prepare('UPDATE users SET active = ? WHERE user_id = ?').run(change.active ? 1 : 0, userId);
    // A new PIN also lifts a lock: that is how a manager unlocks a cashier.
    if (change.pin) this.db.prepare('UPDATE users SET pin_hash = ?, failed_attempts = 0, locked_until = NULL WHERE user_id = ?').run(hashPin(change.pin), userId);
    return this.get(userId) as User;
  }

  private activeManagers(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'manager' AND active = 1").get() as { n: number }).n;
  }

  /**
   * Checks a PIN with lockout and back-off. `purpose` names the check in the audit log
   * (sign-in or a manager override). Throws UNAUTHENTICATED with a message a cashier can act on.
   */
  verify(userId: string, pin: string, purpose: string): User {
    const row = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE user_id = ?').get(userId);
    const record = (outcome: 'ok' | 'failed' | 'refused', details: Record<string, unknown>) =>
      this.audit.append({ userId, role: row?.role ?? null, action: purpose, outcome, details }, this.now());
    if (!row || row.active !== 1) {
      this.db.transaction(() => record('refused', { reason: 'unknown or inactive account' }))();
      throw new KasaError('UNAUTHENTICATED', 'That account does not exist or is deactivated', because('account-unavailable'));
    }
    const nowMs = Date.parse(this.now());
    if (row.locked_until && Date.parse(row.locked_until) > nowMs) {
      const seconds = Math.ceil((Date.parse(row.locked_until) - nowMs) / 1000);
      this.db.transaction(() => record('refused', { reason: 'locked' }))();
      throw new KasaError('UNAUTHENTICATED', `Too many wrong PINs: ${row.name} is locked for ${seconds} s more`, { lockedForSeconds: seconds });
    }
    if (!verifyPin(pin, row.pin_hash)) {
      const attempts = row.failed_attempts + 1;
      const lockMs = lockDurationMs(attempts);
      const lockedUntil = lockMs > 0 ? new Date(nowMs + lockMs).toISOString() : null;
      this.db.transaction(() => {
        this.db.prepare('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE user_id = ?').run(attempts, lockedUntil, userId);
        record('failed', { reason: 'wrong PIN', attempts, ...(lockedUntil ? { lockedUntil } : {}) });
      })();
      const left = LOCKOUT.freeAttempts - attempts;
      throw new KasaError(
        'UNAUTHENTICATED',
        lockMs > 0 ? `Wrong PIN: ${row.name} is locked for ${Math.round(lockMs / 1000)} s` : `Wrong PIN (${left} ${left === 1 ? 'try' : 'tries'} left before a lock)`,
        lockMs > 0 ? { lockedForSeconds: Math.round(lockMs / 1000) } : { triesLeft: left },
      );
    }
    this.db.transaction(() => {
      if (row.failed_attempts > 0 || row.locked_until) this.db.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE user_id = ?').run(userId);
      record('ok', {});
    })();
    return toUser(row);
  }
}
