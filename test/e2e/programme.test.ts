// The programme at the counter in Chromium: a member reaches VIP, earns double points on the next
// sale, sees the breakdown, takes a free item reward, and a line is refunded from their history.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from '../../src-main/host/host-server';
import { ownerCaller } from '../../src-main/core/terminal-core';
import { call, tempDir } from '../core/helpers';
import { createFirstManager, hasFocus, launchChromium, rendererDir, shot } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;
beforeAll(async () => {
  expect(fs.existsSync(path.join(rendererDir, 'index.html')), 'run npm run build:renderer first').toBe(true);
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser?.());

const clubRules = {
  schema: 2,
  version: 'club-e2e-1',
  name: 'Kadıköy Club',
  currency: 'TRY',
  earning: { pointsPerUnit: 1 },
  tiers: {
    basis: 'spend',
    windowMonths: 12,
    downgrade: 'windowEnd',
    levels: [
      { id: 'member', name: 'Member', threshold: 0 },
      { id: 'vip', name: 'VIP', threshold: 100_000, multiplier: 2, perks: ['Free coffee refills'] },
    ],
  },
  redemption: { minorPerPoint: 1 },
  rewards: [{ id: 'free-pastry', type: 'freeItem', label: 'Free pastry', category: 'Bakery', points: 300, maxPriceMinor: 5_000 }],
};

async function addLine(page: Page, category: string, amount: string) {
  await page.getByRole('button', { name: category, exact: true }).click();
  await page.getByLabel('Amount', { exact: true }).fill(amount);
  await page.getByRole('button', { name: 'Add line' }).click();
}

describe('the programme in Chromium through the browser host', () => {
  it('a VIP member earns double points, sees why, takes a free pastry, and gets a line refunded', async () => {
    const host = await startHost({ dataDir: tempDir(), port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });
    const installed = host.core.dispatch('program.install', { ruleSet: clubRules }, ownerCaller);
    expect(installed.ok).toBe(true);
    const page = await browser.newPage();
    try {
      // A 1,024 x 768 till: the member panel is the counter's narrow left column.
      await page.setViewportSize({ width: 1024, height: 768 });
      // The page's clock is Playwright's: stopped at the refund, so 'the moment its result appears' is
      // not a race with this machine's speed.
      await page.clock.install();
      await page.goto(host.url);
      await createFirstManager(page);

      // Enrol, then a first big sale: 1,500.00 of groceries makes the member VIP.
      await page.getByLabel('Phone number', { exact: true }).fill('0532 123 45 67');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.getByLabel('Name (optional)').fill('Ayşe Yılmaz');
      await page.getByRole('button', { name: 'Enrol +90 532 123 45 67' }).click();
      await page.getByRole('heading', { name: 'Ayşe Yılmaz' }).waitFor();
      await expect.poll(() => page.getByLabel('Tier', { exact: true }).textContent()).toBe('Member');
      await addLine(page, 'Groceries', '1500');
      await page.getByText('This sale makes the member VIP').waitFor();
      await page.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => page.getByLabel('Points earned').textContent()).toBe('1,500');
      await page.getByText('Now VIP').waitFor();
      await page.getByRole('button', { name: 'Next customer' }).click();

      // The next visit: the panel shows VIP, and the sale earns double.
      await page.getByLabel('Phone number', { exact: true }).fill('05321234567');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await expect.poll(() => page.getByLabel('Tier', { exact: true }).textContent()).toBe('VIP');
      await page.getByText('earns ×2').waitFor();
      await expect.poll(() => page.getByLabel('Balance', { exact: true }).textContent()).toBe('1,500 points');
      await addLine(page, 'Groceries', '100');
      await addLine(page, 'Bakery', '25');
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('250');
      await page.getByText('VIP ×2').waitFor();

      // Each reward's words get the width of the panel and its button stays inside it.
      const rewardRows = page.getByRole('region', { name: 'Rewards', exact: true }).getByRole('listitem');
      expect(await rewardRows.count()).toBe(1);
      for (const row of await rewardRows.all()) {
        const rowBox = (await row.boundingBox())!;
        const words = (await row.locator('.reward-text').boundingBox())!;
        const button = (await row.getByRole('button').boundingBox())!;
        expect(button.x + button.width).toBeLessThanOrEqual(rowBox.x + rowBox.width);
        expect(words.width).toBeGreaterThan(rowBox.width / 2);
      }
      // A field at the foot of the sale, focused, comes into sight above the sale's sticky buttons, not under them.
      // (Scrolled so that it sits just above the status bar, under the buttons, then focused as Tab would.)
      await page.evaluate(() => window.scrollTo(0, 0));
      const redeem = page.getByLabel('Redeem points');
      const statusTop = (await page.getByRole('status', { name: 'Terminal status' }).boundingBox())!.y;
      const before = (await redeem.boundingBox())!;
      await page.evaluate((by) => window.scrollBy(0, by), before.y + before.height - (statusTop - 10));
      await redeem.focus();
      const redeemBox = (await redeem.boundingBox())!;
      expect(redeemBox.y + redeemBox.height).toBeLessThanOrEqual((await page.locator('.sale .actions').boundingBox())!.y);
      // Rubbed out, the field is empty (no points), and what is typed next is what it holds: a 0 put back
      // at once made the 5 typed after it "05" and then "050".
      await redeem.fill('');
      await redeem.pressSequentially('50');
      await expect.poll(() => redeem.inputValue()).toBe('50');
      await redeem.press('Backspace');
      await redeem.press('Backspace');
      await expect.poll(() => redeem.inputValue()).toBe('');
      await redeem.pressSequentially('5');
      await expect.poll(() => redeem.inputValue()).toBe('5');
      await redeem.fill('');
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('250');
      // One tap: the pastry is free, paid with 300 points; points are earned on what is paid.
      await page.getByRole('button', { name: 'Redeem Free pastry' }).click();
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('200');
      await page.getByRole('region', { name: 'Rewards on this sale' }).getByText('Free pastry').waitFor();
      await page.getByText('Groceries: 1 pt per TRY').first().waitFor();
      await shot(page, 'programme-01-vip-free-pastry');
      await page.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => page.getByLabel('Points earned').textContent()).toBe('200');
      expect(await page.getByLabel('New balance').textContent()).toBe('1,400');
      // The receipt says what the points took off, as the sale did: the lines' sum and the total differ.
      const receipt = page.getByRole('region', { name: 'Receipt' });
      expect(await receipt.getByLabel('Points discount').textContent()).toBe('−TRY\u00a025.00');
      expect(await receipt.getByLabel('Points redeemed').textContent()).toBe('300');
      await page.getByRole('heading', { name: 'Rewards taken' }).waitFor();
      await shot(page, 'programme-02-receipt');
      await page.getByRole('button', { name: 'Next customer' }).click();

      // Refund the groceries of that sale from the member's history.
      await page.getByLabel('Phone number', { exact: true }).fill('05321234567');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.getByRole('button', { name: /^Refund the sale of/ }).first().click();
      // The first line's count has the keyboard.
      await expect.poll(() => hasFocus(page.getByLabel('Items to refund from line 1'))).toBe(true);
      // The counts stay inside the refund panel, and a line's name and price do not run into each other.
      const refund = page.getByRole('region', { name: 'Refund', exact: true });
      const refundBox = (await refund.boundingBox())!;
      for (const count of await page.getByLabel(/^Items to refund from line/).all()) {
        const box = (await count.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(refundBox.x + refundBox.width);
      }
      for (const line of await refund.locator('ol.lines > li').all()) {
        const apart = await line.evaluate((li) => {
          const words = (element: Element) => {
            const range = document.createRange();
            range.selectNodeContents(element);
            return range.getBoundingClientRect();
          };
          const [name, price] = [words(li.children[0]!), words(li.children[1]!)];
          return name.right <= price.left || name.bottom <= price.top;
        });
        expect(apart).toBe(true);
      }
      // From the keyboard: the count has the focus, and 1 then Enter refund one item (Enter did nothing).
      await page.keyboard.type('1', { delay: 120 });
      expect(await page.getByLabel('Items to refund from line 1').inputValue()).toBe('1');
      await page.clock.pauseAt(new Date(Date.now() + 60_000));
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByLabel('Points taken back').textContent()).toBe('200');
      // Recorded: Close, the next thing to press, has the focus.
      await expect.poll(() => hasFocus(page.getByRole('region', { name: 'Refund', exact: true }).getByRole('button', { name: 'Close', exact: true }))).toBe(true);
      // Enter pressed again at once (a double press) is not taken for Close: the result stays to be read.
      await page.keyboard.press('Enter');
      expect(await page.getByLabel('Points taken back').textContent()).toBe('200');
      await page.clock.runFor(1_000);
      await page.clock.resume();
      expect(await page.getByLabel('New balance').textContent()).toBe('1,200');
      await shot(page, 'programme-03-refund');
      await page.getByRole('region', { name: 'Refund', exact: true }).getByRole('button', { name: 'Close', exact: true }).click();
      await expect.poll(() => page.getByLabel('Balance', { exact: true }).textContent()).toBe('1,200 points');
      // Closed, the refund hands the keyboard back to the sale's amount (it went with the Close button, to nothing).
      await expect.poll(() => hasFocus(page.getByLabel('Amount', { exact: true }))).toBe(true);

      // The history's columns line up from row to row: its dates start, and its points end, at one x.
      const dateStarts = new Set<number>();
      const pointEnds = new Set<number>();
      const historyRows = await page.locator('ul.history > li').all();
      expect(historyRows.length).toBeGreaterThan(2);
      for (const row of historyRows) {
        dateStarts.add(Math.round((await row.locator(':scope > :nth-child(2)').boundingBox())!.x));
        const points = (await row.locator(':scope > :nth-child(3)').boundingBox())!;
        pointEnds.add(Math.round(points.x + points.width));
      }
      expect([dateStarts.size, pointEnds.size]).toEqual([1, 1]);

      // A manager's panel opened from the status bar starts at its top, its heading focused, though the
      // member panel below had been scrolled to.
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Close day' }).click();
      const report = page.getByRole('heading', { name: /^Day report ·/ });
      await expect.poll(() => hasFocus(report)).toBe(true);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      // Escape closes it, as it closes 'How points work': no tabbing through to their buttons.
      await page.keyboard.press('Escape');
      await report.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'How points work' }).click();
      await page.getByRole('heading', { name: 'Kadıköy Club' }).waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: 'Kadıköy Club' }).waitFor({ state: 'detached' });
      await page.getByRole('heading', { name: 'Ayşe Yılmaz' }).waitFor();
      // The sale beside it has the keyboard again: the next amount typed is not lost on the page.
      await expect.poll(() => hasFocus(page.getByLabel('Amount', { exact: true }))).toBe(true);
      await page.keyboard.type('7', { delay: 120 });
      expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('7');
    } finally {
      await page.close();
      await host.close();
    }
  });

  it("a friend's referral bonus is said with the sale before it completes, as the receipt's new balance counts it", async () => {
    const rules = { ...clubRules, version: 'club-e2e-referral', tiers: null, referral: { referrerPoints: 300, refereePoints: 200, minimumSpendMinor: 5_000 } };
    const host = await startHost({ dataDir: tempDir(), port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });
    expect(host.core.dispatch('program.install', { ruleSet: rules }, ownerCaller).ok).toBe(true);
    const friend = call(host.core, 'members.enroll', { phone: '05321112233', name: 'İsmail Işık' }, ownerCaller);
    const code = call(host.core, 'members.referralCode', { memberId: friend.member.memberId }, ownerCaller);
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await page.goto(host.url);
      await createFirstManager(page);
      await page.getByLabel('Phone number', { exact: true }).fill('0542 444 55 66');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.getByLabel('Name (optional)').fill('Şule Çağlar');
      await page.getByLabel('Referral code of a friend (optional)').fill(code.display);
      await page.getByRole('button', { name: 'Enrol +90 542 444 55 66' }).click();
      await page.getByRole('heading', { name: 'Şule Çağlar' }).waitFor();
      await addLine(page, 'Groceries', '60');
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('60');
      await page.getByText('Referral bonus with this sale: +200 points (their friend earns theirs too)').waitFor();
      await shot(page, 'programme-referral-preview');
      await page.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => page.getByLabel('Points earned').textContent()).toBe('60');
      expect(await page.getByLabel('New balance').textContent()).toBe('260');
    } finally {
      await page.close();
      await host.close();
    }
  });
});
