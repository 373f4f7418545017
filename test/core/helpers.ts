import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { MethodArgs, MethodName, MethodResult } from '../../src-shared/api/contract';
import type { ApiResult } from '../../src-shared/api/result';
import type { CallerContext } from '../../src-main/core/handlers/handler-types';
import { createTerminalCore, type TerminalCore, type TerminalCoreOptions } from '../../src-main/core/terminal-core';

export const cashier: CallerContext = { role: 'cashier', userId: 'cashier-1' };

export function tempDir(prefix = 'kasa-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openCore(dataDir: string, options: Partial<TerminalCoreOptions> = {}): TerminalCore {
  return createTerminalCore({ dataDir, checkResults: true, ...options });
}

/** Calls the core and returns the value, failing the test with the API error otherwise. */
export function call<K extends MethodName>(core: TerminalCore, method: K, args: MethodArgs<K>, caller = cashier): MethodResult<K> {
  const result = core.dispatch(method, args, caller) as ApiResult<MethodResult<K>>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** A screen's call answered (core.sessions.call): its value, failing the test with the whole answer when it is an error. */
export const valueOf = (result: { ok: boolean }): any => {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return (result as unknown as { value: any }).value;
};

/** A screen's call answered: its error, or null when it succeeded. */
export const errorOf = (result: { ok: boolean }) => (result.ok ? null : (result as unknown as { error: { code: string; message: string; details?: any } }).error);

export function callError(core: TerminalCore, method: string, args: unknown, caller = cashier) {
  const result = core.dispatch(method, args, caller);
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error('expected an error');
  return result.error;
}
