// Power cuts during sync: the terminal SIGKILLed mid-push, the server SIGKILLed mid-push, and
// both at once. After restarts, every entry is on the server exactly once and balances agree.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrolCode, createStore } from '../../src-server/admin';
import { openDatabase, type DatabaseChoice } from '../../src-server/start-server';
import type { Database } from '../../src-server/db/database';
import { tempDir } from '../core/helpers';
import { ENGINES, freshDatabase } from '../server/server-harness';
import { spawnServer, type ServerProcess } from '../server/server-process';

const root = path.resolve(__dirname, '../..');
const SALES = 1500;

type Child = { process: ChildProcess; exited: Promise<number | null>; waitFor(line: string): Promise<void> };

function startTerminal(dataDir: string, url: string, code: string, block: number): Child {
  // node --import tsx, not the tsx CLI: SIGKILL must hit the terminal itself.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'sync-terminal-child.ts'), dataDir, url, code, String(SALES), String(block)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) {
      if (out.includes(`${w.line}\n`)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    waitFor: (line) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(`${line}\n`)) return resolve();
        waiters.push({ line, resolve });
        void exited.then((code) => reject(new Error(`terminal exited (${code}) before "${line}": ${err.slice(-2000)}`)));
      }),
  };
}

const kill = async (child: Child) => {
  child.process.kill('SIGKILL');
  await child.exited;
};

describe.each(ENGINES)('kills during sync on %s', { timeout: 180_000 }, (engine) => {
  let choice: DatabaseChoice;
  let drop: () => Promise<void>;
  let server: ServerProcess;
  const codes: string[] = [];

  async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(choice);
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    ({ choice, drop } = await freshDatabase(engine));
    await withDb(async (db) => {
      await createStore(db, 'test', 'Kadıköy', 'kadikoy');
      for (let i = 0; i < 3; i += 1) codes.push((await createEnrolCode(db, 'test', 'kadikoy')).code);
    });
    server = await spawnServer(choice);
  });
  afterAll(async () => {
    await server.stop();
    await drop();
  });

  /** Stops the server (PGlite's directory is its alone), compares, and starts it again. */
  async function verify(dataDir: string): Promise<void> {
    const local = new BetterSqlite3(path.join(dataDir, 'kasa.db'), { readonly: true });
    const entries = local.prepare<[], { n: number; terminal_id: string }>('SELECT count(*) AS n, max(terminal_id) AS terminal_id FROM ledger').get()!;
    const balances = local.prepare<[], { phone: string; balance: number }>('SELECT phone, balance FROM members ORDER BY phone').all();
    local.close();
    await server.stop();
    const result = await withDb(async (db) => ({
      ledger: (await db.query<{ n: number; distinct_seq: number }>('SELECT count(*)::bigint AS n, count(DISTINCT seq)::bigint AS distinct_seq FROM ledger WHERE terminal_id = $1', [entries.terminal_id]))[0],
      balances: await db.query<{ phone: string; balance: number }>('SELECT phone, balance FROM members WHERE phone = ANY($1::text[]) ORDER BY phone', [balances.map((b) => b.phone)]),
    }));
    server = await spawnServer(choice);
    expect(entries.n).toBeGreaterThan(SALES);
    expect(result.ledger).toEqual({ n: entries.n, distinct_seq: entries.n });
    expect(result.balances).toEqual(balances);
  }

  it('loses and doubles nothing when the terminal is killed mid-push', async () => {
    const dataDir = tempDir('kasa-kill-t-');
    const first = startTerminal(dataDir, server.url, codes[0]!, 1);
    await first.waitFor('phase pushing');
    await new Promise((r) => setTimeout(r, Math.random() * 40));
    await kill(first);
    const second = startTerminal(dataDir, server.url, '-', 1);
    await second.waitFor('synced');
    expect(await second.exited).toBe(0);
    await verify(dataDir);
  });

  it('recovers by itself when the server is killed mid-push and comes back', async () => {
    const dataDir = tempDir('kasa-kill-s-');
    const terminal = startTerminal(dataDir, server.url, codes[1]!, 2);
    await terminal.waitFor('phase pushing');
    await server.kill();
    await terminal.waitFor('phase waiting-to-retry');
    server = await spawnServer(choice, Number(new URL(server.url).port));
    await terminal.waitFor('synced');
    expect(await terminal.exited).toBe(0);
    await verify(dataDir);
  });

  it('loses and doubles nothing when both are killed mid-push', async () => {
    const dataDir = tempDir('kasa-kill-b-');
    const terminal = startTerminal(dataDir, server.url, codes[2]!, 3);
    await terminal.waitFor('phase pushing');
    await Promise.all([server.kill(), kill(terminal)]);
    server = await spawnServer(choice, Number(new URL(server.url).port));
    const again = startTerminal(dataDir, server.url, '-', 3);
    await again.waitFor('synced');
    expect(await again.exited).toBe(0);
    await verify(dataDir);
  });
});
