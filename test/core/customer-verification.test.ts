import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { openCore, tempDir } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

const value = (r: { ok: boolean }) => {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return (r as unknown as { value: any }).value;
};
const codeOf = (r: { ok: boolean }) => (r.ok ? 'ok' : (r as unknown as { error: { code: string } }).error.code);

function counter() {
  core = openCore(tempDir());
  const managerScreen = core.sessions.open();
  const manager = value(core.sessions.call(managerScreen, 'auth.setup', { name: 'Meral', pin: '2580' }));
  const cashier = value(core.sessions.call(managerScreen, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }));
  value(core.sessions.call(managerScreen, 'terminal.configure', { redemptionVerification: 'customer-pin' }));
  const screen = core.sessions.open();
  value(core.sessions.call(screen, 'auth.signIn', { userId: cashier.userId, pin: '1357' }));
  const withPin = value(core.sessions.call(screen, 'members.enroll', { phone: '05321234567', customerPin: '4826' })).member;
  const withoutPin = value(core.sessions.call(screen, 'members.enroll', { phone: '05321234568' })).member;
  for (const m of [withPin, withoutPin]) {
    value(core.sessions.call(screen, 'sales.complete', { memberId: m.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 100_000 }], idempotencyKey: `seed-${m.memberId}` }));
  }
  return { core, screen, manager, managerScreen, withPin, withoutPin };
}

const redeem = (memberId: string, key: string, extra: Record<string, unknown> = {}) => ({
  memberId,
  lines: [{ category: 'G', qty: 1, unitPriceMinor: 5000 }],
  redeemPoints: 100,
  idempotencyKey: key,
  ...extra,
});

describe('customer verification for redemption', () => {
  it('asks for the customer PIN to spend points, not to earn them', () => {
    const { core: c, screen, withPin } = counter();
    expect(withPin.hasCustomerPin).toBe(true);
    expect(codeOf(c.sessions.call(screen, 'sales.complete', redeem(withPin.memberId, 'redeem-1')))).toBe('VERIFICATION_REQUIRED');
    expect(codeOf(c.sessions.call(screen, 'sales.complete', redeem(withPin.memberId, 'redeem-2', { customerVerification: { memberId: withPin.memberId, pin: '9999' } })))).toBe('VERIFICATION_REQUIRED');
    const receipt = value(c.sessions.call(screen, 'sales.complete', redeem(withPin.memberId, 'redeem-3', { customerVerification: { memberId: withPin.memberId, pin: '4826' } })));
    expect(receipt.pointsRedeemed).toBe(100);
    const entry = c.context.db.prepare("SELECT payload FROM ledger WHERE kind = 'redeem'").get() as { payload: string };
    expect(JSON.parse(entry.payload)).toMatchObject({ verifiedBy: 'customer-pin' });
  });

  it("does not accept another member's PIN", () => {
    const { core: c, screen, withPin, withoutPin } = counter();
    const r = c.sessions.call(screen, 'sales.complete', redeem(withoutPin.memberId, 'redeem-x', { customerVerification: { memberId: withPin.memberId, pin: '4826' } }));
    expect(codeOf(r)).toBe('VERIFICATION_REQUIRED');
  });

  it('lets a manager approve a member without a PIN, and records who approved', () => {
    const { core: c, screen, manager, withoutPin } = counter();
    expect(codeOf(c.sessions.call(screen, 'sales.complete', redeem(withoutPin.memberId, 'redeem-4', { customerVerification: { memberId: withoutPin.memberId, pin: '1234' } })))).toBe('VERIFICATION_REQUIRED');
    value(c.sessions.call(screen, 'sales.complete', redeem(withoutPin.memberId, 'redeem-5', { managerOverride: { userId: manager.userId, pin: '2580' } })));
    const entry = c.context.db.prepare("SELECT payload, cashier_id FROM ledger WHERE kind = 'redeem'").get() as { payload: string; cashier_id: string };
    expect(JSON.parse(entry.payload)).toMatchObject({ approvedBy: manager.userId, verifiedBy: 'manager' });
    expect(entry.cashier_id).not.toBe(manager.userId);
  });

  it('locks the customer PIN after repeated wrong tries', () => {
    const { core: c, screen, withPin } = counter();
    for (let i = 0; i < 5; i += 1) c.sessions.call(screen, 'sales.complete', redeem(withPin.memberId, `guess-${i}-x`, { customerVerification: { memberId: withPin.memberId, pin: `900${i}` } }));
    const r = c.sessions.call(screen, 'sales.complete', redeem(withPin.memberId, 'right-after', { customerVerification: { memberId: withPin.memberId, pin: '4826' } }));
    expect(codeOf(r)).toBe('VERIFICATION_REQUIRED');
    expect((r as { error: { message: string } }).error.message).toMatch(/Too many wrong customer PINs/);
  });

  it('lets a manager set a PIN and change settings, but not the currency after a sale', () => {
    const { core: c, managerScreen, withoutPin } = counter();
    expect(value(c.sessions.call(managerScreen, 'members.setCustomerPin', { memberId: withoutPin.memberId, pin: '7391' })).hasCustomerPin).toBe(true);
    expect(value(c.sessions.call(managerScreen, 'terminal.configure', { storeName: 'Kadıköy' })).storeName).toBe('Kadıköy');
    expect(codeOf(c.sessions.call(managerScreen, 'terminal.configure', { currency: 'EUR' }))).toBe('VALIDATION');
    expect(codeOf(c.sessions.call(managerScreen, 'terminal.configure', { timeZone: 'Mars/Olympus' }))).toBe('VALIDATION');
  });
});
