// Balances carry the server's version: a terminal shows the newest it has heard of, so a balance
// the feed brings late (its order is by transaction id, not commit, and a long transaction on the
// server holds newer changes back) never replaces a newer one or hides the terminal's own points.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncStore } from '../../src-main/core/sync/sync-store';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import type { Change } from '../../src-shared/sync/protocol';
import { call, cashier } from '../core/helpers';
import { startTestServer } from '../server/server-harness';
import { balanceOf, callAsync, enrolTerminal, openTerminal, sell, serverBalance, syncNow } from './sync-harness';

const balanceChange = (memberId: string, balance: number, version?: number): Change => ({
  dataset: 'balances',
  key: memberId,
  payload: { memberId, balance, ...(version === undefined ? {} : { version }) },
});

describe('balance versions on the terminal', () => {
  const cores: TerminalCore[] = [];
  afterAll(() => cores.forEach((c) => c.close()));

  it('keeps the newest balance whatever order the feed brings them in', () => {
    const core = openTerminal(undefined, false);
    cores.push(core);
    const { member } = call(core, 'members.enroll', { phone: '+905321110001' });
    const store = new SyncStore(core.context.db);
    const at = new Date().toISOString();
    store.applyPage([balanceChange(member.memberId, 500, 7), balanceChange(member.memberId, 300, 5)], 'c1', at);
    expect(balanceOf(core, '+905321110001')).toBe(500);
    // The same version again changes nothing; a newer one replaces it.
    store.applyPage([balanceChange(member.memberId, 999, 7)], 'c2', at);
    expect(balanceOf(core, '+905321110001')).toBe(500);
    store.applyPage([balanceChange(member.memberId, 650, 9)], 'c3', at);
    expect(balanceOf(core, '+905321110001')).toBe(650);
    // A server without versions: its balance always applies (as before versions existed).
    store.applyPage([balanceChange(member.memberId, 40)], 'c4', at);
    expect(balanceOf(core, '+905321110001')).toBe(40);
  });
});

// Only PostgreSQL runs transactions side by side, so only there can the feed be held back.
describe('a feed held back by a long transaction on postgres', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let holder: pg.Client;
  const cores: TerminalCore[] = [];
  beforeAll(async () => {
    ctx = await startTestServer('postgres');
    holder = new pg.Client({ connectionString: (ctx.choice as { url: string }).url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    cores.forEach((c) => c.close());
    await ctx.close();
  });
  /** A sync that does not wait for the feed to settle first (syncNow does). */
  const syncWhileHeld = (core: TerminalCore) => callAsync(core, 'sync.now', { timeoutSeconds: 60 }, cashier);

  it("never hides the terminal's own acknowledged points behind an older balance", async () => {
    const [a, b] = [openTerminal(), openTerminal()];
    cores.push(a, b);
    await enrolTerminal(a, ctx.server);
    await enrolTerminal(b, ctx.server);
    const phone = '+905321110002';
    sell(a, phone, 20_000);
    await syncNow(a);
    await syncNow(b);
    expect(balanceOf(b, phone)).toBe(200);

    sell(a, phone, 5_000);
    await syncNow(a); // 250 on the server, readable in the feed
    // A transaction that stays open: the feed now holds back every change committed after it.
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    sell(b, phone, 10_000);
    expect(balanceOf(b, phone)).toBe(300); // 200 known + 100 queued here
    await syncWhileHeld(b);
    // The push's answer gave 350 (a's 50 included); the feed then brought the older 250, which
    // does not count b's own 100: it is not shown in place of 350.
    expect(await serverBalance(ctx.server, phone)).toBe(350);
    expect(balanceOf(b, phone)).toBe(350);
    expect(call(b, 'sync.status', {}).queuedEntries).toBe(0);

    await holder.query('COMMIT');
    await syncNow(b);
    await syncNow(a);
    expect(balanceOf(b, phone)).toBe(350);
    expect(balanceOf(a, phone)).toBe(350);
  });
});
