// Chromium and the first-run wizard, for e2e tests (through chromium.ts) and for the scan-to-screen
// bench: no vitest and no __dirname here, so a plain ES module run can import it.
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

/**
 * First run on a new terminal, in English, through the first-run wizard: the store step keeps what
 * the terminal already has (names a store "Moda" if it has no name, a terminal "Till 1"), creates the first manager (signed in),
 * chooses standalone mode without a programme file, leaves devices as they are, and opens the counter.
 * Steps a config file gave are skipped by the wizard and so here.
 */
export async function createFirstManager(page: Page, name = 'Meral', pin = '2580', files: { programmeFile?: string; catalogueFile?: string } = {}): Promise<void> {
  const storeStep = page.getByRole('heading', { name: 'Store and terminal' });
  const managerStep = page.getByRole('heading', { name: 'Create the first manager' });
  await storeStep.or(managerStep).waitFor();
  if (await storeStep.isVisible()) {
    // The wizard offers no store name of its own: one the host was not given is typed here.
    const storeName = page.getByLabel('Store name');
    if ((await storeName.isVisible()) && (await storeName.inputValue()) === '') await storeName.fill('Moda');
    const terminalName = page.getByLabel('Terminal name');
    if (await terminalName.isVisible()) await terminalName.fill('Till 1');
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await managerStep.waitFor();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Create and sign in' }).click();
  await finishFirstRun(page, files);
}

/** The wizard's steps after the first manager, with their defaults, until the counter opens. */
export async function finishFirstRun(page: Page, options: { programmeFile?: string; catalogueFile?: string } = {}): Promise<void> {
  const connect = page.getByRole('heading', { name: 'Where the programme comes from' });
  const devices = page.getByRole('heading', { name: 'Devices at this counter' });
  const done = page.getByRole('heading', { name: 'Ready to sell' });
  const counter = page.getByLabel('Phone number', { exact: true });
  for (let step = 0; step < 4; step++) {
    await connect.or(devices).or(done).or(counter).first().waitFor();
    if (await counter.isVisible()) return;
    if (await connect.isVisible()) {
      await page.getByLabel('Standalone (no server)').check();
      if (options.programmeFile) await page.getByLabel('Programme file').setInputFiles(options.programmeFile);
      if (options.catalogueFile) await page.getByLabel('Product catalogue file').setInputFiles(options.catalogueFile);
      await page.getByRole('button', { name: 'Continue' }).click();
      await connect.waitFor({ state: 'detached' });
    } else if (await devices.isVisible()) {
      await page.getByRole('button', { name: 'Continue' }).click();
      await devices.waitFor({ state: 'detached' });
    } else {
      await page.getByRole('button', { name: 'Start selling' }).click();
      await done.waitFor({ state: 'detached' });
    }
  }
  await counter.waitFor();
}
