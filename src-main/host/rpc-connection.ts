import type { WebSocket } from 'ws';
import { JsonRpcRequest, RPC_INVALID_REQUEST, RPC_PARSE_ERROR, toJsonRpcResponse, type JsonRpcResponse } from '../../src-shared/api/json-rpc';
import type { ApiResult } from '../../src-shared/api/result';
import type { EventBus } from '../core/event-bus';

/** One screen's calls: the core resolves who is signed in on it. */
export type SessionCall = (method: string, params: unknown) => ApiResult<unknown> | Promise<ApiResult<unknown>>;

const MAX_BATCH = 100;

const protocolError = (id: string | number | null, code: number, message: string): JsonRpcResponse => ({
  jsonrpc: '2.0',
  id,
  error: { code, message, data: { code: 'VALIDATION' } },
});

async function handleOne(raw: unknown, call: SessionCall): Promise<JsonRpcResponse | null> {
  const request = JsonRpcRequest.safeParse(raw);
  if (!request.success) return protocolError(null, RPC_INVALID_REQUEST, 'Invalid JSON-RPC 2.0 request: expected {"jsonrpc":"2.0","id","method","params"}');
  const { id, method, params } = request.data;
  const result = await call(method, params);
  // A notification (no id) gets no answer, as JSON-RPC says.
  return id === undefined ? null : toJsonRpcResponse(id, result);
}

/** Answers one JSON-RPC text frame (single or batch); never throws. */
export async function answerFrame(text: string, call: SessionCall): Promise<JsonRpcResponse | JsonRpcResponse[] | null> {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return protocolError(null, RPC_PARSE_ERROR, 'Parse error: the message is not JSON');
  }
  if (Array.isArray(message)) {
    if (message.length === 0 || message.length > MAX_BATCH) return protocolError(null, RPC_INVALID_REQUEST, `A batch holds 1 to ${MAX_BATCH} requests`);
    // In order, one at a time: calls of one screen must not interleave their writes.
    const answers: JsonRpcResponse[] = [];
    for (const m of message) {
      const answer = await handleOne(m, call);
      if (answer) answers.push(answer);
    }
    return answers.length > 0 ? answers : null;
  }
  return handleOne(message, call);
}

/** Serves one WebSocket: calls in, answers and core events out as JSON-RPC notifications. */
export function serveConnection(socket: WebSocket, call: SessionCall, events: EventBus): void {
  const unsubscribe = events.subscribe((name, payload) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ jsonrpc: '2.0', method: name, params: payload }));
  });
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.send(JSON.stringify(protocolError(null, RPC_INVALID_REQUEST, 'Send JSON-RPC as text frames')));
      return;
    }
    void answerFrame(data.toString(), call).then((answer) => {
      if (answer !== null && socket.readyState === socket.OPEN) socket.send(JSON.stringify(answer));
    });
  });
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);
}
