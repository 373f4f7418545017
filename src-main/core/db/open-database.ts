import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { KasaError } from '../../../src-shared/api/errors';
import { startupDetails } from '../startup-failure';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export type OpenedDatabase = { db: Database; backupFile: string | null; migratedFrom: number };

const sqliteCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;

/** kasa.db could not be used: the English for support, and why as a startup code (sqlite's error code). */
export function storageError(file: string, error: unknown): KasaError {
  const code = sqliteCode(error) ?? '';
  if (code === 'SQLITE_NOTADB') return new KasaError('STORAGE', `${file} is not a Kasa database (it is not an SQLite file); nothing was changed`, startupDetails('not-a-database'));
  if (code === 'SQLITE_CORRUPT') return new KasaError('STORAGE', `${file} is damaged (SQLite reports corruption); restore it from its backup`, startupDetails('database-damaged'));
  if (code === 'SQLITE_CANTOPEN') return new KasaError('STORAGE', `${file} cannot be opened: check the folder exists and is writable`, startupDetails('database-cannot-open'));
  if (code === 'SQLITE_FULL') return new KasaError('STORAGE', `The disk holding ${file} is full`, startupDetails('disk-full'));
  const text = `${file} cannot be used: ${error instanceof Error ? error.message : String(error)}`;
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EPERM') return new KasaError('STORAGE', text, startupDetails('database-cannot-open'));
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new KasaError('STORAGE', text, startupDetails('database-busy'));
  if (code.startsWith('SQLITE_IOERR')) return new KasaError('STORAGE', text, startupDetails('disk-error'));
  return new KasaError('STORAGE', text);
}

/**
 * Opens (or creates) the terminal database: WAL with synchronous=FULL so a committed sale survives
 * a power cut, an integrity check, then forward-only migrations after a backup of the old file.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): OpenedDatabase {
  const latest = migrations.at(-1)?.version ?? LATEST_SCHEMA_VERSION;
  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (error) {
    throw storageError(file, error);
  }
  try {
    db.pragma('journal_mode = WAL');
    // better-sqlite3 leaves WAL databases at NORMAL, which can lose the last commits on power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Every nested transaction is a savepoint (each call of a group commit, each handler inside its
    // audit transaction): SQLite copies every page it changes under one to a sub-journal, which spills
    // to a new temporary file (open, writes, unlink) past 64 KiB: a sale changes ~20 pages, so nearly
    // every sale did. Kept in memory instead, it costs a copy per page. It only ever rolls back a
    // savepoint of an open transaction; a commit's durability is the WAL's, which this leaves alone.
    db.pragma('temp_store = MEMORY');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new KasaError('STORAGE', `${file} failed its integrity check (${String(check)}); restore it from its backup`, startupDetails('database-damaged'));

    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > latest) {
      throw new KasaError(
        'STORAGE',
        `${file} was written by a newer Kasa (schema ${current}; this version knows up to ${latest}). Update Kasa; nothing was changed`,
        startupDetails('database-newer', { schema: current, latest }),
      );
    }
    let backupFile: string | null = null;
    if (current > 0 && current < latest) {
      backupFile = `${file}.v${current}-${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
      try {
        db.prepare('VACUUM INTO ?').run(backupFile);
      } catch (error) {
        // Never a migration without its backup (an update must be reversible by restoring the file).
        throw new KasaError(
          'STORAGE',
          `${file} needs migrating from schema ${current} to ${latest}, but its backup ${backupFile} could not be written (${error instanceof Error ? error.message : String(error)}); nothing was migrated. Free disk space and start again`,
          startupDetails('backup-failed', { schema: current, latest }),
        );
      }
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      try {
        db.transaction(() => {
          migration.up(db);
          db.pragma(`user_version = ${migration.version}`);
        })();
      } catch (error) {
        // A full or failing disk says so; anything else is this migration's own failure.
        const storage = storageError(file, error);
        if (storage.details !== undefined) throw storage;
        throw new KasaError(
          'STORAGE',
          `${file} could not be migrated to schema ${migration.version} (${error instanceof Error ? error.message : String(error)}); it stays at schema ${migration.version - 1}${backupFile ? `, and ${backupFile} holds it as it was` : ''}`,
          startupDetails('migration-failed', { schema: migration.version }),
        );
      }
    }
    return { db, backupFile, migratedFrom: current };
  } catch (error) {
    db.close();
    throw error instanceof KasaError ? error : storageError(file, error);
  }
}

export function ensureDataDir(dataDir: string): string {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new KasaError('STORAGE', `Cannot create the data folder ${dataDir}: ${error instanceof Error ? error.message : String(error)}`, startupDetails('folder-not-writable'));
  }
  return path.join(dataDir, 'kasa.db');
}
