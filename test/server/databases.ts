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

/** A new, empty database for one test file; dropped by the returned function. */
export async function freshDatabase(engine: Engine): Promise<{ choice: DatabaseChoice; drop: () => Promise<void> }> {
  if (engine === 'pglite') return { choice: { pgliteDir: fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-pglite-')) }, drop: async () => undefined };
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

