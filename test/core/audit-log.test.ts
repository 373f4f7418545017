import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { redactForAudit } from '../../src-shared/ledger/audit-entry';
import { call, callError, openCore, tempDir } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});
const manager = { role: 'manager' as const, userId: 'manager-1' };

describe('audit log', () => {
  it('records every state-changing call with who did it, in the same transaction, and not reads', () => {
    core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567', name: 'Ayşe' });
    call(core, 'members.lookup', { phone: '05321234567' });
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 2500 }], idempotencyKey: 'audit-sale-1' });
    const { records } = call(core, 'audit.list', {}, manager);
    expect(records.map((r) => [r.action, r.outcome, r.userId])).toEqual([
      ['sales.complete', 'ok', 'cashier-1'],
      ['members.enroll', 'ok', 'cashier-1'],
    ]);
    expect(records[0]?.details).toMatchObject({ result: { memberId: member.memberId, pointsEarned: 25 } });
  });

  it('records refused and failed attempts, and lets only managers read it', () => {
    core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    expect(callError(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 100 }], redeemPoints: 50, idempotencyKey: 'audit-over-1' }).code).toBe('INSUFFICIENT_POINTS');
    expect(callError(core, 'audit.list', {}).code).toBe('FORBIDDEN');
    const failed = call(core, 'audit.list', { outcome: 'failed' }, manager).records;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ action: 'sales.complete', details: { error: 'INSUFFICIENT_POINTS' } });
  });

  it('never keeps secrets in the details', () => {
    core = openCore(tempDir());
    // A future method's secret-bearing argument names are redacted by key.
    core.context.audit.append({ userId: 'u', role: 'cashier', action: 'x', outcome: 'ok', details: {} }, 'now');
    expect(redactForAudit({ pin: '1234', managerPin: '9999', track2: ';4111=', nested: { pan: '4111111111111111' }, name: 'ok' })).toEqual({
      pin: '[redacted]',
      managerPin: '[redacted]',
      track2: '[redacted]',
      nested: { pan: '[redacted]' },
      name: 'ok',
    });
  });

  it('detects an edited audit row at start and reports it in terminal.status', () => {
    const dir = tempDir();
    core = openCore(dir);
    call(core, 'members.enroll', { phone: '05321234567' });
    call(core, 'members.enroll', { phone: '05321234568' });
    expect(call(core, 'terminal.status', {}).integrity).toEqual({ ledger: null, audit: null });
    core.close();
    const db = new BetterSqlite3(path.join(dir, 'kasa.db'));
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare("UPDATE audit_log SET user_id = 'someone-else' WHERE seq = 1").run();
    db.close();
    core = openCore(dir);
    expect(call(core, 'terminal.status', {}).integrity).toEqual({ ledger: null, audit: { seq: 1, reason: 'hash-mismatch' } });
  });

  it('detects an edited ledger row at start', () => {
    const dir = tempDir();
    core = openCore(dir);
    const { member } = call(core, 'members.enroll', { phone: '05321234567' });
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 2500 }], idempotencyKey: 'audit-sale-2' });
    core.close();
    const db = new BetterSqlite3(path.join(dir, 'kasa.db'));
    db.exec('DROP TRIGGER ledger_no_update');
    db.prepare("UPDATE ledger SET points = 2500 WHERE kind = 'earn'").run();
    db.close();
    core = openCore(dir);
    expect(call(core, 'terminal.status', {}).integrity.ledger).toEqual({ seq: 2, reason: 'hash-mismatch' });
  });
});
