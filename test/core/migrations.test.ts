import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { assertStrictlyIncreasing, MIGRATIONS, type Migration } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

describe('migrations', () => {
  it('0001-initial creates STRICT tables with WAL and synchronous=FULL', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const { db } = openDatabase(file, MIGRATIONS.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['ledger', 'members', 'outbox', 'sale_lines', 'sales', 'settings']);
    for (const t of tables) expect(t.sql.trimEnd()).toMatch(/STRICT$/);
    expect(() => db.prepare("INSERT INTO members (member_id, phone, balance, enrolled_at) VALUES ('m', '+90', 'many', 'now')").run()).toThrow();
    db.close();
  });

  it('keeps the savepoint journal in memory (no temporary file per nested transaction)', () => {
    const { db } = openDatabase(path.join(tempDir(), 'kasa.db'));
    expect(db.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    // A savepoint changing more than 64 KiB of pages, rolled back: the outer transaction keeps its own rows.
    db.exec('CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO big (v) VALUES (?)');
    db.transaction(() => {
      insert.run('kept');
      try {
        db.transaction(() => {
          for (let i = 0; i < 200; i += 1) insert.run('x'.repeat(2000));
          throw new Error('roll this savepoint back');
        })();
      } catch {
        // the savepoint rolled back; the outer transaction goes on
      }
    })();
    expect(db.prepare('SELECT v FROM big').all()).toEqual([{ v: 'kept' }]);
    db.close();
  });

  it('0002-audit-log adds the append-only audit log and its outbox to a v1 database', () => {
    const file = path.join(tempDir(), 'kasa.db');
    openDatabase(file, MIGRATIONS.slice(0, 1)).db.close();
    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.slice(0, 2));
    expect(migratedFrom).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.prepare("INSERT INTO audit_log (seq, terminal_id, at, action, outcome, details, prev_hash, hash) VALUES (1, 't', 'now', 'a', 'ok', '{}', 'x', 'y')").run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'b'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO audit_log (seq, terminal_id, at, action, outcome, details, prev_hash, hash) VALUES (2, 't', 'now', 'a', 'maybe', '{}', 'x', 'y')").run()).toThrow();
    db.close();
  });

  it('backs the database up before migrating it forward, and the backup is the old version', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const v1 = openDatabase(file, MIGRATIONS.slice(0, 1));
    v1.db.prepare("INSERT INTO settings (key, value) VALUES ('marker', 'before')").run();
    v1.db.close();
    const next: Migration = { version: 2, name: '0002-test', up: (db) => db.exec('CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT') };
    const migrated = openDatabase(file, [...MIGRATIONS.slice(0, 1), next]);
    expect(migrated.migratedFrom).toBe(1);
    expect(migrated.backupFile).not.toBeNull();
    expect(migrated.db.pragma('user_version', { simple: true })).toBe(2);
    migrated.db.close();
    const backup = new BetterSqlite3(migrated.backupFile as string, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: 'before' });
    backup.close();
  });

  it('rolls a failing migration back whole and keeps the old version', () => {
    const file = path.join(tempDir(), 'kasa.db');
    openDatabase(file, MIGRATIONS.slice(0, 1)).db.close();
    const broken: Migration = {
      version: 2,
      name: '0002-broken',
      up: (db) => {
        db.exec('CREATE TABLE half (id INTEGER) STRICT');
        db.exec('THIS IS NOT SQL');
      },
    };
    expect(() => openDatabase(file, [...MIGRATIONS.slice(0, 1), broken])).toThrow();
    const db = new BetterSqlite3(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('insists on strictly increasing versions', () => {
    const up = () => undefined;
    expect(() => assertStrictlyIncreasing([{ version: 1, name: 'a', up }, { version: 1, name: 'b', up }])).toThrow(/not after/);
    expect(() => assertStrictlyIncreasing([{ version: 2, name: 'a', up }, { version: 1, name: 'b', up }])).toThrow(/not after/);
    expect(() => assertStrictlyIncreasing(MIGRATIONS)).not.toThrow();
  });

  it('fails its integrity check on a damaged file instead of serving it', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const { db } = openDatabase(file);
    db.exec("CREATE TABLE filler (x TEXT) STRICT; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2000) INSERT INTO filler SELECT hex(randomblob(200)) FROM n;");
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = fs.readFileSync(file);
    // Scribble over the middle of the file: pages of the b-tree, not the header.
    bytes.fill(0xab, 20 * 4096, 40 * 4096);
    fs.writeFileSync(file, bytes);
    expect(() => openDatabase(file)).toThrow(/integrity|damaged|malformed|cannot be used/);
  });
});
