import type { api, MethodName, MethodResult, ParsedArgs, Role } from '../../../src-shared/api/contract';
import type { CoreContext } from '../core-context';

/** A signed-in (or not yet signed-in) screen: one per WebSocket connection or Electron window. */
export type Session = { readonly id: string; userId: string | null; lastActivityMs: number };

/** Who is calling: set from the transport's authenticated session, never from the arguments. */
export type CallerContext = {
  role: Role;
  userId: string | null;
  /** The manager who approved this one action on the caller's screen. */
  approvedBy?: string | null;
  /** The member whose own PIN was checked for this call. */
  customerVerifiedFor?: string | null;
  session?: Session;
};

/** Methods declared with asyncMethod() in the contract wait on the network and return a promise. */
export type Handler<K extends MethodName> = (args: ParsedArgs<K>, caller: CallerContext) => (typeof api)[K] extends { async: true } ? Promise<MethodResult<K>> : MethodResult<K>;

export type HandlerMap<K extends MethodName> = { [M in K]: Handler<M> };

export type HandlerModule<K extends MethodName> = (ctx: CoreContext) => HandlerMap<K>;
