// Terminal cores (real SQLite files) syncing with a real server (PGlite or PostgreSQL).
import type { MethodArgs, MethodName, MethodResult } from '../../src-shared/api/contract';
import type { ApiResult } from '../../src-shared/api/result';
import type { CallerContext } from '../../src-main/core/handlers/handler-types';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { createEnrolCode } from '../../src-server/admin';
import type { RunningServer } from '../../src-server/start-server';
import { afterAll, beforeAll } from 'vitest';
import { call, cashier, openCore, tempDir } from '../core/helpers';
import { startTestServer, type Engine } from '../server/server-harness';
import { FaultProxy } from './fault-proxy';

export const manager: CallerContext = { role: 'manager', userId: null };

/** Short timings so failures are retried within a test; the loop itself runs as in production. */
export const FAST_SYNC = { requestTimeoutMs: 3_000, intervalMs: 60_000, pokeDelayMs: 60_000, backoff: { baseMs: 20, capMs: 200 } };

export function openTerminal(dataDir = tempDir('kasa-sync-'), sync: object | false = FAST_SYNC): TerminalCore {
  return openCore(dataDir, { sync: sync as never, store: { country: 'TR', currency: 'TRY', timeZone: 'Europe/Istanbul' } });
}

export async function callAsync<K extends MethodName>(core: TerminalCore, method: K, args: MethodArgs<K>, caller = manager): Promise<MethodResult<K>> {
  const result = (await core.dispatchAsync(method, args, caller)) as ApiResult<MethodResult<K>>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const serverOf = new WeakMap<TerminalCore, RunningServer>();

export async function enrolTerminal(core: TerminalCore, server: RunningServer, url = server.url): Promise<void> {
  const { code } = await createEnrolCode(server.db, 'test', 'kadikoy');
  await callAsync(core, 'terminal.enrol', { serverUrl: url, code });
  serverOf.set(core, server);
}

/** The server a terminal syncs with from now on, for syncNow to wait on its feed (after a restart of the server). */
export function syncsWith(core: TerminalCore, server: RunningServer): void {
  serverOf.set(core, server);
}

/**
 * Waits until every change committed on the server is readable through the feed. On PostgreSQL
 * the feed holds back changes newer than the cluster's oldest running transaction (so none is
 * ever skipped), and other test files' databases share that cluster: a pull can lag behind a
 * push another terminal just made, by design. Tests about what a pull brings wait for this first.
 */
async function feedSettled(server: RunningServer): Promise<void> {
  for (let i = 0; i < 1000; i += 1) {
    const [row] = await server.db.query<{ settled: boolean }>(
      'SELECT coalesce(max(txid) < pg_snapshot_xmin(pg_current_snapshot()), true) AS settled FROM changes',
    );
    if (row?.settled) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the change feed did not settle within 10 s');
}

/** Enrols (or finds) a member by phone and rings up a sale of `amountMinor`, redeeming `redeem` points. */
export function sell(core: TerminalCore, phone: string, amountMinor: number, redeem = 0, key?: string) {
  const { member } = call(core, 'members.enroll', { phone });
  return call(
    core,
    'sales.complete',
    {
      memberId: member.memberId,
      lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: amountMinor }],
      ...(redeem ? { redeemPoints: redeem } : {}),
      idempotencyKey: key ?? `sale-${Math.random().toString(36).slice(2)}-${Date.now()}`,
    } as never,
    cashier,
  );
}

export const balanceOf = (core: TerminalCore, phone: string): number | null => call(core, 'members.lookup', { phone }).member?.balance ?? null;

export async function serverBalance(server: RunningServer, phone: string): Promise<number | null> {
  const [row] = await server.db.query<{ balance: number }>('SELECT balance FROM members WHERE phone = $1', [phone]);
  return row?.balance ?? null;
}

export async function syncNow(core: TerminalCore) {
  const server = serverOf.get(core);
  if (server) await feedSettled(server);
  return callAsync(core, 'sync.now', { timeoutSeconds: 120 }, cashier);
}

/**
 * For a describe block: a real server on `engine`, the test's fault proxy in front of it (3.5 s
 * before a held request is let through) and a terminal enrolled through the proxy, closed after.
 */
export function terminalBehindFaultProxy(engine: Engine): { readonly ctx: Awaited<ReturnType<typeof startTestServer>>; readonly proxy: FaultProxy; readonly core: TerminalCore } {
  const set: { ctx?: Awaited<ReturnType<typeof startTestServer>>; proxy?: FaultProxy; core?: TerminalCore } = {};
  beforeAll(async () => {
    set.ctx = await startTestServer(engine);
    set.proxy = await new FaultProxy(set.ctx.server.port, 3_500).start();
    set.core = openTerminal();
    await enrolTerminal(set.core, set.ctx.server, set.proxy.url);
  });
  afterAll(async () => {
    set.core?.close();
    await set.proxy?.close();
    await set.ctx?.close();
  });
  return {
    get ctx() {
      return set.ctx!;
    },
    get proxy() {
      return set.proxy!;
    },
    get core() {
      return set.core!;
    },
  };
}
