// Why a terminal could not start, as a code the diagnostics screen says in its own language (the
// English message stays the detail), and which language that is: the store's, read from the
// database when it can be, else the configured one, else the default tr-TR.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SELF_TEST_CHECK_CODES } from '../../src-shared/api/contract';
import { openDatabase } from '../../src-main/core/db/open-database';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src-main/core/db/migrations';
import { answerWhileFailed, describeStartupFailure } from '../../src-main/core/startup-failure';
import { findTerminalConfig } from '../../src-main/core/terminal-config';
import { openCore, tempDir } from './helpers';

/** What describeStartupFailure makes of the error opening a core on `dataDir` throws. */
async function failureOpening(dataDir: string, locale?: string) {
  let thrown: unknown = null;
  try {
    openCore(dataDir).close();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'the core should not have started').not.toBeNull();
  return describeStartupFailure(thrown, dataDir, locale ? { locale } : {});
}

describe('a startup failure', () => {
  it('a database from a newer Kasa: its code, the versions, and the store locale read from it', async () => {
    const dataDir = tempDir('kasa-startup-');
    openCore(dataDir, { store: { locale: 'en-GB' } }).close();
    const db = new Database(path.join(dataDir, 'kasa.db'));
    db.pragma('user_version = 999');
    db.close();
    const failure = await failureOpening(dataDir, 'de-DE');
    expect(failure).toMatchObject({ code: 'database-newer', facts: { schema: 999, latest: LATEST_SCHEMA_VERSION }, locale: 'en-GB', problem: expect.stringContaining('newer Kasa') });
    expect(failure.checks.map((c) => c.code)).toEqual([...SELF_TEST_CHECK_CODES]);
    expect(failure.checks.find((c) => c.code === 'serial-ports')).toMatchObject({ ok: true, found: expect.any(Number) });
  });

  it('a data folder another Kasa holds, still in the store locale it saved', async () => {
    const dataDir = tempDir('kasa-startup-');
    const first = openCore(dataDir, { store: { locale: 'en-US' } });
    try {
      expect(await failureOpening(dataDir)).toMatchObject({ code: 'folder-in-use', locale: 'en-US', problem: expect.stringContaining('is in use by process') });
    } finally {
      first.close();
    }
  });

  it('a file that is not a database: the configured locale, else the default tr-TR', async () => {
    const dataDir = tempDir('kasa-startup-');
    fs.writeFileSync(path.join(dataDir, 'kasa.db'), 'this is a text file, not SQLite '.repeat(200));
    expect(await failureOpening(dataDir)).toMatchObject({ code: 'not-a-database', locale: 'tr-TR' });
    expect(await failureOpening(dataDir, 'en-GB')).toMatchObject({ code: 'not-a-database', locale: 'en-GB' });
  });

  it('a damaged database', async () => {
    const dataDir = tempDir('kasa-startup-');
    openCore(dataDir).close();
    const file = path.join(dataDir, 'kasa.db');
    // Past the header page: the schema's pages, scribbled over.
    const bytes = fs.readFileSync(file);
    bytes.fill(0x5a, 4096, Math.min(bytes.length, 4096 * 6));
    fs.writeFileSync(file, bytes);
    expect((await failureOpening(dataDir)).code).toBe('database-damaged');
  });

  it('a data folder that cannot be made', async () => {
    const parent = tempDir('kasa-startup-');
    fs.writeFileSync(path.join(parent, 'file'), '');
    const failure = await failureOpening(path.join(parent, 'file', 'data'));
    expect(failure).toMatchObject({ code: 'folder-not-writable', locale: 'tr-TR' });
  });

  it('a migration that fails, with the step it failed at', async () => {
    const file = path.join(tempDir('kasa-startup-'), 'kasa.db');
    openDatabase(file, MIGRATIONS.slice(0, 1)).db.close();
    const broken = { version: 2, up: () => { throw new Error('no such column: nothing'); } };
    let thrown: unknown;
    try {
      openDatabase(file, [MIGRATIONS[0]!, broken as never]);
    } catch (error) {
      thrown = error;
    }
    const failure = await describeStartupFailure(thrown, path.dirname(file));
    expect(failure).toMatchObject({ code: 'migration-failed', facts: { schema: 2 }, problem: expect.stringContaining('could not be migrated to schema 2 (no such column: nothing)') });
  });

  it("anything else is 'other', or the database module when it did not load", async () => {
    const dataDir = tempDir('kasa-startup-');
    expect((await describeStartupFailure(new Error('surprise'), dataDir)).code).toBe('other');
    // Module names resolved from an empty folder: none of the native modules loads.
    const failure = await describeStartupFailure(new Error('Could not locate the bindings file'), dataDir, { resolveFrom: tempDir('kasa-no-modules-') });
    expect(failure.code).toBe('database-module');
    expect(failure.checks.find((c) => c.code === 'module-better-sqlite3')?.ok).toBe(false);
  });

  it('a config file that cannot be read, is not JSON, or has a wrong field: its code and the file, with each mistake in the detail', async () => {
    const dataDir = tempDir('kasa-startup-');
    /** What describeStartupFailure makes of the error reading `file` as the terminal's config throws. */
    const failureReading = async (file: string) => {
      let thrown: unknown = null;
      try {
        findTerminalConfig(file);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, 'the config should not have been read').not.toBeNull();
      return describeStartupFailure(thrown, dataDir);
    };
    const missing = path.join(dataDir, 'missing.json');
    expect(await failureReading(missing)).toMatchObject({ code: 'config-unreadable', facts: { file: missing }, problem: expect.stringContaining('Cannot read config file') });
    const notJson = path.join(dataDir, 'not-json.json');
    fs.writeFileSync(notJson, '{ "store": ');
    expect(await failureReading(notJson)).toMatchObject({ code: 'config-invalid', facts: { file: notJson }, problem: expect.stringContaining('not valid JSON') });
    const wrongField = path.join(dataDir, 'wrong-field.json');
    fs.writeFileSync(wrongField, JSON.stringify({ store: { currency: 'lira', timeZone: 'Mars/Olympus' }, kiosk: true, colour: 'red' }));
    const wrong = await failureReading(wrongField);
    expect(wrong).toMatchObject({ code: 'config-invalid', facts: { file: wrongField }, locale: 'tr-TR' });
    for (const mistake of ['store.currency', 'store.timeZone: an IANA time zone', 'colour: unknown field']) expect(wrong.problem).toContain(mistake);
  });

  it('terminal.startup answers with the code and locale; every other call is refused with the English', () => {
    const failure = { problem: 'kasa.db was written by a newer Kasa', code: 'database-newer' as const, facts: { schema: 999, latest: 19 }, locale: 'tr-TR', checks: [] };
    expect(answerWhileFailed(failure, 'terminal.startup')).toEqual({ ok: true, value: { started: false, ...failure } });
    expect(answerWhileFailed(failure, 'sales.complete')).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: 'Kasa could not start: kasa.db was written by a newer Kasa' } });
  });
});
