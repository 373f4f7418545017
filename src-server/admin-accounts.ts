// Console sign-in: admin accounts with scrypt password hashes, and sessions whose token is random
// and stored only as its SHA-256 (like terminal credentials). Repeated failed sign-ins for one
// name are refused for a while, so a password cannot be guessed at network speed.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { KasaError } from '../src-shared/api/errors';
import type { Database, Queryable } from './db/database';
import { hashSecret, newCredential } from './credentials';
import { auditAdminAction } from './admin-audit';

export const SESSION_HOURS = 12;
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MINUTES = 15;
export const MIN_PASSWORD_LENGTH = 10;

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 };

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** "scrypt$N$r$p$salt$key" (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

// Compared against when the name is unknown, so an unknown name costs the same time as a wrong password.
let decoyHash: Promise<string> | null = null;

const NAME = /^[\p{L}\p{N}._@-]{2,64}$/u;

export async function createAdminAccount(db: Database, actor: string, name: string, password: string): Promise<{ name: string }> {
  const trimmed = name.trim();
  if (!NAME.test(trimmed)) throw new KasaError('VALIDATION', 'An admin name is 2 to 64 letters, digits, ".", "_", "@" or "-"');
  checkPassword(password);
  const hash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [existing] = await tx.query('SELECT 1 FROM admin_accounts WHERE name = $1', [trimmed]);
    if (existing) throw new KasaError('ALREADY_EXISTS', `There is already an admin called ${trimmed}`);
    await tx.query('INSERT INTO admin_accounts (name, password_hash) VALUES ($1, $2)', [trimmed, hash]);
    await auditAdminAction(tx, actor, 'admin.create', { name: trimmed });
  });
  return { name: trimmed };
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 200) throw new KasaError('VALIDATION', `A password has ${MIN_PASSWORD_LENGTH} to 200 characters`);
}

export type AdminAccountView = { name: string; createdAt: string; disabledAt: string | null; lastSignInAt: string | null };

/** Every console account, by name, with when it last signed in: who can still reach the console. */
export async function listAdminAccounts(db: Queryable): Promise<AdminAccountView[]> {
  const rows = await db.query<{ name: string; created_at: Date | string; disabled_at: Date | string | null; last_sign_in: Date | string | null }>(
    `SELECT a.name, a.created_at, a.disabled_at, (SELECT max(s.created_at) FROM admin_sessions s WHERE s.admin_name = a.name) AS last_sign_in
     FROM admin_accounts a ORDER BY a.name`,
  );
  const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
  return rows.map((r) => ({ name: r.name, createdAt: iso(r.created_at) ?? '', disabledAt: iso(r.disabled_at), lastSignInAt: iso(r.last_sign_in) }));
}

/** Locks the account's row, or says that there is no such admin. */
async function lockAccount(tx: Queryable, name: string): Promise<{ disabled_at: Date | string | null }> {
  const [account] = await tx.query<{ disabled_at: Date | string | null }>('SELECT disabled_at FROM admin_accounts WHERE name = $1 FOR UPDATE', [name]);
  if (!account) throw new KasaError('NOT_FOUND', `There is no admin called ${name} (admin admins lists them)`);
  return account;
}

/**
 * A new password for an account (forgotten, or known to someone it should not be): its open
 * sessions end, and its failed sign-ins are forgotten, so the new password works at once.
 */
export async function setAdminPassword(db: Database, actor: string, name: string, password: string, now = new Date()): Promise<{ name: string; sessionsEnded: number }> {
  checkPassword(password);
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await lockAccount(tx, name);
    await tx.query('UPDATE admin_accounts SET password_hash = $2 WHERE name = $1', [name, hash]);
    const ended = await endSessions(tx, name, now);
    await tx.query('DELETE FROM admin_signin_failures WHERE admin_name = $1', [name]);
    await auditAdminAction(tx, actor, 'admin.set-password', { name, sessionsEnded: ended });
    return { name, sessionsEnded: ended };
  });
}

