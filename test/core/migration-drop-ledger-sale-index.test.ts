// Migration 0016-drop-ledger-sale-index: a refund finds its sale's earn entry by the seqs the
// receipt recorded, so the ledger's sale_id index goes; the ledger itself stays whole.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import type { CallerContext } from '../../src-main/core/handlers/handler-types';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { auditLedger } from './ledger-audit';
import { call, openCore, tempDir } from './helpers';

const manager: CallerContext = { role: 'manager', userId: 'manager-1' };
let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

const indexNamed = (c: TerminalCore, name: string) => c.context.db.prepare('SELECT name FROM sqlite_schema WHERE name = ?').all(name);

describe('migration 0016-drop-ledger-sale-index', () => {
  it('drops ledger_sale and keeps every ledger entry', () => {
    const file = path.join(tempDir(), 'kasa.db');
    const before = openDatabase(file, MIGRATIONS.filter((m) => m.version < 16)).db;
    before
      .prepare(`INSERT INTO ledger (seq, terminal_id, kind, member_id, points, sale_id, breakdown, payload, device_time, prev_hash, hash)
                VALUES (1, 't-1', 'earn', 'm-1', 5, 's-1', '[]', '{}', '2026-11-30T10:00:00Z', 'p', 'h')`)
      .run();
    expect(before.prepare("SELECT name FROM sqlite_schema WHERE name = 'ledger_sale'").all()).toHaveLength(1);
    before.close();
    const { db, migratedFrom } = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 16));
    expect(migratedFrom).toBe(15);
    expect(db.pragma('user_version', { simple: true })).toBe(16);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'ledger_sale'").all()).toEqual([]);
    expect(db.prepare('SELECT seq, sale_id FROM ledger').all()).toEqual([{ seq: 1, sale_id: 's-1' }]);
    db.close();
  });

  it('refunds a sale through the earn entry its receipt names, and one whose receipt names none', () => {
    core = openCore(tempDir());
    expect(indexNamed(core, 'ledger_sale')).toEqual([]);
    const { member } = call(core, 'members.enroll', { phone: '+905321234567' });
    const sell = (key: string) =>
      call(core!, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 2, unitPriceMinor: 5_000 }], idempotencyKey: key });
    const first = sell('sale-by-receipt');
    const second = sell('sale-without-seqs');
    expect(first.pointsEarned).toBe(100);
    const refunded = call(core, 'sales.refund', { saleId: first.saleId, lines: [{ lineIndex: 0, qty: 1 }], idempotencyKey: 'refund-by-receipt' }, manager);
    expect(refunded).toMatchObject({ pointsReversed: 50, balanceAfter: 150 });
    // A receipt stored without its entry seqs (none is written so): the ledger is searched instead.
    const { db } = core.context;
    const stored = JSON.parse((db.prepare('SELECT receipt FROM sales WHERE sale_id = ?').get(second.saleId) as { receipt: string }).receipt) as Record<string, unknown>;
    delete stored.entrySeqs;
    db.prepare('UPDATE sales SET receipt = ? WHERE sale_id = ?').run(JSON.stringify(stored), second.saleId);
    const scanned = call(core, 'sales.refund', { saleId: second.saleId, idempotencyKey: 'refund-by-scan' }, manager);
    expect(scanned).toMatchObject({ pointsReversed: 100, balanceAfter: 50 });
    expect(auditLedger(db).balanceMismatches).toEqual([]);
  });
});
