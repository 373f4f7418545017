import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { createEnrolCode, revokeTerminal } from '../../src-server/admin';
import { buildApp } from '../../src-server/app';
import { ADMIN_TOKEN, ENGINES, http, SimTerminal, startTestServer } from './server-harness';

describe.each(ENGINES)('server security on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let t: SimTerminal;
  beforeAll(async () => {
    ctx = await startTestServer(engine);
    t = new SimTerminal();
    await t.enrol(ctx.server);
  });
  afterAll(() => ctx.close());

  const ledgerCount = async () => (await ctx.server.db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM ledger'))[0]?.n ?? 0;

  it('refuses calls without a credential or with a wrong one, and writes nothing', async () => {
    const before = await ledgerCount();
    const entry = t.enrolMember('+905321119001');
    t.seq -= 1;
    t.entries.pop();
    t.prevHash = entry.prevHash;
    expect((await http(ctx.server, 'POST', '/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, entries: [entry] })).status).toBe(401);
    expect((await t.push(ctx.server, [entry], 'not-a-credential')).status).toBe(401);
    // Checked before the body is read: an unknown caller's 5 MB gets 401, not the 413 of a terminal's.
    expect((await http(ctx.server, 'POST', '/v1/sync/push', 'x'.repeat(5 * 1024 * 1024), 'not-a-credential')).status).toBe(401);
    expect((await http(ctx.server, 'GET', '/v1/sync/pull')).status).toBe(401);
    expect((await http(ctx.server, 'GET', '/v1/members/snapshot', undefined, 'nope')).status).toBe(401);
    expect((await http(ctx.server, 'GET', '/v1/admin/terminals', undefined, t.credential)).status).toBe(401);
    expect(await ledgerCount()).toBe(before);
  });

  it('refuses a terminal pushing entries under another terminal id', async () => {
    const other = new SimTerminal();
    await other.enrol(ctx.server);
    other.enrolMember('+905321119002');
    const before = await ledgerCount();
    const res = await t.push(ctx.server, other.entries);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(other.terminalId);
    expect(await ledgerCount()).toBe(before);
  });

  it('uses an enrolment code once, refuses expired and unknown codes', async () => {
    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    expect((await http(ctx.server, 'POST', '/v1/terminals/enrol', { code, terminalId: 'tt-one' })).status).toBe(200);
    const again = await http(ctx.server, 'POST', '/v1/terminals/enrol', { code, terminalId: 'tt-two' });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('CODE_USED');
    const expired = await createEnrolCode(ctx.server.db, 'test', 'kadikoy', 1);
    await ctx.server.db.query("UPDATE enrol_codes SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL");
    expect((await http(ctx.server, 'POST', '/v1/terminals/enrol', { code: expired.code, terminalId: 'tt-three' })).body.error.code).toBe('CODE_EXPIRED');
    expect((await http(ctx.server, 'POST', '/v1/terminals/enrol', { code: 'AAAA-BBBB-CCCC', terminalId: 'tt-four' })).status).toBe(401);
    const terminals = await ctx.server.db.query("SELECT terminal_id FROM terminals WHERE terminal_id LIKE 'tt-%'");
    expect(terminals).toEqual([{ terminal_id: 'tt-one' }]);
  });

  it('answers a lost enrolment again: the same code from the same terminal, before it was heard from', async () => {
    const enrol = (code: string, terminalId: string) => http(ctx.server, 'POST', '/v1/terminals/enrol', { code, terminalId, name: 'Till 1' });
    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    const first = await enrol(code, 'tt-lost');
    expect(first.status).toBe(200);
    // The answer never reached the terminal (a dropped connection): it asks again with the same code.
    const again = await enrol(code, 'tt-lost');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ terminalId: 'tt-lost', storeId: 'kadikoy', storeName: 'Kadıköy' });
    expect(again.body.credential).not.toBe(first.body.credential);
    // The lost credential is replaced: only the new one works.
    expect((await http(ctx.server, 'GET', '/v1/sync/pull', undefined, first.body.credential)).status).toBe(401);
    expect((await http(ctx.server, 'GET', '/v1/sync/pull', undefined, again.body.credential)).status).toBe(200);
    // Heard from since (it pulled): the code has done its work, and takes the credential from no one.
    expect((await enrol(code, 'tt-lost')).body.error.code).toBe('CODE_USED');
    expect((await http(ctx.server, 'GET', '/v1/sync/pull', undefined, again.body.credential)).status).toBe(200);

    const late = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    expect((await enrol(late.code, 'tt-late')).status).toBe(200);
    // Another terminal with the same code is refused, whenever it asks.
    expect((await enrol(late.code, 'tt-other')).body.error.code).toBe('CODE_USED');
    // So is the same terminal a quarter of an hour later.
    await ctx.server.db.query("UPDATE enrol_codes SET used_at = used_at - interval '16 minutes' WHERE used_by = 'tt-late'");
    expect((await enrol(late.code, 'tt-late')).body.error.code).toBe('CODE_USED');
    expect(await ctx.server.db.query("SELECT terminal_id FROM terminals WHERE terminal_id IN ('tt-lost', 'tt-late', 'tt-other') ORDER BY terminal_id")).toEqual([{ terminal_id: 'tt-late' }, { terminal_id: 'tt-lost' }]);
  });

  it('refuses a revoked terminal', async () => {
    const revoked = new SimTerminal();
    await revoked.enrol(ctx.server);
    await revokeTerminal(ctx.server.db, 'test', revoked.terminalId);
    revoked.enrolMember('+905321119003');
    const res = await revoked.push(ctx.server, revoked.entries);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('REVOKED');
  });

  it('answers malformed and oversized bodies with 400 and 413, writing nothing', async () => {
    const before = await ledgerCount();
    expect((await http(ctx.server, 'POST', '/v1/sync/push', '{"protocolVersion": 1, "entries": [', t.credential)).status).toBe(400);
    const wrong = await http(ctx.server, 'POST', '/v1/sync/push', { protocolVersion: 1, entries: [{ seq: 'one' }] }, t.credential);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('entries[0]');
    expect((await http(ctx.server, 'POST', '/v1/sync/push', 'x'.repeat(5 * 1024 * 1024), t.credential)).status).toBe(413);
    // A time zone that is none (insights would count days in it): refused, saying what it takes.
    const zone = await http(ctx.server, 'POST', '/v1/sync/push', { protocolVersion: 1, entries: [], timeZone: "Europe/Istanbul'; DROP TABLE ledger;--" }, t.credential);
    expect(zone.status).toBe(400);
    expect(zone.body.error.message).toContain('a time zone such as Europe/Istanbul');
    expect((await http(ctx.server, 'GET', '/v1/sync/pull?cursor=%27%3B%20DROP%20TABLE%20ledger%3B--', undefined, t.credential)).status).toBe(400);
    expect(await ledgerCount()).toBe(before);
  });

  it('refuses a body with a "__proto__" or "constructor" key however it is spelled, in the envelope or inside a payload, and reads escapes elsewhere', async () => {
    const before = await ledgerCount();
    for (const body of [
      '{"protocolVersion":1,"entries":[],"__proto__":{"admin":true}}',
      '{"protocolVersion":1,"entries":[],"\\u005f_proto__":{"admin":true}}',
      '{"protocolVersion":1,"entries":[],"constructor":{"prototype":{"admin":true}}}',
      '{"protocolVersion":1,"entries":[],"\\u0063onstructor":{"prototype":{"admin":true}}}',
      '',
    ]) {
      const res = await http(ctx.server, 'POST', '/v1/sync/push', body, t.credential);
      expect(res.status, body).toBe(400);
    }
    // Inside an entry's payload too, where the schema takes any key.
    const inner = new SimTerminal();
    await inner.enrol(ctx.server);
    const member = inner.enrolMember('+905321119011');
    for (const key of ['"__proto__"', '"\\u005f_proto__"']) {
      const text = JSON.stringify({ protocolVersion: PROTOCOL_VERSION, entries: [member] }).replace('"payload":{', `"payload":{${key}:{"admin":true},`);
      const res = await http(ctx.server, 'POST', '/v1/sync/push', text, inner.credential);
      expect(res.status, key).toBe(400);
    }
    expect(await ledgerCount()).toBe(before);
    // An escape that spells no such key is JSON like any other.
    const escaped = new SimTerminal();
    await escaped.enrol(ctx.server);
    const entry = escaped.enrolMember('+905321119010', undefined, { name: 'Şule' });
    const text = JSON.stringify({ protocolVersion: PROTOCOL_VERSION, entries: [entry] }).replace('"protocolVersion"', '"\\u0070rotocolVersion"').replace('Şule', '\\u015eule');
    const res = await http(ctx.server, 'POST', '/v1/sync/push', text, escaped.credential);
    expect(res.status).toBe(200);
    expect(await ctx.server.db.query('SELECT name FROM members WHERE phone = $1', ['+905321119010'])).toEqual([{ name: 'Şule' }]);
  });

  it('refuses text with a NUL character as a bad request, not as a failure to retry, and writes nothing', async () => {
    const nul = 'Ay\u0000şe';
    const { code } = await createEnrolCode(ctx.server.db, 'test', 'kadikoy');
    const enrol = await http(ctx.server, 'POST', '/v1/terminals/enrol', { code, terminalId: 'tt-nul', name: nul });
    expect(enrol.status).toBe(400);
    expect(enrol.body.error).toEqual({ code: 'VALIDATION', message: 'Text in the request holds a NUL character (\\u0000), which the server cannot store: remove it. Nothing was stored' });
    // Nothing was written: the code is still unused and enrols the terminal named without it.
    expect((await http(ctx.server, 'POST', '/v1/terminals/enrol', { code, terminalId: 'tt-nul', name: 'Ayşe' })).status).toBe(200);

    const store = await http(ctx.server, 'POST', '/v1/admin/stores', { name: nul, storeId: 'nul-store' }, ADMIN_TOKEN);
    expect(store.status).toBe(400);
    expect(await ctx.server.db.query("SELECT store_id FROM stores WHERE store_id = 'nul-store'")).toEqual([]);

    const pusher = new SimTerminal();
    await pusher.enrol(ctx.server);
    const before = await ledgerCount();
    const push = await pusher.push(ctx.server, [pusher.enrolMember('+905321119012', undefined, { name: nul })]);
    expect(push.status).toBe(400);
    expect(push.body.error.message).toContain('NUL character');
    expect(await ledgerCount()).toBe(before);
    expect(await ctx.server.db.query('SELECT member_id FROM members WHERE phone = $1', ['+905321119012'])).toEqual([]);
  });

  it('stores SQL-looking text as text', async () => {
    const tricky = new SimTerminal("t-x'; DROP TABLE ledger; --".replace(/[^\w-]/g, '_'));
    await tricky.enrol(ctx.server);
    tricky.entries.length = 0;
    const entry = tricky.enrolMember('+905321119004');
    entry.payload = { phone: '+905321119004', name: "Robert'); DROP TABLE members;--" };
    // Re-seal with the tricky name so the chain stays valid.
    const { sealEntry } = await import('../../src-shared/ledger/entry');
    const { sha256Hex } = await import('./server-harness');
    const { hash: _h, ...rest } = entry;
    const sealed = sealEntry(rest, sha256Hex);
    expect((await tricky.push(ctx.server, [sealed])).status).toBe(200);
    expect(await ctx.server.db.query("SELECT name FROM members WHERE phone = '+905321119004'")).toEqual([{ name: "Robert'); DROP TABLE members;--" }]);
  });

  it('limits enrolment attempts per client', async () => {
    const limited = await startTestServer(engine, { enrolLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await http(limited.server, 'POST', '/v1/terminals/enrol', { code: 'AAAA-BBBB-CCCC', terminalId: `guess-${i}` })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  it("counts a client by the address its proxy saw, not by the X-Forwarded-For the caller wrote", async () => {
    /** Enrolment attempts (limited to 2 a minute per client) with the X-Forwarded-For a proxy passed on. */
    const attempts = async (server: Awaited<ReturnType<typeof startTestServer>>['server'], forwardedFor: (i: number) => string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const res = await fetch(`${server.url}/v1/terminals/enrol`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor(i) },
          body: JSON.stringify({ code: 'AAAA-BBBB-CCCC', terminalId: `guess-${i}` }),
        });
        statuses.push(res.status);
      }
      return statuses;
    };
    // Through a proxy on this machine (the default) that appends what it saw to what the caller
    // sent: the caller's own first addresses change every time, the address the proxy saw does not.
    const local = await startTestServer(engine, { enrolLimitPerMinute: 2 });
    try {
      expect(await attempts(local.server, (i) => `10.0.0.${i}, 203.0.113.7`)).toEqual([401, 401, 429, 429]);
    } finally {
      await local.close();
    }
    // Proxies elsewhere (10.0.0.0/8): a caller on this machine is none of them, so what it writes is ignored.
    const remote = await startTestServer(engine, { enrolLimitPerMinute: 2, trustedProxies: ['10.0.0.0/8'] });
    try {
      expect(await attempts(remote.server, (i) => `198.51.100.${i}`)).toEqual([401, 401, 429, 429]);
    } finally {
      await remote.close();
    }
  });

  it('sends security headers and serves the OpenAPI description', async () => {
    const res = await fetch(`${ctx.server.url}/v1/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
    const docs = await http(ctx.server, 'GET', '/docs/json');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/v1/terminals/enrol', '/v1/terminals/card-keys', '/v1/sync/push', '/v1/sync/pull', '/v1/members/snapshot']));
    expect((await http(ctx.server, 'GET', '/v1/admin/terminals', undefined, ADMIN_TOKEN)).status).toBe(200);
  });

  it("keeps a member search's phone digits, name and card digits out of the request log", async () => {
    const lines: string[] = [];
    const app = await buildApp({ db: ctx.server.db, adminToken: ADMIN_TOKEN, logger: { stream: { write: (line: string) => lines.push(line) } } });
    try {
      for (const q of ['5321239876', 'Ayşe Yılmaz', '4242']) {
        const res = await app.inject({ method: 'GET', url: `/v1/admin/members?q=${encodeURIComponent(q)}&limit=5`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      await app.close();
    }
    const log = lines.join('');
    expect(log).toContain('"url":"/v1/admin/members?q=…&limit=…"');
    for (const secret of ['5321239876', 'Ay%C5%9Fe', 'Ayşe', '4242']) expect(log).not.toContain(secret);
  });

  it('answers a route that does not exist in the same shape as every other error', async () => {
    for (const [method, path] of [['GET', '/v2/sync/pull?cursor=x'], ['DELETE', '/v1/sync/push'], ['GET', '/']] as const) {
      const res = await http(ctx.server, method, path, undefined, t.credential);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('NOT_FOUND');
      expect(res.body.error.message, path).toContain(`No route ${method} ${path.split('?')[0]}`);
    }
  });

  it('refuses every route of the API to a caller without the right credential', async () => {
    // Every route the app serves is in its OpenAPI description; these few take no credential.
    const open = new Set(['GET /v1/health', 'POST /v1/terminals/enrol', 'POST /v1/admin/sign-in', 'GET /console', 'GET /console/', 'GET /console/{*}']);
    const { body } = await http(ctx.server, 'GET', '/docs/json');
    const routes = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path })));
    expect(routes.length).toBeGreaterThan(40);
    const before = await ledgerCount();
    for (const { method, path } of routes) {
      if (open.has(`${method} ${path}`)) continue;
      const url = path.replace(/\{[^}]+\}/g, '1');
      const body = method === 'POST' ? {} : undefined;
      // Terminal routes refuse the admin token, admin routes a terminal's credential; both refuse none.
      const wrong = path.startsWith('/v1/admin/') ? t.credential : ADMIN_TOKEN;
      for (const token of [undefined, wrong]) expect((await http(ctx.server, method, url, body, token)).status, `${method} ${path} with ${token ? 'the wrong credential' : 'none'}`).toBe(401);
    }
    expect(await ledgerCount()).toBe(before);
  });
});
