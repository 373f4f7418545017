import type { AuditRow } from '../audit-log';
import type { HandlerModule } from './handler-types';

export const auditHandlers: HandlerModule<'audit.list'> = (ctx) => ({
  'audit.list': (args) => {
    const where: string[] = ['seq < @beforeSeq'];
    if (args.action) where.push('action = @action');
    if (args.userId) where.push('user_id = @userId');
    if (args.outcome) where.push('outcome = @outcome');
    const rows = ctx.db
      .prepare<Record<string, unknown>, AuditRow>(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT @limit`)
      .all({ beforeSeq: args.beforeSeq ?? Number.MAX_SAFE_INTEGER, action: args.action, userId: args.userId, outcome: args.outcome, limit: args.limit + 1 });
    const page = rows.slice(0, args.limit);
    return {
      records: page.map((r) => ({ seq: r.seq, at: r.at, userId: r.user_id, role: r.role, action: r.action, outcome: r.outcome, details: JSON.parse(r.details) })),
      nextBeforeSeq: rows.length > args.limit ? (page.at(-1)?.seq ?? null) : null,
    };
  },
});
