// One process at a time on a PGlite data folder: a second one is refused and names the holder; a
// holder killed with SIGKILL is taken over at once; a folder whose lock is taken away stops the server.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HOLDER_NAME, LOCK_NAME, lockDataDir } from '../../src-server/db/data-dir-lock';
import { spawnServer, type ServerProcess } from './server-process';
import { ADMIN_TOKEN, http } from './sim-terminal';

const CLI = fileURLToPath(new URL('../../src-server/cli.ts', import.meta.url));
const folders: string[] = [];
const servers: ServerProcess[] = [];

function freshFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-lock-'));
  folders.push(dir);
  return dir;
}

const noLoss = (error: Error) => {
  throw error;
};

/** A pid that was a process of this machine a moment ago and is no longer. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(run.stdout);
}

/** A lock as another process leaves it: the lock directory, fresh, and its holder file. */
function leaveLock(dir: string, holder: { pid: number; hostname?: string } | null, ageMs = 0): void {
  const lock = path.join(dir, LOCK_NAME);
  fs.mkdirSync(lock);
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(lock, at, at);
  if (holder) fs.writeFileSync(path.join(dir, HOLDER_NAME), JSON.stringify({ pid: holder.pid, hostname: holder.hostname ?? os.hostname(), since: '2026-12-01T06:00:00.000Z' }));
}

function admin(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, 'admin', '--data-dir', dir, ...args], { env: { ...process.env, KASA_ADMIN_TOKEN: ADMIN_TOKEN }, encoding: 'utf8' });
}

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the PGlite data folder lock', () => {
  it('refuses a second holder in the same process, names the first, and is free again once released', async () => {
    const dir = freshFolder();
    const release = await lockDataDir(dir, noLoss);
    expect(JSON.parse(fs.readFileSync(path.join(dir, HOLDER_NAME), 'utf8'))).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    await expect(lockDataDir(dir, noLoss)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(`in use by process ${process.pid} on ${os.hostname()}`) });
    await release();
    expect(fs.existsSync(path.join(dir, LOCK_NAME))).toBe(false);
    expect(fs.existsSync(path.join(dir, HOLDER_NAME))).toBe(false);
    const again = await lockDataDir(dir, noLoss);
    await again();
  });

  it('creates a folder that does not exist yet', async () => {
    const dir = path.join(freshFolder(), 'new', 'server');
    const release = await lockDataDir(dir, noLoss);
    expect(fs.existsSync(path.join(dir, LOCK_NAME))).toBe(true);
    await release();
  });

  it('takes over at once from a holder of this machine that is no longer running', async () => {
    const dir = freshFolder();
    const pid = deadPid();
    leaveLock(dir, { pid });
    const release = await lockDataDir(dir, noLoss);
    expect(JSON.parse(fs.readFileSync(path.join(dir, HOLDER_NAME), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('refuses a fresh lock held by a running process, by another machine, or by nobody it can name', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      for (const [holder, named] of [
        [{ pid: sleeper.pid! }, `process ${sleeper.pid} on ${os.hostname()}`],
        [{ pid: deadPid(), hostname: 'till-server-2' }, 'on till-server-2'],
        [null, 'in use by another process'],
      ] as const) {
        const dir = freshFolder();
        leaveLock(dir, holder);
        await expect(lockDataDir(dir, noLoss)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(named) });
        expect(fs.existsSync(path.join(dir, LOCK_NAME))).toBe(true);
      }
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes a lock nobody has refreshed for longer than it stays fresh, whoever it names', async () => {
    const dir = freshFolder();
    leaveLock(dir, { pid: process.ppid, hostname: 'till-server-2' }, 60_000);
    const release = await lockDataDir(dir, noLoss);
    await release();
  });
});

// A server and several admin commands, each a process opening the PGlite folder: past the default
// minute on a loaded 2-core machine.
describe('the server and its admin commands on one PGlite folder', { timeout: 240_000 }, () => {
  it('refuses an admin command while the server runs, and after a SIGKILL of the server runs it on what the server stored', async () => {
    const dir = freshFolder();
    const server = await spawnServer({ pgliteDir: dir });
    servers.push(server);
    const created = await http(server.url, 'POST', '/v1/admin/stores', { storeId: 'kadikoy', name: 'Kadıköy' }, ADMIN_TOKEN);
    expect(created.status).toBe(200);

    const refused = admin(dir, 'create-store', 'Moda', '--store-id', 'moda');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`is in use by process ${server.child.pid} on ${os.hostname()}`);
    expect(refused.stderr).toContain('/v1/admin');
    // Nothing of the refused command reached the folder: the server sees one store.
    expect((await http(server.url, 'GET', '/v1/admin/stores', undefined, ADMIN_TOKEN)).body.stores.map((s: { storeId: string }) => s.storeId)).toEqual(['kadikoy']);

    await server.kill();
    servers.splice(servers.indexOf(server), 1);
    const after = admin(dir, 'create-store', 'Moda', '--store-id', 'moda');
    expect(after.stderr).toBe('');
    expect(after.status).toBe(0);
    const restarted = await spawnServer({ pgliteDir: dir });
    servers.push(restarted);
    const stores = (await http(restarted.url, 'GET', '/v1/admin/stores', undefined, ADMIN_TOKEN)).body.stores.map((s: { storeId: string }) => s.storeId);
    expect(stores.sort()).toEqual(['kadikoy', 'moda']);
  });

  it('a second server on the same folder exits with the holder named, and the first keeps serving', async () => {
    const dir = freshFolder();
    const first = await spawnServer({ pgliteDir: dir });
    servers.push(first);
    await expect(spawnServer({ pgliteDir: dir })).rejects.toThrow(`is in use by process ${first.child.pid}`);
    expect((await http(first.url, 'GET', '/v1/health')).body.ok).toBe(true);
  });

  it('a server whose folder lock is taken away stops, with a reason', async () => {
    const dir = freshFolder();
    const server = await spawnServer({ pgliteDir: dir });
    const stderr: string[] = [];
    server.child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    // As a careless clean-up would: the lock's directory goes; the server finds out at its next refresh.
    fs.rmSync(path.join(dir, LOCK_NAME), { recursive: true });
    expect(await exited).toBe(1);
    expect(stderr.join('')).toContain("stopping: the data folder's lock was lost");
    // A PGlite server's start and the lock's next refresh (5 s): 30 s ran out on a loaded 2-core machine.
  }, 90_000);
});
