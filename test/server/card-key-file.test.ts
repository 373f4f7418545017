// The chain's card key file (docs/operations.md): made owner-only at the first start and read as it
// is after, refused when others may read it or it is not a key ring, and rotated by an admin command
// that needs no database. The key is never in the database.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CardKeyRing } from '../../src-shared/sync/protocol';
import { loadCardKeyFile, readCardKeyFile, rotateCardKeyFile } from '../../src-server/card-key-file';
import { startServer } from '../../src-server/start-server';
import { tempDir } from '../core/helpers';
import { ADMIN_TOKEN } from './sim-terminal';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'src-server', 'cli.ts');
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('the card key file', () => {
  it('is made at the first start, owner-only, with one random key, and read as it is after', () => {
    const file = path.join(tempDir('kasa-card-key-'), 'card-key.json');
    const made = loadCardKeyFile(file);
    expect(made.created).toBe(true);
    expect(CardKeyRing.parse(made.ring)).toMatchObject({ current: 1 });
    expect(Buffer.from(made.ring.keys['1'] ?? '', 'base64')).toHaveLength(32);
    expect(mode(file)).toBe(0o600);
    // Nothing but the file is left in the folder (the temporary copy is gone).
    expect(fs.readdirSync(path.dirname(file))).toEqual(['card-key.json']);
    const again = loadCardKeyFile(file);
    expect(again).toEqual({ ring: made.ring, created: false });
    // Another new file, another key.
    const other = loadCardKeyFile(path.join(path.dirname(file), 'other.json'));
    expect(other.ring.keys['1']).not.toBe(made.ring.keys['1']);
  });

  it('refuses a file others may read, one that is not JSON or not a ring, and a folder that does not exist', () => {
    const dir = tempDir('kasa-card-key-');
    const file = path.join(dir, 'card-key.json');
    loadCardKeyFile(file);
    fs.chmodSync(file, 0o644);
    expect(() => loadCardKeyFile(file)).toThrow(`The card key file ${file} may be read by other users (mode 644)`);
    fs.chmodSync(file, 0o640);
    expect(() => readCardKeyFile(file)).toThrow('may be read by other users');
    const notJson = path.join(dir, 'not-json.json');
    fs.writeFileSync(notJson, '{"current": ', { mode: 0o600 });
    expect(() => loadCardKeyFile(notJson)).toThrow(`The card key file ${notJson} is not valid JSON`);
    const notRing = path.join(dir, 'not-ring.json');
    fs.writeFileSync(notRing, JSON.stringify({ current: 2, keys: { '1': Buffer.alloc(32).toString('base64') } }), { mode: 0o600 });
    expect(() => loadCardKeyFile(notRing)).toThrow(`The card key file ${notRing} is not a card key ring`);
    const shortKey = path.join(dir, 'short-key.json');
    fs.writeFileSync(shortKey, JSON.stringify({ current: 1, keys: { '1': 'c2hvcnQ=' } }), { mode: 0o600 });
    expect(() => loadCardKeyFile(shortKey)).toThrow('is not a card key ring');
    const folder = path.join(dir, 'folder.json');
    fs.mkdirSync(folder, { mode: 0o700 });
    expect(() => loadCardKeyFile(folder)).toThrow(`Cannot read the card key file ${folder}`);
    expect(() => loadCardKeyFile(path.join(dir, 'missing', 'card-key.json'))).toThrow(`folder ${path.join(dir, 'missing')} does not exist`);
  });

  it('stops the server from starting, naming the file, before it listens', async () => {
    const dir = tempDir('kasa-card-key-');
    const file = path.join(dir, 'card-key.json');
    fs.writeFileSync(file, 'not json', { mode: 0o600 });
    await expect(startServer({ database: { pgliteDir: null }, port: 0, adminToken: ADMIN_TOKEN, cardKeyFile: file })).rejects.toThrow(`The card key file ${file} is not valid JSON`);
  });

  it('rotates: a new current version beside the old ones, still owner-only', () => {
    const file = path.join(tempDir('kasa-card-key-'), 'card-key.json');
    const first = loadCardKeyFile(file).ring;
    const rotated = rotateCardKeyFile(file);
    expect(rotated.current).toBe(2);
    expect(rotated.keys['1']).toBe(first.keys['1']);
    expect(rotated.keys['2']).not.toBe(first.keys['1']);
    expect(readCardKeyFile(file)).toEqual(rotated);
    expect(mode(file)).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['card-key.json']);
    expect(() => rotateCardKeyFile(path.join(path.dirname(file), 'none.json'))).toThrow('There is no card key file');
  });

  it('is rotated by admin rotate-card-key, which opens no database and says to restart', () => {
    const dir = tempDir('kasa-card-key-');
    const file = path.join(dir, 'card-key.json');
    loadCardKeyFile(file);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', CLI, 'admin', ...args], { env: { ...process.env, DATABASE_URL: '', KASA_CARD_KEY_FILE: '' }, encoding: 'utf8', input: '', timeout: 90_000 });
    const rotated = run('rotate-card-key', '--card-key-file', file, '--data-dir', path.join(dir, 'db'));
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ cardKeyFile: file, currentVersion: 2, note: expect.stringContaining('Restart the server') });
    expect(readCardKeyFile(file).current).toBe(2);
    // No database was opened (PGlite would have made its folder).
    expect(fs.readdirSync(dir)).toEqual(['card-key.json']);
    // Its only option is the file; it is needed.
    const without = run('rotate-card-key');
    expect(without.status).toBe(2);
    expect(without.stderr).toContain('admin rotate-card-key needs --card-key-file FILE');
    const wrongOption = run('rotate-card-key', '--card-key-file', file, '--port', '1');
    expect(wrongOption.status).toBe(2);
    expect(wrongOption.stderr).toContain('--port is for starting the server, not for admin rotate-card-key');
  }, 300_000);
});
