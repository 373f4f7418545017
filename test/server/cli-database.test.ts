// The server command's database options: a URL that is not PostgreSQL's is refused before
// anything opens; a PostgreSQL that cannot be reached or entered is named, never with its password.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redactedUrl } from '../../src-server/db/redacted-url';
import { ADMIN_TOKEN } from './sim-terminal';

const CLI = fileURLToPath(new URL('../../src-server/cli.ts', import.meta.url));

function server(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, KASA_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: '' }, encoding: 'utf8' });
}

describe('the server command and its database URL', () => {
  it('refuses what is not a PostgreSQL URL with exit code 2, hiding a password', () => {
    for (const url of ['not a url', 'http://db.example/kasa', 'mysql://kasa@db.example/kasa', 'postgres//kasa:s3cret@db.example/kasa']) {
      for (const run of [server('--database-url', url, '--port', '0'), server('admin', '--database-url', url, 'terminals')]) {
        expect(run.status, url).toBe(2);
        expect(run.stderr).toContain('--database-url (or DATABASE_URL) must be a URL like postgres://USER@HOST:5432/DATABASE');
        expect(run.stderr).not.toContain('s3cret');
      }
    }
  });

  it('names a PostgreSQL it cannot reach, and what to check, without the password', () => {
    for (const run of [server('--database-url', 'postgres://kasa:s3cret@127.0.0.1:1/kasa', '--port', '0'), server('admin', '--database-url', 'postgres://kasa:s3cret@127.0.0.1:1/kasa', 'terminals')]) {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Cannot use PostgreSQL at postgres://kasa:***@127.0.0.1:1/kasa: connect ECONNREFUSED 127.0.0.1:1 (check the host and port, and that PostgreSQL is running)');
      expect(run.stderr).not.toContain('s3cret');
    }
  });

  it('names a database that does not exist, and says to create it', () => {
    const name = `kasa_missing_${randomUUID().slice(0, 8)}`;
    const run = server('--database-url', `postgres://postgres@127.0.0.1:5432/${name}`, '--port', '0');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Cannot use PostgreSQL at postgres://postgres@127.0.0.1:5432/${name}: database "${name}" does not exist (create the database first`);
  });

  it('shows a URL without its password, whether it parses or not', () => {
    expect(redactedUrl('postgres://kasa:s3cret@db.example:5432/kasa?sslmode=require')).toBe('postgres://kasa:***@db.example:5432/kasa?sslmode=require');
    expect(redactedUrl('postgres://kasa@db.example/kasa')).toBe('postgres://kasa@db.example/kasa');
    expect(redactedUrl('postgres//kasa:s3cret@db.example/kasa')).toBe('postgres//kasa:***@db.example/kasa');
  });
});
