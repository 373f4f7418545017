import type { AuditRow } from '../audit-log';
import type { HandlerModule } from './handler-types';

/**
 * The one action the audit indexes leave out (migration 18): completed sales are most of the log,
 * and indexing them cost every sale two b-tree pages. Its records are found by walking back by seq.
 */
const UNINDEXED_ACTION = 'sales.complete';
const NOT_UNINDEXED = `action <> '${UNINDEXED_ACTION}'`;

type AuditQuery = { beforeSeq: number; action?: string | undefined; userId?: string | undefined; outcome?: string | undefined; limit: number };

export const auditHandlers: HandlerModule<'audit.list'> = (ctx) => {
  /** The newest `limit` records before beforeSeq (and after afterSeq) that match every condition. */
  const newest = (conditions: string[], query: AuditQuery & { afterSeq?: number }): AuditRow[] => {
    const where = ['seq < @beforeSeq', ...(query.afterSeq ? ['seq > @afterSeq'] : []), ...conditions];
    if (query.outcome) where.push('outcome = @outcome');
    return ctx.db.prepare<Record<string, unknown>, AuditRow>(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit`).all(query);
  };

  /**
   * One page of records, newest first. A user's records without an action: the index gives their
   * newest records other than sales; their sales can only be newer than the oldest of those (or
   * the page would already be full), so the walk back for them stops there.
   */
  const page = (query: AuditQuery): AuditRow[] => {
    if (query.action !== undefined) {
      const byAction = query.action === UNINDEXED_ACTION ? ['action = @action'] : ['action = @action', NOT_UNINDEXED];
      return newest(query.userId ? [...byAction, 'user_id = @userId'] : byAction, query);
    }
    if (query.userId === undefined) return newest([], query);
    const others = newest(['user_id = @userId', NOT_UNINDEXED], query);
    const afterSeq = others.length === query.limit ? (others.at(-1)?.seq ?? 0) : 0;
    const sales = newest(['user_id = @userId', `action = '${UNINDEXED_ACTION}'`], { ...query, afterSeq });
    return [...others, ...sales].sort((a, b) => b.seq - a.seq).slice(0, query.limit);
  };

  return {
    'audit.list': (args) => {
      const rows = page({ beforeSeq: args.beforeSeq ?? Number.MAX_SAFE_INTEGER, action: args.action, userId: args.userId, outcome: args.outcome, limit: args.limit + 1 });
      const records = rows.slice(0, args.limit);
      return {
        records: records.map((r) => ({ seq: r.seq, at: r.at, userId: r.user_id, role: r.role, action: r.action, outcome: r.outcome, details: JSON.parse(r.details) })),
        nextBeforeSeq: rows.length > args.limit ? (records.at(-1)?.seq ?? null) : null,
      };
    },
  };
};
