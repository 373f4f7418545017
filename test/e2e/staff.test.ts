// Staff from Settings in Chromium through the browser host: the first manager adds a cashier, who then
// signs in from the keyboard; a new PIN, a role change, deactivation; the last manager cannot be demoted
// or deactivated. The sign-in screen's people follow.
import { describe, expect, it } from 'vitest';
import { startHost } from '../../src-main/host/host-server';
import { call, tempDir } from '../core/helpers';
import { chromiumForFile, createFirstManager, hasFocus, rendererDir, shot } from './chromium';

const { browser, cleanups } = chromiumForFile();

describe('Staff in Settings', () => {
  it('a manager adds a cashier who signs in, gives a new PIN and deactivates the account', async () => {
    const host = await startHost({ dataDir: tempDir('kasa-staff-e2e-'), port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });
    cleanups.push(() => host.close());
    const page = await browser().newPage({ viewport: { width: 1024, height: 768 } });
    cleanups.push(() => page.close());
    await page.goto(host.url);
    await createFirstManager(page);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const staff = page.getByRole('region', { name: 'Staff' });
    // The only manager: no way to lose the last one from here.
    const meral = staff.getByRole('listitem', { name: 'Meral' });
    await expect.poll(() => meral.textContent()).toContain('Manager · you');
    expect(await meral.getByRole('button').allTextContents()).toEqual(['New PIN']);

    // A PIN anyone could guess is refused in words; a good one adds the cashier.
    const add = staff.getByRole('form', { name: 'Add a person' });
    await add.getByLabel('Name').fill('Can');
    await add.getByLabel('PIN (4 to 12 digits)').fill('1111');
    await add.getByRole('button', { name: 'Add a person' }).click();
    await page.getByRole('alert').getByText(/not all one digit or a straight run/).waitFor();
    await add.getByLabel('PIN (4 to 12 digits)').fill('1357');
    await add.getByRole('button', { name: 'Add a person' }).click();
    await staff.getByRole('status').getByText('Can can sign in now.').waitFor();
    await expect.poll(() => staff.getByRole('listitem', { name: 'Can' }).textContent()).toContain('Cashier');
    expect(call(host.core, 'users.list', {}, { role: 'manager', userId: null }).users.map((u) => [u.name, u.role, u.active])).toEqual([
      ['Meral', 'manager', true],
      ['Can', 'cashier', true],
    ]);

    // Can signs in, from the keyboard, and has no Settings.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Can', exact: true }).click();
    await expect.poll(() => hasFocus(page.getByLabel('PIN', { exact: true }))).toBe(true);
    await page.keyboard.type('1357', { delay: 120 });
    await page.keyboard.press('Enter');
    await page.getByLabel('Phone number', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Settings', exact: true }).count()).toBe(0);

    // The manager gives Can a new PIN, then deactivates the account: Can leaves the sign-in screen.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Meral', exact: true }).click();
    await page.getByLabel('PIN', { exact: true }).fill('2580');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const can = staff.getByRole('listitem', { name: 'Can' });
    await can.getByRole('button', { name: 'New PIN' }).click();
    await expect.poll(() => hasFocus(can.getByLabel('New PIN for Can'))).toBe(true);
    await page.keyboard.type('8642', { delay: 120 });
    await page.keyboard.press('Enter');
    await staff.getByRole('status').getByText('The new PIN of Can is saved.').waitFor();
    await can.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => can.textContent()).toContain('deactivated');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Meral', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Can', exact: true }).count()).toBe(0);
  });
  it('shows a manager which account wrong PINs locked, and a new PIN unlocks it', async () => {
    const host = await startHost({ dataDir: tempDir('kasa-staff-lock-e2e-'), port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });
    cleanups.push(() => host.close());
    const page = await browser().newPage({ viewport: { width: 1024, height: 768 } });
    cleanups.push(() => page.close());
    await page.goto(host.url);
    await createFirstManager(page);
    const meral = call(host.core, 'users.list', {}, { role: 'manager', userId: null }).users[0]!;
    const can = call(host.core, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }, { role: 'manager', userId: meral.userId });

    // Can mistypes the PIN five times at another screen: locked.
    const till = host.core.sessions.open();
    for (let i = 0; i < 5; i++) expect(host.core.sessions.call(till, 'auth.signIn', { userId: can.userId, pin: '9753' }).ok).toBe(false);
    expect(call(host.core, 'users.list', {}, { role: 'manager', userId: null }).users.find((u) => u.userId === can.userId)?.lockedUntil).toEqual(expect.any(String));

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const staff = page.getByRole('region', { name: 'Staff' });
    const canItem = staff.getByRole('listitem', { name: 'Can' });
    await expect.poll(() => canItem.textContent()).toMatch(/Cashier · locked by wrong PINs until .+: a new PIN unlocks it/);
    expect(await staff.getByRole('listitem', { name: 'Meral' }).textContent()).not.toContain('locked');
    await shot(page, 'staff-locked');
    await canItem.getByRole('button', { name: 'New PIN' }).click();
    await canItem.getByLabel('New PIN for Can').fill('8642');
    await page.keyboard.press('Enter');
    await staff.getByRole('status').getByText('The new PIN of Can is saved.').waitFor();
    await expect.poll(() => canItem.textContent()).not.toContain('locked');
    expect(host.core.sessions.call(till, 'auth.signIn', { userId: can.userId, pin: '8642' }).ok).toBe(true);
  });
});