/**
 * Disables an account (someone who left: their sessions end now and they cannot sign in) or
 * enables it again. Accounts are never deleted: admin_audit names them.
 */
export async function setAdminDisabled(db: Database, actor: string, name: string, disabled: boolean, now = new Date()): Promise<{ name: string; disabled: boolean; sessionsEnded: number }> {
  return db.transaction(async (tx) => {
    const account = await lockAccount(tx, name);
    if (disabled && account.disabled_at === null) await tx.query('UPDATE admin_accounts SET disabled_at = $2 WHERE name = $1', [name, now.toISOString()]);
    if (!disabled && account.disabled_at !== null) await tx.query('UPDATE admin_accounts SET disabled_at = NULL WHERE name = $1', [name]);
    const ended = disabled ? await endSessions(tx, name, now) : 0;
    await auditAdminAction(tx, actor, disabled ? 'admin.disable' : 'admin.enable', { name, sessionsEnded: ended });
    return { name, disabled, sessionsEnded: ended };
  });
}

async function endSessions(tx: Queryable, name: string, now: Date): Promise<number> {
  const rows = await tx.query('UPDATE admin_sessions SET ended_at = $2 WHERE admin_name = $1 AND ended_at IS NULL AND expires_at > $2 RETURNING token_hash', [name, now.toISOString()]);
  return rows.length;
}

export class SignInRefused extends Error {
  constructor(
    readonly reason: 'bad-credentials' | 'too-many-failures',
    message: string,
  ) {
    super(message);
  }
}

export async function signIn(db: Database, name: string, password: string, now: Date): Promise<{ token: string; name: string; expiresAt: string }> {
  const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MINUTES * 60_000).toISOString();
  const [failures] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM admin_signin_failures WHERE admin_name = $1 AND at > $2', [name, windowStart]);
  if ((failures?.n ?? 0) >= MAX_FAILURES) {
    throw new SignInRefused('too-many-failures', `Too many failed sign-ins for this name: wait ${FAILURE_WINDOW_MINUTES} minutes and try again`);
  }
  const [account] = await db.query<{ name: string; password_hash: string; disabled_at: Date | null }>('SELECT name, password_hash, disabled_at FROM admin_accounts WHERE name = $1', [name]);
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const good = await verifyPassword(password, account?.password_hash ?? (await decoyHash));
  if (!account || !good || account.disabled_at) {
    await db.query('INSERT INTO admin_signin_failures (admin_name, at) VALUES ($1, $2)', [name.slice(0, 64), now.toISOString()]);
    throw new SignInRefused('bad-credentials', 'Wrong name or password');
  }
  const token = newCredential();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO admin_sessions (token_hash, admin_name, created_at, expires_at) VALUES ($1, $2, $3, $4)', [hashSecret(token), account.name, now.toISOString(), expiresAt]);
    // A success clears the count: the owner who mistyped twice is not locked out later.
    await tx.query('DELETE FROM admin_signin_failures WHERE admin_name = $1', [account.name]);
    await auditAdminAction(tx, account.name, 'admin.sign-in', { expiresAt });
  });
  return { token, name: account.name, expiresAt };
}

/** The admin a session token belongs to, or null when it is unknown, ended or expired. */
export async function sessionAdmin(db: Queryable, token: string, now: Date): Promise<string | null> {
  const [row] = await db.query<{ admin_name: string }>(
    `SELECT s.admin_name FROM admin_sessions s JOIN admin_accounts a ON a.name = s.admin_name
     WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND a.disabled_at IS NULL`,
    [hashSecret(token), now.toISOString()],
  );
  return row?.admin_name ?? null;
}

export async function signOut(db: Database, token: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ admin_name: string }>('UPDATE admin_sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL RETURNING admin_name', [hashSecret(token), now.toISOString()]);
    if (row) await auditAdminAction(tx, row.admin_name, 'admin.sign-out');
  });
}
