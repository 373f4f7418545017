import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushAdmission } from '../../src-server/push-admission';
import { echoPushApp } from './echo-push-app';
import { ADMIN_TOKEN, balancesMatchLedger, http, SimTerminal, startTestServer } from './server-harness';

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition never held');
}

describe('push admission (fastify, no database)', () => {
  it('parses a waiting body only when its turn comes, and answers a malformed one with 400 then', async () => {
    const admission = new PushAdmission(2);
    const app = Fastify();
    const parsedBodies: unknown[] = [];
    const release = gate();
    await app.register(async (scope) => {
      admission.keepBodiesRaw(scope);
      scope.post('/push', async (request) =>
        admission.run(request, async (body) => {
          parsedBodies.push(body);
          await release.opened;
          return { ok: true };
        }),
      );
    });
    const send = (payload: string) => app.inject({ method: 'POST', url: '/push', headers: { 'content-type': 'application/json' }, payload });
    const answers = [send('{"n":1}'), send('{"n":2}'), send('{"n":3}'), send('{"n": 4')];
    await until(() => admission.load().running === 2 && admission.load().waiting === 2);
    // Two bodies parsed and at work; the other two are still bytes.
    expect(parsedBodies).toEqual([{ n: 1 }, { n: 2 }]);
    expect(admission.load()).toEqual({ running: 2, waiting: 2, concurrency: 2 });
    release.open();
    const statuses = (await Promise.all(answers)).map((a) => a.statusCode);
    expect(statuses).toEqual([200, 200, 200, 400]);
    expect(parsedBodies).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(admission.load()).toEqual({ running: 0, waiting: 0, concurrency: 2 });
    await app.close();
  });

  it('refuses a "__proto__" key as fastify does, and a concurrency that is not a whole number of at least 1', async () => {
    const { app, send } = await echoPushApp();
    const poisoned = await send('{"__proto__":{"admin":true}}');
    expect(poisoned.statusCode).toBe(400);
    const empty = await send('');
    expect(empty.statusCode).toBe(400);
    const fine = await send('{"name":"Şule"}', 'application/json; charset=utf-8');
    expect(fine.json()).toEqual({ name: 'Şule' });
    await app.close();
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new PushAdmission(bad)).toThrow(/push concurrency/);
  });
});

// PostgreSQL only: holding a push inside the database takes a second connection, which PGlite
// (one connection, every query in turn) does not have.
describe('push admission in the server on postgres', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    ctx = await startTestServer('postgres', { pushConcurrency: 1 });
  });
  afterAll(() => ctx.close());

  it('checks one push at a time when told to: the others wait their turn and are then stored, each exactly once', async () => {
    const terminals = [new SimTerminal(), new SimTerminal(), new SimTerminal()];
    for (const t of terminals) await t.enrol(ctx.server);
    for (const [i, t] of terminals.entries()) {
      const member = t.enrolMember(`+90532444${String(i).padStart(4, '0')}`);
      t.earn(member.memberId, 10_000);
    }
    // The first terminal's push stops at its own terminal row, locked by another connection.
    const blocker = new pg.Client({ connectionString: 'url' in ctx.choice ? ctx.choice.url : '' });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM terminals WHERE terminal_id = $1 FOR UPDATE', [terminals[0]!.terminalId]);
    const pushes = terminals.slice(0, 1).map((t) => t.push(ctx.server, t.entries));
    const load = async () => (await http(ctx.server, 'GET', '/v1/health')).body.pushes;
    await until(async () => (await load()).running === 1);
    pushes.push(...terminals.slice(1).map((t) => t.push(ctx.server, t.entries)));
    await until(async () => (await load()).waiting === 2);
    expect(await load()).toEqual({ running: 1, waiting: 2, concurrency: 1 });
    // Nothing of the waiting pushes is stored while they wait.
    expect((await ctx.server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger'))[0]?.n).toBe(0);
    await blocker.query('COMMIT');
    await blocker.end();
    const answers = await Promise.all(pushes);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.flatMap((a) => a.body.results.map((r: { status: string }) => r.status))).toEqual(Array(6).fill('stored'));
    expect((await ctx.server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger'))[0]?.n).toBe(6);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
    expect(await load()).toEqual({ running: 0, waiting: 0, concurrency: 1 });
  });
});

describe('the server command', () => {
  it('refuses a --push-concurrency that is not a whole number from 1 to 1000, before it opens anything', () => {
    const cli = fileURLToPath(new URL('../../src-server/cli.ts', import.meta.url));
    for (const value of ['0', '2.5', 'many', '1001']) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', cli, '--data-dir', '/nonexistent/kasa', '--port', '0', '--push-concurrency', value], {
        env: { ...process.env, KASA_ADMIN_TOKEN: ADMIN_TOKEN },
        encoding: 'utf8',
      });
      expect(run.status, value).toBe(2);
      expect(run.stderr).toContain(`--push-concurrency must be a whole number of pushes from 1 to 1000, not "${value}"`);
    }
  });
});
