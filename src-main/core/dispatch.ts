import type { Database } from 'better-sqlite3';
import { api, isMethodName, type MethodName, type Role } from '../../src-shared/api/contract';
import { because, KasaError, type ApiError } from '../../src-shared/api/errors';
import type { ApiResult } from '../../src-shared/api/result';
import { parseOrThrow } from '../../src-shared/api/validation';
import { redactForAudit } from '../../src-shared/ledger/audit-entry';
import type { AuditLog } from './audit-log';
import { certainArgs } from './certain-args';
import { silentLogger, type Logger } from './logger';
import type { CallerContext, Handler } from './handlers/handler-types';

export type Handlers = { [K in MethodName]: Handler<K> };

const ROLE_RANK: Record<Role, number> = { public: 0, cashier: 1, manager: 2 };

const sqliteCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof (error as { code: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

/** Turns anything thrown into a stable API error; unexpected ones are logged without their arguments. */
export function toApiError(method: string, error: unknown, log: Logger = silentLogger): ApiError {
  if (error instanceof KasaError) return error.toApiError();
  const code = sqliteCode(error);
  // Said by its reason: the counter must learn the disk is full (and what to do) in its own language, not only in the English detail.
  if (code === 'SQLITE_FULL') return { code: 'STORAGE', message: 'The disk is full: nothing was recorded. Free space and try again', details: because('disk-full') };
  if (code?.startsWith('SQLITE_')) return { code: 'STORAGE', message: `The database refused the change (${code}); nothing was recorded` };
  log.error('api.unexpected-error', { method, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack?.split('\n').slice(1, 6).join('\n') } : String(error) });
  return { code: 'INTERNAL', message: `${method} failed unexpectedly; nothing was recorded` };
}

/** Ids and outcomes worth keeping from a result: enough to find the record, never the whole receipt. */
const RESULT_FIELDS = ['saleId', 'memberId', 'created', 'pointsEarned', 'pointsRedeemed', 'balanceBefore', 'balanceAfter', 'userId', 'version', 'adjustmentId', 'verifiedBy'];
function summarizeResult(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object') return {};
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of RESULT_FIELDS) if (key in v && (typeof v[key] !== 'object' || v[key] === null)) out[key] = v[key];
  const member = v.member as { memberId?: unknown } | null | undefined;
  if (member && typeof member === 'object' && typeof member.memberId === 'string') out.memberId = member.memberId;
  // A linked card's last four digits (never more of it): the server finds members by them.
  const card = v.card as { last4?: unknown } | null | undefined;
  if (card && typeof card === 'object' && typeof card.last4 === 'string') out.cardLast4 = card.last4;
  return out;
}

export type DispatcherOptions = {
  checkResults?: boolean;
  /** Mutating calls run in one transaction with their audit record; refusals are recorded too. */
  audit?: { db: Database; log: AuditLog; now: () => string };
  /** Unexpected failures go to the terminal's log (never the arguments: they may hold PINs). */
  log?: Logger;
  /** True while the terminal has no manager yet: methods marked publicBeforeSetup are open to anyone. */
  beforeFirstManager?: () => boolean;
};

