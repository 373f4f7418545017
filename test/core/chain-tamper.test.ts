import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { auditLedger } from './ledger-audit';
import { call, openCore, tempDir } from './helpers';

describe('ledger is append-only and tamper-evident', () => {
  it('refuses updates and deletes through SQL', () => {
    const core = openCore(tempDir());
    call(core, 'members.enroll', { phone: '05321234567' });
    expect(() => core.context.db.prepare('UPDATE ledger SET points = 1000').run()).toThrow(/append-only/);
    expect(() => core.context.db.prepare('DELETE FROM ledger').run()).toThrow(/append-only/);
    core.close();
  });

  it('detects an entry edited behind the triggers', () => {
    const dir = tempDir();
    const core = openCore(dir);
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 5000 }], idempotencyKey: 'tamper-1' });
    core.close();
    const db = new BetterSqlite3(path.join(dir, 'kasa.db'));
    db.exec('DROP TRIGGER ledger_no_update');
    db.prepare("UPDATE ledger SET points = 5000 WHERE kind = 'earn'").run();
    const audit = auditLedger(db);
    expect(audit.chainBreak).toEqual({ seq: 2, reason: 'hash-mismatch' });
    db.close();
  });
});
