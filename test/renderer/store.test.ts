import { describe, expect, it, vi } from 'vitest';
import { enrolOnScreen, storeOnRealCore } from './store-on-core';

describe('app store', () => {
  it('runs the counter loop: set up, look up, enrol, add lines, preview, complete, next customer', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().refreshAuth();
    expect(s().auth?.needsSetup).toBe(true);
    expect(await s().setUp('Meral', '2580')).toBe(true);
    expect(s().auth?.user?.name).toBe('Meral');

    s().setPhoneInput('0532 123 45 67');
    await s().lookup();
    expect(s().unknownPhone).toBe('+905321234567');
    await s().enrol('Ayşe');
    expect(s().member?.name).toBe('Ayşe');
    expect(s().history.map((h) => h.kind)).toEqual(['enrol']);

    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 4550 });
    s().addLine({ category: 'Bakery', qty: 2, unitPriceMinor: 375 });
    await s().preview();
    expect(s().quote?.pointsEarned).toBe(53);

    const key = s().idempotencyKey;
    await s().complete();
    expect(s().receipt?.pointsEarned).toBe(53);
    expect(s().receipt?.idempotencyKey).toBe(key);
    // Completing again (a double tap) records nothing new.
    await s().complete();
    expect(core.context.db.prepare('SELECT count(*) AS n FROM sales').get()).toEqual({ n: 1 });

    s().nextCustomer();
    expect(s().idempotencyKey).not.toBe(key);
    expect(s().member).toBeNull();
    expect(s().lines).toEqual([]);
    core.close();
  });

  it('shows the core error and keeps the sale when redemption is refused', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await enrolOnScreen(store, '05321234567', '');
    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 1000 });
    s().setRedeemPoints(50);
    await s().preview();
    expect(s().error?.code).toBe('INSUFFICIENT_POINTS');
    expect(s().lines).toHaveLength(1);
    s().setPhoneInput('12');
    await s().lookup();
    expect(s().error?.code).toBe('INVALID_PHONE');
    // A mistyped phone stays in the field to be corrected; a card number typed there goes at once.
    expect(s().phoneInput).toBe('12');
    s().setPhoneInput('4111 1111 1111 1111');
    await s().lookup();
    expect(s().error?.details).toEqual({ reason: 'card-number' });
    expect(s().phoneInput).toBe('');
    expect(JSON.stringify(s().error)).not.toContain('1111');
    core.close();
  });

  it("leaves a customer's refusal behind when the cashier moves to another member or the next customer", async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await enrolOnScreen(store);
    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 1000 });
    s().setRedeemPoints(50);
    await s().preview();
    expect(s().error?.code).toBe('INSUFFICIENT_POINTS');
    // Another member: Ayşe's points said nothing about them (the sale's lines stay, for the member found next).
    s().clearMember();
    expect(s().error).toBeNull();
    expect(s().lines).toHaveLength(1);

    // Cancel sale, or Next customer: the next customer's screen starts without the last one's error.
    s().setPhoneInput('05321234567');
    await s().lookup();
    s().setRedeemPoints(50);
    await s().preview();
    expect(s().error?.code).toBe('INSUFFICIENT_POINTS');
    s().nextCustomer();
    expect(s().error).toBeNull();
    core.close();
  });

  it('asks for the customer PIN or a manager when the store protects redemptions', async () => {
    const { core, store } = storeOnRealCore();
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    const manager = s().auth?.user;
    await s().refreshStatus();
    const configured = core.sessions.call(core.sessions.open(), 'terminal.configure', { redemptionVerification: 'customer-pin' });
    expect(configured.ok).toBe(false); // another screen is not signed in
    core.context.settings = { ...core.context.settings, redemptionVerification: 'customer-pin' };
    s().setPhoneInput('05321234567');
    await s().lookup();
    await s().enrol('Ayşe');
    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 100_000 });
    await s().complete();
    s().nextCustomer();
    s().setPhoneInput('05321234567');
    await s().lookup();
    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 5_000 });
    s().setRedeemPoints(200);
    await s().complete();
    expect(s().error?.code).toBe('VERIFICATION_REQUIRED');
    expect(s().receipt).toBeNull();
    await s().complete({ userId: manager?.userId ?? '', pin: '2580' });
    expect(s().error).toBeNull();
    expect(s().receipt?.pointsRedeemed).toBe(200);
    core.close();
  });

  it('after an idle sign-out keeps the counter for the same cashier and clears it for anyone else', async () => {
    let t = Date.parse('2026-11-24T09:00:00Z');
    const { core, store } = storeOnRealCore({ now: () => new Date(t).toISOString(), idleTimeoutSeconds: 120 });
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    expect(await s().saveStaff({ name: 'Can', role: 'cashier', pin: '1357' })).toBe(true);
    expect(await s().saveStaff({ name: 'Deniz', role: 'cashier', pin: '9517' })).toBe(true);
    const userId = (name: string) => s().auth?.users.find((u) => u.name === name)?.userId ?? '';
    await s().signOut();
    expect(await s().signIn(userId('Can'), '1357')).toBe(true);
    s().setPhoneInput('0532 123 45 67');
    await s().lookup();
    await s().enrol('Ayşe');
    s().addLine({ category: 'Groceries', qty: 1, unitPriceMinor: 4550 });

    // Can steps away mid-sale; the core signs the screen out, and the counter notices at its next poll.
    t += 130_000;
    await s().refreshAuth();
    expect(s().auth?.user).toBeNull();
    // Can comes back: the customer and the sale are as left.
    expect(await s().signIn(userId('Can'), '1357')).toBe(true);
    expect(s().member?.name).toBe('Ayşe');
    expect(s().lines).toHaveLength(1);

    // Signed out again by the clock, and Deniz signs in: an empty counter, not Can's customer and sale.
    t += 130_000;
    await s().refreshAuth();
    expect(await s().signIn(userId('Deniz'), '9517')).toBe(true);
    expect(s().auth?.user?.name).toBe('Deniz');
    expect(s().member).toBeNull();
    expect(s().lines).toEqual([]);
    core.close();
  });

  it('opens Close day pressed just after an idle sign-out once the same manager signs in, and not for anyone else', async () => {
    let t = Date.parse('2026-11-24T09:00:00Z');
    const { core, store } = storeOnRealCore({ now: () => new Date(t).toISOString(), idleTimeoutSeconds: 120 });
    const s = () => store.getState();
    await s().setUp('Meral', '2580');
    expect(await s().saveStaff({ name: 'Selin', role: 'manager', pin: '4682' })).toBe(true);
    const userId = (name: string) => s().auth?.users.find((u) => u.name === name)?.userId ?? '';

    // Meral steps away; the core signs the screen out before the counter's next poll has noticed,
    // and the press is refused.
    t += 130_000;
    await s().openCloseDay();
    expect(s().closeDay).toBeNull();
    expect(s().error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'signed-out' } });
    await s().refreshAuth();
    expect(await s().signIn(userId('Meral'), '2580')).toBe(true);
    await vi.waitFor(() => expect(s().closeDay?.stage).toBe('report'));
    expect(s().closeDay?.report?.day).toBe('2026-11-24');
    s().closeCloseDay();

    // The same again, but another manager signs in: the counter starts empty, no report opens.
    t += 130_000;
    await s().openCloseDay();
    await s().refreshAuth();
    expect(await s().signIn(userId('Selin'), '4682')).toBe(true);
    // Opening sets the panel's first stage at once: nothing was opened.
    expect(s().closeDay).toBeNull();
    expect(s().closeDayAfterSignIn).toBe(false);
    core.close();
  });
});
