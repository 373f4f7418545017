// The programme console in Chromium against the server as its own process (PGlite): the owner signs
// in, edits a promotion in the form, sees the validator's exact error for a bad value, previews a
// basket, installs the new version; a terminal core synced with that server then has the new
// promotion and a sale earns by it.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { createAdminAccount } from '../../src-server/admin-accounts';
import { createStore, installRuleSet } from '../../src-server/admin';
import { DEFAULT_CONSOLE_DIR } from '../../src-server/console/console-static';
import { openDatabase } from '../../src-server/start-server';
import { call, cashier, tempDir } from '../core/helpers';
import { freshDatabase } from '../server/databases';
import { spawnServer, type ServerProcess } from '../server/server-process';
import { http } from '../server/sim-terminal';
import { callAsync, openTerminal } from '../sync/sync-harness';
import { launchChromium, pageWatchingCsp, shot, signInToConsole } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;
const OWNER = { name: 'meral', password: 'a long console password' };
const bakeryDouble = {
  schema: 2,
  version: 'club-1',
  name: 'Kadıköy Club',
  currency: 'TRY',
  earning: { pointsPerUnit: 1 },
  stacking: 'stack',
  promotions: [{ id: 'bakery-boost', label: 'Bakery boost', effect: { type: 'multiplier', multiplier: 2 }, categories: ['Bakery'] }],
  redemption: { minorPerPoint: 1 },
};

function bakerySale(core: TerminalCore, phone: string) {
  const { member } = call(core, 'members.enroll', { phone });
  return call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Bakery', qty: 1, unitPriceMinor: 10_000 }], idempotencyKey: `sale-${phone.slice(1)}-${Date.now()}` } as never, cashier);
}

