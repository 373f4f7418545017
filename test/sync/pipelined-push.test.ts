// A terminal catching up sends its next batch while the previous one is being answered (two in
// flight). The server stores a terminal's batches only in seq order, so when the second batch
// overtakes the first on the way, it stores nothing of it: the terminal must send it again,
// and every entry ends up on the server exactly once, with no error shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { PUSH_MAX_ENTRIES } from '../../src-shared/sync/protocol';
import { call, cashier } from '../core/helpers';
import { balancesMatchLedger, ENGINES, startTestServer } from '../server/server-harness';
import { FaultProxy } from './fault-proxy';
import { balanceOf, callAsync, enrolTerminal, FAST_SYNC, openTerminal, sell, serverBalance } from './sync-harness';

describe.each(ENGINES)('pipelined push on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let proxy: FaultProxy;
  let core: TerminalCore;
  beforeAll(async () => {
    ctx = await startTestServer(engine);
    proxy = await new FaultProxy(ctx.server.port).start();
    // A held batch waits for the one that overtook it: give requests the production time limit.
    core = openTerminal(undefined, { ...FAST_SYNC, requestTimeoutMs: 15_000 });
    await enrolTerminal(core, ctx.server, proxy.url);
  });
  afterAll(async () => {
    core.close();
    await proxy.close();
    await ctx.close();
  });

  it('stores every entry once when the second batch reaches the server before the first', async () => {
    const phones = Array.from({ length: 10 }, (_, i) => `+90532888${String(i).padStart(4, '0')}`);
    // More than two batches queued: the push pipelines.
    const sales = Math.round(PUSH_MAX_ENTRIES * 2.2);
    for (let i = 0; i < sales; i += 1) sell(core, phones[i % phones.length]!, 1_000 + (i % 7) * 100);
    const queued = call(core, 'sync.status', {}).queuedEntries;
    expect(queued).toBeGreaterThan(2 * PUSH_MAX_ENTRIES);

    await proxy.setMode('reorder-pushes');
    const status = await callAsync(core, 'sync.now', { timeoutSeconds: 120 }, cashier);
    expect(proxy.reorderedPushes).toBe(1);
    expect(status).toMatchObject({ queuedEntries: 0, lastError: null, online: true });

    const lastSeq = call(core, 'terminal.status', {}).lastSeq;
    const [stored] = await ctx.server.db.query<{ n: number; max: number }>('SELECT count(*)::bigint AS n, max(seq) AS max FROM ledger WHERE terminal_id = $1', [core.terminalId]);
    expect(stored).toEqual({ n: lastSeq, max: lastSeq });
    const pending = core.context.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE state = 'pending'").get();
    expect(pending?.n).toBe(0);
    for (const phone of phones) expect(await serverBalance(ctx.server, phone)).toBe(balanceOf(core, phone));
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });
});
