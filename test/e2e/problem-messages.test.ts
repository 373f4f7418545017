// A refused programme or catalogue file said in the terminal's language, in Chromium through the
// browser host: a Turkish store's standalone wizard on an English browser names where each file is
// wrong and why in Turkish (a rule set's field by its path, a catalogue's product and barcode), with
// the core's English kept small beneath for support, and the step stays until the file is right.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../src-main/host/host-server';
import { tempDir } from '../core/helpers';
import { launchChromium, rendererDir, shot } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  expect(fs.existsSync(path.join(rendererDir, 'index.html')), 'run npm run build:renderer first').toBe(true);
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser?.());

function jsonFile(name: string, value: unknown): string {
  const file = path.join(tempDir('kasa-problem-file-'), name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('a refused file in the terminal’s language', () => {
  it('says a wrong programme field and a wrong barcode check digit in Turkish, on an English browser', async () => {
    const host = await startHost({ dataDir: tempDir('kasa-problems-'), port: 0, staticDir: rendererDir, store: { locale: 'tr-TR' } });
    const page = await browser.newPage({ locale: 'en-US' });
    try {
      await page.goto(host.url);
      await page.getByRole('heading', { name: 'Mağaza ve terminal' }).waitFor();
      await page.getByLabel('Mağaza adı').fill('Moda Market');
      await page.getByLabel('Terminal adı').fill('Kasa 4');
      await page.getByRole('button', { name: 'Devam', exact: true }).click();
      await page.getByRole('heading', { name: 'İlk yöneticiyi oluşturun' }).waitFor();
      await page.getByLabel('Ad', { exact: true }).fill('Meral');
      await page.getByLabel('PIN', { exact: true }).fill('2580');
      await page.getByRole('button', { name: 'Oluştur ve giriş yap' }).click();

      await page.getByRole('heading', { name: 'Program nereden gelir' }).waitFor();
      await page.getByLabel('Bağımsız (sunucusuz)').check();
      const alert = page.getByRole('alert');

      // A programme whose points per unit are below zero: the path, and why in Turkish.
      const programme = jsonFile('program.json', { schema: 2, version: 'v1', name: 'Moda', currency: 'TRY', earning: { pointsPerUnit: -1 }, redemption: { minorPerPoint: 1 } });
      await page.getByLabel('Program dosyası').setInputFiles(programme);
      await page.getByRole('button', { name: 'Devam', exact: true }).click();
      await expect.poll(() => alert.locator('span > span').first().textContent()).toBe('Dosya kabul edilmedi: earning.pointsPerUnit: en az 0 olmalı');
      // The core's English stays as the technical detail.
      expect(await alert.locator('.error-detail').textContent()).toMatch(/earning\.pointsPerUnit: must be at least 0/);
      await shot(page, 'problems-01-programme-tr');
      await page.getByRole('heading', { name: 'Program nereden gelir' }).waitFor();

      // A catalogue whose barcode has a wrong check digit: the product and the barcode by number.
      await page.getByLabel('Program dosyası').setInputFiles([]);
      const product = { sku: 'CAY', name: 'Çay', category: 'içecek', unitPriceMinor: 4500, barcodes: ['4006381333932'] };
      const catalogue = jsonFile('katalog.json', { format: 1, version: 'c1', currency: 'TRY', products: [product] });
      await page.getByLabel('Ürün kataloğu dosyası').setInputFiles(catalogue);
      await page.getByRole('button', { name: 'Devam', exact: true }).click();
      await expect
        .poll(() => alert.locator('span > span').first().textContent())
        .toBe('Dosya kabul edilmedi: Ürün 1 › Barkod 1: 4006381333932 barkodunun kontrol basamağı yanlış: 2 değil, 1 olmalı');
      expect(await alert.locator('.error-detail').textContent()).toMatch(/check digit/);
      await shot(page, 'problems-02-catalogue-tr');
      expect(await page.getByRole('heading', { name: 'Program nereden gelir' }).isVisible()).toBe(true);
    } finally {
      await page.close();
      await host.close();
    }
  });
});
