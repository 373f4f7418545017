// Cashiers refund only their own recent sales (issue 7): within the store's window (24 h by default)
// a cashier refunds a sale they rang up; any other refund needs a manager, signed in or approving on
// the cashier's screen, and the refund records both people. Enforced in the core, through real sessions.
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { openCore, tempDir, errorOf, valueOf as value } from './helpers';

let core: TerminalCore | null = null;
let now = '2026-06-01T10:00:00.000Z';
afterEach(() => {
  core?.close();
  core = null;
});

const hoursLater = (from: string, hours: number) => new Date(Date.parse(from) + hours * 3_600_000).toISOString();

function counter() {
  now = '2026-06-01T10:00:00.000Z';
  core = openCore(tempDir(), { now: () => now, idleTimeoutSeconds: 30 * 24 * 3600 });
  const managerScreen = core.sessions.open();
  const manager = value(core.sessions.call(managerScreen, 'auth.setup', { name: 'Meral', pin: '2580' }));
  const can = value(core.sessions.call(managerScreen, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }));
  const ece = value(core.sessions.call(managerScreen, 'users.create', { name: 'Ece', role: 'cashier', pin: '2468' }));
  const canScreen = core.sessions.open();
  value(core.sessions.call(canScreen, 'auth.signIn', { userId: can.userId, pin: '1357' }));
  const eceScreen = core.sessions.open();
  value(core.sessions.call(eceScreen, 'auth.signIn', { userId: ece.userId, pin: '2468' }));
  const member = value(core.sessions.call(canScreen, 'members.enroll', { phone: '05321234567' })).member;
  let n = 0;
  const sell = (screen: typeof canScreen, memberId: string | null = member.memberId) =>
    value(
      core!.sessions.call(screen, 'sales.complete', {
        ...(memberId ? { memberId } : {}),
        lines: [{ category: 'G', qty: 2, unitPriceMinor: 10_000 }],
        idempotencyKey: `sale-key-${(n += 1)}`,
      }),
    );
  return { core, managerScreen, manager, can, ece, canScreen, eceScreen, member, sell };
}

const refundKey = (() => {
  let n = 0;
  return () => `refund-key-${(n += 1)}`;
})();

const refundRows = (c: TerminalCore) => c.context.db.prepare('SELECT cashier_id, approved_by FROM refunds ORDER BY rowid').all();
const lastRefundAudit = (c: TerminalCore) => {
  const row = c.context.db.prepare("SELECT user_id, outcome, details FROM audit_log WHERE action = 'sales.refund' ORDER BY seq DESC LIMIT 1").get() as
    | { user_id: string; outcome: string; details: string }
    | undefined;
  return row ? { ...row, details: JSON.parse(row.details) } : null;
};

