// The Catalogue page in Chromium, in Turkish, against the server as its own process (PGlite): the owner
// uploads a catalogue file with a wrong barcode check digit and reads the problem in Turkish where it
// is, uploads the fixed file, reads what it changes against the current catalogue, installs it after
// confirming, and the page lists it as the current version; a taken version, pasted, is said before
// installing.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminAccount } from '../../src-server/admin-accounts';
import { createStore } from '../../src-server/admin';
import { installCatalogue } from '../../src-server/catalogue';
import { DEFAULT_CONSOLE_DIR } from '../../src-server/console/console-static';
import { openDatabase } from '../../src-server/start-server';
import { freshDatabase } from '../server/databases';
import { spawnServer, type ServerProcess } from '../server/server-process';
import { launchChromium, pageWatchingCsp, shot } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;
const OWNER = { name: 'meral', password: 'a long console password' };
const TEA = { sku: 'TEA-1', name: 'Black tea 500 g', category: 'grocery', unitPriceMinor: 8950, barcodes: ['4006381333931'] };
const SODA = { sku: 'SODA-330', name: 'Soda 330 ml', category: 'drinks', unitPriceMinor: 1500, barcodes: ['036000291452'] };
const catalogue = (version: string, products: unknown[]) => ({ format: 1, version, currency: 'TRY', name: 'Kadıköy rafı', products });
const file = (name: string, document: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(document, null, 2)) });

describe('the catalogue console in Chromium', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    expect(fs.existsSync(path.join(DEFAULT_CONSOLE_DIR, 'index.html')), 'run npm run build:console first').toBe(true);
    const { choice } = await freshDatabase('pglite');
    const db = await openDatabase(choice);
    await createStore(db, 'setup', 'Kadıköy', 'kadikoy');
    await createAdminAccount(db, 'setup', OWNER.name, OWNER.password);
    await installCatalogue(db, 'setup', catalogue('c1', [TEA, SODA]));
    await db.close();
    server = await spawnServer(choice);
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  it('says a problem in Turkish, shows what the fixed file changes, installs it after confirming, and lists it as current', async () => {
    const { page, cspViolations } = await pageWatchingCsp(browser);
    try {
      await page.goto(`${server.url}/console/`);
      await page.getByLabel('Language', { exact: true }).selectOption({ label: 'Türkçe' });
      await page.getByLabel('Ad', { exact: true }).fill(OWNER.name);
      await page.getByLabel('Parola').fill(OWNER.password);
      await page.getByRole('button', { name: 'Giriş yap' }).click();
      await page.getByText('Oturum açan:').waitFor();
      await page.getByRole('button', { name: 'Katalog', exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { name: /Geçerli katalog/ }).textContent(), { timeout: 15_000 }).toBe('Geçerli katalog: c1');
      expect(await page.getByTestId('current-catalogue').textContent()).toContain('Kadıköy rafı, TRY, 2 ürün');
      expect(await page.locator('tr[data-version="c1"]').textContent()).toContain('setup');

      // A new price for the tea and a new product whose barcode has a wrong check digit.
      const fileInput = page.getByLabel('Katalog dosyası (JSON)');
      // The file field in the console's language, not Chromium's "Choose File" / "No file chosen".
      const fileField = page.locator('label.file-picker');
      expect(await fileField.textContent()).toBe('Katalog dosyası (JSON)Dosya seç…Dosya seçilmedi');
      const bag = { sku: 'BAG', name: 'Bez çanta', category: 'other', unitPriceMinor: 250, barcodes: ['96385075'] };
      await fileInput.setInputFiles(file('katalog-c2.json', catalogue('c2', [{ ...TEA, unitPriceMinor: 9450 }, SODA, bag])));
      const validation = page.getByRole('status', { name: 'Denetim sonucu' });
      await expect.poll(() => validation.locator('ul.problems li').allTextContents(), { timeout: 15_000 }).toEqual(['Ürün 3 › Barkod 1 96385075 barkodunun kontrol basamağı yanlış: 5 değil, 4 olmalı']);
      expect(await validation.textContent()).toContain('Kurmadan önce düzeltilecek 1 sorun:');
      expect(await page.getByText('Denetlenen dosya: katalog-c2.json').count()).toBe(1);
      expect(await fileField.textContent()).toBe('Katalog dosyası (JSON)Dosya seç…katalog-c2.json');
      expect(await page.getByRole('button', { name: /sürümünü kur$/ }).count()).toBe(0);
      await shot(page, 'console-catalogue-problem-tr');

      // The fixed file: valid, and what it changes against c1.
      await fileInput.setInputFiles(file('katalog-c2.json', catalogue('c2', [{ ...TEA, unitPriceMinor: 9450 }, SODA, { ...bag, barcodes: ['96385074'] }])));
      await expect.poll(() => validation.textContent(), { timeout: 15_000 }).toBe('c2 kataloğu geçerli: 3 ürün.');
      const changes = page.getByRole('region', { name: 'Neler değişiyor' });
      expect(await changes.locator('p').first().textContent()).toBe('Geçerli katalog c1 (2 ürün) ile karşılaştırıldı: 1 ürün değişmedi.');
      expect(await changes.locator('[data-change="added"]').textContent()).toContain('BAG Bez çanta: ₺2,50, other');
      expect(await changes.locator('[data-change="priceChanged"] li').allTextContents()).toEqual(['TEA-1 Black tea 500 g: ₺89,50 → ₺94,50']);
      await shot(page, 'console-catalogue-changes-tr');

      await page.getByRole('button', { name: 'c2 sürümünü kur' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Kataloğu kur' });
      expect(await confirm.textContent()).toContain('3 ürünlü c2 kataloğu kurulsun mu? c1 kataloğunun yerini alır');
      await confirm.getByRole('button', { name: 'Evet, kur' }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'c2 kataloğu kuruldu (3 ürün).' }).count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => page.getByRole('heading', { name: /Geçerli katalog/ }).textContent(), { timeout: 15_000 }).toBe('Geçerli katalog: c2');
      const rows = page.getByRole('region', { name: 'Kurulu sürümler' }).locator('tbody tr');
      expect(await rows.first().getAttribute('data-version')).toBe('c2');
      expect(await rows.first().textContent()).toContain('geçerli');
      expect(await rows.first().textContent()).toContain(OWNER.name);
      expect(await rows.nth(1).textContent()).toContain('yerini verdi');
      await shot(page, 'console-catalogue-installed-tr');

      // c1 again with other content, pasted: said before installing, and the install button stays off.
      await page.getByLabel('ya da JSON’unu yapıştırın').fill(JSON.stringify(catalogue('c1', [SODA])));
      await page.getByRole('button', { name: 'Denetle' }).click();
      await expect.poll(() => validation.textContent(), { timeout: 15_000 }).toBe('c1 sürümü farklı içerikle zaten kurulu: sürümler hiç değişmez, bu yüzden buna yeni bir sürüm verin.');
      expect(await page.getByRole('button', { name: 'c1 sürümünü kur' }).isDisabled()).toBe(true);
      expect(cspViolations).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
