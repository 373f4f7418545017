// The server command's arguments (docs/server.md): a wrong one (a missing or extra argument, an
// option of another command, a file that is not there or not JSON) is refused with exit code 2 and
// a line naming it, before any database opens; and Ctrl-C stops `npm run server` cleanly.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src-server/start-server';
import { tempDir } from '../core/helpers';
import { ENGINES, freshDatabase } from './databases';
import { ADMIN_TOKEN } from './sim-terminal';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'src-server', 'cli.ts');

/**
 * A test that runs the CLI a score of times: each run starts Node and loads the server's modules
 * (2-4 s on a busy 2-core machine, while other test files run beside it).
 */
const SPAWNS_TIMEOUT_MS = 300_000;

/**
 * The CLI, run to its end; one that would keep running (a server started by mistake) is stopped after
 * 90 s. (20 s was too short for a command opening PGlite on a loaded machine: a create-store took 32 s.)
 */
function server(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, KASA_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: '' }, encoding: 'utf8', input: '', timeout: 90_000 });
}

describe('the admin commands and their arguments', () => {
  it('refuses a wrong argument or option with exit code 2, naming it, and opens nothing', () => {
    const dir = tempDir('kasa-cli-args-');
    const dataDir = path.join(dir, 'server');
    const notJson = path.join(dir, 'not-json.json');
    fs.writeFileSync(notJson, '{"version": ');
    const refusals: [string[], string][] = [
      [['create-enrol-code'], 'admin create-enrol-code needs STORE_ID'],
      [['revoke-terminal'], 'admin revoke-terminal needs TERMINAL_ID'],
      [['create-admin', '--password-file', path.join(dir, 'missing.txt')], 'admin create-admin needs NAME'],
      [['create-admin', 'owner', '--password-file', path.join(dir, 'missing.txt')], `Cannot read --password-file ${path.join(dir, 'missing.txt')}: no such file`],
      [['set-password', '--password-file', path.join(dir, 'missing.txt')], 'admin set-password needs NAME'],
      [['set-password', 'owner', '--password-file', path.join(dir, 'missing.txt')], `Cannot read --password-file ${path.join(dir, 'missing.txt')}: no such file`],
      [['disable-admin'], 'admin disable-admin needs NAME'],
      [['install-rule-set'], 'admin install-rule-set needs FILE.json'],
      [['install-rule-set', path.join(dir, 'missing.json')], `Cannot read file ${path.join(dir, 'missing.json')}: no such file`],
      [['install-rule-set', notJson], `${notJson} is not valid JSON`],
      [['install-rule-set', notJson, '--active-from', 'tomorrow 9am'], '--active-from must be a date-time like 2026-12-01T09:00:00+03:00 (or a date), not "tomorrow 9am"'],
      [['install-catalogue', path.join(dir, 'missing.json')], `Cannot read file ${path.join(dir, 'missing.json')}: no such file`],
      [['resolve-exception', 'abc', 'refunded'], 'The exception ID must be a whole number (admin exceptions lists them), not "abc"'],
      [['resolve-exception', '12'], 'admin resolve-exception needs RESOLUTION'],
      [['catalogues', 'extra'], 'admin catalogues takes no arguments, not also "extra"'],
      [['revoke-terminal', 't1', 't2'], 'admin revoke-terminal takes TERMINAL_ID, not also "t2"'],
      [['terminals', '--keep-days', '3'], '--keep-days is not an option of admin terminals (it takes no options)'],
      [['exceptions', '--status', 'active'], '--status is not an option of admin exceptions (it takes --all, --kind)'],
      [['exceptions', '--kind', 'negative-balances'], '--kind must be one of negative-balance, earn-mismatch, clock-skew, chain-break, fork, duplicate-enrolment, unknown-member, adjust-invalid, offer-misuse, suspicious-redemptions, suspicious-enrolments, not "negative-balances"'],
      [['terminals', '--port', '9000'], '--port is for starting the server, not for admin terminals'],
      [['create-enrol-code', 'kadikoy', '--valid-hours', 'abc'], '--valid-hours must be a whole number of hours from 1 to 720 (30 days), not "abc"'],
      [['create-enrol-code', 'kadikoy', '--valid-hours', '721'], '--valid-hours must be a whole number of hours from 1 to 720 (30 days), not "721"'],
      [['terminals', '--bogus'], "Unknown option '--bogus'"],
      [['prune-feed', '--keep-days'], "Option '--keep-days <value>' argument missing"],
      [['bogus'], 'Unknown admin command "bogus"'],
      [[], 'Name an admin command'],
    ];
    for (const [args, message] of refusals) {
      const run = server('admin', '--data-dir', dataDir, ...args);
      expect(run.stderr, args.join(' ')).toContain(message);
      expect(run.status, args.join(' ')).toBe(2);
      expect(fs.existsSync(dataDir), `${args.join(' ')} opened the database`).toBe(false);
    }
  }, SPAWNS_TIMEOUT_MS);

  it('runs the commands given the right arguments', () => {
    const dataDir = path.join(tempDir('kasa-cli-args-'), 'server');
    const store = server('admin', '--data-dir', dataDir, 'create-store', 'Kadıköy', 'Moda', '--store-id', 'kadikoy');
    expect(store.status, store.stderr).toBe(0);
    expect(JSON.parse(store.stdout)).toEqual({ storeId: 'kadikoy', name: 'Kadıköy Moda' });
    const code = server('admin', '--data-dir', dataDir, 'create-enrol-code', 'kadikoy', '--valid-hours', '2');
    expect(code.status, code.stderr).toBe(0);
    const { expiresAt } = JSON.parse(code.stdout) as { expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(3_600_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(7_200_000);
    // The right arguments for something that is not there: said, with exit code 1.
    const unknown = server('admin', '--data-dir', dataDir, 'resolve-exception', '12', 'refunded', 'at', 'the', 'counter');
    expect(unknown.stderr).toContain('No open exception 12');
    expect(unknown.status).toBe(1);
  }, SPAWNS_TIMEOUT_MS);
});

describe('starting the server', () => {
  it('refuses a stray word or an admin command\'s option with exit code 2, and opens nothing', () => {
    const dataDir = path.join(tempDir('kasa-cli-args-'), 'server');
    const refusals: [string[], string][] = [
      [['start'], 'Unexpected argument "start": the server takes options only'],
      [['--keep-days', '30'], '--keep-days is an option of admin commands, not of the server'],
      [['--admin-token-file', path.join(dataDir, 'missing-token')], `Cannot read --admin-token-file ${path.join(dataDir, 'missing-token')}: no such file`],
      [['--prot', '8080'], "Unknown option '--prot'"],
      [['--trusted-proxies', '10.0.0.0/33'], '--trusted-proxies takes addresses (10.0.0.5), ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal, comma-separated, not "10.0.0.0/33"'],
      [['--trusted-proxies', 'loopback,nginx'], 'not "nginx"'],
    ];
    for (const [args, message] of refusals) {
      const run = server('--data-dir', dataDir, '--port', '0', ...args);
      expect(run.stderr, args.join(' ')).toContain(message);
      expect(run.status, args.join(' ')).toBe(2);
      expect(fs.existsSync(dataDir), `${args.join(' ')} opened the database`).toBe(false);
    }
  }, SPAWNS_TIMEOUT_MS);

  for (const engine of ENGINES) {
    it(`closes once however many times it is asked to stop (${engine})`, async () => {
      const { choice, drop } = await freshDatabase(engine);
      try {
        for (const stopTwice of [(close: () => Promise<void>) => Promise.all([close(), close()]), async (close: () => Promise<void>) => [await close(), await close()]]) {
          const running = await startServer({ database: choice, port: 0, adminToken: ADMIN_TOKEN, logger: false });
          await expect(stopTwice(() => running.close())).resolves.toBeDefined();
        }
      } finally {
        await drop();
      }
    });
  }

  it('stops cleanly on Ctrl-C, which signals npm run server and the server alike', async () => {
    const dataDir = path.join(tempDir('kasa-cli-args-'), 'server');
    // Its own process group, as a shell gives a command: Ctrl-C sends SIGINT to the whole group.
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'run-server.mjs'), '--data-dir', dataDir, '--port', '0'], {
      env: { ...process.env, KASA_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('"event":"listening"')) resolve();
      });
      void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    });
    process.kill(-(child.pid ?? 0), 'SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('Error');
    // It let go of the folder: an admin command runs on it at once.
    const after = server('admin', '--data-dir', dataDir, 'terminals');
    expect(after.stderr).toBe('');
    expect(after.status).toBe(0);
  });
});
