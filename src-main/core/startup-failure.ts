// When the terminal core cannot start (a database from a newer version, a corrupt file, a native
// module that does not load), the window must still explain why: the host and the Electron core
// process answer calls from this instead of a core, and the renderer shows the diagnostics screen.
import type { ApiResult } from '../../src-shared/api/result';
import { runSelfTest, type SelfTestCheck } from './self-test';

export type StartupFailure = { problem: string; checks: SelfTestCheck[] };

/** Why the core did not start, with the self-test taken at that moment. */
export async function describeStartupFailure(error: unknown, dataDir: string, resolveFrom?: string): Promise<StartupFailure> {
  const problem = error instanceof Error ? error.message : String(error);
  const report = await runSelfTest({ dataDir, ...(resolveFrom ? { resolveFrom } : {}) });
  return { problem, checks: report.checks };
}

/** Every call while the core is down: `terminal.startup` says why; everything else is unavailable. */
export function answerWhileFailed(failure: StartupFailure, method: string): ApiResult<unknown> {
  if (method === 'terminal.startup') return { ok: true, value: { started: false, problem: failure.problem, checks: failure.checks } };
  return { ok: false, error: { code: 'UNAVAILABLE', message: `Kasa could not start: ${failure.problem}` } };
}