/**
 * The single entry point of every transport: checks the method exists, the caller's role,
 * validates the arguments against the contract, runs the handler and wraps the outcome.
 * `dispatch` serves the synchronous methods (all SQLite work); `dispatchAsync` serves every method,
 * including those that wait on the network, and is what transports use.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}) {
  const { audit } = options;
  const record = (method: string, caller: CallerContext, outcome: 'ok' | 'refused' | 'failed', details: Record<string, unknown>) =>
    audit?.log.append(
      { userId: caller.userId, role: caller.role, action: method, outcome, details: caller.approvedBy ? { ...details, approvedBy: caller.approvedBy } : details },
      audit.now(),
    );
  const isAudited = (method: string) => isMethodName(method) && api[method].mutates && !('auditedByHandler' in api[method]);
  const isAsync = (method: string) => isMethodName(method) && 'async' in api[method];
  // Built once: db.transaction() makes new wrapper functions on every call.
  const inAuditTransaction = audit ? audit.db.transaction(<T>(fn: () => T): T => fn()) : null;

  /** Method, role and arguments: throws a KasaError when the call may not run. */
  function admit(method: string, params: unknown, caller: CallerContext): { method: MethodName; args: unknown } {
    if (!isMethodName(method)) throw new KasaError('METHOD_NOT_FOUND', `Unknown method "${String(method).slice(0, 100)}"`);
    const spec = api[method];
    const firstRun = 'publicBeforeSetup' in spec && spec.publicBeforeSetup === true && options.beforeFirstManager?.() === true;
    if (!firstRun && caller.role === 'public' && spec.role !== 'public') throw new KasaError('UNAUTHENTICATED', 'Sign in first', because('signed-out'));
    if (!firstRun && ROLE_RANK[caller.role] < ROLE_RANK[spec.role]) throw new KasaError('FORBIDDEN', `${method} needs the ${spec.role} role`);
    // The hottest methods' usual arguments are checked by hand (certain-args.ts); zod decides the rest.
    if (certainArgs[method]?.(params) === true) return { method, args: params };
    return { method, args: parseOrThrow(spec.args, params ?? {}, `arguments for ${method}`) };
  }
  const run = (method: MethodName, args: unknown, caller: CallerContext) => (handlers[method] as (a: unknown, c: CallerContext) => unknown)(args, caller);
  const checked = (method: MethodName, value: unknown): ApiResult<unknown> => {
    if (options.checkResults) parseOrThrow(api[method].result, value, `result of ${method}`);
    return { ok: true, value };
  };

  function failed(method: string, params: unknown, caller: CallerContext, error: unknown): ApiResult<unknown> {
    const apiError = toApiError(method, error, options.log);
    if (isAudited(method) && audit && apiError.code !== 'STORAGE' && apiError.code !== 'VALIDATION') {
      try {
        const outcome = apiError.code === 'FORBIDDEN' || apiError.code === 'UNAUTHENTICATED' ? 'refused' : 'failed';
        inAuditTransaction?.(() => record(method, caller, outcome, { args: redactForAudit(params), error: apiError.code }));
      } catch (auditError) {
        options.log?.error('audit.record-failed', { method, error: auditError instanceof Error ? auditError.message : String(auditError) });
      }
    }
    return { ok: false, error: apiError };
  }

  function dispatch(method: string, params: unknown, caller: CallerContext): ApiResult<unknown> {
    try {
      const admitted = admit(method, params, caller);
      if (isAsync(method)) throw new KasaError('INTERNAL', `${method} waits on the network: call it through dispatchAsync`);
      const value =
        inAuditTransaction && isAudited(method)
          ? inAuditTransaction(() => {
              const result = run(admitted.method, admitted.args, caller);
              record(method, caller, 'ok', { args: redactForAudit(admitted.args), result: summarizeResult(result) });
              return result;
            })
          : run(admitted.method, admitted.args, caller);
      return checked(admitted.method, value);
    } catch (error) {
      return failed(method, params, caller, error);
    }
  }

  async function dispatchAsync(method: string, params: unknown, caller: CallerContext): Promise<ApiResult<unknown>> {
    if (!isAsync(method)) return dispatch(method, params, caller);
    try {
      const admitted = admit(method, params, caller);
      // No transaction can span the network wait: the outcome is audited once it is known.
      const value = await run(admitted.method, admitted.args, caller);
      if (inAuditTransaction && isAudited(method)) inAuditTransaction(() => record(method, caller, 'ok', { args: redactForAudit(admitted.args), result: summarizeResult(value) }));
      return checked(admitted.method, value);
    } catch (error) {
      return failed(method, params, caller, error);
    }
  }

  return { dispatch, dispatchAsync };
}

export type Dispatch = ReturnType<typeof createDispatcher>['dispatch'];
export type DispatchAsync = ReturnType<typeof createDispatcher>['dispatchAsync'];