describe('who may refund a sale', () => {
  it('lets a cashier refund their own sale within 24 h, by default', () => {
    const { core: c, canScreen, can, sell } = counter();
    const sale = sell(canScreen);
    now = hoursLater(now, 23.9);
    const receipt = value(c.sessions.call(canScreen, 'sales.refund', { saleId: sale.saleId, lines: [{ lineIndex: 0, qty: 1 }], idempotencyKey: refundKey() }));
    expect(receipt).toMatchObject({ refundAmountMinor: 10_000, approvedBy: null });
    expect(refundRows(c)).toEqual([{ cashier_id: can.userId, approved_by: null }]);
    expect(value(c.sessions.call(canScreen, 'terminal.status', {})).cashierRefundWindowHours).toBe(24);
  });

  it("refuses a cashier another cashier's sale, and records the refusal; nothing is refunded", () => {
    const { core: c, canScreen, eceScreen, ece, member, sell } = counter();
    const sale = sell(canScreen);
    const before = value(c.sessions.call(eceScreen, 'members.get', { memberId: member.memberId })).balance;
    const error = errorOf(c.sessions.call(eceScreen, 'sales.refund', { saleId: sale.saleId, idempotencyKey: refundKey() }));
    expect(error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'not-own-sale' } });
    expect(error?.message).toMatch(/rung up by someone else: a manager must approve/);
    expect(refundRows(c)).toEqual([]);
    expect(value(c.sessions.call(eceScreen, 'members.get', { memberId: member.memberId })).balance).toBe(before);
    expect(lastRefundAudit(c)).toMatchObject({ user_id: ece.userId, outcome: 'refused' });
  });

  it('refuses a cashier their own sale after the window, an anonymous sale too', () => {
    const { core: c, canScreen, sell } = counter();
    const sale = sell(canScreen);
    const anonymous = sell(canScreen, null);
    now = hoursLater(now, 24.01);
    for (const s of [sale, anonymous]) {
      const error = errorOf(c.sessions.call(canScreen, 'sales.refund', { saleId: s.saleId, idempotencyKey: refundKey() }));
      expect(error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'outside-refund-window', windowHours: 24 } });
      expect(error?.message).toMatch(/within 24 h: a manager must approve/);
    }
    expect(refundRows(c)).toEqual([]);
  });

  it('lets a manager approve on the cashier screen, recording both people', () => {
    const { core: c, canScreen, eceScreen, manager, ece, sell } = counter();
    const sale = sell(canScreen);
    now = hoursLater(now, 72);
    const override = { userId: manager.userId, pin: '2580' };
    expect(errorOf(c.sessions.call(eceScreen, 'sales.refund', { saleId: sale.saleId, idempotencyKey: refundKey(), managerOverride: { ...override, pin: '0000' } }))?.code).toBe('UNAUTHENTICATED');
    const receipt = value(c.sessions.call(eceScreen, 'sales.refund', { saleId: sale.saleId, idempotencyKey: refundKey(), managerOverride: override }));
    expect(receipt.approvedBy).toBe(manager.userId);
    expect(refundRows(c)).toEqual([{ cashier_id: ece.userId, approved_by: manager.userId }]);
    expect(lastRefundAudit(c)).toMatchObject({ user_id: ece.userId, outcome: 'ok', details: { approvedBy: manager.userId } });
  });

  it('lets a signed-in manager refund any sale, however old', () => {
    const { core: c, canScreen, managerScreen, manager, sell } = counter();
    const sale = sell(canScreen);
    now = hoursLater(now, 24 * 20);
    expect(value(c.sessions.call(managerScreen, 'sales.refund', { saleId: sale.saleId, idempotencyKey: refundKey() })).approvedBy).toBe(manager.userId);
  });

  it('follows the window a manager sets: 0 means always a manager; bad values are refused', () => {
    const { core: c, canScreen, managerScreen, sell } = counter();
    expect(errorOf(c.sessions.call(canScreen, 'terminal.configure', { cashierRefundWindowHours: 48 }))?.code).toBe('FORBIDDEN');
    for (const bad of [-1, 721, 1.5, '24']) {
      expect(errorOf(c.sessions.call(managerScreen, 'terminal.configure', { cashierRefundWindowHours: bad }))?.code).toBe('VALIDATION');
    }
    expect(value(c.sessions.call(managerScreen, 'terminal.configure', { cashierRefundWindowHours: 0 })).cashierRefundWindowHours).toBe(0);
    const fresh = sell(canScreen);
    const error = errorOf(c.sessions.call(canScreen, 'sales.refund', { saleId: fresh.saleId, idempotencyKey: refundKey() }));
    expect(error?.message).toMatch(/lets cashiers refund only with a manager/);

    value(c.sessions.call(managerScreen, 'terminal.configure', { cashierRefundWindowHours: 48 }));
    now = hoursLater(now, 47);
    value(c.sessions.call(canScreen, 'sales.refund', { saleId: fresh.saleId, idempotencyKey: refundKey() }));
    // The setting survives a restart.
    const dataDir = c.context.db.name.replace(/\/[^/]+$/, '');
    c.close();
    core = openCore(dataDir, { now: () => now });
    expect(core.context.settings.cashierRefundWindowHours).toBe(48);
  });
});
