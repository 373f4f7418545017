// The Insights page in Chromium against the server as its own process (PGlite), with the small
// programme of test/server/insights-seed.ts pushed through the real ingest: the owner signs in,
// chooses the range, and the figures on screen are the ones worked out by hand; an objective is
// set and shown against the actual; a table downloads as CSV.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminAccount } from '../../src-server/admin-accounts';
import { createStore } from '../../src-server/admin';
import { DEFAULT_CONSOLE_DIR } from '../../src-server/console/console-static';
import { openDatabase } from '../../src-server/start-server';
import { freshDatabase } from '../server/databases';
import { spawnInsightsServer } from '../server/insights-seed';
import { spawnServer, type ServerProcess } from '../server/server-process';
import { http } from '../server/sim-terminal';
import { launchChromium, pageWatchingCsp, shot, signInToConsole } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;
const OWNER = { name: 'derya', password: 'a long console password' };

describe('the Insights page in Chromium', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    expect(fs.existsSync(path.join(DEFAULT_CONSOLE_DIR, 'index.html')), 'run npm run build:console first').toBe(true);
    ({ server } = await spawnInsightsServer(OWNER));
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  it('says so where a new programme has nothing yet: members, outstanding points, installed versions', async () => {
    const { choice, drop } = await freshDatabase('pglite');
    const db = await openDatabase(choice);
    await createStore(db, 'setup', 'Kadıköy', 'kadikoy');
    await createAdminAccount(db, 'setup', OWNER.name, OWNER.password);
    await db.close();
    const empty = await spawnServer(choice);
    const page = await browser.newPage();
    try {
      await signInToConsole(page, empty.url, OWNER);
      await page.getByRole('button', { name: 'Insights', exact: true }).click();
      // Tables with nothing in them say why, instead of standing as bare headings.
      await expect.poll(() => page.getByRole('table', { name: 'Members by tier' }).locator('tbody').textContent()).toBe('No members yet.');
      expect(await page.locator('table[data-table="liability"] tbody').textContent()).toBe('No points are outstanding.');
      await page.getByRole('button', { name: 'Programme', exact: true }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Version history' }).locator('tbody').textContent()).toBe('No version has been installed yet.');
    } finally {
      await page.close();
      await empty.stop();
      await drop();
    }
  });

  it('shows the seeded figures, an objective against its actual, and downloads a table as CSV', async () => {
    const { page, cspViolations } = await pageWatchingCsp(browser);
    try {
      await signInToConsole(page, server.url, OWNER);
      await page.getByRole('button', { name: 'Insights', exact: true }).click();
      await page.getByRole('heading', { name: 'Insights' }).waitFor();

      const filters = page.getByRole('form', { name: 'Filters' });
      await filters.getByLabel('From', { exact: true }).fill('2026-03-01');
      await filters.getByLabel('To', { exact: true }).fill('2026-04-30');
      await filters.getByLabel('Period').selectOption('month');
      await filters.getByLabel('Compare').selectOption('store');
      await filters.getByRole('button', { name: 'Show' }).click();

      const figure = (id: string) => page.getByTestId(`figure-${id}`).textContent();
      await expect.poll(() => figure('pointsIssued')).toBe('440');
      expect(await figure('enrolledMembers')).toBe('3');
      expect(await figure('newMembers')).toBe('3');
      expect(await figure('identifiedShare')).toBe('50.0 %'); // 5 of 10 sales
      expect(await figure('pointsRedeemed')).toBe('50');
      expect(await figure('redemptionRate')).toBe('11.4 %'); // 50 / 440
      expect(await figure('referralConversions')).toBe('1');
      expect(await figure('donations')).toBe('1');
      expect(await figure('liability')).toBe('TRY\u00a018.00'); // 360 points x 5 minor units, in the currency's own format
      const kadikoy = page.locator('table[data-table="breakdown"] tr[data-key="kadikoy"]');
      expect((await kadikoy.locator('td').allTextContents()).slice(0, 4)).toEqual(['Kadıköy', '2', '5', '28.6 %']);
      const besiktas = page.locator('table[data-table="breakdown"] tr[data-key="besiktas"]');
      expect((await besiktas.locator('td').allTextContents()).slice(0, 4)).toEqual(['Beşiktaş', '3', '0', '100.0 %']);
      expect(await page.locator('table[data-table="tiers"] tbody tr').allTextContents()).toEqual(['Bronze1', 'Silver2']);
      expect(await page.locator('table[data-table="liability"] tbody tr').allTextContents()).toEqual(['2027-03 150TRY\u00a07.50', '2027-04 210TRY\u00a010.50']);
      expect(await page.locator('figure.chart svg[role="img"]').count()).toBe(2);
      await shot(page, 'console-insights');

      // An objective of 60 % identified sales: the actual 50 % misses it.
      const objective = page.locator('table[data-table="objectives"] tr[data-key="identifiedShare"]');
      await objective.getByLabel('Target: Sales identified').fill('60');
      await objective.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => page.getByTestId('met-identifiedShare').textContent()).toBe('no');
      expect(await page.getByTestId('actual-identifiedShare').textContent()).toBe('50.0 %');
      const [stored] = (await http(server.url, 'GET', '/v1/admin/insights/objectives', undefined, (await http(server.url, 'POST', '/v1/admin/sign-in', OWNER)).body.token)).body.objectives;
      expect(stored).toMatchObject({ metric: 'identifiedShare', target: 0.6, updatedBy: OWNER.name });
      // A count typed with a thousands separator is that many (it was saved as 1).
      const enrolments = page.locator('table[data-table="objectives"] tr[data-key="newMembers"]');
      await enrolments.getByLabel('Target: New enrolments').fill('1,000');
      await enrolments.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => page.getByTestId('met-newMembers').textContent()).toBe('no');
      const objectives = (await http(server.url, 'GET', '/v1/admin/insights/objectives', undefined, (await http(server.url, 'POST', '/v1/admin/sign-in', OWNER)).body.token)).body.objectives;
      expect(objectives).toContainEqual(expect.objectContaining({ metric: 'newMembers', target: 1000 }));

      const download = page.waitForEvent('download');
      await page.locator('button[data-csv="liability"]').click();
      const file = await (await download).path();
      // UTF-8 said by a BOM (Excel reads Turkish letters right only with it); commas in English.
      expect(fs.readFileSync(file, 'utf8')).toBe('\uFEFFexpires in month,points,value (minor units),overdue\r\n2027-03,150,750,false\r\n2027-04,210,1050,false\r\n');

      // A range the server refuses: its answer, and not the last range's figures beneath it as if they were this one's.
      await filters.getByLabel('From', { exact: true }).fill('2020-01-01');
      await filters.getByRole('button', { name: 'Show' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('a range of at most 1100 days');
      await expect.poll(() => page.getByTestId('figure-pointsIssued').count()).toBe(0);
      expect(await page.getByText('Loading…', { exact: true }).count()).toBe(0);
      await filters.getByLabel('From', { exact: true }).fill('2026-03-01');
      await filters.getByRole('button', { name: 'Show' }).click();
      await expect.poll(() => figure('pointsIssued')).toBe('440');
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(cspViolations).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
