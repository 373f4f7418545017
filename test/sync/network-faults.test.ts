// Network faults between a terminal and the server, through a proxy the test controls: after
// each fault the terminal recovers by itself and every entry is on the server exactly once.
import { describe, expect, it } from 'vitest';
import { balancesMatchLedger, ENGINES } from '../server/server-harness';
import { call } from '../core/helpers';
import { FaultProxy, type FaultMode } from './fault-proxy';
import { createEnrolCode } from '../../src-server/admin';
import { balanceOf, callAsync, openTerminal, sell, serverBalance, syncNow, terminalBehindFaultProxy } from './sync-harness';

const FAULTS: FaultMode[] = ['refuse', 'drop-request', 'drop-response', 'drop-after-commit', 'slow', 'error-500'];

describe.each(ENGINES)('network faults on %s', (engine) => {
  const env = terminalBehindFaultProxy(engine);

  it.each(FAULTS)('recovers from %s and stores every entry once', async (fault) => {
    const phone = `+90532777${String(FAULTS.indexOf(fault)).padStart(4, '0')}`;
    sell(env.core, phone, 10_000);
    await env.proxy.setMode(fault);
    sell(env.core, phone, 5_000);
    let failed = await syncNow(env.core);
    // A pooled connection cut by the mode change can fail before reaching the proxy: try until the
    // server has really committed a push whose answer was lost.
    for (let i = 0; fault === 'drop-after-commit' && env.proxy.swallowedResponses === 0 && i < 5; i += 1) failed = await syncNow(env.core);
    expect(failed.phase).toBe('waiting-to-retry');
    expect(failed.lastError?.message).toBeTruthy();
    expect(failed.queuedEntries + (fault === 'drop-after-commit' || fault === 'slow' ? 1 : 0)).toBeGreaterThan(0);
    // A sale while the line is bad is kept like any other.
    sell(env.core, phone, 2_500);
    if (fault === 'drop-after-commit') expect(env.proxy.swallowedResponses).toBeGreaterThan(0);

    await env.proxy.setMode('pass');
    const recovered = await syncNow(env.core);
    expect(recovered).toMatchObject({ phase: 'idle', online: true, queuedEntries: 0, lastError: null });

    const lastSeq = call(env.core, 'terminal.status', {}).lastSeq;
    const [stored] = await env.ctx.server.db.query<{ n: number; max: number }>('SELECT count(*)::bigint AS n, max(seq) AS max FROM ledger WHERE terminal_id = $1', [env.core.terminalId]);
    expect(stored).toEqual({ n: lastSeq, max: lastSeq });
    expect(await serverBalance(env.ctx.server, phone)).toBe(175);
    expect(balanceOf(env.core, phone)).toBe(175);
    expect(await balancesMatchLedger(env.ctx.server)).toBe(true);
  });

  it('sends a push again at once when its connection closes under it, so Sync now works the first time', async () => {
    const phone = '+905327779001';
    sell(env.core, phone, 10_000);
    await env.proxy.setMode('cut-next-request');
    const status = await syncNow(env.core);
    expect(env.proxy.mode).toBe('pass'); // the cut happened
    expect(status).toMatchObject({ phase: 'idle', online: true, queuedEntries: 0, lastError: null });
    expect(await serverBalance(env.ctx.server, phone)).toBe(100);
  });

  it('does not send an enrolment twice: the installer tries the code again', async () => {
    // A line of its own: the other terminal's syncs must not meet the cut.
    const line = await new FaultProxy(env.ctx.server.port).start();
    const other = openTerminal();
    try {
      const { code } = await createEnrolCode(env.ctx.server.db, 'test', 'kadikoy');
      await line.setMode('cut-next-request');
      const first = await callAsync(other, 'terminal.enrol', { serverUrl: line.url, code }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(line.mode).toBe('pass');
      expect(String(first)).toMatch(/unreachable/);
      // The server never saw it, so the same code still enrols.
      await callAsync(other, 'terminal.enrol', { serverUrl: line.url, code });
      expect(call(other, 'sync.status', {}).enrolled).toBe(true);
    } finally {
      other.close();
      await line.close();
    }
  });
});
