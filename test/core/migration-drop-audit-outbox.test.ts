// Migration 0014-drop-audit-outbox: the unread per-record audit queue goes; the audit log stays whole.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src-main/core/audit-log';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { tempDir } from './helpers';

describe('migration 0014-drop-audit-outbox', () => {
  it('drops audit_outbox and its index, and keeps every audit record with its chain', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, MIGRATIONS.filter((m) => m.version < 14)).db;
    const log = new AuditLog(before, 't-1');
    before.transaction(() => {
      for (let i = 0; i < 3; i += 1) log.append({ userId: 'u1', role: 'cashier', action: 'sales.complete', outcome: 'ok', details: { n: i } }, `2026-11-30T10:0${i}:00Z`);
    })();
    before.prepare("INSERT INTO audit_outbox (seq, state) VALUES (1, 'acked'), (2, 'pending')").run();
    before.close();
    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 14));
    expect(migratedFrom).toBe(13);
    expect(db.pragma('user_version', { simple: true })).toBe(14);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'audit_outbox%'").all()).toEqual([]);
    expect(db.prepare('SELECT seq FROM audit_log ORDER BY seq').all()).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
    expect(new AuditLog(db, 't-1').verify()).toBeNull();
    db.close();
  });
});
