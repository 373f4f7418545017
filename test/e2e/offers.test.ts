// A personalised offer at the counter in Chromium: the member panel shows it with its reason at
// lookup, one tap applies it (its own line in the breakdown), and once used it is gone.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime } from '../../src-shared/program/local-time';
import { addDays } from '../../src-shared/program/local-time';
import type { OfferRecord } from '../../src-shared/program/offers';
import { startHost } from '../../src-main/host/host-server';
import { OffersRepo } from '../../src-main/core/offers-repo';
import { ownerCaller } from '../../src-main/core/terminal-core';
import { call, tempDir } from '../core/helpers';
import { createFirstManager, launchChromium, rendererDir } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  expect(fs.existsSync(path.join(rendererDir, 'index.html')), 'run npm run build:renderer first').toBe(true);
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser?.());

describe('personalised offers in Chromium through the browser host', () => {
  it('shows the offer with its reason, applies it with its own breakdown line, and drops it once used', async () => {
    const host = await startHost({ dataDir: tempDir(), port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });
    const page = await browser.newPage();
    try {
      await page.goto(host.url);
      await createFirstManager(page);
      // A member the chain knows, and the offer the server computed for them, as the sync client
      // stores them from the feed.
      const memberId = call(host.core, 'members.enroll', { phone: '0532 765 43 21' }, ownerCaller).member.memberId;
      const today = localTime({ at: new Date().toISOString(), timeZone: host.core.context.settings.timeZone }).date;
      const offer: OfferRecord = {
        offerId: 'of-e2e-groceries',
        memberId,
        type: 'favouriteCategory',
        terms: {
          offerId: 'of-e2e-groceries',
          type: 'favouriteCategory',
          label: '+50 points on Groceries',
          category: 'Groceries',
          bonusPoints: 50,
          minSpendMinor: 0,
          why: { subject: 'Groceries', visits: 6, weeks: 8 },
        },
        reason: 'You bought Groceries 6 times in the last 8 weeks',
        validFrom: today,
        validUntil: addDays(today, 13),
        status: 'active',
        ruleSetVersion: 'server-1',
      };
      expect(new OffersRepo(host.core.context.db).applyFromServer(offer, new Date().toISOString())).toBe(true);

      await page.getByLabel('Phone number', { exact: true }).fill('05327654321');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      const offers = page.getByRole('region', { name: 'Offers for this member' });
      // Said in the store's language from the offer's facts.
      await offers.getByText('Visits with Groceries in the last 8 weeks: 6').waitFor();

      await page.getByRole('button', { name: 'Groceries', exact: true }).click();
      await page.getByLabel('Amount', { exact: true }).fill('100');
      await page.getByRole('button', { name: 'Add line' }).click();
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('100');
      await page.getByRole('button', { name: 'Apply offer +50 points on Groceries' }).click();
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('150');
      await page.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => page.getByLabel('Points earned').textContent()).toBe('150');
      await page.getByText('+50 points on Groceries').first().waitFor();
      await page.getByRole('button', { name: 'Next customer' }).click();

      await page.getByLabel('Phone number', { exact: true }).fill('05327654321');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await expect.poll(() => page.getByLabel('Balance', { exact: true }).textContent()).toBe('150 points');
      expect(await offers.count()).toBe(0);
    } finally {
      await page.close();
      await host.close();
    }
  });
});
