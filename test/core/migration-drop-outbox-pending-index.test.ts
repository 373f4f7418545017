// Migration 0015-drop-outbox-pending-index: the queue is read by seq, so its partial index goes;
// the outbox rows stay, and the status counts what waits after the server's acknowledgement.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { readLedgerQueue } from '../../src-main/core/sync/sync-store';
import { call, openCore, tempDir } from './helpers';

describe('migration 0015-drop-outbox-pending-index', () => {
  it('drops outbox_pending and keeps every outbox row with its state', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, MIGRATIONS.filter((m) => m.version < 15)).db;
    before.transaction(() => {
      for (let seq = 1; seq <= 3; seq += 1) {
        before
          .prepare(`INSERT INTO ledger (seq, terminal_id, kind, member_id, points, breakdown, payload, device_time, prev_hash, hash)
                    VALUES (?, 't-1', 'adjust', 'm-1', 1, '[]', '{}', ?, 'p', 'h')`)
          .run(seq, `2026-11-30T10:0${seq}:00Z`);
        before.prepare('INSERT INTO outbox (seq, state, queued_at) VALUES (?, ?, ?)').run(seq, seq === 1 ? 'acked' : 'pending', `2026-11-30T10:0${seq}:00Z`);
      }
    })();
    expect(before.prepare("SELECT name FROM sqlite_schema WHERE name = 'outbox_pending'").all()).toHaveLength(1);
    before.close();
    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 15));
    expect(migratedFrom).toBe(14);
    expect(db.pragma('user_version', { simple: true })).toBe(15);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'outbox_pending'").all()).toEqual([]);
    expect(db.prepare('SELECT seq, state FROM outbox ORDER BY seq').all()).toEqual([
      { seq: 1, state: 'acked' },
      { seq: 2, state: 'pending' },
      { seq: 3, state: 'pending' },
    ]);
    db.close();
  });

  it('counts what waits after the acknowledgement, from the newest seq, without the index', () => {
    const core = openCore(tempDir());
    try {
      const member = call(core, 'members.enroll', { phone: '+905321234567' }).member;
      for (let i = 1; i <= 3; i += 1) call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1_000 }], idempotencyKey: `queue-sale-${i}` });
      const { db } = core.context;
      // Not enrolled: nothing acknowledged, every entry waits (the enrolment and three earns).
      expect(readLedgerQueue(db)).toMatchObject({ ackedThroughSeq: 0, newestSeq: 4, queued: 4 });
      expect(call(core, 'terminal.status', {})).toMatchObject({ queuedEntries: 4, lastSeq: 4 });
      const firstQueuedAt = (db.prepare('SELECT device_time FROM ledger WHERE seq = 1').get() as { device_time: string }).device_time;
      expect(call(core, 'terminal.status', {}).oldestQueuedAt).toBe(firstQueuedAt);
      // The server acknowledged through seq 3: one entry waits, the newest one.
      db.prepare(`INSERT INTO sync_state (id, server_url, store_id, store_name, enrolled_at, acked_through_seq, audit_acked_through_seq)
                  VALUES (1, 'https://kasa.example', 's-1', 'Store', '2026-11-30T10:00:00Z', 3, 0)`).run();
      const newest = (db.prepare('SELECT device_time FROM ledger WHERE seq = 4').get() as { device_time: string }).device_time;
      expect(call(core, 'terminal.status', {})).toMatchObject({ queuedEntries: 1, oldestQueuedAt: newest, lastSeq: 4 });
      expect(call(core, 'sync.status', {})).toMatchObject({ queuedEntries: 1, oldestQueuedAt: newest });
    } finally {
      core.close();
    }
  });
});
