// A cashier refunds another cashier's sale in a Turkish store, in Chromium: the manager's approval
// asks for a PIN; a mistyped PIN is said beside the field and the approval stays for another try
// (it used to vanish with the wrong PIN, leaving the cashier to start the refund again).
import { describe, expect, it } from 'vitest';
import { startHost } from '../../src-main/host/host-server';
import { call, tempDir } from '../core/helpers';
import { chromiumForFile, rendererDir } from './chromium';

const { browser, cleanups } = chromiumForFile();

describe('a refund a manager approves', () => {
  it('keeps the approval on screen after a wrong manager PIN, in Turkish, and records the refund with the right one', async () => {
    const host = await startHost({ dataDir: tempDir('kasa-refund-approval-'), port: 0, staticDir: rendererDir, store: { locale: 'tr-TR', country: 'TR', currency: 'TRY', timeZone: 'Europe/Istanbul', storeName: 'Kadıköy' } });
    cleanups.push(() => host.close());
    // Meral, the manager, sold to Ayşe at the office screen; Can, a cashier, takes the goods back.
    const office = host.core.sessions.open();
    expect(host.core.sessions.call(office, 'auth.setup', { name: 'Meral', pin: '2580' }).ok).toBe(true);
    const meral = call(host.core, 'users.list', {}, { role: 'manager', userId: null }).users[0]!;
    call(host.core, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }, { role: 'manager', userId: meral.userId });
    const { member } = call(host.core, 'members.enroll', { phone: '05321112233', name: 'Ayşe' }, { role: 'manager', userId: meral.userId });
    call(host.core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 20_000 }], idempotencyKey: 'refund-approval-1' }, { role: 'manager', userId: meral.userId });
    const refunds = () => (host.core.context.db.prepare('SELECT count(*) AS n FROM refunds').get() as { n: number }).n;

    const page = await browser().newPage({ viewport: { width: 1024, height: 768 } });
    cleanups.push(() => page.close());
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Can', exact: true }).click();
    await page.getByLabel('PIN', { exact: true }).fill('1357');
    await page.getByRole('button', { name: 'Giriş yap' }).click();
    await page.getByLabel('Telefon numarası', { exact: true }).fill('0532 111 22 33');
    await page.getByRole('button', { name: 'Bul', exact: true }).click();
    await page.getByRole('button', { name: /tarihli satışı iade et$/ }).first().click();
    await page.getByRole('button', { name: 'Kalan her şeyi iade et' }).click();

    const approval = page.getByRole('form', { name: 'Yönetici onayı' });
    await expect.poll(() => approval.getByRole('alert').textContent()).toBe('Bu satışı başka biri yaptı: iadeyi bir yönetici onaylamalı.');
    await approval.getByLabel('Yönetici PIN').fill('9999');
    await approval.getByRole('button', { name: 'Onayla ve tamamla' }).click();
    // Said beside the PIN field, and the field is still there for the manager's next try.
    await expect.poll(() => approval.getByRole('alert').textContent()).toBe('Yanlış PIN. Kilitlenmeden önce kalan deneme: 3');
    expect(refunds()).toBe(0);
    await approval.getByLabel('Yönetici PIN').fill('2580');
    await approval.getByRole('button', { name: 'Onayla ve tamamla' }).click();
    await page.getByRole('status', { name: 'İade kaydedildi' }).waitFor();
    expect(refunds()).toBe(1);
    await expect.poll(() => approval.count()).toBe(0);
  });
});
