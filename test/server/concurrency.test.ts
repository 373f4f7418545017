// Many terminals at once, and a server killed mid-request. PostgreSQL runs two server processes on
// one database; PGlite is one process by design (it is embedded), so it runs one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src-server/start-server';
import { openDatabase } from '../../src-server/start-server';
import { createEnrolCode, createStore } from '../../src-server/admin';
import { ADMIN_TOKEN, balancesMatchLedger, ENGINES, freshDatabase, http, SimTerminal } from './server-harness';
import { spawnServer, type ServerProcess } from './server-process';
import type { Database } from '../../src-server/db/database';

const TERMINALS = 50;
const SALES_PER_TERMINAL = 60;

describe.each(ENGINES)('concurrent pushes on %s', { timeout: 240_000 }, (engine) => {
  let db: Database;
  let servers: ServerProcess[] = [];
  let drop: () => Promise<void>;
  let choice: Awaited<ReturnType<typeof freshDatabase>>['choice'];

  beforeAll(async () => {
    ({ choice, drop } = await freshDatabase(engine));
    if (engine === 'postgres') {
      db = await openDatabase(choice);
      await createStore(db, 'test', 'Kadıköy', 'kadikoy');
      servers = await Promise.all([spawnServer(choice), spawnServer(choice)]);
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.close();
    await drop();
  });

  /** PGlite holds its directory exclusively: admin work happens while the server is down. */
  async function withPgliteAdmin<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const own = await openDatabase(choice);
    try {
      return await work(own);
    } finally {
      await own.close();
    }
  }
  const admin = <T>(work: (db: Database) => Promise<T>) => (engine === 'postgres' ? work(db) : withPgliteAdmin(work));

  async function enrolTerminal(t: SimTerminal, url: string, code: string) {
    const res = await http(url, 'POST', '/v1/terminals/enrol', { code, terminalId: t.terminalId });
    expect(res.status).toBe(200);
    t.credential = res.body.credential;
  }

  it(`stores every entry of ${TERMINALS} terminals pushing at once exactly once, with right balances`, async () => {
    const terminals = Array.from({ length: TERMINALS }, () => new SimTerminal());
    const codes = await admin(async (d) => {
      if (engine === 'pglite') await createStore(d, 'test', 'Kadıköy', 'kadikoy');
      return Promise.all(terminals.map(() => createEnrolCode(d, 'test', 'kadikoy').then((c) => c.code)));
    });
    if (engine === 'pglite') servers = [await spawnServer(choice)];
    const urls = servers.map((s) => s.url);
    await Promise.all(terminals.map((t, i) => enrolTerminal(t, urls[i % urls.length]!, codes[i]!)));

    // Shared members: every terminal earns for the same 10 hot members (lock contention) and its own.
    const shared = terminals[0]!;
    const hot = Array.from({ length: 10 }, (_, i) => shared.enrolMember(`+90532330${String(i).padStart(4, '0')}`).memberId);
    expect((await shared.push(urls[0]!, shared.entries)).status).toBe(200);
    await Promise.all(
      terminals.map(async (t, i) => {
        const own = t.enrolMember(`+90532331${String(i).padStart(4, '0')}`).memberId;
        for (let s = 0; s < SALES_PER_TERMINAL; s += 1) t.earn(s % 2 === 0 ? own : hot[s % hot.length]!, 1000 + s);
        const pending = t.entries.filter((e) => e.seq > (t === shared ? hot.length : 0));
        // Batches of 20, alternating servers, each sent twice to make duplicates under load.
        for (let b = 0; b < pending.length; b += 20) {
          const batch = pending.slice(b, b + 20);
          for (const attempt of [0, 1]) {
            const res = await t.push(urls[(i + b + attempt) % urls.length]!, batch);
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            expect(res.body.ackedThroughSeq).toBe(batch.at(-1)!.seq);
          }
        }
      }),
    );

    const check = async (d: Database) => {
      const [stored] = await d.query<{ n: number; distinct_keys: number }>('SELECT count(*)::bigint AS n, count(DISTINCT (terminal_id, seq))::bigint AS distinct_keys FROM ledger');
      const hotBalances = await d.query<{ balance: number }>('SELECT balance FROM members WHERE member_id = ANY($1::text[])', [hot]);
      return { stored, matches: await balancesMatchLedger({ db: d } as RunningServer), hotTotal: hotBalances.reduce((s, r) => s + r.balance, 0) };
    };
    const expectedEntries = terminals.reduce((s, t) => s + t.entries.length, 0);
    const expectedHot = terminals.flatMap((t) => t.entries).filter((e) => hot.includes(e.memberId)).reduce((s, e) => s + e.points, 0);
    if (engine === 'pglite') await servers[0]!.stop();
    const result = await admin(check);
    expect(result.stored).toEqual({ n: expectedEntries, distinct_keys: expectedEntries });
    expect(result.matches).toBe(true);
    expect(result.hotTotal).toBe(expectedHot);
    servers = engine === 'pglite' ? [] : servers;
  });

  it('stores a batch exactly once when the server is killed mid-request and the terminal retries', async () => {
    const t = new SimTerminal();
    const [code] = await admin(async (d) => [await createEnrolCode(d, 'test', 'kadikoy').then((c) => c.code)]);
    let server = await spawnServer(choice);
    await enrolTerminal(t, server.url, code!);
    const member = t.enrolMember('+905323400000').memberId;
    for (let i = 0; i < 999; i += 1) t.earn(member, 500 + i);

    // Kill -9 as soon as the request is on the wire: the server dies before, during or after commit.
    const inFlight = t.push(server.url, t.entries).then(
      (r) => r.status,
      () => 'connection lost',
    );
    await new Promise((r) => setTimeout(r, 30));
    await server.kill();
    const firstTry = await inFlight;
    expect([200, 'connection lost']).toContain(firstTry);

    server = await spawnServer(choice);
    const retry = await t.push(server.url, t.entries);
    expect(retry.status).toBe(200);
    expect(retry.body.ackedThroughSeq).toBe(1000);
    const again = await t.push(server.url, t.entries);
    expect(again.body.results.every((r: { status: string }) => r.status === 'duplicate')).toBe(true);
    await server.stop();

    const [row] = await admin((d) => d.query<{ n: number; balance: number }>('SELECT (SELECT count(*)::bigint FROM ledger WHERE terminal_id = $1) AS n, (SELECT balance FROM members WHERE member_id = $2) AS balance', [t.terminalId, member]));
    expect(row).toEqual({ n: 1000, balance: t.entries.reduce((s, e) => s + e.points, 0) });
  });

  it('keeps admin calls behind the admin token on a server started from the CLI', async () => {
    // Sanity for the spawned servers: admin calls still need the token.
    const server = await spawnServer(choice);
    try {
      expect((await http(server.url, 'GET', '/v1/admin/terminals')).status).toBe(401);
      expect((await http(server.url, 'GET', '/v1/admin/terminals', undefined, ADMIN_TOKEN)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

// Row locks exist only where transactions run side by side: PGlite serves one at a time.
describe('enrolment beside a push on postgres', { timeout: 60_000 }, () => {
  let db: Database;
  let server: ServerProcess;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    let choice: Awaited<ReturnType<typeof freshDatabase>>['choice'];
    ({ choice, drop } = await freshDatabase('postgres'));
    db = await openDatabase(choice);
    await createStore(db, 'test', 'Kadıköy', 'kadikoy');
    server = await spawnServer(choice);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
    await drop();
  });

  it('enrols a terminal while a push holds its store row as a foreign key check does', async () => {
    const { code } = await createEnrolCode(db, 'test', 'kadikoy');
    // A push's insight rows check their store's key (FOR KEY SHARE) until it commits; an
    // enrolment that locked the store row itself (FOR UPDATE) would queue behind every such push.
    let release!: () => void;
    let taken!: () => void;
    const lockTaken = new Promise<void>((resolve) => (taken = resolve));
    const pushLike = db.transaction(async (tx) => {
      const held = await tx.query('SELECT 1 FROM stores WHERE store_id = $1 FOR KEY SHARE', ['kadikoy']);
      expect(held).toHaveLength(1);
      taken();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await lockTaken;
    try {
      const t = new SimTerminal();
      const res = await http(server.url, 'POST', '/v1/terminals/enrol', { code, terminalId: t.terminalId });
      expect(res.status).toBe(200);
      expect(res.body.storeName).toBe('Kadıköy');
    } finally {
      release();
      await pushLike;
    }
  });
});
