import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless: never a downloaded browser. playwright-core gives every launch a
 * fresh temporary profile (it refuses --user-data-dir on launch), which is what the tests need.
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  return { browser, close: () => browser.close() };
}

export const rendererDir = path.resolve(__dirname, '../../dist/renderer');

/** First run on a new terminal, in English: create the first manager and sign in. */
export async function createFirstManager(page: Page, name = 'Meral', pin = '2580'): Promise<void> {
  await page.getByRole('heading', { name: 'Create the first manager' }).waitFor();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Create and sign in' }).click();
}
