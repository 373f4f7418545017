import type { ApiTransport, EventListener } from '../../src-shared/api/client';
import { HOST_RPC_PATH, HOST_SESSION_META } from '../../src-shared/api/client';
import type { EventName } from '../../src-shared/api/contract';
import { fromJsonRpcResponse } from '../../src-shared/api/json-rpc';
import type { ApiResult } from '../../src-shared/api/result';

export type ConnectionListener = (connected: boolean) => void;

const unavailable = (message: string): ApiResult<never> => ({ ok: false, error: { code: 'UNAVAILABLE', message } });

/**
 * JSON-RPC 2.0 over the browser host's WebSocket. Reconnects with capped back-off; a call made
 * while disconnected fails at once with UNAVAILABLE (nothing is queued silently). A new socket is
 * a new screen, so the UI signs in again after a reconnect.
 */
export function createWsTransport(onConnection: ConnectionListener = () => undefined): ApiTransport {
  const token = document.querySelector(`meta[name="${HOST_SESSION_META}"]`)?.getAttribute('content') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}${HOST_RPC_PATH}?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, (r: ApiResult<unknown>) => void>();
  const listeners = new Set<EventListener>();
  let socket: WebSocket | null = null;
  let opening: Promise<boolean> | null = null;
  let nextId = 1;
  let retryMs = 500;

  const connect = (): Promise<boolean> => {
    opening ??= new Promise((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        retryMs = 500;
        onConnection(true);
        resolve(true);
      };
      ws.onmessage = (event) => {
        let message: unknown;
        try {
          message = JSON.parse(String(event.data));
        } catch {
          return;
        }
        if (message && typeof message === 'object' && 'method' in message && typeof message.method === 'string') {
          for (const l of listeners) l(message.method as EventName, (message as { params?: unknown }).params);
          return;
        }
        const parsed = fromJsonRpcResponse(message);
        if (parsed && typeof parsed.id === 'number') {
          pending.get(parsed.id)?.(parsed.result);
          pending.delete(parsed.id);
        }
      };
      ws.onclose = () => {
        const wasOpen = socket === ws;
        socket = null;
        opening = null;
        for (const settle of pending.values()) settle(unavailable('The connection to the terminal was lost; try again'));
        pending.clear();
        if (wasOpen) onConnection(false);
        resolve(false);
        // Keep trying in the background so the status bar recovers by itself.
        setTimeout(() => void connect(), retryMs);
        retryMs = Math.min(retryMs * 2, 10_000);
      };
    });
    return opening;
  };

  return {
    async call(method, params) {
      if (!socket && !(await connect())) return unavailable('The terminal is not reachable');
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket?.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      void connect();
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
