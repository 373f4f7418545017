// The host and the server on a port another program holds: one line that names the port and the
// option to change, exit code 1, and the data folder let go of.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../server/sim-terminal';
import { tempDir } from '../core/helpers';
import { minimalStaticDir, runHost } from './host-process';

const SERVER_CLI = fileURLToPath(new URL('../../src-server/cli.ts', import.meta.url));
let holder: net.Server;
let port: number;

beforeAll(async () => {
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  port = (holder.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

const expected = () => `Port ${port} on 127.0.0.1 is in use by another program (or another Kasa): start with another --port, or stop that program`;

describe('a port another program holds', () => {
  it('the host says so in one line, exits 1 and lets go of its data folder', async () => {
    const dir = tempDir();
    const run = await runHost(['--data-dir', dir, '--static-dir', minimalStaticDir(), '--port', String(port)], 'listening');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`kasa host: ${expected()}`);
    expect(fs.existsSync(path.join(dir, 'kasa.lock.json'))).toBe(false);
  });

  it('the server says so in one line, exits 1 and lets go of its PGlite folder', () => {
    const dir = tempDir();
    const run = spawnSync(process.execPath, ['--import', 'tsx', SERVER_CLI, '--data-dir', dir, '--port', String(port)], { env: { ...process.env, KASA_ADMIN_TOKEN: ADMIN_TOKEN }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`kasa server: ${expected()}`);
    expect(fs.existsSync(path.join(dir, 'kasa-server.lock'))).toBe(false);
  });
});
