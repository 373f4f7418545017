// Manual balance adjustments (issue 7): manager only (a cashier with a manager override), a reason
// code from a fixed list, an `adjust` ledger entry and an audit record with the balance before and after.
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../src-shared/api/contract';
import { ADJUST_REASONS } from '../../src-shared/ledger/payloads';
import { replayLedger } from '../../src-shared/program/replay';
import { verifyChain } from '../../src-shared/ledger/entry';
import { iterateEntries, readEntries, sha256Hex } from '../../src-main/core/ledger-writer';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { openCore, tempDir, errorOf, valueOf as value } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});


function counter() {
  core = openCore(tempDir());
  const managerScreen = core.sessions.open();
  const manager = value(core.sessions.call(managerScreen, 'auth.setup', { name: 'Meral', pin: '2580' }));
  const cashier = value(core.sessions.call(managerScreen, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }));
  const screen = core.sessions.open();
  value(core.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
  const member = value(core.sessions.call(screen, 'members.enroll', { phone: '05321234567' })).member;
  // 1000.00 TRY at the default programme: 1000 points.
  value(core.sessions.call(screen, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 100_000 }], idempotencyKey: 'seed-sale-1' }));
  return { core, screen, managerScreen, manager, cashier, member };
}

const counts = (c: TerminalCore) =>
  c.context.db.prepare('SELECT (SELECT count(*) FROM ledger) AS ledger, (SELECT count(*) FROM adjustments) AS adjustments, (SELECT balance FROM members) AS balance').get();

const lastAudit = (c: TerminalCore, action: string) => {
  const row = c.context.db.prepare('SELECT user_id, role, outcome, details FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1').get(action) as
    | { user_id: string | null; role: string; outcome: string; details: string }
    | undefined;
  return row ? { ...row, details: JSON.parse(row.details) } : null;
};

