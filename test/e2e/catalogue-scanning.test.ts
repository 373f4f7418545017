// The product catalogue at the counter in Chromium through the browser host: a product barcode scanned
// on a serial scanner (a real socat pty pair) adds a line with its name, SKU and price to the sale; an
// unknown one says so and adds nothing; the device test panel's "Test beep" reaches the scanner.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../src-main/host/host-server';
import { call, tempDir } from '../core/helpers';
import { managerCaller } from '../devices-core/core-events';
import { SocatPair, waitUntil } from '../devices-core/socat-pair';
import { chromiumForFile, createFirstManager, rendererDir } from './chromium';

const { browser, cleanups } = chromiumForFile();

const CARD = 'LOY-000777888';
const catalogue = {
  format: 1,
  version: 'shop-1',
  currency: 'TRY',
  products: [
    { sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', unitPriceMinor: 8950, barcodes: ['4006381333931'] },
    { sku: 'SODA-330', name: 'Soda 330 ml', category: 'drinks', unitPriceMinor: 1500, barcodes: ['036000291452'] },
  ],
};

async function counter(feedbackCommands?: { good: string; error: string }): Promise<{ host: RunningHost; page: Page; pair: SocatPair }> {
  const host = await startHost({ dataDir: tempDir('kasa-catalogue-e2e-'), port: 0, staticDir: rendererDir, store: { locale: 'en-GB' }, devices: { backoff: { initialMs: 30, maxMs: 200 } } });
  cleanups.push(async () => {
    await host.close();
    await host.core.devices.close();
  });
  const pair = await SocatPair.start(tempDir('kasa-catalogue-pty-'));
  cleanups.push(() => pair.stop());
  call(host.core, 'catalogue.install', { catalogue }, managerCaller);
  const { member } = call(host.core, 'members.enroll', { phone: '0532 765 43 21', name: 'Deniz Kaya' });
  call(host.core, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: CARD });
  const config = { transport: 'serial' as const, path: pair.scannerPath, ...(feedbackCommands ? { feedbackCommands } : {}) };
  expect(host.core.dispatch('devices.configure', { deviceId: 'front', name: 'Front scanner', config }, managerCaller).ok).toBe(true);
  await waitUntil(() => host.core.devices.list({}).devices.some((d) => d.status.state === 'connected'), 'the scanner to connect');
  const page = await browser().newPage();
  cleanups.push(() => page.close());
  await page.goto(host.url);
  await createFirstManager(page);
  await page.getByLabel('Phone number', { exact: true }).waitFor();
  return { host, page, pair };
}

