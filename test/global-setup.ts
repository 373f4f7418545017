// Once per test run, before any test file: an empty PGlite directory at the current schema, which
// test/server/databases.ts copies for each new PGlite database instead of running initdb and every
// migration again (4-5 s each, tens of times a run). Made by the server's own openDatabase, so it
// is what a first start makes; a first start on an empty directory is still run by the CLI tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src-server/start-server';

export async function setup(): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-pglite-template-'));
  const db = await openDatabase({ pgliteDir: dir });
  await db.close();
  // Test files run in child processes started after this, with this process's environment.
  process.env.KASA_TEST_PGLITE_TEMPLATE = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
