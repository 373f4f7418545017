// The offline redemption policy: without the server, a member spends at most what the server last
// confirmed less what was spent here since, and at most the programme's offline daily cap; a
// manager can approve more (recorded). A balance the server confirms now lifts both limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../../src-shared/program/rule-set';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, callError, cashier } from '../core/helpers';
import { ENGINES, startTestServer } from '../server/server-harness';
import { FaultProxy } from './fault-proxy';
import { callAsync, enrolTerminal, manager, openTerminal, sell, syncNow } from './sync-harness';

/** A sale paid entirely with points (1 point = 0.01), so it earns none and the sums stay simple. */
const redeem = (core: TerminalCore, memberId: string, points: number, key: string, caller = cashier) =>
  core.dispatch('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: points }], redeemPoints: points, idempotencyKey: key }, caller);

describe.each(ENGINES)('offline redemption on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let proxy: FaultProxy;
  let a: TerminalCore;
  let b: TerminalCore;
  let memberId = '';
  beforeAll(async () => {
    ctx = await startTestServer(engine);
    proxy = await new FaultProxy(ctx.server.port).start();
    [a, b] = [openTerminal(), openTerminal()];
    await enrolTerminal(a, ctx.server);
    await enrolTerminal(b, ctx.server, proxy.url);
    memberId = sell(a, '+905326660001', 50_000).member!.memberId; // 500 points
    await syncNow(a);
    await syncNow(b);
  });
  afterAll(async () => {
    a.close();
    b.close();
    await proxy.close();
    await ctx.close();
  });

  it('lets an offline member spend only what the server confirmed, less what was spent since', async () => {
    await proxy.setMode('refuse');
    expect(await callAsync(b, 'members.confirmBalance', { memberId, timeoutMs: 500 }, cashier)).toMatchObject({ confirmed: false });
    sell(b, '+905326660001', 10_000); // +100 earned offline: not spendable until the server has it
    expect(call(b, 'members.get', { memberId }).balance).toBe(600);
    const tooMuch = callError(b, 'sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 550 }], redeemPoints: 550, idempotencyKey: 'offline-550' });
    expect(tooMuch).toMatchObject({ code: 'VERIFICATION_REQUIRED', details: { reason: 'offline-balance', spendable: 500 } });
    expect(redeem(b, memberId, 300, 'offline-300').ok).toBe(true);
    expect(redeem(b, memberId, 250, 'offline-250')).toMatchObject({ ok: false, error: { details: { spendable: 200 } } });
    // A manager approves more; the approval travels with the redemption entry.
    const approved = redeem(b, memberId, 250, 'offline-250', { ...cashier, approvedBy: 'manager-1' });
    expect(approved.ok).toBe(true);
    const entry = b.context.db.prepare<[], { payload: string }>("SELECT payload FROM ledger WHERE kind = 'redeem' ORDER BY seq DESC LIMIT 1").get();
    expect(JSON.parse(entry!.payload)).toMatchObject({ approvedBy: 'manager-1', verifiedBy: 'manager' });
  });

  it('lifts the offline limits once the server confirms the balance', async () => {
    await proxy.setMode('pass');
    await syncNow(b);
    sell(a, '+905326660001', 30_000); // +300 on the other terminal
    await syncNow(a);
    // b has not pulled yet, so it does not know about those 300 points: the server does.
    const confirmed = await callAsync(b, 'members.confirmBalance', { memberId }, cashier);
    expect(confirmed).toMatchObject({ confirmed: true, memberId, balance: 350 });
    expect(redeem(b, memberId, 340, 'online-340').ok).toBe(true);
  });

  it('keeps to the programme offline daily cap, unless a manager approves', async () => {
    const ruleSet = { ...defaultRuleSet('TRY'), version: `cap-${engine}`, redemption: { ...defaultRuleSet('TRY').redemption, offlineDailyCapPoints: 100 } };
    for (const core of [a, b]) call(core, 'program.install', { ruleSet } as never, manager);
    const id = sell(a, '+905326660002', 100_000).member!.memberId; // 1,000 points
    await syncNow(a);
    await syncNow(b);
    await proxy.setMode('refuse');
    expect(redeem(b, id, 80, 'offline-cap-80').ok).toBe(true);
    expect(redeem(b, id, 30, 'offline-cap-30')).toMatchObject({ ok: false, error: { code: 'VERIFICATION_REQUIRED', details: { reason: 'offline-daily-cap', cap: 100, spentToday: 80 } } });
    expect(redeem(b, id, 30, 'offline-cap-30', { ...cashier, approvedBy: 'manager-1' }).ok).toBe(true);
    // A terminal that reaches the server checks the balance there first, and then has no such cap.
    expect(redeem(a, id, 500, 'cap-online-500')).toMatchObject({ ok: false, error: { details: { reason: 'offline-daily-cap' } } });
    expect(await callAsync(a, 'members.confirmBalance', { memberId: id }, cashier)).toMatchObject({ confirmed: true });
    expect(redeem(a, id, 500, 'cap-online-500').ok).toBe(true);
    await proxy.setMode('pass');
  });
});