describe('product scans at the counter in Chromium', () => {
  it('a scanned product adds its line (name, SKU, price) to the sale and the earn preview; an unknown one adds nothing', async () => {
    const { host, page, pair } = await counter();
    pair.write(`${CARD}\r`);
    await page.getByRole('heading', { name: 'Deniz Kaya' }).waitFor();

    await pair.writeInChunks(']E04006381333931\r', [3, 1, 5]);
    const lines = page.getByRole('list', { name: 'Lines' });
    await expect.poll(() => lines.locator('li').count()).toBe(1);
    const line = await lines.locator('li').first().textContent();
    expect(line).toContain('Black tea 500 g');
    expect(line).toContain('TEA-1');
    expect(line).toContain('89.50');
    await expect.poll(() => page.getByRole('status', { name: 'Scan' }).textContent()).toContain('Added to the sale: Black tea 500 g');
    // The preview priced it: the points of the line appear beside it.
    await expect.poll(() => lines.locator('li').first().locator('.pts').textContent()).toMatch(/^\+\d+/);

    // The UPC-A sent in EAN-13 form is the soda: a second line.
    pair.write('0036000291452\r');
    await expect.poll(() => lines.locator('li').count()).toBe(2);
    expect(await lines.locator('li').nth(1).textContent()).toContain('Soda 330 ml');

    pair.write('9780201379624\r');
    await expect.poll(() => page.getByRole('status', { name: 'Scan' }).textContent()).toContain('Unknown product 9780201379624');
    expect(await lines.locator('li').count()).toBe(2);
    // The cashier sees it without scrolling, at the top of a 1,024 x 768 counter with a member open.
    await page.setViewportSize({ width: 1024, height: 768 });
    const notice = (await page.getByRole('status', { name: 'Scan' }).boundingBox())!;
    expect(notice.y).toBeGreaterThanOrEqual(0);
    expect(notice.y + notice.height).toBeLessThanOrEqual((await page.getByRole('heading', { name: 'Deniz Kaya' }).boundingBox())!.y);

    // The sale completes with the scanned lines, their SKUs recorded.
    await page.getByRole('button', { name: 'Complete sale' }).click();
    await page.getByRole('heading', { name: 'Receipt' }).waitFor();
    expect(await page.getByText(/Black tea 500 g · 1 ×/).count()).toBe(1);
    const sale = host.core.context.db.prepare('SELECT receipt FROM sales').get() as { receipt: string };
    expect((JSON.parse(sale.receipt) as { lines: { sku?: string }[] }).lines.map((l) => l.sku)).toEqual(['TEA-1', 'SODA-330']);
  });

  it('a product scanned before any member starts a sale without a member', async () => {
    const { page, pair } = await counter();
    pair.write('4006381333931\r');
    const lines = page.getByRole('list', { name: 'Lines' });
    await expect.poll(() => lines.locator('li').count()).toBe(1);
    expect(await lines.locator('li').first().textContent()).toContain('Black tea 500 g');
  });

  it('the first-run wizard imports a product catalogue file on a standalone terminal, and a keyboard-wedge product scan adds the line', { retry: 2 }, async () => {
    const host = await startHost({ dataDir: tempDir('kasa-catalogue-wizard-'), port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });
    cleanups.push(() => host.close());
    const file = path.join(tempDir('kasa-catalogue-file-'), 'catalogue.json');
    fs.writeFileSync(file, JSON.stringify(catalogue));
    const page = await browser().newPage();
    cleanups.push(() => page.close());
    await page.goto(host.url);
    await createFirstManager(page, 'Meral', '2580', { catalogueFile: file });
    expect(call(host.core, 'catalogue.lookup', { sku: 'TEA-1' }).catalogue).toMatchObject({ version: 'shop-1', source: 'local', products: 2 });

    // A wedge scanner types the barcode fast and ends it with Enter (timing: a stalled run is tried again).
    await page.keyboard.type('4006381333931', { delay: 5 });
    await page.keyboard.press('Enter');
    const lines = page.getByRole('list', { name: 'Lines' });
    await expect.poll(() => lines.locator('li').count()).toBe(1);
    expect(await lines.locator('li').first().textContent()).toContain('Black tea 500 g');
  });

  it("the device test panel's Test beep sends the scanner's command bytes, and says so when there are none", async () => {
    const { host, page, pair } = await counter({ good: '16 07 0D', error: '16 45 0D' });
    await page.getByRole('button', { name: 'Devices' }).click();
    const device = page.getByRole('listitem', { name: 'Front scanner' });
    await expect.poll(() => device.getByLabel('Status').textContent()).toMatch(/^connected/);
    await device.getByRole('button', { name: 'Test beep' }).click();
    expect([...(await pair.readWritten(3))]).toEqual([0x16, 0x07, 0x0d]);
    await expect.poll(() => device.getByRole('status').textContent()).toContain('Beep sent');
    await device.getByRole('button', { name: 'Test error beep' }).click();
    expect([...(await pair.readWritten(3))]).toEqual([0x16, 0x45, 0x0d]);

    // Editing the device keeps its beep commands; "Beep after each scan" turns feedback on for scans.
    await device.getByRole('button', { name: 'Change' }).click();
    const form = page.getByRole('form', { name: 'Change Front scanner' });
    expect(await form.getByLabel(/^Beep command/).inputValue()).toBe('16 07 0D');
    await form.getByLabel(/^Beep after each scan/).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => host.core.devices.list({}).devices[0]?.config).toMatchObject({ feedbackCommands: { good: '16 07 0D', error: '16 45 0D' }, feedbackOnScan: true });
    await waitUntil(() => host.core.devices.list({}).devices[0]?.status.state === 'connected', 'the scanner to reopen');
    pair.write('4006381333931\r');
    expect([...(await pair.readWritten(3))]).toEqual([0x16, 0x07, 0x0d]);

    const plain = await counter();
    await plain.page.getByRole('button', { name: 'Devices' }).click();
    const other = plain.page.getByRole('listitem', { name: 'Front scanner' });
    await expect.poll(() => other.getByLabel('Status').textContent()).toMatch(/^connected/);
    await other.getByRole('button', { name: 'Test beep' }).click();
    // Why, naming the scanner; the core's English (naming the setting) beneath as the detail.
    await expect.poll(() => other.getByRole('status').textContent()).toContain('No beep. No beep command is set for Front scanner: enter its command bytes from the scanner manual under Change.');
    await plain.page.getByLabel('Language').selectOption('tr');
    await other.getByRole('button', { name: 'Bip sesini dene' }).click();
    await expect
      .poll(() => other.getByRole('status').textContent())
      .toBe('Bip sesi çalmadı. Front scanner için bir bip komutu ayarlanmamış: okuyucunun kılavuzundaki komut baytlarını Değiştir bölümünden girin.');
  });
});
