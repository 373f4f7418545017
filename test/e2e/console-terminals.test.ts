// The Terminals page of a chain in Chromium: the owner narrows the terminals to one store, or to the
// active ones that went silent (no sync for a day or more, or none since enrolling a day or more
// ago), which are the ones that need a visit. Real parts: a server on PGlite, terminals enrolled and
// pushing over HTTP, Debian's Chromium; only the clock of two terminals' last contact is moved back.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, revokeTerminal } from '../../src-server/admin';
import { ADMIN_TOKEN, http, OWNER, SimTerminal, startConsoleServer } from '../server/console-harness';
import { launchChromium, shot, signInToConsole } from './chromium';

const consoleDir = path.resolve(__dirname, '../../dist/console');

describe('the Terminals page of a chain in Chromium', () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let ctx: Awaited<ReturnType<typeof startConsoleServer>>;
  const fresh = new SimTerminal('kadikoy-till-1');
  const silent = new SimTerminal('kadikoy-till-2');
  const neverSynced = new SimTerminal('besiktas-till-1');
  const revoked = new SimTerminal('besiktas-till-2');

  beforeAll(async () => {
    expect(fs.existsSync(path.join(consoleDir, 'index.html')), 'run npm run build:console first').toBe(true);
    ({ browser, close: closeBrowser } = await launchChromium());
    ctx = await startConsoleServer('pglite', { consoleDir });
    await createStore(ctx.server.db, 'test', 'Beşiktaş', 'besiktas');
    await fresh.enrol(ctx.server, 'kadikoy');
    await silent.enrol(ctx.server, 'kadikoy');
    await neverSynced.enrol(ctx.server, 'besiktas');
    await revoked.enrol(ctx.server, 'besiktas');
    for (const [i, terminal] of [fresh, silent, revoked].entries()) {
      const res = await terminal.push(ctx.server, [terminal.enrolMember(`+9053211100${i}0`)]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    // Three days without a sync; enrolled two days ago and never heard from since.
    await ctx.server.db.query("UPDATE terminals SET last_push_at = now() - interval '3 days 2 hours' WHERE terminal_id = $1", [silent.terminalId]);
    await ctx.server.db.query("UPDATE terminals SET enrolled_at = now() - interval '2 days 1 hour' WHERE terminal_id = $1", [neverSynced.terminalId]);
    await ctx.server.db.query("UPDATE terminals SET last_push_at = now() - interval '9 days' WHERE terminal_id = $1", [revoked.terminalId]);
    await revokeTerminal(ctx.server.db, 'test', revoked.terminalId);
  });
  afterAll(async () => {
    await ctx?.close();
    await closeBrowser?.();
  });

  const shownIds = (page: Page) => page.locator('tr[data-terminal]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-terminal')));

  it('narrows the terminals to a store, to the active ones, and to those that went silent', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    try {
      await signInToConsole(page, ctx.server.url, OWNER);
      await page.getByRole('button', { name: 'Terminals and stores', exact: true }).click();
      await page.locator('tr[data-terminal]').first().waitFor();
      expect(await shownIds(page)).toEqual(['besiktas-till-1', 'besiktas-till-2', 'kadikoy-till-1', 'kadikoy-till-2']);
      expect(await page.getByTestId('terminals-shown').textContent()).toBe('4 of 4 terminals');
      // Silence is said where the owner reads the last sync, for active terminals only.
      expect(await page.locator('tr[data-terminal="kadikoy-till-2"]').textContent()).toContain('no sync for 3 days');
      expect(await page.locator('tr[data-terminal="besiktas-till-1"]').textContent()).toContain('no sync for 2 days');
      expect(await page.locator('tr[data-terminal="kadikoy-till-1"]').textContent()).not.toContain('no sync');
      expect(await page.locator('tr[data-terminal="besiktas-till-2"]').textContent()).not.toContain('no sync');

      const filters = page.getByRole('form', { name: 'Terminal filters' });
      await filters.getByLabel('Store').selectOption({ label: 'Kadıköy' });
      expect(await shownIds(page)).toEqual(['kadikoy-till-1', 'kadikoy-till-2']);
      expect(await page.getByTestId('terminals-shown').textContent()).toBe('2 of 4 terminals');

      await filters.getByLabel('Store').selectOption({ label: 'Every store' });
      await filters.getByLabel('Show').selectOption({ label: 'Active terminals' });
      expect(await shownIds(page)).toEqual(['besiktas-till-1', 'kadikoy-till-1', 'kadikoy-till-2']);

      await filters.getByLabel('Show').selectOption({ label: 'Active, not synced for a day or more' });
      expect(await shownIds(page)).toEqual(['besiktas-till-1', 'kadikoy-till-2']);
      await shot(page, 'console-terminals-silent');

      // Both filters at once, and nothing left: said, not an empty table.
      await filters.getByLabel('Store').selectOption({ label: 'Kadıköy' });
      expect(await shownIds(page)).toEqual(['kadikoy-till-2']);
      await ctx.server.db.query('UPDATE terminals SET last_push_at = now() WHERE terminal_id = $1', [silent.terminalId]);
      await page.reload();
      await page.getByRole('button', { name: 'Terminals and stores', exact: true }).click();
      await page.getByTestId('terminals-shown').waitFor();
      await filters.getByLabel('Store').selectOption({ label: 'Kadıköy' });
      await filters.getByLabel('Show').selectOption({ label: 'Active, not synced for a day or more' });
      await page.getByText('No terminal matches these filters.').waitFor();
      expect(await shownIds(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says the filters and the silence in Turkish', async () => {
    const page = await browser.newPage({ locale: 'tr-TR' });
    try {
      await page.goto(`${ctx.server.url}/console/`);
      await page.getByLabel('Ad', { exact: true }).fill(OWNER.name);
      await page.getByLabel('Parola').fill(OWNER.password);
      await page.getByRole('button', { name: 'Giriş yap' }).click();
      await page.getByRole('button', { name: 'Terminaller ve mağazalar', exact: true }).click();
      await page.locator('tr[data-terminal]').first().waitFor();
      const filters = page.getByRole('form', { name: 'Terminal filtreleri' });
      await filters.getByLabel('Göster').selectOption({ label: 'Etkin, bir gün ya da daha uzun süredir eşitlenmemiş' });
      expect(await shownIds(page)).toEqual(['besiktas-till-1']);
      expect(await page.getByTestId('terminals-shown').textContent()).toBe('4 terminalin 1 tanesi');
      expect(await page.locator('tr[data-terminal="besiktas-till-1"]').textContent()).toContain('2 gündür eşitleme yok');
      await shot(page, 'console-terminals-silent-tr');
    } finally {
      await page.close();
    }
  });

  it('clears a terminal’s flag where it shows, once the terminal has been seen to', async () => {
    const flagged = await http(ctx.server, 'POST', `/v1/admin/terminals/${fresh.terminalId}/flag`, { reason: 'wrong clock' }, ADMIN_TOKEN);
    expect(flagged.status).toBe(200);
    const page = await browser.newPage({ locale: 'en-GB' });
    try {
      await signInToConsole(page, ctx.server.url, OWNER);
      await page.getByRole('button', { name: 'Terminals and stores', exact: true }).click();
      const row = page.locator(`tr[data-terminal="${fresh.terminalId}"]`);
      await expect.poll(() => row.textContent()).toContain('flagged: wrong clock');
      await row.getByRole('button', { name: `Clear the flag of terminal ${fresh.terminalId}` }).click();
      await page.getByText(`The flag of terminal ${fresh.terminalId} was cleared.`).waitFor();
      await expect.poll(() => row.textContent()).not.toContain('flagged');
      const [stored] = await ctx.server.db.query<{ flagged_at: Date | null }>('SELECT flagged_at FROM terminals WHERE terminal_id = $1', [fresh.terminalId]);
      expect(stored?.flagged_at).toBeNull();
    } finally {
      await page.close();
    }
  });
});
