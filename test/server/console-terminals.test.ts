// Terminals-and-stores routes of the console on both engines: stores, one-time enrolment codes,
// the queue depth terminals report, and revocation, each audited with the admin who did it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { createEnrolCode } from '../../src-server/admin';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { enrolTerminal, openTerminal, sell, syncNow } from '../sync/sync-harness';
import { auditOf, ENGINES, http, SimTerminal, startConsoleServer } from './console-harness';

describe.each(ENGINES)('console terminals routes on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startConsoleServer>>;
  let token: string;
  beforeAll(async () => {
    ctx = await startConsoleServer(engine);
    token = await ctx.signIn();
  });
  afterAll(() => ctx.close());

  it('creates and renames stores, audited with the admin', async () => {
    const created = await http(ctx.server, 'POST', '/v1/admin/stores', { name: 'Moda', storeId: 'moda' }, token);
    expect(created.body).toEqual({ storeId: 'moda', name: 'Moda' });
    await http(ctx.server, 'POST', '/v1/admin/stores', { name: 'Moda Sahil', storeId: 'moda' }, token);
    const stores = (await http(ctx.server, 'GET', '/v1/admin/stores', undefined, token)).body.stores;
    expect(stores.map((s: any) => [s.storeId, s.name])).toEqual([['kadikoy', 'Kadıköy'], ['moda', 'Moda Sahil']]);
    // Numbered stores in number order, not as text ("10" before "2").
    for (const n of [10, 2]) await http(ctx.server, 'POST', '/v1/admin/stores', { name: `Moda ${n}`, storeId: `moda-${n}` }, token);
    const numbered = (await http(ctx.server, 'GET', '/v1/admin/stores', undefined, token)).body.stores;
    expect(numbered.map((s: any) => s.name)).toEqual(['Kadıköy', 'Moda 2', 'Moda 10', 'Moda Sahil']);
    expect((await auditOf(ctx.server, 'store.create')).slice(-2).map((a) => a.actor)).toEqual(['owner', 'owner']);
    const bad = await http(ctx.server, 'POST', '/v1/admin/stores', { name: 'X', storeId: 'no spaces allowed' }, token);
    expect(bad.status).toBe(400);
    expect((await http(ctx.server, 'POST', '/v1/admin/stores', { name: '' }, token)).status).toBe(400);
  });

  it('makes enrolment codes that enrol one terminal, and shows its reported queue depth', async () => {
    const code = await http(ctx.server, 'POST', '/v1/admin/enrol-codes', { storeId: 'moda', validHours: 2 }, token);
    expect(code.status).toBe(200);
    expect(code.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect((await auditOf(ctx.server, 'enrol-code.create')).at(-1)?.actor).toBe('owner');
    // Only the code's hash is stored.
    expect((await ctx.server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM enrol_codes WHERE code_hash = $1', [code.body.code])).at(0)?.n).toBe(0);
    expect((await http(ctx.server, 'POST', '/v1/admin/enrol-codes', { storeId: 'nowhere' }, token)).status).toBe(404);
    // Whole hours from 1 to 720, as the CLI takes them (0.01 hours made a code that lapsed in 36 s).
    for (const validHours of [0.01, 1.5, 0, 721]) expect((await http(ctx.server, 'POST', '/v1/admin/enrol-codes', { storeId: 'moda', validHours }, token)).status).toBe(400);
    await expect(createEnrolCode(ctx.server.db, 'owner', 'moda', 0.5)).rejects.toThrow('a whole number of hours from 1 to 720 (30 days), not 0.5');

    const t = new SimTerminal('t-moda-1');
    const enrolled = await http(ctx.server, 'POST', '/v1/terminals/enrol', { code: code.body.code, terminalId: t.terminalId });
    expect(enrolled.status).toBe(200);
    t.credential = enrolled.body.credential;
    expect((await http(ctx.server, 'POST', '/v1/terminals/enrol', { code: code.body.code, terminalId: 't-moda-2' })).status).toBe(410);

    const before = (await http(ctx.server, 'GET', '/v1/admin/terminals', undefined, token)).body.terminals.find((x: any) => x.terminalId === 't-moda-1');
    expect(before).toMatchObject({ storeId: 'moda', queueDepth: null, lastSyncAt: null, revokedAt: null });

    const entry = t.enrolMember('+905321230001');
    const push = await http(ctx.server, 'POST', '/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, entries: [entry], queueDepth: 7 }, t.credential);
    expect(push.status).toBe(200);
    const after = (await http(ctx.server, 'GET', '/v1/admin/terminals', undefined, token)).body.terminals.find((x: any) => x.terminalId === 't-moda-1');
    expect(after).toMatchObject({ queueDepth: 7, lastSeq: 1 });
    expect(after.lastSyncAt).not.toBeNull();
    expect((await http(ctx.server, 'POST', '/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, entries: [], queueDepth: -1 }, t.credential)).status).toBe(400);
    const stores = (await http(ctx.server, 'GET', '/v1/admin/stores', undefined, token)).body.stores;
    expect(stores.find((s: any) => s.storeId === 'moda').activeTerminals).toBe(1);
  });

  it("counts a till's pulls as syncing: one without sales, which pushes nothing, is not shown silent", async () => {
    const { code } = await createEnrolCode(ctx.server.db, 'owner', 'moda');
    const t = new SimTerminal('t-moda-quiet');
    t.credential = (await http(ctx.server, 'POST', '/v1/terminals/enrol', { code, terminalId: t.terminalId })).body.credential;
    const row = async () => (await http(ctx.server, 'GET', '/v1/admin/terminals', undefined, token)).body.terminals.find((x: any) => x.terminalId === t.terminalId);
    expect(await row()).toMatchObject({ lastSyncAt: null, lastPushAt: null, lastPullAt: null });
    // Its last sale was two days ago; it has pulled the feed ever since.
    await http(ctx.server, 'POST', '/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, entries: [t.enrolMember('+905321230003')] }, t.credential);
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await ctx.server.db.query('UPDATE terminals SET last_push_at = $2 WHERE terminal_id = $1', [t.terminalId, twoDaysAgo]);
    expect((await row()).lastSyncAt).toBe(twoDaysAgo);
    const before = Date.now();
    expect((await http(ctx.server, 'GET', '/v1/sync/pull?limit=1', undefined, t.credential)).status).toBe(200);
    const after = await row();
    expect(after.lastPushAt).toBe(twoDaysAgo);
    expect(Date.parse(after.lastPullAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(after.lastSyncAt).toBe(after.lastPullAt);
    // A refused pull (a cursor the server never gave) is no sync.
    await ctx.server.db.query('UPDATE terminals SET last_pull_at = NULL WHERE terminal_id = $1', [t.terminalId]);
    expect((await http(ctx.server, 'GET', '/v1/sync/pull?cursor=nonsense', undefined, t.credential)).status).toBe(400);
    expect(await row()).toMatchObject({ lastPullAt: null, lastSyncAt: twoDaysAgo });
  });

  it('hears the queue depth from a real terminal core: nothing left after a full sync', async () => {
    const core: TerminalCore = openTerminal();
    try {
      await enrolTerminal(core, ctx.server);
      sell(core, '+905321230002', 10_000);
      sell(core, '+905321230002', 5_000);
      await syncNow(core);
      const row = (await http(ctx.server, 'GET', '/v1/admin/terminals', undefined, token)).body.terminals.find((x: any) => x.terminalId === core.terminalId);
      expect(row.queueDepth).toBe(0);
      expect(row.lastSeq).toBeGreaterThanOrEqual(3);
    } finally {
      core.close();
    }
  });

  it('revokes a terminal, audited with the admin; it can no longer sync', async () => {
    const res = await http(ctx.server, 'POST', '/v1/admin/terminals/t-moda-1/revoke', {}, token);
    expect(res.body).toEqual({ revoked: 't-moda-1' });
    expect((await auditOf(ctx.server, 'terminal.revoke')).at(-1)).toMatchObject({ actor: 'owner', details: { terminalId: 't-moda-1' } });
    const t = (await http(ctx.server, 'GET', '/v1/admin/terminals', undefined, token)).body.terminals.find((x: any) => x.terminalId === 't-moda-1');
    expect(t.revokedAt).not.toBeNull();
    expect((await http(ctx.server, 'POST', '/v1/admin/terminals/t-moda-1/revoke', {}, token)).status).toBe(404);
  });
});
