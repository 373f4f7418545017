// The typed client over any transport: `send('members.lookup', {phone})` is checked against the
// contract at compile time. The Electron preload and the browser host's WebSocket both implement
// `ApiTransport`.
import type { EventName, EventPayload, MethodArgs, MethodName, MethodResult } from './contract';
import type { ApiResult } from './result';

export type EventListener = (name: EventName, payload: unknown) => void;

export type ApiTransport = {
  call(method: string, params: unknown): Promise<ApiResult<unknown>>;
  /** Returns a function that stops the subscription. */
  subscribe(listener: EventListener): () => void;
};

/**
 * Proof that travels beside a call's arguments, checked by the core before the call runs:
 * a manager's one-action approval, or the customer's own PIN.
 */
export type CallApproval = {
  managerOverride?: { userId: string; pin: string };
  customerVerification?: { memberId: string; pin: string };
};

export type ApiClient = {
  send<K extends MethodName>(method: K, args: MethodArgs<K>, approval?: CallApproval): Promise<ApiResult<MethodResult<K>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export function createApiClient(transport: ApiTransport): ApiClient {
  return {
    send: (method, args, approval) =>
      transport.call(method, approval ? { ...(args as object), ...approval } : args) as Promise<ApiResult<MethodResult<typeof method>>>,
    on: (event, listener) =>
      transport.subscribe((name, payload) => {
        if (name === event) listener(payload as EventPayload<typeof event>);
      }),
  };
}

/** Name of the global the Electron preload exposes in the renderer. */
export const PRELOAD_GLOBAL = 'kasa';
/** Path of the browser host's JSON-RPC WebSocket, and the meta tag carrying the session token. */
export const HOST_RPC_PATH = '/rpc';
export const HOST_SESSION_META = 'kasa-session';
