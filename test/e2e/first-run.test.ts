// The first-run wizard in Chromium through the browser host: from an empty data folder to a sale
// (with a restart mid-wizard), Save diagnostics and re-running the wizard from Settings; and a
// terminal pre-seeded by the installer's config file, whose seeded steps are skipped.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../src-main/host/host-server';
import { tempDir } from '../core/helpers';
import { runHost } from '../host/host-process';
import { createEnrolCode } from '../../src-server/admin';
import { startTestServer } from '../server/server-harness';
import { finishFirstRun, hasFocus, launchChromium, rendererDir } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  expect(fs.existsSync(path.join(rendererDir, 'index.html')), 'run npm run build:renderer first').toBe(true);
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser?.());

// Three points per lira: a sale shows whether the wizard's programme file was installed.
const programme = { schema: 2, version: 'first-run-e2e-1', name: 'Triple Club', currency: 'EUR', earning: { pointsPerUnit: 3 }, redemption: { minorPerPoint: 1 } };

const startTerminal = (dataDir: string) => startHost({ dataDir, port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });

async function sell(page: Page, phone: string, amount: string): Promise<string | null> {
  await page.getByLabel('Phone number', { exact: true }).fill(phone);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('button', { name: /^Enrol / }).click();
  await page.getByRole('button', { name: 'Groceries' }).click();
  await page.getByLabel('Amount', { exact: true }).fill(amount);
  await page.getByRole('button', { name: 'Add line' }).click();
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await page.getByLabel('Points earned').waitFor();
  return page.getByLabel('Points earned').textContent();
}

