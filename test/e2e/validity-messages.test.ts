// A form field's native check said in the terminal's language, in Chromium through the browser
// host: a Turkish store's first-run wizard on an English browser says an empty required field, a
// number above its maximum (in Turkish digits) and a hex id's own hint in Turkish, not in Chromium's
// English; and a message code made stale (a path no longer required) does not block the next save.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
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

const validationMessage = (field: Locator) => field.evaluate((el) => (el as HTMLInputElement).validationMessage);

describe('validity messages in the terminal’s language', () => {
  it('says what a Turkish store’s wizard fields need in Turkish, on an English browser', async () => {
    const host = await startHost({ dataDir: tempDir('kasa-validity-'), port: 0, staticDir: rendererDir, store: { locale: 'tr-TR' } });
    const page = await browser.newPage({ locale: 'en-US' });
    try {
      await page.goto(host.url);
      await page.getByRole('heading', { name: 'Mağaza ve terminal' }).waitFor();
      // Chromium's own words would be "Please fill out this field." (the browser's English).
      const storeName = page.getByLabel('Mağaza adı');
      await page.getByRole('button', { name: 'Devam', exact: true }).click();
      expect(await validationMessage(storeName)).toBe('Bu alanı doldurun.');
      await shot(page, 'validity-01-store-name-tr');
      // Typing re-checks the field: no stale message keeps it invalid.
      await storeName.fill('Moda Market');
      expect(await validationMessage(storeName)).toBe('');
      await page.getByLabel('Terminal adı').fill('Kasa 4');
      await page.getByRole('button', { name: 'Devam', exact: true }).click();

      await page.getByRole('heading', { name: 'İlk yöneticiyi oluşturun' }).waitFor();
      await page.getByLabel('Ad', { exact: true }).fill('Meral');
      await page.getByLabel('PIN', { exact: true }).fill('2580');
      await page.getByRole('button', { name: 'Oluştur ve giriş yap' }).click();

      // The enrolment form: the address starts as https://, the one-time code is required.
      await page.getByRole('heading', { name: 'Program nereden gelir' }).waitFor();
      await page.getByRole('button', { name: 'Bağlan', exact: true }).click();
      expect(await validationMessage(page.getByLabel('Kayıt kodu'))).toBe('Bu alanı doldurun.');
      await page.getByLabel('Bağımsız (sunucusuz)').check();
      // The file fields in the store's language too, not Chromium's "Choose File" / "No file chosen".
      const programmeField = page.locator('label.file-picker', { hasText: 'Program dosyası' });
      expect(await programmeField.textContent()).toBe('Program dosyasıDosya seç…Dosya seçilmedi');
      await page.getByRole('button', { name: 'Devam', exact: true }).click();

      // A new scanner: its name, then its port, then its silence above the maximum, in Turkish digits.
      await page.getByRole('heading', { name: 'Bu kasadaki cihazlar' }).waitFor();
      await page.getByRole('button', { name: 'Cihaz ekle' }).click();
      const form = page.getByRole('form', { name: 'Cihaz ekle' });
      await form.getByRole('button', { name: 'Kaydet' }).click();
      expect(await validationMessage(form.getByLabel('Ad', { exact: true }))).toBe('Bu alanı doldurun.');
      await form.getByLabel('Ad', { exact: true }).fill('Tezgâh okuyucu');
      await form.getByRole('button', { name: 'Kaydet' }).click();
      const devicePath = form.getByLabel('Port ya da cihaz yolu');
      expect(await validationMessage(devicePath)).toBe('Bu alanı doldurun.');
      await devicePath.fill('/dev/ttyACM0');
      const silence = form.getByLabel('Taramayı bitiren sessizlik (ms)');
      await silence.fill('6000');
      await form.getByRole('button', { name: 'Kaydet' }).click();
      expect(await validationMessage(silence)).toBe('Değer en fazla 5.000 olmalı.');
      await shot(page, 'validity-02-device-silence-tr');

      // A USB reader: the path is no longer required even though its message was set, and a wrong
      // vendor id is told the field's own hint.
      await devicePath.fill('');
      await form.getByRole('button', { name: 'Kaydet' }).click();
      expect(await validationMessage(devicePath)).toBe('Bu alanı doldurun.');
      await form.getByLabel('Bağlantı').selectOption({ label: 'USB HID' });
      await form.getByLabel('Üretici kimliği (hex)').fill('XYZ');
      await form.getByRole('button', { name: 'Kaydet' }).click();
      expect(await validationMessage(devicePath)).toBe('');
      expect(await validationMessage(form.getByLabel('Üretici kimliği (hex)'))).toBe('1 ila 4 onaltılık basamak girin (0–9, A–F), örneğin 0C2E.');
      await shot(page, 'validity-03-vendor-id-tr');
    } finally {
      await page.close();
      await host.close();
    }
  });
});
