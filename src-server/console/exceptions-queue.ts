// The exceptions queue: what ingest flagged (conflicts and suspicious activity), each with the
// ledger entries behind it, and what the programme owner does about it. Every action is one
// transaction with its admin_audit row.
import { KasaError } from '../../src-shared/api/errors';
import { resolutionSentence, type ExceptionEntry, type ExceptionResolution, type QueueItem } from '../../src-shared/console/member-views';
import type { Database, Queryable } from '../db/database';
import { adjustBalanceIn, flagMemberIn, type AdjustmentRequest, type AdjustmentResult } from './member-admin';
import { sqlOnStoreDay } from './suspicious-activity';
import { auditAdminAction } from '../admin-audit';

export type ExceptionFilter = {
  kind?: string | undefined;
  open?: boolean | undefined;
  storeId?: string | undefined;
  terminalId?: string | undefined;
  memberId?: string | undefined;
  /** Only exceptions with a smaller id (the next page). */
  before?: number | undefined;
  limit?: number | undefined;
};


type Row = {
  exception_id: number;
  kind: string;
  terminal_id: string | null;
  seq: number | null;
  member_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
  resolution_action: ExceptionResolution | null;
  store_id: string | null;
  terminal_flagged: boolean | null;
  member_flagged: boolean | null;
  member_balance: number | null;
};

type EntryRow = { terminal_id: string; store_id: string | null; seq: number; kind: string; member_id: string; points: number; device_time: string; cashier_id: string | null };

const ENTRY_COLUMNS = `l.terminal_id, t.store_id, l.seq, l.kind, l.member_id, l.points, l.device_time, l.entry->>'cashierId' AS cashier_id`;
const RELATED_LIMIT = 50;

/** The ledger entries behind one exception, by what kind of exception it is. */
async function entriesBehind(db: Queryable, e: Row): Promise<ExceptionEntry[]> {
  const out: ExceptionEntry[] = [];
  const push = (rows: EntryRow[], role: ExceptionEntry['role']) => {
    for (const r of rows) {
      out.push({ terminalId: r.terminal_id, storeId: r.store_id, seq: r.seq, kind: r.kind, memberId: r.member_id, points: r.points, deviceTime: r.device_time, cashierId: r.cashier_id, role });
    }
  };
  const day = typeof e.details.day === 'string' ? e.details.day : null;
  if (e.kind === 'suspicious-redemptions' && e.member_id && day) {
    push(await db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger l JOIN terminals t USING (terminal_id) WHERE l.member_id = $1 AND l.kind = 'redeem' AND ${sqlOnStoreDay('$2', 't.time_zone')} ORDER BY l.device_time LIMIT $3`, [e.member_id, day, RELATED_LIMIT]), 'related');
    return out;
  }
  if (e.kind === 'suspicious-enrolments' && e.terminal_id && day && typeof e.details.cashierId === 'string') {
    push(
      await db.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ledger l JOIN terminals t USING (terminal_id) WHERE l.terminal_id = $1 AND l.kind = 'enrol' AND l.entry->>'cashierId' = $2 AND ${sqlOnStoreDay('$3', 't.time_zone')} ORDER BY l.seq LIMIT $4`,
        [e.terminal_id, e.details.cashierId, day, RELATED_LIMIT],
      ),
      'related',
    );
    return out;
  }
  if (e.terminal_id && e.seq !== null) {
    push(await db.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger l JOIN terminals t USING (terminal_id) WHERE l.terminal_id = $1 AND l.seq = $2`, [e.terminal_id, e.seq]), 'subject');
    if (e.kind === 'fork') {
      const forks = await db.query<{ entry: { kind: string; memberId: string; points: number; deviceTime: string; cashierId: string | null }; store_id: string | null }>(
        'SELECT f.entry, t.store_id FROM ledger_forks f LEFT JOIN terminals t USING (terminal_id) WHERE f.terminal_id = $1 AND f.seq = $2 ORDER BY f.fork_id',
        [e.terminal_id, e.seq],
      );
      for (const f of forks) {
        out.push({ terminalId: e.terminal_id, storeId: f.store_id, seq: e.seq, kind: f.entry.kind, memberId: f.entry.memberId, points: f.entry.points, deviceTime: f.entry.deviceTime, cashierId: f.entry.cashierId, role: 'fork' });
      }
    }
    return out;
  }
  if (e.kind === 'negative-balance' && e.member_id) {
    // The spending that took the member below zero: its redemptions and donations up to the
    // exception, newest first, from every terminal (a double redemption shows both).
    push(
      await db.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ledger l JOIN terminals t USING (terminal_id)
         WHERE l.member_id = $1 AND l.points < 0 AND l.received_at <= (SELECT created_at FROM exceptions WHERE exception_id = $2)
         ORDER BY l.received_at DESC, l.device_time DESC LIMIT $3`,
        // The time compared in SQL: a JS Date would drop the microseconds.
        [e.member_id, e.exception_id, RELATED_LIMIT],
      ),
      'related',
    );
  }
  return out;
}

