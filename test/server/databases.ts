// A fresh, empty server database per test file or bench run: a PGlite directory, or a new
// PostgreSQL database dropped afterwards.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseChoice } from '../../src-server/start-server';

export const POSTGRES_ADMIN_URL = process.env.KASA_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];

/**
 * An empty PGlite directory at the current schema, made once per test run by test/global-setup.ts:
 * a new PGlite directory costs 4-5 s of initdb and migrations, a copy of this one 0.05 s. Absent
 * outside vitest (the benches): every directory starts empty there.
 */
const PGLITE_TEMPLATE = process.env.KASA_TEST_PGLITE_TEMPLATE;

/** A new PGlite directory with no data (at the current schema unless `unmigrated`), for the server or its commands to open. */
export function freshPgliteDir(options: { unmigrated?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-pglite-'));
  if (PGLITE_TEMPLATE && !options.unmigrated) fs.cpSync(PGLITE_TEMPLATE, dir, { recursive: true });
  return dir;
}

/**
 * A new database with no data for one test file; dropped by the returned function. `unmigrated`:
 * without the schema too (a PGlite directory with nothing in it), for a test that migrates it itself.
 */
export async function freshDatabase(engine: Engine, options: { unmigrated?: boolean } = {}): Promise<{ choice: DatabaseChoice; drop: () => Promise<void> }> {
  if (engine === 'pglite') return { choice: { pgliteDir: freshPgliteDir(options) }, drop: async () => undefined };
  const name = `kasa_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    choice: { url },
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

