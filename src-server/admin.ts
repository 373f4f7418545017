// What the programme owner does, shared by the admin CLI and the /v1/admin HTTP API.
// Every change is recorded in admin_audit with who did it.
import { randomUUID } from 'node:crypto';
import { KasaError } from '../src-shared/api/errors';
import { canonicalJson } from '../src-shared/ledger/canonical-json';
import { parseRuleSetOrThrow } from '../src-shared/program/rule-set-validation';
import type { Database, Queryable } from './db/database';
import { hashSecret, newEnrolCode } from './credentials';
import { auditAdminAction } from './admin-audit';
import { addChange } from './feed';
import { resolveAs } from './console/exceptions-queue';


export async function createStore(db: Database, actor: string, name: string, storeId?: string): Promise<{ storeId: string; name: string }> {
  const id = storeId ?? `store-${randomUUID().slice(0, 8)}`;
  if (!/^[\w-]{1,64}$/.test(id) || !name.trim()) throw new KasaError('VALIDATION', 'A store needs an id (letters, digits, - and _) and a name');
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO stores (store_id, name) VALUES ($1, $2) ON CONFLICT (store_id) DO UPDATE SET name = excluded.name', [id, name.trim()]);
    await auditAdminAction(tx, actor, 'store.create', { storeId: id, name });
  });
  return { storeId: id, name: name.trim() };
}

/** A one-time code an installer types into a new terminal. Only its hash is stored. */
export async function createEnrolCode(db: Database, actor: string, storeId: string, validHours = 24): Promise<{ code: string; expiresAt: string }> {
  if (!(Number.isInteger(validHours) && validHours >= 1 && validHours <= 24 * 30)) {
    throw new KasaError('VALIDATION', `An enrolment code is valid for a whole number of hours from 1 to 720 (30 days), not ${validHours}`);
  }
  const code = newEnrolCode();
  const expiresAt = new Date(Date.now() + validHours * 3_600_000).toISOString();
  await db.transaction(async (tx) => {
    const [store] = await tx.query('SELECT 1 FROM stores WHERE store_id = $1', [storeId]);
    if (!store) throw new KasaError('NOT_FOUND', `No store ${storeId}: create it first`);
    await tx.query('INSERT INTO enrol_codes (code_hash, store_id, expires_at) VALUES ($1, $2, $3)', [hashSecret(code.replace(/-/g, '')), storeId, expiresAt]);
    await auditAdminAction(tx, actor, 'enrol-code.create', { storeId, expiresAt });
  });
  return { code, expiresAt };
}

/**
 * Installs a rule-set version, active from `activeFrom` (default: now). A version is immutable:
 * installing the same version again with the same content changes nothing; with other content it
 * is refused. Invalid documents are refused with every problem (PROGRAM_INVALID, details.problems).
 */
export async function installRuleSet(db: Database, actor: string, document: unknown, activeFrom?: string, now: Date = new Date()): Promise<{ version: string; activeFrom: string; installed: boolean }> {
  const ruleSet = parseRuleSetOrThrow(document);
  const from = activeFrom ? new Date(activeFrom) : now;
  if (!Number.isFinite(from.getTime())) throw new KasaError('VALIDATION', `activeFrom: "${activeFrom}" is not a date-time`);
  return db.transaction(async (tx) => {
    const [existing] = await tx.query<{ document: unknown; active_from: Date }>('SELECT document, active_from FROM rule_sets WHERE version = $1', [ruleSet.version]);
    // A version is immutable: entries were computed with it.
    // jsonb hands the stored document back with its own key order: compared as canonical JSON.
    if (existing && canonicalJson(existing.document) !== canonicalJson(ruleSet)) {
      throw new KasaError('ALREADY_EXISTS', `Rule set ${ruleSet.version} exists with different content: give the new one a new version`);
    }
    if (existing) {
      const installedFrom = new Date(existing.active_from).toISOString();
      // Terminals have the version with its start already: another start is a new version, not a move.
      if (activeFrom && from.toISOString() !== installedFrom) {
        throw new KasaError('ALREADY_EXISTS', `Rule set ${ruleSet.version} is installed already, active from ${installedFrom}: a version's start cannot be moved; to start at ${from.toISOString()}, install it under a new version`, { version: ruleSet.version, activeFrom: installedFrom });
      }
      return { version: ruleSet.version, activeFrom: installedFrom, installed: false };
    }
    await tx.query('INSERT INTO rule_sets (version, document, active_from, installed_at, installed_by) VALUES ($1, $2, $3, $4, $5)', [ruleSet.version, JSON.stringify(ruleSet), from.toISOString(), now.toISOString(), actor]);
    await addChange(tx, 'rule-sets', ruleSet.version, { version: ruleSet.version, activeFrom: activeFrom ? from.toISOString() : null, document: ruleSet });
    await auditAdminAction(tx, actor, 'rule-set.install', { version: ruleSet.version, activeFrom: from.toISOString() });
    return { version: ruleSet.version, activeFrom: from.toISOString(), installed: true };
  });
}