describe('members.adjust', () => {
  it('is declared for managers in the contract, with the documented reason codes', () => {
    expect(api['members.adjust'].role).toBe('manager');
    expect(api['members.adjust'].mutates).toBe(true);
    expect([...ADJUST_REASONS]).toEqual(['goodwill', 'correction', 'complaint', 'lost-card-transfer', 'other']);
  });

  it('lets a signed-in manager add points with a reason: an adjust entry, and an audit record with the balance before and after', () => {
    const { core: c, managerScreen, manager, member } = counter();
    const receipt = value(c.sessions.call(managerScreen, 'members.adjust', { memberId: member.memberId, points: 250, reason: 'goodwill', note: 'Late delivery', idempotencyKey: 'adj-goodwill-1' }));
    expect(receipt).toMatchObject({ points: 250, reason: 'goodwill', note: 'Late delivery', balanceBefore: 1000, balanceAfter: 1250, userId: manager.userId, approvedBy: null });
    expect(receipt.member.balance).toBe(1250);
    const [entry] = readEntries(c.context.db, receipt.entrySeqs[0], 1);
    expect(entry).toMatchObject({ kind: 'adjust', points: 250, amountMinor: null, cashierId: manager.userId });
    expect(entry?.payload).toEqual({ adjustmentId: receipt.adjustmentId, reason: 'goodwill', note: 'Late delivery', approvedBy: null, balanceBefore: 1000, balanceAfter: 1250 });
    const audit = lastAudit(c, 'members.adjust');
    expect(audit).toMatchObject({ user_id: manager.userId, role: 'manager', outcome: 'ok' });
    expect(audit?.details.result).toMatchObject({ memberId: member.memberId, balanceBefore: 1000, balanceAfter: 1250, adjustmentId: receipt.adjustmentId });
    expect(audit?.details.args).toMatchObject({ points: 250, reason: 'goodwill' });
    // The member's history shows it like any other entry.
    const history = value(c.sessions.call(managerScreen, 'members.history', { memberId: member.memberId, limit: 1 }));
    expect(history.entries[0]).toMatchObject({ kind: 'adjust', points: 250 });
  });

  it('records an adjustment once per idempotency key, and refuses the key for another adjustment', () => {
    const { core: c, managerScreen, member } = counter();
    const args = { memberId: member.memberId, points: -100, reason: 'correction' as const, idempotencyKey: 'adj-correction-1' };
    const first = value(c.sessions.call(managerScreen, 'members.adjust', args));
    const again = value(c.sessions.call(managerScreen, 'members.adjust', args));
    expect(again).toEqual(first);
    expect(counts(c)).toMatchObject({ adjustments: 1, balance: 900 });
    expect(errorOf(c.sessions.call(managerScreen, 'members.adjust', { ...args, points: -99 }))?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(counts(c)).toMatchObject({ adjustments: 1, balance: 900 });
  });

  it('refuses a cashier alone, and records both people when a manager approves on the cashier screen', () => {
    const { core: c, screen, manager, cashier, member } = counter();
    const args = { memberId: member.memberId, points: 40, reason: 'complaint', idempotencyKey: 'adj-complaint-1' };
    const before = counts(c);
    expect(errorOf(c.sessions.call(screen, 'members.adjust', args))?.code).toBe('FORBIDDEN');
    expect(counts(c)).toEqual(before);
    // A cashier's own PIN is not a manager override.
    expect(errorOf(c.sessions.call(screen, 'members.adjust', { ...args, managerOverride: { userId: cashier.userId, pin: '1357' } }))?.code).toBe('FORBIDDEN');
    expect(errorOf(c.sessions.call(screen, 'members.adjust', { ...args, managerOverride: { userId: manager.userId, pin: '9999' } }))?.code).toBe('UNAUTHENTICATED');
    expect(counts(c)).toEqual(before);

    const receipt = value(c.sessions.call(screen, 'members.adjust', { ...args, managerOverride: { userId: manager.userId, pin: '2580' } }));
    expect(receipt).toMatchObject({ userId: cashier.userId, approvedBy: manager.userId, balanceBefore: 1000, balanceAfter: 1040 });
    const [entry] = readEntries(c.context.db, receipt.entrySeqs[0], 1);
    expect(entry?.cashierId).toBe(cashier.userId);
    expect(entry?.payload).toMatchObject({ approvedBy: manager.userId, reason: 'complaint' });
    const audit = lastAudit(c, 'members.adjust');
    expect(audit).toMatchObject({ user_id: cashier.userId, outcome: 'ok' });
    expect(audit?.details).toMatchObject({ approvedBy: manager.userId, result: { balanceBefore: 1000, balanceAfter: 1040 } });
  });

  it('refuses to take a balance below zero, with the balance in the error, and writes nothing', () => {
    const { core: c, managerScreen, member } = counter();
    const before = counts(c);
    const error = errorOf(c.sessions.call(managerScreen, 'members.adjust', { memberId: member.memberId, points: -1001, reason: 'correction', idempotencyKey: 'adj-too-much' }));
    expect(error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { balance: 1000, requested: 1001, balanceAfter: -1 } });
    expect(error?.message).toMatch(/has 1000 points.*below zero/);
    expect(counts(c)).toEqual(before);
    // Down to exactly zero is allowed.
    expect(value(c.sessions.call(managerScreen, 'members.adjust', { memberId: member.memberId, points: -1000, reason: 'lost-card-transfer', idempotencyKey: 'adj-all-points' })).balanceAfter).toBe(0);
  });

  it('refuses bad input with a clear message: zero points, unknown reason, "other" without a note, a long note, an unknown member', () => {
    const { core: c, managerScreen, member } = counter();
    const base = { memberId: member.memberId, points: 10, reason: 'goodwill', idempotencyKey: 'adj-bad-input' };
    const before = counts(c);
    const check = (args: Record<string, unknown>, code: string, message: RegExp) => {
      const error = errorOf(c.sessions.call(managerScreen, 'members.adjust', args));
      expect(error?.code).toBe(code);
      expect(error?.message).toMatch(message);
    };
    check({ ...base, points: 0 }, 'VALIDATION', /at least one point/);
    check({ ...base, points: 1.5 }, 'VALIDATION', /points/);
    check({ ...base, points: 2_000_000 }, 'VALIDATION', /points/);
    check({ ...base, reason: 'because' }, 'VALIDATION', /reason/);
    check({ ...base, reason: 'other' }, 'VALIDATION', /note/);
    check({ ...base, reason: 'other', note: '  x ' }, 'VALIDATION', /note/);
    check({ ...base, note: 'n'.repeat(201) }, 'VALIDATION', /note/);
    check({ ...base, memberId: 'nobody' }, 'NOT_FOUND', /No member/);
    expect(counts(c)).toEqual(before);
    expect(value(c.sessions.call(managerScreen, 'members.adjust', { ...base, reason: 'other', note: 'Birthday cake mix-up' })).reason).toBe('other');
  });

  it('keeps the ledger chain whole and every adjustment verifiable by replay', () => {
    const { core: c, managerScreen, member } = counter();
    value(c.sessions.call(managerScreen, 'members.adjust', { memberId: member.memberId, points: 75, reason: 'goodwill', idempotencyKey: 'adj-replay-1' }));
    value(c.sessions.call(managerScreen, 'members.adjust', { memberId: member.memberId, points: -25, reason: 'correction', idempotencyKey: 'adj-replay-2' }));
    expect(verifyChain(iterateEntries(c.context.db), sha256Hex)).toBeNull();
    const entries = [...iterateEntries(c.context.db)];
    const report = replayLedger(entries, (v) => c.context.ruleSets.get(v) ?? undefined, { timeZone: c.context.settings.timeZone });
    expect(report.mismatches).toEqual([]);
    expect(report.byKind.adjust).toEqual({ entries: 2, verified: 2 });
    // A tampered payload (before + points != after) is a mismatch, not silently skipped.
    const forged = entries.map((e) => (e.kind === 'adjust' && e.points === 75 ? { ...e, payload: { ...e.payload, balanceAfter: 9999 } } : e));
    const bad = replayLedger(forged, (v) => c.context.ruleSets.get(v) ?? undefined);
    expect(bad.mismatches).toHaveLength(1);
    expect(bad.mismatches[0]).toMatchObject({ kind: 'adjust', reason: 'points' });
  });
});
