import { describe, expect, it } from 'vitest';
import { api, methodNames } from '../../src-shared/api/contract';
import { fromJsonRpcResponse, toJsonRpcResponse } from '../../src-shared/api/json-rpc';
import { parseOrThrow } from '../../src-shared/api/validation';

describe('API contract', () => {
  it('declares every method once with schemas, a role and a summary', () => {
    expect(new Set(methodNames).size).toBe(methodNames.length);
    for (const name of methodNames) {
      const spec = api[name];
      expect(spec.args, name).toBeDefined();
      expect(spec.result, name).toBeDefined();
      expect(['public', 'cashier', 'manager']).toContain(spec.role);
      expect(spec.summary.length, name).toBeGreaterThan(10);
    }
    expect(methodNames).toEqual(expect.arrayContaining(['terminal.status', 'members.lookup', 'members.enroll', 'members.get', 'members.history', 'sales.preview', 'sales.complete']));
  });

  it('validation errors name the path of each bad field', () => {
    expect(() => parseOrThrow(api['sales.complete'].args, { lines: [{ category: 'G', qty: 0, unitPriceMinor: 1 }], idempotencyKey: 'k' }, 'sale')).toThrow(
      /lines\[0\]\.qty: .*; idempotencyKey: /,
    );
  });

  it('round-trips results and errors through JSON-RPC framing', () => {
    expect(fromJsonRpcResponse(toJsonRpcResponse(7, { ok: true, value: { a: 1 } }))).toEqual({ id: 7, result: { ok: true, value: { a: 1 } } });
    expect(fromJsonRpcResponse(toJsonRpcResponse('x', { ok: false, error: { code: 'INSUFFICIENT_POINTS', message: 'no' } }))).toEqual({
      id: 'x',
      result: { ok: false, error: { code: 'INSUFFICIENT_POINTS', message: 'no' } },
    });
    expect(fromJsonRpcResponse({ nonsense: true })).toBeNull();
    const unknownCode = fromJsonRpcResponse({ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'boom', data: { code: 'MADE_UP' } } });
    expect(unknownCode?.result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });
});
