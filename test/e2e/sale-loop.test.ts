import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../src-main/host/host-server';
import { tempDir } from '../core/helpers';
import { createFirstManager, hasFocus, launchChromium, rendererDir, shot } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;
beforeAll(async () => {
  expect(fs.existsSync(path.join(rendererDir, 'index.html')), 'run npm run build:renderer first').toBe(true);
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser?.());

const startTerminal = (dataDir: string) => startHost({ dataDir, port: 0, staticDir: rendererDir, store: { locale: 'en-GB' } });

/** A first run's manager rings up a line of `amount` in a sale without a member. */
async function startAnonymousSale(page: Page, host: RunningHost, amount: string) {
  await page.goto(host.url);
  await createFirstManager(page);
  await page.getByRole('button', { name: 'Sale without a member' }).click();
  await page.getByLabel('Amount', { exact: true }).fill(amount);
  await page.getByRole('button', { name: 'Add line' }).click();
  await page.getByRole('list', { name: 'Lines' }).getByRole('listitem').first().waitFor();
}

async function signIn(page: Page, name: string, pin: string) {
  await page.getByRole('button', { name }).click();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the counter in Chromium through the browser host', () => {
  it('enrols a phone, sells in two categories, earns points, and keeps them across reload and restart', async () => {
    const dataDir = tempDir();
    let host: RunningHost = await startTerminal(dataDir);
    const page = await browser.newPage();
    try {
      await page.goto(host.url);
      // First run: the wizard (store, first manager, standalone, devices, done).
      await page.getByRole('heading', { name: 'Store and terminal' }).waitFor();
      await shot(page, '01-first-run');
      await createFirstManager(page);

      // Type a phone number the way a cashier would, then enrol it.
      await page.getByLabel('Phone number', { exact: true }).fill('0532 123 45 67');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.getByText('No member with +90 532 123 45 67.').waitFor();
      await shot(page, '02-unknown-phone');
      // The keyboard goes on to the new member's name, and Enter enrols: no mouse needed.
      await expect.poll(() => hasFocus(page.getByLabel('Name (optional)'))).toBe(true);
      // At a person's speed: a burst as fast as a scanner's would be taken for a scan.
      await page.keyboard.type('Ayşe Yılmaz', { delay: 120 });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Ayşe Yılmaz' }).waitFor();
      // The member is open: the next keystrokes are the sale's amount.
      await expect.poll(() => hasFocus(page.getByLabel('Amount', { exact: true }))).toBe(true);

      // Two categories: 45.50 of groceries, 2 × 3.75 of bakery = 53.00 -> 53 points.
      await page.getByRole('button', { name: 'Groceries' }).click();
      await page.getByLabel('Amount', { exact: true }).fill('45,50');
      await page.getByRole('button', { name: 'Add line' }).click();
      // An English store types amounts as it shows them: 3.75 on the keypad, whose decimal key is ".".
      expect(await page.getByLabel('Amount', { exact: true }).getAttribute('placeholder')).toBe('0.00');
      const keypad = page.getByRole('group', { name: 'Amount keypad' });
      expect(await keypad.getByRole('button', { name: 'Amount keypad ,' }).count()).toBe(0);
      await page.getByLabel('Amount', { exact: true }).fill('3,755');
      await page.getByRole('button', { name: 'Add line' }).click();
      await page.getByRole('alert').getByText('Enter an amount like 12.50', { exact: true }).waitFor();
      // Its close button says what it does to a screen reader (it read "×").
      await page.getByRole('alert').getByRole('button', { name: 'Dismiss this message' }).click();
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      await page.getByLabel('Amount', { exact: true }).fill('');
      await page.getByRole('button', { name: 'Bakery' }).click();
      // Picking a category hands the keyboard back to the amount, and the keypad's keys do not take it.
      expect(await hasFocus(page.getByLabel('Amount', { exact: true }))).toBe(true);
      for (const key of ['3', '.', '7', '5']) await keypad.getByRole('button', { name: `Amount keypad ${key}`, exact: true }).click();
      expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('3.75');
      expect(await hasFocus(page.getByLabel('Amount', { exact: true }))).toBe(true);
      await page.getByLabel('Quantity').fill('2');
      await page.getByRole('button', { name: 'Add line' }).click();
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('53');
      await page.getByText('Bakery: 1 pt per TRY').first().waitFor();
      await shot(page, '03-sale');
      await page.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => page.getByLabel('Points earned').textContent()).toBe('53');
      expect(await page.getByLabel('New balance').textContent()).toBe('53');
      // The member panel has given way to the receipt, which still says whose points they are.
      expect(await page.getByRole('region', { name: 'Receipt' }).getByLabel('Member', { exact: true }).textContent()).toBe('Ayşe Yılmaz');
      await shot(page, '04-receipt');
      await page.getByRole('button', { name: 'Next customer' }).click();

      // Reload: a new screen signs in again, from the keyboard (the PIN field has it), and finds the balance.
      await page.reload();
      await page.getByRole('button', { name: 'Meral' }).click();
      await expect.poll(() => hasFocus(page.getByLabel('PIN', { exact: true }))).toBe(true);
      await page.keyboard.type('2580', { delay: 120 });
      await page.keyboard.press('Enter');
      await page.getByLabel('Phone number', { exact: true }).fill('+90 532 123 4567');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await expect.poll(() => page.getByLabel('Balance', { exact: true }).textContent()).toBe('53 points');

      // Restart the host on the same data.
      await host.close();
      host = await startTerminal(dataDir);
      await page.goto(host.url);
      await signIn(page, 'Meral', '2580');
      await page.getByLabel('Phone number', { exact: true }).fill('905321234567');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await expect.poll(() => page.getByLabel('Balance', { exact: true }).textContent()).toBe('53 points');
      await shot(page, '05-member-after-restart');
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('shows a clear message for an impossible phone number and keeps working', async () => {
    const host = await startTerminal(tempDir());
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await page.goto(host.url);
      await createFirstManager(page);
      await page.getByLabel('Phone number', { exact: true }).fill('123');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      // It says what to do, too.
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('That is not a valid phone number. Check the digits and type it with its area code.');
      await page.getByLabel('Phone number', { exact: true }).fill('0532 765 43 21');
      await page.getByRole('button', { name: 'Find', exact: true }).click();
      await page.getByText('No member with +90 532 765 43 21.').waitFor();
      // On a 1,024 x 768 till the enrol form comes into sight whole, above the status bar.
      const enrol = (await page.getByRole('button', { name: 'Enrol +90 532 765 43 21' }).boundingBox())!;
      const bar = (await page.getByRole('status', { name: 'Terminal status' }).boundingBox())!;
      expect(enrol.y).toBeGreaterThanOrEqual(0);
      expect(enrol.y + enrol.height).toBeLessThanOrEqual(bar.y);
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('keeps what the cashier typed: a refused enrolment keeps the name and code, and a quantity retyped is the one typed', async () => {
    const host = await startTerminal(tempDir());
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await page.goto(host.url);
      await createFirstManager(page);
      await page.getByLabel('Phone number', { exact: true }).fill('0532 123 45 67');
      await page.keyboard.press('Enter');
      await expect.poll(() => hasFocus(page.getByLabel('Name (optional)'))).toBe(true);
      await page.keyboard.type('Ayşe Yılmaz', { delay: 120 });
      await page.keyboard.press('Tab');
      await page.keyboard.type('NOPE99', { delay: 120 });
      await page.keyboard.press('Enter');
      // The core refuses the code: the name and the code are still there to correct, not typed again.
      await page.getByRole('alert').getByText('“NOPE99” is not a referral code', { exact: false }).waitFor();
      expect(await page.getByLabel('Name (optional)').inputValue()).toBe('Ayşe Yılmaz');
      expect(await page.getByLabel('Referral code of a friend (optional)').inputValue()).toBe('NOPE99');
      // Without the code the same form enrols the member under the name typed once.
      await page.getByLabel('Referral code of a friend (optional)').fill('');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Ayşe Yılmaz' }).waitFor();

      // Three of an item from the keyboard: its amount, Tab to the quantity, the 1 rubbed out, 3, Enter.
      await expect.poll(() => hasFocus(page.getByLabel('Amount', { exact: true }))).toBe(true);
      await page.keyboard.type('12.50', { delay: 120 });
      await page.keyboard.press('Tab');
      await page.keyboard.press('End');
      await page.keyboard.press('Backspace');
      // Emptied, the field stays empty for the number to come (it put a 1 back, and 3 made 13).
      expect(await page.getByLabel('Quantity').inputValue()).toBe('');
      await page.keyboard.type('3', { delay: 120 });
      await page.keyboard.press('Enter');
      const lines = page.getByRole('list', { name: 'Lines' }).getByRole('listitem');
      await expect.poll(() => lines.first().textContent()).toMatch(/3 × TRY\s12\.50/);
      // The next line starts again at one item; a quantity left empty is one item too.
      expect(await page.getByLabel('Quantity').inputValue()).toBe('1');
      await page.getByLabel('Quantity').fill('');
      await page.getByLabel('Amount', { exact: true }).fill('2');
      await page.getByRole('button', { name: 'Add line' }).click();
      await expect.poll(() => lines.nth(1).textContent()).toMatch(/1 × TRY\s2\.00/);
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('39');
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('a line that would take the sale past its largest total is refused as such, and the amount and quantity stay to correct', async () => {
    const host = await startTerminal(tempDir());
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await startAnonymousSale(page, host, '45.50');
      // 99,999.99 × 9999: a quantity keyed where it should not have been.
      await page.getByLabel('Amount', { exact: true }).fill('99999.99');
      await page.getByLabel('Quantity').fill('9999');
      await page.keyboard.press('Enter');
      await page.getByRole('alert').getByText('A sale can come to at most TRY 10,000,000.00: check the amount and the quantity.').waitFor();
      expect(await page.getByRole('list', { name: 'Lines' }).getByRole('listitem').count()).toBe(1);
      expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('99999.99');
      expect(await page.getByLabel('Quantity').inputValue()).toBe('9999');
      // Corrected, it goes in.
      await page.getByLabel('Quantity').fill('1');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('list', { name: 'Lines' }).getByRole('listitem').count()).toBe(2);
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('adds a member to a sale begun without one: the lines stay, and the member earns on the whole sale', async () => {
    const host = await startTerminal(tempDir());
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await startAnonymousSale(page, host, '45.50');
      // The lookup opens only when asked for: until then the keyboard stays on the sale's amount.
      expect(await page.getByLabel('Phone number', { exact: true }).count()).toBe(0);
      await shot(page, 'sale-without-member');
      await page.getByRole('button', { name: 'Add a member to this sale' }).click();
      await expect.poll(() => hasFocus(page.getByLabel('Phone number', { exact: true }))).toBe(true);
      // Changed their mind: back to the sale, nothing lost.
      await page.getByRole('button', { name: 'Back to the sale' }).click();
      expect(await page.getByRole('list', { name: 'Lines' }).getByRole('listitem').count()).toBe(1);
      await page.getByRole('button', { name: 'Add a member to this sale' }).click();
      await page.getByLabel('Phone number', { exact: true }).fill('0532 765 43 21');
      await page.keyboard.press('Enter');
      await page.getByText('No member with +90 532 765 43 21.').waitFor();
      await page.getByLabel('Name (optional)').fill('Mehmet Kaya');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Mehmet Kaya' }).waitFor();
      expect(await page.getByRole('list', { name: 'Lines' }).getByRole('listitem').count()).toBe(1);
      await shot(page, 'member-added-to-sale');
      await page.getByRole('button', { name: 'Complete sale' }).click();
      await expect.poll(() => page.getByLabel('Points earned').textContent()).toBe('45');
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('Enter pressed twice on Complete sale records the sale once and leaves its receipt on screen', async () => {
    const host = await startTerminal(tempDir());
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      // The page's clock is Playwright's: stopped below, so 'the moment the receipt appears' is not a race with this machine's speed.
      await page.clock.install();
      await page.goto(host.url);
      await createFirstManager(page);
      await page.getByLabel('Phone number', { exact: true }).fill('0532 123 45 67');
      await page.keyboard.press('Enter');
      await page.getByLabel('Name (optional)').fill('Ayşe Yılmaz');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Ayşe Yılmaz' }).waitFor();
      // Enter pressed once more lands on the sale's empty amount: nothing to add, and no error
      // (it said 'Enter an amount like 12.50' to a cashier who had typed nothing wrong).
      await expect.poll(() => hasFocus(page.getByLabel('Amount', { exact: true }))).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByLabel('Amount', { exact: true }).fill('30');
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByLabel('Points this sale earns').textContent()).toBe('30');

      await page.clock.pauseAt(new Date(Date.now() + 60_000));
      await page.getByRole('button', { name: 'Complete sale' }).focus();
      await page.keyboard.press('Enter');
      await page.getByLabel('Points earned').waitFor();
      // The receipt's Next customer has the keyboard, and the same key pressed again at once (a double
      // press, or one to be sure) is not taken for it: the receipt went before anyone read it.
      expect(await hasFocus(page.getByRole('button', { name: 'Next customer' }))).toBe(true);
      await page.keyboard.press('Enter');
      expect(await page.getByLabel('Points earned').textContent()).toBe('30');
      expect(await page.getByLabel('New balance').textContent()).toBe('30');
      // A moment later Enter is the cashier's own: the next customer.
      await page.clock.runFor(1_000);
      await page.keyboard.press('Enter');
      await expect.poll(() => hasFocus(page.getByLabel('Phone number', { exact: true }))).toBe(true);
      await page.clock.resume();
      await page.getByLabel('Phone number', { exact: true }).fill('0532 123 45 67');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByLabel('Balance', { exact: true }).textContent()).toBe('30 points');
    } finally {
      await page.close();
      await host.close();
    }
  });

  it('refuses a wrong PIN on screen and speaks Turkish for a Turkish store', async () => {
    const host = await startHost({ dataDir: tempDir(), port: 0, staticDir: rendererDir, store: { locale: 'tr-TR' } });
    const page = await browser.newPage();
    try {
      await page.goto(host.url);
      // The first-run wizard speaks Turkish too, and the page says it is in Turkish.
      await page.getByRole('heading', { name: 'Mağaza ve terminal' }).waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('tr');
      // No English placeholder name for a Turkish store: the installer types the real one.
      expect(await page.getByLabel('Mağaza adı').inputValue()).toBe('');
      await page.getByLabel('Mağaza adı').fill('Kadıköy Çarşı');
      await page.getByLabel('Terminal adı').fill('Kasa 1');
      await page.getByRole('button', { name: 'Devam' }).click();
      await page.getByRole('heading', { name: 'İlk yöneticiyi oluşturun' }).waitFor();
      await page.getByLabel('Ad', { exact: true }).fill('Meral');
      await page.getByLabel('PIN', { exact: true }).fill('2580');
      await page.getByRole('button', { name: 'Oluştur ve giriş yap' }).click();
      await page.getByRole('button', { name: 'Çıkış yap' }).click();
      await page.getByRole('button', { name: 'Meral' }).click();
      await page.getByLabel('PIN', { exact: true }).fill('1111');
      await page.getByRole('button', { name: 'Giriş yap' }).click();
      // In Turkish too, with the tries left from the core's numbers (its own message is English).
      await page.getByRole('alert').getByText('Yanlış PIN. Kilitlenmeden önce kalan deneme: 3', { exact: true }).waitFor();
      await shot(page, '06-wrong-pin-tr');

      // The rest of the first run and a sale, in Turkish: the points breakdown too, on screen and receipt.
      await page.getByLabel('PIN', { exact: true }).fill('2580');
      await page.getByRole('button', { name: 'Giriş yap' }).click();
      await page.getByRole('heading', { name: 'Program nereden gelir' }).waitFor();
      await page.getByLabel('Bağımsız (sunucusuz)').check();
      await page.getByRole('button', { name: 'Devam' }).click();
      await page.getByRole('heading', { name: 'Bu kasadaki cihazlar' }).waitFor();
      await page.getByRole('button', { name: 'Devam' }).click();
      await page.getByRole('button', { name: 'Satışa başla' }).click();
      await page.getByLabel('Telefon numarası', { exact: true }).fill('0532 765 43 21');
      await page.getByRole('button', { name: 'Bul', exact: true }).click();
      await page.getByLabel('Ad (isteğe bağlı)').fill('Mehmet Öztürk');
      await page.getByRole('button', { name: '+90 532 765 43 21 numarasını kaydet' }).click();
      await page.getByRole('heading', { name: 'Mehmet Öztürk' }).waitFor();
      await page.getByRole('button', { name: 'Market', exact: true }).click();
      // A Turkish store's decimal key and hint are a comma, as its amounts are shown (₺245,50).
      expect(await page.getByLabel('Tutar', { exact: true }).getAttribute('placeholder')).toBe('0,00');
      await page.getByRole('group', { name: 'Tutar tuş takımı' }).getByRole('button', { name: 'Tutar tuş takımı ,', exact: true }).waitFor();
      await page.getByLabel('Tutar', { exact: true }).fill('abc');
      await page.getByRole('button', { name: 'Satır ekle' }).click();
      await page.getByRole('alert').getByText('12,50 gibi bir tutar girin', { exact: true }).waitFor();
      await page.getByRole('alert').getByRole('button', { name: 'Bu uyarıyı kapat' }).waitFor();
      await page.getByLabel('Tutar', { exact: true }).fill('245,50');
      await page.getByRole('button', { name: 'Satır ekle' }).click();
      await page.getByText('Market: TRY başına 1 puan').first().waitFor();
      await page.getByRole('button', { name: 'Satışı tamamla' }).click();
      await expect.poll(() => page.getByLabel('Kazanılan puan').textContent()).toBe('245');
      const receipt = page.getByRole('region', { name: 'Fiş' });
      await receipt.getByText('Market: TRY başına 1 puan').waitFor();
      expect(await receipt.textContent()).not.toMatch(/Groceries|pt per/);
      await shot(page, '07-receipt-tr');

      // A 1,024 x 768 till, in Turkish (the longer words): the status bar stays one line and leaves
      // the sale's buttons uncovered, "Satışı tamamla" is on screen without scrolling once a sale
      // has lines and totals, and the history's refund button stays inside the member panel.
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.getByRole('button', { name: 'Sıradaki müşteri' }).click();
      await page.getByLabel('Telefon numarası', { exact: true }).fill('0532 765 43 21');
      await page.getByRole('button', { name: 'Bul', exact: true }).click();
      const refundButton = page.getByRole('button', { name: /tarihli satışı iade et$/ }).first();
      await refundButton.waitFor();
      const box = async (locator: Locator) => {
        const b = await locator.boundingBox();
        if (!b) throw new Error('not on screen');
        return b;
      };
      const bar = await box(page.getByRole('status', { name: 'Terminal durumu' }));
      const signOut = await box(page.getByRole('button', { name: 'Çıkış yap' }));
      expect(bar.height).toBeLessThan(signOut.height * 2);
      const addLine = await box(page.getByRole('button', { name: 'Satır ekle' }));
      expect(addLine.y + addLine.height).toBeLessThanOrEqual(bar.y);
      // The member panel's links each keep to one line (they broke in two, centred).
      for (const link of await page.getByRole('region', { name: 'Üye', exact: true }).locator('button.link').all()) {
        const lines = await link.evaluate((b) => {
          const range = document.createRange();
          range.selectNodeContents(b);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        });
        expect(lines, (await link.textContent()) ?? '').toBe(1);
      }
      const panel = await box(page.getByRole('region', { name: 'Üye', exact: true }));
      const refund = await box(refundButton);
      expect(refund.x + refund.width).toBeLessThanOrEqual(panel.x + panel.width);
      await page.getByRole('button', { name: 'Fırın', exact: true }).click();
      await page.getByLabel('Tutar', { exact: true }).fill('12,00');
      await page.getByRole('button', { name: 'Satır ekle' }).click();
      await expect.poll(() => page.getByLabel('Bu satışın kazandıracağı puan').textContent()).toBe('12');
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const completeSale = page.getByRole('button', { name: 'Satışı tamamla' });
      const complete = await box(completeSale);
      expect(complete.y).toBeGreaterThanOrEqual(0);
      expect(complete.y + complete.height).toBeLessThanOrEqual(bar.y);
      // The total stays beside it, though the totals have scrolled under it.
      expect(await page.locator('.sale-summary').textContent()).toBe('₺12,00+12 puan');
      // The line rung up shows above the sale's buttons (the keypad sits beside the amount on a short screen).
      const line = await box(page.getByRole('list', { name: 'Satırlar' }).getByRole('listitem').first());
      expect(line.y + line.height).toBeLessThanOrEqual((await box(page.locator('.sale .actions'))).y);
      await shot(page, '08-counter-1024-tr');
      await completeSale.click();
      await expect.poll(() => page.getByLabel('Kazanılan puan').textContent()).toBe('12');

      // The day's report says in Turkish why its sales are still on this standalone terminal.
      await page.getByRole('button', { name: 'Günü kapat' }).click();
      await page.getByText(/kayıt henüz sunucuya ulaşmadı\. Bu terminal bir sunucuya bağlı değil/).waitFor();
      expect(await page.locator('body').innerText()).not.toMatch(/enrolled|server/i);
      // Per cashier: Meral's two sales, the points, and the member she enrolled.
      expect(await page.getByRole('row', { name: /^Meral/ }).getByRole('cell').allTextContents()).toEqual(['2', '2', '257', '0', '1']);
    } finally {
      await page.close();
      await host.close();
    }
  });
});
