// Migration 0018-audit-indexes-without-sales: the audit log's action and user indexes leave
// completed sales out; audit.list still answers every filter exactly, page by page.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, openCore, tempDir } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});
const manager = { role: 'manager' as const, userId: 'manager-1' };

type Filter = { action?: string; userId?: string; outcome?: 'ok' | 'refused' | 'failed' };

describe('migration 0018-audit-indexes-without-sales', () => {
  it('rebuilds both indexes without sale records and keeps every record', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, MIGRATIONS.filter((m) => m.version < 18)).db;
    const insert = before.prepare(`INSERT INTO audit_log (seq, terminal_id, at, user_id, role, action, outcome, details, prev_hash, hash)
      VALUES (?, 't-1', '2026-11-30T10:00:00Z', ?, 'cashier', ?, 'ok', '{}', 'p', 'h')`);
    insert.run(1, 'c-1', 'members.enroll');
    insert.run(2, 'c-1', 'sales.complete');
    before.close();

    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 18));
    expect(migratedFrom).toBe(17);
    const indexes = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'audit_log' ORDER BY name").all();
    expect(indexes).toEqual([
      { name: 'audit_action', sql: "CREATE INDEX audit_action ON audit_log (action, seq) WHERE action <> 'sales.complete'" },
      { name: 'audit_user', sql: "CREATE INDEX audit_user ON audit_log (user_id, seq) WHERE action <> 'sales.complete'" },
    ]);
    expect(db.prepare('SELECT seq, action FROM audit_log ORDER BY seq').all()).toEqual([
      { seq: 1, action: 'members.enroll' },
      { seq: 2, action: 'sales.complete' },
    ]);
    // A sale writes no entry in either index: only the other record is there.
    expect(db.prepare("SELECT count(*) AS n FROM audit_log INDEXED BY audit_user WHERE user_id = 'c-1' AND action <> 'sales.complete'").get()).toEqual({ n: 1 });
    db.close();
  });

  it('answers every filter with exactly the matching records, newest first, through every page', () => {
    core = openCore(tempDir());
    const { audit } = core.context;
    // A log like a shop's: mostly sales by two cashiers, now and then something else, by anyone.
    const users = ['cashier-a', 'cashier-b', 'manager-1', 'cashier-c'];
    const others = ['members.enroll', 'auth.signIn', 'sales.refund', 'members.adjust'];
    const outcomes = ['ok', 'ok', 'ok', 'refused', 'failed'] as const;
    for (let i = 0; i < 400; i += 1) {
      const sale = i % 7 !== 0;
      // cashier-c only ever sells, and only early on: their sales are far behind their other records.
      const userId = sale ? (i < 40 ? 'cashier-c' : users[i % 2]!) : users[(i / 7) % users.length]!;
      audit.append({ userId, role: 'cashier', action: sale ? 'sales.complete' : others[i % others.length]!, outcome: outcomes[i % outcomes.length]!, details: { i } }, '2026-11-30T10:00:00Z');
    }
    const all = core.context.db.prepare('SELECT seq, user_id, action, outcome FROM audit_log ORDER BY seq DESC').all() as { seq: number; user_id: string; action: string; outcome: string }[];
    const expected = (f: Filter) =>
      all.filter((r) => (f.action === undefined || r.action === f.action) && (f.userId === undefined || r.user_id === f.userId) && (f.outcome === undefined || r.outcome === f.outcome)).map((r) => r.seq);
    const listed = (f: Filter, limit: number) => {
      const seqs: number[] = [];
      let beforeSeq: number | undefined;
      for (;;) {
        const page = call(core!, 'audit.list', { ...f, limit, ...(beforeSeq ? { beforeSeq } : {}) }, manager);
        expect(page.records.length).toBeLessThanOrEqual(limit);
        seqs.push(...page.records.map((r) => r.seq));
        if (page.nextBeforeSeq === null) return seqs;
        beforeSeq = page.nextBeforeSeq;
      }
    };
    const filters: Filter[] = [
      {},
      { action: 'sales.complete' },
      { action: 'members.enroll' },
      { userId: 'cashier-a' },
      { userId: 'manager-1' },
      { userId: 'cashier-c' },
      { userId: 'nobody' },
      { userId: 'cashier-b', action: 'sales.complete' },
      { userId: 'cashier-a', action: 'auth.signIn' },
      { userId: 'cashier-a', outcome: 'refused' },
      { action: 'sales.complete', outcome: 'failed' },
    ];
    for (const f of filters) {
      for (const limit of [1, 3, 100, 500]) expect({ f, limit, seqs: listed(f, limit) }).toEqual({ f, limit, seqs: expected(f) });
    }
    expect(expected({ userId: 'cashier-c' }).length).toBeGreaterThan(30);
  });

  it("reads records other than sales through the indexes, and a user's sales only back to their other records", () => {
    core = openCore(tempDir());
    const { db } = core.context;
    // The statements audit.list prepares, caught on their way to SQLite, with the plan of each.
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      if (sql.includes('FROM audit_log')) prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const plansOf = (args: Filter) => {
      prepared.length = 0;
      call(core!, 'audit.list', args, manager);
      return prepared.map((sql) => (prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ beforeSeq: 9, afterSeq: 2, limit: 5, ...args }) as { detail: string }[]).map((r) => r.detail).join('; '));
    };
    // Two records of u other than sales fill a page of one (and the one that says there is more).
    for (let i = 0; i < 2; i += 1) core.context.audit.append({ userId: 'u', role: 'cashier', action: 'auth.signIn', outcome: 'ok', details: {} }, '2026-11-30T10:00:00Z');
    expect(plansOf({ action: 'members.enroll' })).toEqual([expect.stringMatching(/USING INDEX audit_action/)]);
    expect(plansOf({ action: 'members.enroll', userId: 'u' })).toEqual([expect.stringMatching(/USING INDEX audit_(action|user)/)]);
    const [others, sales] = plansOf({ userId: 'u', limit: 1 } as Filter);
    expect(others).toMatch(/USING INDEX audit_user/);
    expect(sales).toMatch(/USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
  });
});
