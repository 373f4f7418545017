import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from './browser';

// Playwright steps a bench can share (it runs outside vitest, as an ES module).
export { createFirstManager, finishFirstRun, launchChromium } from './browser';

export const rendererDir = path.resolve(__dirname, '../../dist/renderer');

/**
 * One Chromium for a test file (called at its top level), and cleanups that run after each test,
 * last added first: pages, hosts, socat pairs.
 */
export function chromiumForFile(): { browser: () => Browser; cleanups: (() => Promise<void>)[] } {
  let browser: Browser | null = null;
  let close: (() => Promise<void>) | null = null;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    expect(fs.existsSync(path.join(rendererDir, 'index.html')), 'run npm run build:renderer first').toBe(true);
    ({ browser, close } = await launchChromium());
  });
  afterAll(() => close?.());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    browser: () => {
      if (!browser) throw new Error('Chromium is not running yet: call browser() inside a test');
      return browser;
    },
    cleanups,
  };
}

/** Whether the element has the keyboard focus (what a cashier's next keystroke or scan types into). */
export const hasFocus = (locator: Locator): Promise<boolean> => locator.evaluate((element) => element === document.activeElement);

/** A full-page screenshot named `name` in $KASA_SCREENSHOTS, when it is set (to look at the UI a test walks through). */
export async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.KASA_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** A new page that collects the Content Security Policy violations Chromium reports on it. */
export async function pageWatchingCsp(browser: Browser): Promise<{ page: Page; cspViolations: string[] }> {
  const page = await browser.newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return { page, cspViolations };
}

/** Opens the programme console on `page` and signs in with an admin account. */
export async function signInToConsole(page: Page, serverUrl: string, owner: { name: string; password: string }): Promise<void> {
  await page.goto(`${serverUrl.replace(/\/+$/, '')}/console/`);
  await page.getByLabel('Name', { exact: true }).fill(owner.name);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