export async function listExceptionQueue(db: Queryable, filter: ExceptionFilter = {}): Promise<QueueItem[]> {
  const rows = await db.query<Row>(
    `SELECT e.*, t.store_id, t.flagged_at IS NOT NULL AS terminal_flagged, m.flagged_at IS NOT NULL AS member_flagged, m.balance AS member_balance
     FROM exceptions e LEFT JOIN terminals t ON t.terminal_id = e.terminal_id LEFT JOIN members m ON m.member_id = e.member_id
     WHERE ($1::boolean IS NULL OR (e.resolved_at IS NULL) = $1) AND ($2::text IS NULL OR e.kind = $2)
       AND ($3::text IS NULL OR t.store_id = $3) AND ($4::text IS NULL OR e.terminal_id = $4)
       AND ($5::text IS NULL OR e.member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = $5), $5))
       AND ($6::bigint IS NULL OR e.exception_id < $6)
     ORDER BY e.exception_id DESC LIMIT $7`,
    [filter.open ?? null, filter.kind ?? null, filter.storeId ?? null, filter.terminalId ?? null, filter.memberId ?? null, filter.before ?? null, Math.min(filter.limit ?? 50, 200)],
  );
  const items: QueueItem[] = [];
  for (const r of rows) {
    items.push({
      exceptionId: r.exception_id,
      kind: r.kind,
      terminalId: r.terminal_id,
      terminalFlagged: r.terminal_flagged === true,
      storeId: r.store_id,
      seq: r.seq,
      memberId: r.member_id,
      memberFlagged: r.member_flagged === true,
      memberBalance: r.member_balance,
      details: r.details,
      createdAt: new Date(r.created_at).toISOString(),
      resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
      resolvedBy: r.resolved_by,
      resolution: r.resolution,
      resolutionAction: r.resolution_action,
      entries: await entriesBehind(db, r),
    });
  }
  return items;
}

/** Locks one exception; refuses one already resolved (two owners acting at once: the second is told). */
async function openException(tx: Queryable, exceptionId: number): Promise<{ kind: string; member_id: string | null; terminal_id: string | null }> {
  const [row] = await tx.query<{ kind: string; member_id: string | null; terminal_id: string | null; resolved_at: Date | null }>(
    'SELECT kind, member_id, terminal_id, resolved_at FROM exceptions WHERE exception_id = $1 FOR UPDATE',
    [exceptionId],
  );
  if (!row) throw new KasaError('NOT_FOUND', `No exception ${exceptionId}`);
  if (row.resolved_at) throw new KasaError('ALREADY_EXISTS', `Exception ${exceptionId} is already resolved`);
  return row;
}

/** Marks an exception resolved with how (as data and as its English sentence); false when it was not open. */
export async function resolveAs(tx: Queryable, actor: string, exceptionId: number, resolution: ExceptionResolution): Promise<boolean> {
  const updated = await tx.query(
    'UPDATE exceptions SET resolved_at = now(), resolved_by = $1, resolution = $2, resolution_action = $3 WHERE exception_id = $4 AND resolved_at IS NULL RETURNING exception_id',
    [actor, resolutionSentence(resolution), JSON.stringify(resolution), exceptionId],
  );
  return updated.length > 0;
}

