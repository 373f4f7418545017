// Terminals and a server working as one programme: enrolment, balances that agree everywhere,
// merges of the same phone enrolled offline twice, offline double redemption, revocation.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode, revokeTerminal } from '../../src-server/admin';
import { ENGINES, startTestServer } from '../server/server-harness';
import { call, cashier } from '../core/helpers';
import { balanceOf, callAsync, enrolTerminal, FAST_SYNC, manager, openTerminal, sell, serverBalance, syncNow } from './sync-harness';
import type { TerminalCore } from '../../src-main/core/terminal-core';

describe.each(ENGINES)('terminal sync on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  const cores: TerminalCore[] = [];
  const terminal = () => {
    const core = openTerminal();
    cores.push(core);
    return core;
  };
  beforeAll(async () => {
    ctx = await startTestServer(engine);
  });
  afterAll(async () => {
    for (const c of cores) c.close();
    await ctx.close();
  });

  it('enrols with a one-time code and explains every refusal', async () => {
    const core = terminal();
    expect(call(core, 'sync.status', {}).phase).toBe('not-enrolled');
    const bad = await core.dispatchAsync('terminal.enrol', { serverUrl: ctx.server.url, code: 'WRONG-CODE-1' }, manager);
    expect(bad).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const plain = await core.dispatchAsync('terminal.enrol', { serverUrl: 'http://kasa.example.com', code: 'ABCDEF-123' }, manager);
    expect(plain).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const unreachable = await core.dispatchAsync('terminal.enrol', { serverUrl: 'http://127.0.0.1:9', code: 'ABCDEF-123' }, manager);
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const cashierTry = await core.dispatchAsync('terminal.enrol', { serverUrl: ctx.server.url, code: 'ABCDEF-123' }, { role: 'cashier', userId: 'c' });
    expect(cashierTry).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    const enrolled = await callAsync(core, 'terminal.enrol', { serverUrl: ctx.server.url, code, name: 'Till 1' });
    expect(enrolled).toMatchObject({ terminalId: core.terminalId, storeId: 'kadikoy', storeName: 'Kadıköy' });
    // Another terminal with the same code (the same one asking again is answered again: server security test).
    const again = await terminal().dispatchAsync('terminal.enrol', { serverUrl: ctx.server.url, code }, manager);
    expect(again).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('already used') } });
    expect(call(core, 'sync.status', {})).toMatchObject({ enrolled: true, storeName: 'Kadıköy' });
    // The credential lives in the secret store (a 0600 file for the host), never in the database.
    const file = path.join(path.dirname(core.databaseFile), 'secrets', 'sync-credential.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const credential = Buffer.from(fs.readFileSync(file, 'utf8'), 'base64').toString('utf8');
    expect(credential.length).toBeGreaterThan(20);
    for (const dbFile of [core.databaseFile, `${core.databaseFile}-wal`]) {
      if (fs.existsSync(dbFile)) expect(fs.readFileSync(dbFile).includes(credential)).toBe(false);
    }
  });

  it('keeps balances the same on both terminals and the server after earning on both', async () => {
    const [a, b] = [terminal(), terminal()];
    await enrolTerminal(a, ctx.server);
    await enrolTerminal(b, ctx.server);
    sell(a, '+905329990001', 10_000);
    await syncNow(a);
    await syncNow(b); // b learns the member and its balance from the feed
    expect(balanceOf(b, '+905329990001')).toBe(100);
    sell(b, '+905329990001', 5_000);
    sell(a, '+905329990001', 2_500);
    for (const core of [a, b, a, b]) await syncNow(core);
    const expected = 100 + 50 + 25;
    expect(await serverBalance(ctx.server, '+905329990001')).toBe(expected);
    expect(balanceOf(a, '+905329990001')).toBe(expected);
    expect(balanceOf(b, '+905329990001')).toBe(expected);
    const status = call(a, 'sync.status', {});
    expect(status).toMatchObject({ phase: 'idle', online: true, queuedEntries: 0, lastError: null });
  });

  it('pushes a sale made through a transport (dispatchAsync) by itself a moment later', async () => {
    const core = openTerminal(undefined, { ...FAST_SYNC, pokeDelayMs: 50 });
    cores.push(core);
    await enrolTerminal(core, ctx.server);
    await syncNow(core);
    // The next scheduled check is a minute away: only the sale itself can start this push.
    const { member } = await callAsync(core, 'members.enroll', { phone: '+905329990009' }, cashier);
    await callAsync(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 4_000 }], idempotencyKey: 'poked-sale-1' }, cashier);
    const pushed = await new Promise<boolean>((resolve) => {
      const done = (value: boolean) => {
        unsubscribe();
        clearTimeout(giveUp);
        resolve(value);
      };
      const unsubscribe = core.events.subscribe((name, payload) => {
        if (name === 'sync.status' && (payload as { queuedEntries: number }).queuedEntries === 0) done(true);
      });
      const giveUp = setTimeout(() => done(call(core, 'sync.status', {}).queuedEntries === 0), 30_000);
    });
    expect(pushed).toBe(true);
    expect(await serverBalance(ctx.server, '+905329990009')).toBe(40);
  });

  it('shows the server balance plus what is not yet acknowledged while offline', async () => {
    const [a, b] = [terminal(), terminal()];
    await enrolTerminal(a, ctx.server);
    await enrolTerminal(b, ctx.server);
    sell(a, '+905329990002', 20_000);
    await syncNow(a);
    await syncNow(b);
    sell(b, '+905329990002', 10_000); // not yet pushed
    sell(a, '+905329990002', 5_000);
    await syncNow(a);
    await syncNow(b); // b pushes its own first, then applies the server's total
    expect(balanceOf(b, '+905329990002')).toBe(350);
    sell(b, '+905329990002', 1_000); // queued locally: shown at once
    expect(balanceOf(b, '+905329990002')).toBe(360);
    expect(call(b, 'sync.status', {}).queuedEntries).toBeGreaterThan(0);
  });

  it('merges the same phone enrolled offline on two terminals into one member with the sum', async () => {
    const [a, b] = [terminal(), terminal()];
    await enrolTerminal(a, ctx.server);
    await enrolTerminal(b, ctx.server);
    // Each terminal's first sync (started by its enrolment) is over: the pushes below go in this order.
    for (const core of [a, b]) await syncNow(core);
    const first = sell(a, '+905329990003', 3_000).member;
    const second = sell(b, '+905329990003', 4_000).member;
    expect(first?.memberId).not.toBe(second?.memberId);
    for (const core of [a, b, a, b]) await syncNow(core);
    const survivors = await ctx.server.db.query<{ member_id: string; balance: number }>("SELECT member_id, balance FROM members WHERE phone = '+905329990003'");
    expect(survivors).toEqual([{ member_id: first?.memberId, balance: 70 }]);
    for (const core of [a, b]) {
      const member = call(core, 'members.lookup', { phone: '+905329990003' }).member;
      expect(member).toMatchObject({ memberId: first?.memberId, balance: 70 });
    }
    // The old id still opens the surviving member on the terminal that made it.
    expect(call(b, 'members.get', { memberId: second!.memberId })).toMatchObject({ memberId: first?.memberId, balance: 70 });
    // And new sales under the survivor count once.
    sell(b, '+905329990003', 1_000);
    for (const core of [b, a]) await syncNow(core);
    expect(balanceOf(a, '+905329990003')).toBe(80);
    expect(await serverBalance(ctx.server, '+905329990003')).toBe(80);
  });

  it('keeps both sales of an offline double redemption, and the report shows the over-draw', async () => {
    const [a, b] = [terminal(), terminal()];
    await enrolTerminal(a, ctx.server);
    await enrolTerminal(b, ctx.server);
    sell(a, '+905329990004', 50_000); // 500 points
    await syncNow(a);
    await syncNow(b);
    // Both offline: each lets the member spend 400.
    sell(a, '+905329990004', 1_000, 400);
    sell(b, '+905329990004', 1_000, 400);
    await syncNow(a);
    const after = await syncNow(b);
    expect(after.flaggedEntries).toBe(1);
    const [exception] = await ctx.server.db.query<{ kind: string }>("SELECT kind FROM exceptions WHERE kind = 'negative-balance' AND terminal_id = $1", [b.terminalId]);
    expect(exception?.kind).toBe('negative-balance');
    const report = call(b, 'reports.day', {}, manager);
    expect(report.sync.exceptions).toEqual([expect.objectContaining({ kinds: ['negative-balance'], points: -400 })]);
    expect(report.sync.everythingPushed).toBe(true);
    await syncNow(a);
    expect(balanceOf(a, '+905329990004')).toBe(await serverBalance(ctx.server, '+905329990004'));
  });

  it('credits each enrolment to the cashier who made it, on the day report and on the server', async () => {
    const core = terminal();
    await enrolTerminal(core, ctx.server);
    // One more than the server's default threshold of enrolments by one cashier in a day.
    for (let i = 0; i < 41; i += 1) call(core, 'members.enroll', { phone: `+9053299${String(i).padStart(5, '0')}` }, cashier);
    const report = call(core, 'reports.day', {}, manager);
    expect(report.cashiers).toEqual([expect.objectContaining({ userId: cashier.userId, enrolments: 41 })]);
    await syncNow(core);
    const flagged = await ctx.server.db.query<{ details: { cashierId: string; count: number } }>(
      "SELECT details FROM exceptions WHERE kind = 'suspicious-enrolments' AND terminal_id = $1",
      [core.terminalId],
    );
    expect(flagged.map((e) => e.details)).toEqual([expect.objectContaining({ cashierId: cashier.userId, count: 41 })]);
  });

  it('stops at a revoked credential with a clear message and continues after enrolling again', async () => {
    const core = terminal();
    await enrolTerminal(core, ctx.server);
    await revokeTerminal(ctx.server.db, 'test', core.terminalId);
    sell(core, '+905329990005', 1_000);
    const status = await syncNow(core);
    expect(status.phase).toBe('revoked');
    expect(status.lastError).toMatchObject({ code: 'revoked', message: 'This terminal was revoked by the programme owner: enrol it again with a new code; nothing queued is lost' });
    expect(status.queuedEntries).toBeGreaterThan(0);
    // The store is Turkish (tr-TR): so is the report's sentence; the message stays English, as detail.
    expect(call(core, 'reports.day', {}, manager).sync).toMatchObject({ reason: expect.stringMatching(/yeni bir kodla yeniden bağlayın/), reasonCode: 'revoked', lastErrorCode: 'revoked' });
    await enrolTerminal(core, ctx.server);
    const resumed = await syncNow(core);
    expect(resumed).toMatchObject({ phase: 'idle', queuedEntries: 0 });
    expect(await serverBalance(ctx.server, '+905329990005')).toBe(10);
  });
});