export type ExceptionView = { exceptionId: number; kind: string; terminalId: string | null; seq: number | null; memberId: string | null; details: unknown; createdAt: string; resolvedAt: string | null; resolution: string | null };

export async function listExceptions(db: Queryable, options: { open?: boolean; kind?: string; limit?: number } = {}): Promise<ExceptionView[]> {
  const rows = await db.query<{ exception_id: number; kind: string; terminal_id: string | null; seq: number | null; member_id: string | null; details: unknown; created_at: Date; resolved_at: Date | null; resolution: string | null }>(
    `SELECT * FROM exceptions WHERE ($1::boolean IS NULL OR (resolved_at IS NULL) = $1) AND ($2::text IS NULL OR kind = $2)
     ORDER BY exception_id DESC LIMIT $3`,
    [options.open ?? null, options.kind ?? null, options.limit ?? 100],
  );
  return rows.map((r) => ({
    exceptionId: r.exception_id,
    kind: r.kind,
    terminalId: r.terminal_id,
    seq: r.seq,
    memberId: r.member_id,
    details: r.details,
    createdAt: new Date(r.created_at).toISOString(),
    resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
    resolution: r.resolution,
  }));
}

export async function resolveException(db: Database, actor: string, exceptionId: number, resolution: string): Promise<void> {
  if (!resolution.trim()) throw new KasaError('VALIDATION', 'Say how the exception was resolved');
  await db.transaction(async (tx) => {
    if (!(await resolveAs(tx, actor, exceptionId, { action: 'noted', text: resolution.trim() }))) throw new KasaError('NOT_FOUND', `No open exception ${exceptionId}`);
    await auditAdminAction(tx, actor, 'exception.resolve', { exceptionId, resolution });
  });
}

function latestTime(...times: (Date | null)[]): string | null {
  const known = times.filter((t): t is Date => t !== null).map((t) => new Date(t).getTime());
  return known.length > 0 ? new Date(Math.max(...known)).toISOString() : null;
}

export async function listTerminals(db: Queryable) {
  const rows = await db.query<{ terminal_id: string; store_id: string; name: string | null; enrolled_at: Date; revoked_at: Date | null; last_seq: number; last_push_at: Date | null; last_pull_at: Date | null; queue_depth: number | null; queue_depth_at: Date | null; flagged_at: Date | null; flag_reason: string | null }>(
    'SELECT terminal_id, store_id, name, enrolled_at, revoked_at, last_seq, last_push_at, last_pull_at, queue_depth, queue_depth_at, flagged_at, flag_reason FROM terminals ORDER BY store_id, terminal_id',
  );
  return rows.map((r) => ({
    terminalId: r.terminal_id,
    storeId: r.store_id,
    name: r.name,
    enrolledAt: new Date(r.enrolled_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    lastSeq: r.last_seq,
    /** Its last push or pull, whichever is later: a till with nothing to push still pulls (null: neither yet). */
    lastSyncAt: latestTime(r.last_push_at, r.last_pull_at),
    lastPushAt: r.last_push_at ? new Date(r.last_push_at).toISOString() : null,
    lastPullAt: r.last_pull_at ? new Date(r.last_pull_at).toISOString() : null,
    /** Entries the terminal still had to push after its last push (null: it never said). */
    queueDepth: r.queue_depth,
    queueDepthAt: r.queue_depth_at ? new Date(r.queue_depth_at).toISOString() : null,
    /** Flagged for attention from the exceptions queue (see src-server/console/exceptions-queue.ts). */
    flaggedAt: r.flagged_at ? new Date(r.flagged_at).toISOString() : null,
    flagReason: r.flag_reason,
  }));
}

/** Store names in the order a person reads them: "Store 2" before "Store 10", "Kadıköy" among the K's. */
const storeNameOrder = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export async function listStores(db: Queryable) {
  const rows = await db.query<{ store_id: string; name: string; created_at: Date; terminals: number }>(
    `SELECT s.store_id, s.name, s.created_at, (SELECT count(*)::int FROM terminals t WHERE t.store_id = s.store_id AND t.revoked_at IS NULL) AS terminals
     FROM stores s`,
  );
  rows.sort((a, b) => storeNameOrder.compare(a.name, b.name) || (a.store_id < b.store_id ? -1 : a.store_id > b.store_id ? 1 : 0));
  return rows.map((r) => ({ storeId: r.store_id, name: r.name, createdAt: new Date(r.created_at).toISOString(), activeTerminals: r.terminals }));
}

export async function revokeTerminal(db: Database, actor: string, terminalId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx.query('UPDATE terminals SET revoked_at = now() WHERE terminal_id = $1 AND revoked_at IS NULL RETURNING terminal_id', [terminalId]);
    if (updated.length === 0) throw new KasaError('NOT_FOUND', `No active terminal ${terminalId}`);
    await auditAdminAction(tx, actor, 'terminal.revoke', { terminalId });
  });
}