describe('the programme console in Chromium', () => {
  let server: ServerProcess;
  let core: TerminalCore;
  beforeAll(async () => {
    expect(fs.existsSync(path.join(DEFAULT_CONSOLE_DIR, 'index.html')), 'run npm run build:console first').toBe(true);
    const { choice } = await freshDatabase('pglite');
    // Set up the way an owner does before starting the server: a store, an admin, a first programme.
    const db = await openDatabase(choice);
    await createStore(db, 'setup', 'Kadıköy', 'kadikoy');
    await createAdminAccount(db, 'setup', OWNER.name, OWNER.password);
    await installRuleSet(db, 'setup', bakeryDouble);
    await db.close();
    server = await spawnServer(choice);
    ({ browser, close: closeBrowser } = await launchChromium());
    core = openTerminal(tempDir('kasa-console-e2e-'));
  });
  afterAll(async () => {
    core?.close();
    await closeBrowser?.();
    await server?.stop();
  });

  it('edits a promotion, refuses a bad value with the exact error, installs it, and a terminal earns by it', async () => {
    // The terminal is enrolled with a code the owner made through the admin API, and has club-1.
    const signIn = await http(server.url, 'POST', '/v1/admin/sign-in', OWNER);
    const code = await http(server.url, 'POST', '/v1/admin/enrol-codes', { storeId: 'kadikoy' }, signIn.body.token);
    expect(code.status).toBe(200);
    await callAsync(core, 'terminal.enrol', { serverUrl: server.url, code: code.body.code });
    await callAsync(core, 'sync.now', { timeoutSeconds: 60 }, cashier);
    expect(call(core, 'program.get', {}).version).toBe('club-1');
    expect(bakerySale(core, '+905321110001').pointsEarned).toBe(200);

    const { page, cspViolations } = await pageWatchingCsp(browser);
    try {
      await signInToConsole(page, server.url, { name: OWNER.name, password: 'not the password' });
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong name or password');
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText(`Signed in as`).waitFor();
      await page.getByRole('heading', { name: /Active rule set: Kadıköy Club/ }).waitFor();
      // The plain-language explanation of the active rule set.
      await expect.poll(() => page.getByLabel('Active rule set').textContent()).toContain('Bakery boost');
      await shot(page, 'console-programme');

      const promotion = page.getByRole('group', { name: 'Promotion 1' });
      const multiplier = promotion.getByLabel('Multiplier', { exact: true });
      await expect.poll(() => multiplier.inputValue()).toBe('2');
      // A bad value: the validator's exact words, and nothing can be installed.
      await multiplier.fill('0.5');
      const bad = validateRuleSet({ ...bakeryDouble, version: 'club-2', promotions: [{ ...bakeryDouble.promotions[0], effect: { type: 'multiplier', multiplier: 0.5 } }] });
      expect(bad.ok).toBe(false);
      const problem = bad.ok ? null : bad.problems[0];
      expect(problem?.path).toBe('promotions[0].effect.multiplier');
      // Named by the form's own label, in the validator's words.
      await expect.poll(() => page.getByRole('status', { name: 'Validation' }).textContent()).toContain(`Promotion 1 › Multiplier ${problem?.message}`);
      expect(await multiplier.getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByRole('button', { name: /^Install/ }).isDisabled()).toBe(true);
      await shot(page, 'console-programme-invalid');

      // A good value: valid, and the preview shows a bakery basket earning more than today.
      await multiplier.fill('3');
      await expect.poll(() => page.getByRole('status', { name: 'Validation' }).textContent()).toContain('The draft is a valid rule set.');
      const basket = page.getByRole('group', { name: 'Basket 1' });
      await basket.getByLabel('Category', { exact: true }).fill('Bakery');
      await basket.getByLabel('Unit price', { exact: true }).fill('100');
      await expect.poll(() => page.getByTestId('basket-0-active').textContent()).toBe('200 points');
      await expect.poll(() => page.getByTestId('basket-0-draft').textContent()).toBe('300 points');
      await expect.poll(() => page.getByTestId('basket-0-difference').textContent()).toBe('+100 points');
      // Discarding edited work asks first (it had dropped the draft at one click); keeping on
      // editing keeps every change.
      await page.getByRole('button', { name: 'Discard changes' }).click();
      const discard = page.getByRole('alertdialog', { name: 'Discard changes' });
      expect(await discard.textContent()).toContain('Discard your changes to version club-2?');
      await discard.getByRole('button', { name: 'Keep editing' }).click();
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      expect(await multiplier.inputValue()).toBe('3');

      // Installing asks first (one click changed every store's programme), saying what it does.
      await page.getByRole('button', { name: 'Install club-2' }).click();
      const confirmInstall = page.getByRole('alertdialog', { name: 'Install' });
      expect(await confirmInstall.textContent()).toContain('Install version club-2 now? Every terminal switches to it at its next sync.');
      expect(await page.locator('tr[data-version="club-2"]').count()).toBe(0);
      await confirmInstall.getByRole('button', { name: 'Yes, install' }).click();
      const installed = page.getByRole('status').filter({ hasText: 'Installed version club-2' });
      await expect.poll(() => installed.count()).toBe(1);
      // Said where the owner clicked, not at the top of the page out of sight (where it invited a second install).
      const viewport = page.viewportSize();
      await expect.poll(async () => {
        const box = await installed.boundingBox();
        return box !== null && viewport !== null && box.y >= 0 && box.y + box.height <= viewport.height;
      }).toBe(true);
      // The history says who installed it and what changed.
      const row = page.locator('tr[data-version="club-2"]');
      await expect.poll(() => row.textContent()).toContain('meral');
      expect(await row.textContent()).toContain('promotion bakery-boost changed');
      await expect.poll(() => page.getByRole('heading', { name: /Active rule set/ }).textContent()).toContain('club-2');
      await shot(page, 'console-programme-installed');

      // A rule set kept as a file opens in the JSON tab, checked as it is (the page took pasted JSON only).
      const file = path.join(tempDir('kasa-rule-file-'), 'club-9.json');
      fs.writeFileSync(file, JSON.stringify({ ...bakeryDouble, version: 'club-9', name: 'Kadıköy Club from a file' }, null, 2));
      await page.getByLabel('Rule-set file (JSON)').setInputFiles(file);
      await expect.poll(() => page.getByRole('tab', { name: 'JSON' }).getAttribute('aria-selected')).toBe('true');
      expect(await page.getByRole('textbox', { name: 'JSON' }).inputValue()).toContain('Kadıköy Club from a file');
      await expect.poll(() => page.getByRole('status', { name: 'Validation' }).textContent()).toContain('The draft is a valid rule set.');
      await page.getByRole('button', { name: 'Install club-9' }).waitFor();
      // A comma too many, typed by hand: said where it is and why, and the form waits for it.
      await page.getByRole('textbox', { name: 'JSON' }).fill('{\n  "version": "club-9",\n}');
      const jsonProblem = 'not valid JSON at line 3, column 1: a name in double quotes is expected here (or there is a comma too many before it)';
      await expect.poll(() => page.locator('.error').textContent()).toBe(jsonProblem);
      await page.getByRole('tab', { name: 'Form' }).click();
      await expect.poll(() => page.locator('.error').textContent()).toBe(`The JSON has a problem; fix it before switching to the form: ${jsonProblem}`);
      expect(await page.getByRole('tab', { name: 'JSON' }).getAttribute('aria-selected')).toBe('true');
      expect(cspViolations).toEqual([]);
    } finally {
      await page.close();
    }

    // The terminal syncs and earns by the new promotion.
    await callAsync(core, 'sync.now', { timeoutSeconds: 60 }, cashier);
    expect(call(core, 'program.get', {}).version).toBe('club-2');
    const sale = bakerySale(core, '+905321110002');
    expect(sale.pointsEarned).toBe(300);
  });

  it('shows the terminal with its queue depth, makes an enrolment code once, and revokes after confirming', async () => {
    const page = await browser.newPage();
    try {
      await signInToConsole(page, server.url, OWNER);
      await page.getByRole('button', { name: 'Terminals and stores', exact: true }).click();
      const row = page.locator(`tr[data-terminal="${core.terminalId}"]`);
      await row.waitFor();
      // The terminal synced everything: it reported an empty queue.
      expect(await row.locator('td').nth(3).textContent()).toBe('0');
      expect(await row.textContent()).toContain('Kadıköy');

      await page.getByRole('button', { name: 'New enrolment code' }).first().click();
      const code = await page.getByTestId('enrol-code').textContent();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      await page.getByRole('status', { name: 'Enrolment code' }).getByRole('button', { name: 'OK', exact: true }).click();
      expect(await page.getByTestId('enrol-code').count()).toBe(0);
      await shot(page, 'console-terminals');

      // A chain of 30 stores: the code for the last one is shown under it, in view, not above the list.
      const token = (await http(server.url, 'POST', '/v1/admin/sign-in', OWNER)).body.token as string;
      for (let i = 1; i <= 30; i += 1) expect((await http(server.url, 'POST', '/v1/admin/stores', { storeId: `zz-${String(i).padStart(2, '0')}`, name: `Şube ${i}` }, token)).status).toBe(200);
      await page.reload();
      await page.getByRole('button', { name: 'Terminals and stores', exact: true }).click();
      const last = page.locator('tbody tr').filter({ hasText: 'zz-30' });
      await last.getByRole('button', { name: 'New enrolment code' }).click();
      const shown = page.getByRole('status', { name: 'Enrolment code' });
      expect(await shown.textContent()).toContain('Şube 30:');
      const viewport = page.viewportSize();
      await expect.poll(async () => {
        const box = await page.getByTestId('enrol-code').boundingBox();
        return box !== null && viewport !== null && box.y >= 0 && box.y + box.height <= viewport.height;
      }).toBe(true);
      await shown.getByRole('button', { name: 'OK', exact: true }).click();

      await row.getByRole('button', { name: 'Revoke' }).click();
      await row.getByRole('alertdialog').waitFor();
      await row.getByRole('button', { name: 'Yes, revoke' }).click();
      await expect.poll(() => row.textContent()).toContain('revoked');
    } finally {
      await page.close();
    }
    // The revoked terminal is refused at its next sync; what it holds stays queued.
    const status = await callAsync(core, 'sync.now', { timeoutSeconds: 60 }, cashier);
    expect(status.phase).toBe('revoked');
  });
});