describe('first-run wizard in Chromium', () => {
  it('completes a first run from an empty data folder, resumes after a restart, and the counter sells', async () => {
    const dataDir = tempDir('kasa-first-run-');
    let host: RunningHost = await startTerminal(dataDir);
    const page = await browser.newPage();
    const programmeFile = path.join(tempDir('kasa-programme-'), 'programme.json');
    fs.writeFileSync(programmeFile, JSON.stringify(programme));
    try {
      await page.goto(host.url);
      await page.getByRole('heading', { name: 'Store and terminal' }).waitFor();
      await expect.poll(() => page.getByRole('list', { name: 'Set-up steps' }).locator('[aria-current="step"]').textContent()).toBe('Store');
      expect(await page.getByLabel('Store name').inputValue()).toBe('');
      // The first field has the keyboard.
      await expect.poll(() => hasFocus(page.getByLabel('Store name'))).toBe(true);
      await page.getByLabel('Store name').fill('Moda Market');
      await page.getByLabel('Terminal name').fill('Till 4');
      await page.getByLabel('Country (ISO code, e.g. TR)').fill('de');
      await page.getByLabel('Currency (ISO code, e.g. TRY)').fill('eur');
      // Germany's time zones, Berlin first: the store's day starts and ends there, not in Istanbul.
      const zone = page.getByLabel("Time zone (when the store's day starts and ends)");
      await expect.poll(() => zone.inputValue()).toBe('Europe/Berlin');
      expect(await zone.locator('option').allTextContents()).toEqual(['Europe/Berlin', 'Europe/Busingen']);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Create the first manager' }).waitFor();
      expect(host.core.dispatch('terminal.status', {}, { role: 'public', userId: null })).toMatchObject({ ok: true, value: { locale: 'de-DE', timeZone: 'Europe/Berlin' } });

      // The power goes mid-wizard: it comes back at the same step, with what was entered.
      await host.close();
      host = await startTerminal(dataDir);
      await page.goto(host.url);
      await page.getByRole('heading', { name: 'Create the first manager' }).waitFor();
      await page.getByLabel('Name', { exact: true }).fill('Meral');
      await page.getByLabel('PIN', { exact: true }).fill('2580');
      await page.getByRole('button', { name: 'Create and sign in' }).click();

      // A wrong programme file is refused with a clear message and the step stays.
      await page.getByRole('heading', { name: 'Where the programme comes from' }).waitFor();
      await page.getByLabel('Standalone (no server)').check();
      const badFile = path.join(tempDir('kasa-programme-'), 'bad.json');
      fs.writeFileSync(badFile, '{"schema": 2, "version": ');
      await page.getByLabel('Programme file').setInputFiles(badFile);
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/JSON|rule set/i);
      await page.getByRole('heading', { name: 'Where the programme comes from' }).waitFor();
      await finishFirstRun(page, { programmeFile });

      expect(await page.getByRole('status', { name: 'Terminal status' }).textContent()).toContain('Moda Market');
      // 12.00 EUR at three points per euro: the programme file from the wizard is the active one.
      expect(await sell(page, '+49 151 23456789', '12.00')).toBe('36');
      const status = host.core.dispatch('setup.status', {}, { role: 'public', userId: null });
      expect(status).toMatchObject({ ok: true, value: { complete: true, mode: 'standalone', values: { terminalName: 'Till 4', country: 'DE', currency: 'EUR', timeZone: 'Europe/Berlin' } } });

      // Settings: Save diagnostics downloads one file with its sections, without the PIN.
      await page.getByRole('button', { name: 'Next customer' }).click();
      await page.getByRole('button', { name: 'Settings' }).click();
      // Its choices are whole sentences: the select stays inside the panel.
      const settingsBox = await page.getByRole('region', { name: 'Settings' }).boundingBox();
      const choiceBox = await page.getByLabel('Spending points needs').boundingBox();
      expect(choiceBox!.x + choiceBox!.width).toBeLessThanOrEqual(settingsBox!.x + settingsBox!.width);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save diagnostics' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^kasa-diagnostics-.*\.json$/);
      const saved = await download.path();
      const bundle = JSON.parse(fs.readFileSync(saved, 'utf8')) as Record<string, unknown>;
      expect(Object.keys(bundle)).toEqual(expect.arrayContaining(['versions', 'devices', 'sync', 'database', 'logs']));
      expect(fs.readFileSync(saved, 'utf8')).not.toContain('2580');
      await page.getByText(`Saved ${download.suggestedFilename()}`).waitFor();

      // A manager runs the wizard again: every step is asked again, the manager and sales stay.
      await page.getByRole('button', { name: 'Run set-up again' }).click();
      await page.getByRole('heading', { name: 'Store and terminal' }).waitFor();
      expect(await page.getByLabel('Store name').inputValue()).toBe('Moda Market');
      await page.getByRole('button', { name: 'Continue' }).click();
      await finishFirstRun(page);
      await page.getByLabel('Phone number', { exact: true }).waitFor();
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('skips what the config file gives', async () => {
    const dataDir = tempDir('kasa-first-run-');
    const configFile = path.join(dataDir, 'terminal.json');
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        store: { storeName: 'Kadıköy Çarşı', country: 'TR', currency: 'TRY', locale: 'en-GB' },
        terminal: { name: 'Till 7' },
        devices: [{ name: 'Counter scanner', config: { transport: 'serial', path: path.join(dataDir, 'no-such-tty') } }],
      }),
    );
    const host = await runHost(['--data-dir', dataDir, '--static-dir', rendererDir, '--config', configFile], 'config');
    const url = (JSON.parse(host.lines.find((l) => l.includes('"event":"listening"')) ?? '{}') as { url?: string }).url;
    expect(url, host.stderr).toMatch(/^http:/);
    const page = await browser.newPage();
    try {
      await page.goto(url ?? '');
      // Store and devices came from the file: the wizard opens at the first manager.
      await page.getByRole('heading', { name: 'Create the first manager' }).waitFor();
      const steps = page.getByRole('list', { name: 'Set-up steps' });
      expect(await steps.textContent()).toContain('Store (from the config file)');
      expect(await steps.textContent()).toContain('Scanners and readers (from the config file)');
      expect(await page.getByRole('heading', { name: 'Store and terminal' }).count()).toBe(0);
      await page.getByLabel('Name', { exact: true }).fill('Meral');
      await page.getByLabel('PIN', { exact: true }).fill('2580');
      await page.getByRole('button', { name: 'Create and sign in' }).click();
      await page.getByRole('heading', { name: 'Where the programme comes from' }).waitFor();
      await page.getByLabel('Standalone (no server)').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      // No devices step: straight to done.
      await page.getByRole('heading', { name: 'Ready to sell' }).waitFor();
      expect(await page.getByText('Till 7').count()).toBe(1);
      // Enter starts selling.
      await expect.poll(() => hasFocus(page.getByRole('button', { name: 'Start selling' }))).toBe(true);
      await page.keyboard.press('Enter');
      expect(await sell(page, '0532 123 45 67', '20.00')).toBe('20');
      expect(await page.getByRole('status', { name: 'Terminal status' }).textContent()).toContain('Kadıköy Çarşı');
    } finally {
      await page.close();
      host.stop();
    }
  });

  it("connects to the chain's server from the wizard with a one-time code, under the wizard's terminal name", async () => {
    const server = await startTestServer('pglite');
    const host = await startTerminal(tempDir('kasa-first-run-'));
    const page = await browser.newPage();
    try {
      await page.goto(host.url);
      await page.getByRole('heading', { name: 'Store and terminal' }).waitFor();
      await page.getByLabel('Store name').fill('Kadıköy');
      await page.getByLabel('Terminal name').fill('Till 9');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Meral');
      await page.getByLabel('PIN', { exact: true }).fill('2580');
      await page.getByRole('button', { name: 'Create and sign in' }).click();
      await page.getByRole('heading', { name: 'Where the programme comes from' }).waitFor();
      await page.getByLabel('Server address').fill(server.server.url);
      // A wrong code: a clear refusal, and the step stays.
      await page.getByLabel('Enrolment code').fill('NOPE-NOPE-NOPE');
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByRole('alert').getByText('The server does not know this enrolment code: check it, or ask the programme owner for a new one.', { exact: true }).waitFor();
      expect(await page.getByRole('alert').locator('.error-detail').textContent()).toMatch(/Unknown enrolment code/);
      const { code } = await createEnrolCode(server.server.db, 'test', 'kadikoy');
      await page.getByLabel('Enrolment code').fill(code);
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByRole('heading', { name: 'Devices at this counter' }).waitFor();
      expect(host.core.sync.status()).toMatchObject({ enrolled: true, serverUrl: server.server.url });
      const [terminal] = await server.server.db.query<{ name: string | null }>('SELECT name FROM terminals WHERE terminal_id = $1', [host.core.terminalId]);
      expect(terminal?.name).toBe('Till 9');
      await finishFirstRun(page);
      expect(host.core.dispatch('setup.status', {}, { role: 'public', userId: null })).toMatchObject({ ok: true, value: { complete: true, mode: 'server' } });
    } finally {
      await page.close();
      await host.close();
      await server.close();
    }
  });
});
