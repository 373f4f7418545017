// When the terminal core cannot start (a database from a newer version, a corrupt file, a native
// module that does not load), the window must still explain why: the host and the Electron core
// process answer calls from this instead of a core, and the renderer shows the diagnostics screen.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { STARTUP_FAILURE_CODES, type SelfTestCheck, type StartupFailureCode } from '../../src-shared/api/contract';
import type { ApiResult } from '../../src-shared/api/result';
import { runSelfTest } from './self-test';
import { DEFAULT_STORE_SETTINGS } from './settings';

type Facts = Record<string, string | number>;

export type StartupFailure = { problem: string; code: StartupFailureCode; facts?: Facts; locale: string; checks: SelfTestCheck[] };

/**
 * A thrown error's details naming why the core cannot start (where the data folder is locked and
 * the database opened), with the facts its sentence needs; describeStartupFailure reads them.
 */
export const startupDetails = (code: StartupFailureCode, facts?: Facts) => ({ startupFailure: code, ...facts });

function codedFailure(error: unknown): { code: StartupFailureCode; facts?: Facts } | null {
  const details = typeof error === 'object' && error !== null ? (error as { details?: unknown }).details : undefined;
  if (typeof details !== 'object' || details === null) return null;
  const { startupFailure, ...rest } = details as Record<string, unknown>;
  if (!(STARTUP_FAILURE_CODES as readonly unknown[]).includes(startupFailure)) return null;
  const facts = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
  return Object.keys(facts).length > 0 ? { code: startupFailure as StartupFailureCode, facts } : { code: startupFailure as StartupFailureCode };
}

/**
 * The store's locale as the database last saved it, read-only and without touching the file: a
 * database from a newer Kasa, or one another process holds, still has it. Null when it cannot be
 * read (no file, not a database, the module did not load).
 */
export function readStoredLocale(dataDir: string): string | null {
  const file = path.join(dataDir, 'kasa.db');
  if (!fs.existsSync(file)) return null;
  try {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: 1000 });
    try {
      const row = db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'store'").get();
      const locale: unknown = row ? (JSON.parse(row.value) as { locale?: unknown }).locale : undefined;
      return typeof locale === 'string' && locale.length > 0 ? locale : null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

export type DescribeOptions = {
  /** Where module names resolve from for the self-test (the packaged app passes its own folder). */
  resolveFrom?: string;
  /** The locale the host or the terminal's config file gives the store, when the database's cannot be read. */
  locale?: string;
};

/**
 * Why the core did not start, with the self-test taken at that moment: a code for the screen (the
 * one given where the failure was met; else the database module, when it did not load; else
 * 'other') and the language to say it in (the store's, readStoredLocale; else the configured one;
 * else the default store locale, tr-TR, as a new terminal would have).
 */
export async function describeStartupFailure(error: unknown, dataDir: string, options: DescribeOptions = {}): Promise<StartupFailure> {
  const problem = error instanceof Error ? error.message : String(error);
  const report = await runSelfTest({ dataDir, ...(options.resolveFrom ? { resolveFrom: options.resolveFrom } : {}) });
  const sqliteLoaded = report.checks.find((c) => c.code === 'module-better-sqlite3')?.ok !== false;
  const coded = codedFailure(error) ?? { code: sqliteLoaded ? 'other' : 'database-module' };
  const locale = readStoredLocale(dataDir) ?? options.locale ?? DEFAULT_STORE_SETTINGS.locale;
  return { problem, ...coded, locale, checks: report.checks };
}

/** Every call while the core is down: `terminal.startup` says why; everything else is unavailable. */
export function answerWhileFailed(failure: StartupFailure, method: string): ApiResult<unknown> {
  if (method === 'terminal.startup') return { ok: true, value: { started: false, ...failure } };
  return { ok: false, error: { code: 'UNAVAILABLE', message: `Kasa could not start: ${failure.problem}` } };
}
