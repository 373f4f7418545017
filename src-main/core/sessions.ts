import { randomUUID } from 'node:crypto';
import { CustomerVerification, ManagerOverride } from '../../src-shared/api/contract';
import { because, KasaError } from '../../src-shared/api/errors';
import type { ApiResult } from '../../src-shared/api/result';
import { parseOrThrow } from '../../src-shared/api/validation';
import type { AccountsRepo } from './accounts-repo';
import type { CoreContext } from './core-context';
import { CustomerPins } from './customer-pins';
import type { Dispatch, DispatchAsync } from './dispatch';
import type { CallerContext, Session } from './handlers/handler-types';

/** Calls a screen polls on a timer: they do not count as the cashier being active. */
const POLLING_METHODS = new Set(['terminal.status', 'auth.status']);

/**
 * Turns a transport's session into a caller: the signed-in user and role, sign-out after
 * inactivity, and a manager's one-action override (`managerOverride: {userId, pin}` beside the
 * arguments). Transports call `callAsync` (every method); `call` serves the synchronous ones.
 * Nothing else decides who the caller is.
 */
export class Sessions {
  readonly #customerPins: CustomerPins;

  constructor(
    private readonly ctx: CoreContext,
    private readonly accounts: AccountsRepo,
    private readonly dispatch: Dispatch,
    private readonly dispatchAsync: DispatchAsync,
    private readonly idleTimeoutMs: number,
  ) {
    this.#customerPins = new CustomerPins(ctx.db, ctx.audit, ctx.now);
  }

  open(): Session {
    return { id: randomUUID(), userId: null, lastActivityMs: Date.parse(this.ctx.now()) };
  }

  call(session: Session, method: string, params: unknown): ApiResult<unknown> {
    const prepared = this.prepare(session, method, params);
    return 'error' in prepared ? prepared.error : this.dispatch(method, prepared.args, prepared.caller);
  }

  async callAsync(session: Session, method: string, params: unknown): Promise<ApiResult<unknown>> {
    const prepared = this.prepare(session, method, params);
    return 'error' in prepared ? prepared.error : this.dispatchAsync(method, prepared.args, prepared.caller);
  }

  /** Who is calling, with any override or customer PIN taken out of the arguments. */
  private prepare(session: Session, method: string, params: unknown): { caller: CallerContext; args: unknown } | { error: ApiResult<unknown> } {
    const nowMs = Date.parse(this.ctx.now());
    try {
      const caller = this.callerFor(session, nowMs);
      const overridden = this.takeOverride(caller, method, params);
      const { args, customerVerifiedFor } = this.takeCustomerVerification(caller, overridden.args);
      const withOverride: CallerContext = overridden.approvedBy ? { ...caller, role: 'manager', approvedBy: overridden.approvedBy } : caller;
      if (session.userId && !POLLING_METHODS.has(method)) session.lastActivityMs = nowMs;
      return { caller: customerVerifiedFor ? { ...withOverride, customerVerifiedFor } : withOverride, args };
    } catch (error) {
      if (error instanceof KasaError) return { error: { ok: false, error: error.toApiError() } };
      throw error;
    }
  }


  private callerFor(session: Session, nowMs: number): CallerContext {
    if (session.userId && nowMs - session.lastActivityMs > this.idleTimeoutMs) {
      const userId = session.userId;
      session.userId = null;
      this.ctx.db.transaction(() =>
        this.ctx.audit.append({ userId, role: null, action: 'auth.autoSignOut', outcome: 'ok', details: { idleSeconds: Math.round((nowMs - session.lastActivityMs) / 1000) } }, this.ctx.now()),
      )();
    }
    const user = session.userId ? this.accounts.get(session.userId) : null;
    if (session.userId && (!user || !user.active)) session.userId = null;
    return user && user.active ? { role: user.role, userId: user.userId, session } : { role: 'public', userId: null, session };
  }

  /** `customerVerification: {memberId, pin}` beside the arguments: the customer typed their PIN. */
  private takeCustomerVerification(caller: CallerContext, params: unknown): { args: unknown; customerVerifiedFor: string | null } {
    if (!params || typeof params !== 'object' || Array.isArray(params) || !('customerVerification' in params)) return { args: params, customerVerifiedFor: null };
    const { customerVerification, ...args } = params as Record<string, unknown>;
    if (caller.role === 'public') throw new KasaError('UNAUTHENTICATED', 'Sign in first', because('signed-out'));
    const check = parseOrThrow(CustomerVerification, customerVerification, 'customer verification');
    this.#customerPins.verify(check.memberId, check.pin, { userId: caller.userId, role: caller.role });
    return { args, customerVerifiedFor: check.memberId };
  }

  private takeOverride(caller: CallerContext, method: string, params: unknown): { args: unknown; approvedBy: string | null } {
    if (!params || typeof params !== 'object' || Array.isArray(params) || !('managerOverride' in params)) return { args: params, approvedBy: null };
    const { managerOverride, ...args } = params as Record<string, unknown>;
    if (caller.role === 'public') throw new KasaError('UNAUTHENTICATED', 'Sign in first; a manager override approves a signed-in cashier’s action', because('signed-out'));
    const override = parseOrThrow(ManagerOverride, managerOverride, 'manager override');
    const manager = this.accounts.verify(override.userId, override.pin, `override:${method}`);
    if (manager.role !== 'manager') throw new KasaError('FORBIDDEN', `${manager.name} is not a manager`, because('not-a-manager', { name: manager.name }));
    return { args, approvedBy: manager.userId };
  }
}
