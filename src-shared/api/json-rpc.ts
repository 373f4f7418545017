// JSON-RPC 2.0 framing of the API, used by the browser host at /rpc and by POS integrations.
import { z } from 'zod';
import type { ApiError, ErrorCode } from './errors';
import { isErrorCode } from './errors';
import type { ApiResult } from './result';

export const JsonRpcRequest = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string().max(100), z.number().int()]).optional(),
  method: z.string().max(100),
  params: z.unknown().optional(),
});
export type JsonRpcRequest = z.infer<typeof JsonRpcRequest>;

/** JSON-RPC's own numbers for transport-level failures; business errors share one number and carry the code. */
export const RPC_PARSE_ERROR = -32700;
export const RPC_INVALID_REQUEST = -32600;
export const RPC_METHOD_NOT_FOUND = -32601;
export const RPC_INVALID_PARAMS = -32602;
export const RPC_INTERNAL = -32603;
export const RPC_APPLICATION = -32000;

const rpcNumberFor = (code: ErrorCode): number =>
  code === 'METHOD_NOT_FOUND' ? RPC_METHOD_NOT_FOUND
  : code === 'VALIDATION' ? RPC_INVALID_PARAMS
  : code === 'INTERNAL' ? RPC_INTERNAL
  : RPC_APPLICATION;

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: string | number | null; result: unknown }
  | { jsonrpc: '2.0'; id: string | number | null; error: { code: number; message: string; data: { code: ErrorCode; details?: unknown } } };

export function toJsonRpcResponse(id: string | number | null, result: ApiResult<unknown>): JsonRpcResponse {
  if (result.ok) return { jsonrpc: '2.0', id, result: result.value };
  const { code, message, details } = result.error;
  return {
    jsonrpc: '2.0',
    id,
    error: { code: rpcNumberFor(code), message, data: details === undefined ? { code } : { code, details } },
  };
}

const JsonRpcResponseSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]),
  result: z.unknown().optional(),
  error: z
    .object({ code: z.number(), message: z.string(), data: z.object({ code: z.string(), details: z.unknown().optional() }).optional() })
    .optional(),
});

/** Back from the wire to the typed result; a malformed reply becomes an error, never a throw. */
export function fromJsonRpcResponse(raw: unknown): { id: string | number | null; result: ApiResult<unknown> } | null {
  const parsed = JsonRpcResponseSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { id, result, error } = parsed.data;
  if (error) {
    const code = error.data && isErrorCode(error.data.code) ? error.data.code : 'INTERNAL';
    const apiError: ApiError = error.data?.details === undefined ? { code, message: error.message } : { code, message: error.message, details: error.data.details };
    return { id, result: { ok: false, error: apiError } };
  }
  return { id, result: { ok: true, value: result } };
}

export const JsonRpcNotification = z.object({ jsonrpc: z.literal('2.0'), method: z.string(), params: z.unknown() });
