import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHostArgs } from '../../src-main/host/cli-args';

describe('host command line', () => {
  it('has safe defaults', () => {
    expect(parseHostArgs([])).toMatchObject({ dataDir: '.kasa-data', port: 4310, bind: '127.0.0.1', staticDir: 'dist/renderer', store: {} });
  });

  it('reads store settings for a first run', () => {
    const parsed = parseHostArgs(['--data-dir', '/d', '--port', '0', '--country', 'de', '--currency', 'eur', '--locale', 'de-DE', '--time-zone', 'Europe/Berlin', '--store-name', 'Mitte']);
    expect(parsed).toMatchObject({ dataDir: '/d', port: 0, store: { country: 'DE', currency: 'EUR', locale: 'de-DE', timeZone: 'Europe/Berlin', storeName: 'Mitte' } });
  });

  it('rejects bad options with the usage text', () => {
    expect(() => parseHostArgs(['--port', 'eighty'])).toThrow(/--port/);
    expect(() => parseHostArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseHostArgs(['--colour', 'red'])).toThrow(/Usage: npm run host/);
    expect(() => parseHostArgs(['--tls-cert', 'a.pem'])).toThrow(/go together/);
    // A place the runtime does not know is refused here, naming the option, not at the core's start.
    expect(() => parseHostArgs(['--country', 'xx'])).toThrow('--country: unknown country "XX": give an ISO 3166 country code such as TR or DE');
    expect(() => parseHostArgs(['--locale', 'tr-TR', '--time-zone', 'Mars/Base'])).toThrow('--time-zone: unknown time zone "Mars/Base"');
    expect(() => parseHostArgs(['--locale', 'not a tag!'])).toThrow('--locale: unknown locale "not a tag!"');
  });
});

describe('unattended enrolment flags', () => {
  it('takes a server and an enrolment code together, or neither', () => {
    expect(parseHostArgs(['--server', 'https://kasa.example.com', '--enrol-code', 'ABCD-EFGH-JKLM'])).toMatchObject({
      enrol: { serverUrl: 'https://kasa.example.com', code: 'ABCD-EFGH-JKLM' },
    });
    expect(parseHostArgs([]).enrol).toBeUndefined();
    expect(() => parseHostArgs(['--server', 'https://kasa.example.com'])).toThrow(/go together/);
  });

  it('refuses a server address that is not one by its flag, before any data folder is made', () => {
    // Not "Invalid arguments for terminal.enrol: serverUrl", after the host had started.
    for (const server of ['kasa.example.com', 'http://kasa.example.com']) {
      expect(() => parseHostArgs(['--server', server, '--enrol-code', 'ABCD-EFGH-JKLM']), server).toThrow(/^--server: a server address like https:\/\/kasa\.example\.com/);
    }
    expect(() => parseHostArgs(['--server', 'https://kasa.example.com', '--enrol-code', 'AB'])).toThrow(/^--enrol-code: /);
    expect(parseHostArgs(['--server', 'http://127.0.0.1:8080', '--enrol-code', 'ABCD-EFGH-JKLM']).enrol?.serverUrl).toBe('http://127.0.0.1:8080');
  });
});

describe('enrolment flags passed to the Electron core process', () => {
  it('reads --server and --enrol-code from any command line, both or neither', async () => {
    const { enrolmentFlags } = await import('../../src-main/core/sync/unattended-enrol');
    expect(enrolmentFlags(['kasa', '--server', 'https://k.example', '--enrol-code', 'AB12-CD34'])).toEqual({ serverUrl: 'https://k.example', code: 'AB12-CD34' });
    expect(enrolmentFlags(['kasa'])).toBeNull();
    expect(() => enrolmentFlags(['--enrol-code', 'AB12-CD34'])).toThrow(/go together/);
  });
});

describe('npm run host (scripts/run-host.mjs)', () => {
  it('runs the host on the Node that runs it, whatever `node` the PATH finds', () => {
    // A machine whose own `node` is another version: the host's native modules are built for this one.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-other-node-'));
    fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "the machine\'s own node" >&2\nexit 42\n', { mode: 0o755 });
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-host.mjs'), '--help'], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` }, timeout: 60_000 });
    expect(run.stderr).not.toContain("the machine's own node");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: npm run host -- [options]');
  });

  it('says that a --static-dir without a built renderer holds none, and exits 2 (it built dist/renderer instead)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-static-'));
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'run-host.mjs'), '--static-dir', empty, '--port', '0'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toContain(`--static-dir ${empty} holds no built renderer (index.html)`);
    expect(run.status).toBe(2);
  });
});
