// A manager connects the terminal to the server and closes the day in Chromium: the terminal syncs first, the report shows the day's
// figures and that everything reached the server, and saves as CSV and PDF. With the server down,
// the report says how many entries did not reach it and why.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../src-main/host/host-server';
import { createEnrolCode } from '../../src-server/admin';
import { call, cashier, tempDir } from '../core/helpers';
import { startTestServer } from '../server/server-harness';
import { FaultProxy } from '../sync/fault-proxy';
import { callAsync, enrolTerminal, FAST_SYNC, syncNow } from '../sync/sync-harness';
import { createFirstManager, launchChromium, rendererDir, shot } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;
beforeAll(async () => {
  expect(fs.existsSync(path.join(rendererDir, 'index.html')), 'run npm run build:renderer first').toBe(true);
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser?.());

describe('closing the day in Chromium', () => {
  it('syncs, shows the report, saves CSV and PDF, and says what did not reach the server', async () => {
    const server = await startTestServer('postgres');
    const host = await startHost({ dataDir: tempDir(), port: 0, staticDir: rendererDir, store: { locale: 'en-GB', storeName: 'Kadıköy' } });
    const page = await browser.newPage({ acceptDownloads: true });
    let serverUp = true;
    try {
      // The day so far: one member's sale and one anonymous sale.
      const member = host.core.dispatch('members.enroll', { phone: '+905321112233', name: 'Ayşe' }, cashier);
      const memberId = member.ok ? (member.value as { member: { memberId: string } }).member.memberId : '';
      expect(host.core.dispatch('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 12_000 }], idempotencyKey: 'close-day-1' }, cashier).ok).toBe(true);
      expect(host.core.dispatch('sales.complete', { lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 3_000 }], idempotencyKey: 'close-day-2' }, cashier).ok).toBe(true);

      await page.goto(host.url);
      await createFirstManager(page);

      // The manager connects the terminal with the programme owner's one-time code.
      await expect.poll(() => page.getByLabel('Server sync').textContent(), { timeout: 10_000 }).toBe('Not connected to a server');
      await page.getByRole('button', { name: 'Connect to server' }).click();
      const { code } = await createEnrolCode(server.server.db, 'test', 'kadikoy');
      await page.getByLabel('Server address').fill(server.server.url);
      await page.getByLabel('Enrolment code').fill('WRONG-CODE-99');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      // Said by its code; the server's English only beneath, as the detail.
      const refusal = page.getByRole('alert');
      await refusal.getByText('The server does not know this enrolment code: check it, or ask the programme owner for a new one.', { exact: true }).waitFor();
      expect(await refusal.locator('.error-detail').textContent()).toMatch(/^Details: The server refused the enrolment: Unknown enrolment code/);
      // A Turkish manager reads it in Turkish, the same detail under it.
      await page.getByLabel('Language').selectOption('tr');
      await page.getByLabel('Kayıt kodu').fill('WRONG-CODE-98');
      await page.getByRole('button', { name: 'Bağlan', exact: true }).click();
      await refusal.getByText('Sunucu bu kayıt kodunu tanımıyor: kodu kontrol edin ya da program sahibinden yeni bir kod isteyin.', { exact: true }).waitFor();
      expect(await refusal.locator('.error-detail').textContent()).toMatch(/^Teknik ayrıntı: The server refused the enrolment: Unknown enrolment code/);
      // An address that is not one is refused before anything is sent, in Turkish too.
      await page.getByLabel('Sunucu adresi').fill('https://');
      await page.getByRole('button', { name: 'Bağlan', exact: true }).click();
      await refusal.getByText('Bu bir sunucu adresi değil: https://kasa.ornek.com biçiminde yazın.', { exact: true }).waitFor();
      await page.getByLabel('Sunucu adresi').fill(server.server.url);
      await page.getByLabel('Dil').selectOption('en');
      await page.getByLabel('Enrolment code').fill(code);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      // Connected: the form closes and the status bar no longer offers to connect.
      await page.getByRole('heading', { name: 'Connect this terminal to the server' }).waitFor({ state: 'detached', timeout: 15_000 });
      await expect.poll(() => page.getByRole('button', { name: 'Connect to server' }).count(), { timeout: 10_000 }).toBe(0);

      await page.getByRole('button', { name: 'Close day' }).click();
      await page.getByRole('heading', { name: /^Day report/ }).waitFor();
      await page.getByText('Everything from today reached the server.').waitFor();
      const figure = (label: string) => page.locator('.report-figures div', { has: page.getByText(label, { exact: true }) }).locator('dd');
      expect(await figure('Sales with a member').textContent()).toContain('1');
      expect(await figure('Sales without a member').textContent()).toBe('1');
      expect(await figure('Points issued').textContent()).toBe('120');
      expect(await figure('New members').textContent()).toBe('1');
      expect(await figure('Refunds').textContent()).toBe('0');
      await expect.poll(() => page.getByLabel('Server sync').textContent(), { timeout: 10_000 }).toMatch(/Synced/);
      await shot(page, 'close-day');

      const csvDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Save CSV' }).click();
      const csv = fs.readFileSync((await (await csvDownload).path())!, 'utf8');
      // UTF-8 said by a BOM; commas, as the store's en-GB spreadsheets read CSV.
      expect(csv.startsWith('\uFEFFsection,item,value\r\n')).toBe(true);
      expect(csv).toContain('points,issued,120');
      expect(csv).toContain('sync,everything pushed,true');
      const pdfDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Save PDF' }).click();
      const pdf = fs.readFileSync((await (await pdfDownload).path())!);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await page.getByRole('button', { name: 'Done' }).click();

      // The server goes away; a later sale cannot reach it, and closing the day says so.
      await server.close();
      serverUp = false;
      expect(host.core.dispatch('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 5_000 }], idempotencyKey: 'close-day-3' }, cashier).ok).toBe(true);
      await page.getByRole('button', { name: 'Close day' }).click();
      // One entry, in the singular, and why in the manager's words; the core's own words only as a detail.
      await page.getByText("1 entry has not reached the server yet. The last attempt failed. The server could not be reached: check this PC's network connection. It is retried automatically.", { exact: true }).waitFor({ timeout: 30_000 });
      await page.getByText('Details: The server is unreachable (ECONNREFUSED)', { exact: true }).waitFor();
      expect(await figure('Points issued').textContent()).toBe('170');
      await shot(page, 'close-day-server-down');

      // On a 1,024 x 768 till the status bar stays one line with the server down, in English and in
      // Turkish (its longest words), and still says so and how much waits.
      await page.getByRole('button', { name: 'Done' }).click();
      await page.setViewportSize({ width: 1024, height: 768 });
      const bar = page.getByRole('status', { name: /^(Terminal status|Terminal durumu)$/ });
      const oneLine = async () => (await bar.boundingBox())!.height < 2 * (await bar.getByRole('button').last().boundingBox())!.height;
      await expect.poll(() => page.getByLabel('Server sync').textContent(), { timeout: 10_000 }).toBe('Server not reachable');
      await expect.poll(() => page.getByLabel('Waiting to sync').textContent()).toBe('1 to sync');
      expect(await oneLine()).toBe(true);
      await page.getByLabel('Language').selectOption('tr');
      await expect.poll(() => page.getByLabel('Sunucu eşitlemesi').textContent()).toBe('Sunucuya ulaşılamıyor');
      expect(await page.getByLabel('Eşitleme bekleyenler').textContent()).toBe('1 kayıt bekliyor');
      expect(await oneLine()).toBe(true);
      // Hovering says what went wrong in Turkish; the core's English message only after it, as a detail.
      // Polled: the title follows the sync phase, which moves between retries.
      await expect.poll(() => page.getByLabel('Sunucu eşitlemesi').getAttribute('title')).toBe(
        'Sunucuya ulaşılamıyor: yeniden deneniyor\nSunucuya ulaşılamadı: bu bilgisayarın ağ bağlantısını kontrol edin.\nTeknik ayrıntı: The server is unreachable (ECONNREFUSED)',
      );

      // The day report in Turkish says why in Turkish, on screen and in its PDF's words.
      await page.getByRole('button', { name: 'Günü kapat' }).click();
      await page
        .getByText('1 kayıt henüz sunucuya ulaşmadı. Son deneme başarısız oldu. Sunucuya ulaşılamadı: bu bilgisayarın ağ bağlantısını kontrol edin. Kendiliğinden yeniden denenir.', { exact: true })
        .waitFor({ timeout: 30_000 });
      await page.getByText('Teknik ayrıntı: The server is unreachable (ECONNREFUSED)', { exact: true }).waitFor();
      await shot(page, 'close-day-server-down-tr');
    } finally {
      await page.close();
      await host.close();
      if (serverUp) await server.close();
    }
  });
  it('names who approved what, and follows sync while it is open: entries that get through once the network is back', async () => {
    const server = await startTestServer('pglite');
    const proxy = await new FaultProxy(server.server.port).start();
    const host = await startHost({ dataDir: tempDir(), port: 0, staticDir: rendererDir, store: { locale: 'en-GB', storeName: 'Moda' }, sync: FAST_SYNC });
    const page = await browser.newPage();
    try {
      await page.goto(host.url);
      await createFirstManager(page);
      await enrolTerminal(host.core, server.server, proxy.url);
      const meral = call(host.core, 'users.list', {}, { role: 'manager', userId: null }).users[0]!;
      const can = call(host.core, 'users.create', { name: 'Can', role: 'cashier', pin: '1357' }, { role: 'manager', userId: meral.userId });
      // Can, at another screen, gives a customer points with Meral's PIN; then tries to take away more
      // than the balance with it, which fails: only the first was approved.
      const till = host.core.sessions.open();
      const onTill = (method: string, args: unknown) => host.core.sessions.call(till, method, args);
      expect(onTill('auth.signIn', { userId: can.userId, pin: '1357' }).ok).toBe(true);
      const enrolled = onTill('members.enroll', { phone: '+905321112244', name: 'Ayşe' });
      const memberId = enrolled.ok ? (enrolled.value as { member: { memberId: string } }).member.memberId : '';
      const approval = { userId: meral.userId, pin: '2580' };
      expect(onTill('members.adjust', { memberId, points: 40, reason: 'goodwill', idempotencyKey: 'close-day-adjust-1', managerOverride: approval }).ok).toBe(true);
      expect(onTill('members.adjust', { memberId, points: -900, reason: 'correction', idempotencyKey: 'close-day-adjust-2', managerOverride: approval }).ok).toBe(false);
      // Meral, signed in at the office screen, adjusts a balance herself: listed as hers.
      const office = host.core.sessions.open();
      expect(host.core.sessions.call(office, 'auth.signIn', { userId: meral.userId, pin: '2580' }).ok).toBe(true);
      expect(host.core.sessions.call(office, 'members.adjust', { memberId, points: 10, reason: 'goodwill', idempotencyKey: 'close-day-adjust-3' }).ok).toBe(true);

      await page.getByRole('button', { name: 'Close day' }).click();
      await page.getByText('Everything from today reached the server.').waitFor({ timeout: 30_000 });
      const approvals = page.getByRole('list', { name: 'Manager approvals' });
      expect(await approvals.getByRole('listitem').allTextContents()).toEqual([
        expect.stringMatching(/^\d.*: Balance adjustment by Can, approved by Meral$/),
        expect.stringMatching(/^\d.*: Balance adjustment by Meral \(manager\)$/),
      ]);
      await page.getByLabel('Language').selectOption('tr');
      expect(await page.getByRole('list', { name: 'Yönetici onayları' }).getByRole('listitem').allTextContents()).toEqual([
        expect.stringMatching(/: Bakiye düzeltme \(Can\), onaylayan Meral$/),
        expect.stringMatching(/: Bakiye düzeltme, yönetici Meral$/),
      ]);
      await page.getByLabel('Dil').selectOption('en');
      await page.getByRole('button', { name: 'Done' }).click();

      // The network goes: Can's next sale stays on the terminal, and the report says so.
      await proxy.setMode('refuse');
      expect(onTill('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 2_000 }], idempotencyKey: 'close-day-offline-1' }).ok).toBe(true);
      await page.getByRole('button', { name: 'Close day' }).click();
      await page.getByText(/^1 entry has not reached the server yet\./).waitFor({ timeout: 30_000 });
      // It comes back while the report is open: the terminal's retries send the entry, and the report
      // (what the manager prints) says so without being opened again.
      await proxy.setMode('pass');
      await page.getByText('Everything from today reached the server.').waitFor({ timeout: 15_000 });
      expect(await page.getByText(/has not reached the server/).count()).toBe(0);
      await shot(page, 'close-day-caught-up');
    } finally {
      await page.close();
      await host.close();
      await proxy.close();
      await server.close();
    }
  });
  it('shows the day before when a manager closes after midnight, and steps back to today', async () => {
    // An Istanbul store (UTC+3) open late: its last sales are at 23:50 on 1 December, the manager
    // closes at 00:10 on 2 December, when "today" has nothing in it yet.
    let clock = '2026-12-01T20:50:00.000Z';
    const host = await startHost({ dataDir: tempDir(), port: 0, staticDir: rendererDir, store: { locale: 'en-GB', timeZone: 'Europe/Istanbul' }, now: () => clock, idleTimeoutSeconds: 3_600 });
    const page = await browser.newPage();
    try {
      const member = host.core.dispatch('members.enroll', { phone: '+905321112255', name: 'Ayşe' }, cashier);
      const memberId = member.ok ? (member.value as { member: { memberId: string } }).member.memberId : '';
      expect(host.core.dispatch('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 25_000 }], idempotencyKey: 'late-sale-1' }, cashier).ok).toBe(true);
      const anonymous = host.core.dispatch('sales.complete', { lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 5_000 }], idempotencyKey: 'late-sale-2' }, cashier);
      await page.goto(host.url);
      await createFirstManager(page);
      clock = '2026-12-01T21:10:00.000Z';
      // The customer without a card brings their goods back after midnight: a refund on 2 December.
      const anonymousSaleId = anonymous.ok ? (anonymous.value as { saleId: string }).saleId : '';
      expect(host.core.dispatch('sales.refund', { saleId: anonymousSaleId, idempotencyKey: 'late-refund-1' }, cashier).ok).toBe(true);

      await page.getByRole('button', { name: 'Close day' }).click();
      const heading = page.getByRole('heading', { name: /^Day report/ });
      await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toBe('Day report · 2 Dec 2026');
      const figure = (label: string) => page.locator('.report-figures div', { has: page.getByText(label, { exact: true }) }).locator('dd');
      expect(await figure('Sales total').textContent()).toMatch(/^TRY\s0\.00$/);
      expect(await figure('Refunds').textContent()).toMatch(/^1 · TRY\s50\.00 · 0 points$/);
      expect(await figure('Sales after refunds').textContent()).toMatch(/^-TRY\s50\.00$/);
      // Nothing after today to step to.
      expect(await page.getByRole('button', { name: 'Next day' }).isDisabled()).toBe(true);

      await page.getByRole('button', { name: 'Previous day' }).click();
      await expect.poll(() => heading.textContent()).toBe('Day report · 1 Dec 2026');
      expect(await figure('Sales total').textContent()).toMatch(/^TRY\s300\.00$/);
      // No money went back that day: no second figure saying the same.
      expect(await figure('Sales after refunds').count()).toBe(0);
      expect(await figure('Refunds').textContent()).toBe('0');
      expect(await figure('Sales without a member').textContent()).toBe('1');
      expect(await figure('Points issued').textContent()).toBe('250');
      const csvDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Save CSV' }).click();
      expect((await csvDownload).suggestedFilename()).toBe('kasa-day-2026-12-01.csv');
      await shot(page, 'close-day-previous-day');

      await page.getByRole('button', { name: 'Next day' }).click();
      await expect.poll(() => heading.textContent()).toBe('Day report · 2 Dec 2026');
      expect(await page.getByRole('button', { name: 'Next day' }).isDisabled()).toBe(true);
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('leads to entries the server flagged on other days: a sale made while the clock was days ahead', async () => {
    // The PC's clock is set three days ahead (day and month mixed up, say): a sale is dated then,
    // and the server flags the clock. Once the clock is right, the status bar still counts the flag,
    // and today's report must lead to it: "Next day" stops at today.
    const server = await startTestServer('pglite');
    const ahead = new Date(Date.now() + 3 * 86_400_000).toISOString();
    let clock: string | null = null;
    const host = await startHost({
      dataDir: tempDir(),
      port: 0,
      staticDir: rendererDir,
      store: { locale: 'en-GB', timeZone: 'Europe/Istanbul' },
      sync: FAST_SYNC,
      now: () => clock ?? new Date().toISOString(),
      idleTimeoutSeconds: 30 * 86_400,
    });
    const page = await browser.newPage();
    try {
      await page.goto(host.url);
      await createFirstManager(page);
      await enrolTerminal(host.core, server.server);
      const member = host.core.dispatch('members.enroll', { phone: '+905321112266', name: 'Ayşe' }, cashier);
      const memberId = member.ok ? (member.value as { member: { memberId: string } }).member.memberId : '';
      await syncNow(host.core);
      clock = ahead;
      expect(host.core.dispatch('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 7_000 }], idempotencyKey: 'clock-ahead-1' }, cashier).ok).toBe(true);
      await syncNow(host.core);
      clock = null;
      await expect.poll(async () => (await callAsync(host.core, 'sync.status', {})).flaggedEntries, { timeout: 15_000 }).toBe(1);

      await page.getByRole('button', { name: 'Close day' }).click();
      const heading = page.getByRole('heading', { name: /^Day report ·/ });
      await heading.waitFor({ timeout: 30_000 });
      const today = await heading.textContent();
      expect(await page.getByRole('button', { name: 'Next day' }).isDisabled()).toBe(true);
      const elsewhere = page.getByRole('list', { name: 'Flagged by the server on other days' });
      const dayOfSale = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Europe/Istanbul' }).format(new Date(ahead));
      expect(await elsewhere.getByRole('button').allTextContents()).toEqual([`${dayOfSale}: 1 entry`]);
      await shot(page, 'close-day-flagged-other-day');
      // The day opens its report, with the flag and the sale.
      await elsewhere.getByRole('button', { name: `${dayOfSale}: 1 entry` }).click();
      await expect.poll(() => heading.textContent()).toBe(`Day report · ${dayOfSale}`);
      await page.getByText(/^Entry \d+ \(70 points\): this terminal's clock is wrong$/).waitFor();
      const figure = (label: string) => page.locator('.report-figures div', { has: page.getByText(label, { exact: true }) }).locator('dd');
      expect(await figure('Points issued').textContent()).toBe('70');
      // On its own day it is listed with the day's flags, not among other days'.
      expect(await page.getByRole('list', { name: 'Flagged by the server on other days' }).count()).toBe(0);
      expect(today).not.toBe(`Day report · ${dayOfSale}`);

      // In Turkish too.
      await page.getByRole('button', { name: 'Previous day' }).click();
      await page.getByLabel('Language').selectOption('tr');
      await page.getByRole('list', { name: 'Sunucunun başka günlerde işaretledikleri' }).waitFor();
    } finally {
      await page.close();
      await host.close();
      await server.close();
    }
  });
});
