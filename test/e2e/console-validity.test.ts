// A form field's native check said in the console's language, in Chromium against a server on
// PGlite: an English browser switched to Türkçe reads an empty required field and a too short
// search in Turkish, not in Chromium's English; switched back to English, the next attempt says them
// in English.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, startConsoleServer } from '../server/console-harness';
import { launchChromium, shot } from './chromium';

const consoleDir = path.resolve(__dirname, '../../dist/console');

const validationMessage = (field: Locator) => field.evaluate((el) => (el as HTMLInputElement).validationMessage);

describe('validity messages in the console’s language', () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let ctx: Awaited<ReturnType<typeof startConsoleServer>>;

  beforeAll(async () => {
    expect(fs.existsSync(path.join(consoleDir, 'index.html')), 'run npm run build:console first').toBe(true);
    ({ browser, close: closeBrowser } = await launchChromium());
    ctx = await startConsoleServer('pglite', { consoleDir });
  });
  afterAll(async () => {
    await ctx?.close();
    await closeBrowser?.();
  });

  it('follows the language switch: Turkish sentences after Türkçe, English ones after English', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    try {
      await page.goto(`${ctx.server.url}/console/`);
      await page.getByRole('heading', { name: 'Kasa programme console' }).waitFor();
      await page.getByLabel('Language', { exact: true }).selectOption({ label: 'Türkçe' });
      await page.getByRole('heading', { name: 'Kasa program konsolu' }).waitFor();
      // Chromium's own words would be "Please fill out this field." (the browser's English).
      await page.getByRole('button', { name: 'Giriş yap' }).click();
      expect(await validationMessage(page.getByLabel('Ad', { exact: true }))).toBe('Bu alanı doldurun.');
      await shot(page, 'console-validity-sign-in-tr');

      // Back to English: the next attempt says it in English.
      await page.getByLabel('Dil', { exact: true }).selectOption({ label: 'English' });
      await page.getByRole('heading', { name: 'Kasa programme console' }).waitFor();
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await validationMessage(page.getByLabel('Name', { exact: true }))).toBe('Fill in this field.');

      // Signed in, in Turkish again: a one-letter member search is too short.
      await page.getByLabel('Language', { exact: true }).selectOption({ label: 'Türkçe' });
      await page.getByLabel('Ad', { exact: true }).fill(OWNER.name);
      await page.getByLabel('Parola').fill(OWNER.password);
      await page.getByRole('button', { name: 'Giriş yap' }).click();
      await page.getByText('Oturum açan:').waitFor();
      await page.getByRole('button', { name: 'Üyeler', exact: true }).click();
      const search = page.getByLabel('Telefon, kartın son dört hanesi, sadakat kartı ya da ad');
      await search.fill('G');
      await page.getByRole('button', { name: 'Ara', exact: true }).click();
      expect(await validationMessage(search)).toBe('En az 2 karakter kullanın (şu an 1).');
      await shot(page, 'console-validity-search-tr');

      await page.getByLabel('Dil', { exact: true }).selectOption({ label: 'English' });
      await page.getByRole('heading', { name: 'Members' }).waitFor();
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      expect(await validationMessage(page.getByLabel('Phone, card last four, loyalty card or name'))).toBe('Use at least 2 characters (now 1).');
    } finally {
      await page.close();
    }
  });
});