/** Resolves an exception as it is ("accept"), with the owner's note. */
export async function acceptException(db: Database, actor: string, exceptionId: number, note: string): Promise<void> {
  if (!note.trim()) throw new KasaError('VALIDATION', 'Write a note saying why the exception is accepted');
  await db.transaction(async (tx) => {
    const row = await openException(tx, exceptionId);
    await resolveAs(tx, actor, exceptionId, { action: 'accepted', note: note.trim() });
    await auditAdminAction(tx, actor, 'exception.accept', { exceptionId, kind: row.kind, note: note.trim() });
  });
}

/** Resolves an exception with a balance adjustment of its member (the same adjustment as the Members page's). */
export async function resolveWithAdjustment(db: Database, actor: string, exceptionId: number, request: Omit<AdjustmentRequest, 'memberId' | 'exceptionId'>): Promise<AdjustmentResult> {
  return db.transaction(async (tx) => {
    const row = await openException(tx, exceptionId);
    if (!row.member_id) throw new KasaError('VALIDATION', `Exception ${exceptionId} is about no member: accept it or flag its terminal instead`);
    const result = await adjustBalanceIn(tx, actor, { ...request, memberId: row.member_id, exceptionId });
    await resolveAs(tx, actor, exceptionId, { action: 'adjusted', points: result.points, reasonCode: request.reasonCode, note: request.note?.trim() || null });
    await auditAdminAction(tx, actor, 'exception.adjust', { exceptionId, kind: row.kind, adjustmentId: result.adjustmentId });
    return result;
  });
}

/**
 * Flags the exception's member or terminal for attention. The exception stays open unless
 * `resolve` is set: flagging is often the first step, not the answer.
 */
export async function flagFromException(db: Database, actor: string, exceptionId: number, target: 'member' | 'terminal', reason: string, resolveIt: boolean): Promise<void> {
  if (!reason.trim()) throw new KasaError('VALIDATION', 'Say why you flag it');
  await db.transaction(async (tx) => {
    const row = await openException(tx, exceptionId);
    if (target === 'member') {
      if (!row.member_id) throw new KasaError('VALIDATION', `Exception ${exceptionId} is about no member`);
      await flagMemberIn(tx, actor, row.member_id, reason.trim());
    } else {
      if (!row.terminal_id) throw new KasaError('VALIDATION', `Exception ${exceptionId} is about no terminal`);
      await flagTerminalIn(tx, actor, row.terminal_id, reason.trim());
    }
    if (resolveIt) await resolveAs(tx, actor, exceptionId, { action: 'flagged', target, reason: reason.trim() });
    await auditAdminAction(tx, actor, `exception.flag-${target}`, { exceptionId, kind: row.kind, reason: reason.trim(), resolved: resolveIt });
  });
}

export async function flagTerminalIn(tx: Queryable, actor: string, terminalId: string, reason: string | null): Promise<void> {
  const updated = await tx.query(
    reason === null ? 'UPDATE terminals SET flagged_at = NULL, flag_reason = NULL WHERE terminal_id = $1 RETURNING 1' : 'UPDATE terminals SET flagged_at = now(), flag_reason = $2 WHERE terminal_id = $1 RETURNING 1',
    reason === null ? [terminalId] : [terminalId, reason],
  );
  if (updated.length === 0) throw new KasaError('NOT_FOUND', `No terminal ${terminalId}`);
  await auditAdminAction(tx, actor, reason === null ? 'terminal.unflag' : 'terminal.flag', { terminalId, reason });
}

/** Flagged terminals, for the console's lists. */
export async function flaggedTerminals(db: Queryable): Promise<{ terminalId: string; storeId: string; flaggedAt: string; flagReason: string | null }[]> {
  const rows = await db.query<{ terminal_id: string; store_id: string; flagged_at: Date; flag_reason: string | null }>(
    'SELECT terminal_id, store_id, flagged_at, flag_reason FROM terminals WHERE flagged_at IS NOT NULL ORDER BY flagged_at DESC',
  );
  return rows.map((r) => ({ terminalId: r.terminal_id, storeId: r.store_id, flaggedAt: new Date(r.flagged_at).toISOString(), flagReason: r.flag_reason }));
}
