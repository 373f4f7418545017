// The programme console in Turkish, in Chromium against the server as its own process (PGlite): a
// browser whose first language is Turkish opens it in Turkish; an English one switches to Türkçe on
// the sign-in screen, signs in, and reads the Insights and Members pages in Turkish words and
// Turkish numbers (1.234, %50,0, ₺18,00); the choice survives a reload, and switching back to
// English in the header does too.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONSOLE_DIR } from '../../src-server/console/console-static';
import { InsightTerminal, spawnInsightsServer } from '../server/insights-seed';
import type { ServerProcess } from '../server/server-process';
import { launchChromium, pageWatchingCsp, shot } from './chromium';

let browser: Browser;
let closeBrowser: () => Promise<void>;
const OWNER = { name: 'aylin', password: 'a long console password' };
const BIG_SPENDER = { phone: '+905551234567', name: 'Gülşen Yıldız' };

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

/** The owner signs in on the Turkish sign-in screen (a page whose browser asks for Turkish). */
async function signInInTurkish(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('Ad', { exact: true }).fill(OWNER.name);
  await page.getByLabel('Parola').fill(OWNER.password);
  await page.getByRole('button', { name: 'Giriş yap' }).click();
  await page.getByText('Oturum açan:').waitFor();
}

describe('the programme console in Turkish', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    expect(fs.existsSync(path.join(DEFAULT_CONSOLE_DIR, 'index.html')), 'run npm run build:console first').toBe(true);
    let token: string;
    ({ server, token } = await spawnInsightsServer(OWNER));
    // A member with a five-digit balance (12,345 in English is 12.345 in Turkish), after the range the
    // Insights page is read for: its sales figures are the seeded ones, its liability is everyone's.
    const till = new InsightTerminal();
    await till.enrolWith(server.url, token, 'kadikoy');
    const { memberId } = till.enrolMember(BIG_SPENDER.phone, undefined, { name: BIG_SPENDER.name, deviceTime: '2026-05-02T08:00:00.000Z' });
    till.earn(memberId, 1_234_500, { deviceTime: '2026-05-02T16:45:00.000Z' });
    expect((await till.push(server.url, till.entries)).status).toBe(200);
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 120_000);
  afterAll(async () => {
    await closeBrowser?.();
    await server?.stop();
  });

  it('opens in Turkish for a browser whose first language is Turkish', async () => {
    const context = await browser.newContext({ locale: 'tr-TR' });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/console/`);
      await page.getByRole('heading', { name: 'Kasa program konsolu' }).waitFor();
      expect(await htmlLang(page)).toBe('tr');
      expect(await page.title()).toBe('Kasa program konsolu');
      expect(await page.getByLabel('Dil', { exact: true }).inputValue()).toBe('tr');
      // A wrong password is said in Turkish too (the server's code, not its English words).
      await page.getByLabel('Ad', { exact: true }).fill(OWNER.name);
      await page.getByLabel('Parola').fill('not the password');
      await page.getByRole('button', { name: 'Giriş yap' }).click();
      // (Checking a password takes a while on purpose, longer on a busy machine: wait for the answer.)
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toBe('Giriş yapılamadı: Ad veya parola yanlış');
    } finally {
      await context.close();
    }
  });

  it('says a draft rule set’s problems and a new version’s changes in Turkish on the Programme page, naming the form’s fields', async () => {
    const context = await browser.newContext({ locale: 'tr-TR' });
    try {
      const page = await context.newPage();
      await signInInTurkish(page, server.url);
      await page.getByRole('button', { name: 'Program', exact: true }).click();
      const rate = page.getByLabel('Para birimi başına puan', { exact: true });
      await rate.fill('-1');
      const validation = page.getByRole('status', { name: 'Doğrulama' });
      await expect.poll(() => validation.locator('ul.problems li').allTextContents(), { timeout: 15_000 }).toEqual(['Para birimi başına puan en az 0 olmalı']);
      expect(await rate.getAttribute('title')).toBe('en az 0 olmalı');
      await shot(page, 'console-programme-problems-tr');

      // Installing a new version: the history says what changed in Turkish, the field by its label.
      await rate.fill('3');
      await expect.poll(() => validation.textContent(), { timeout: 15_000 }).toBe('Taslak geçerli bir kural seti.');
      await page.getByRole('button', { name: /^Kur / }).click();
      const confirmInstall = page.getByRole('alertdialog', { name: 'Kur' });
      expect(await confirmInstall.textContent()).toMatch(/^\S+ sürümü şimdi kurulsun mu\? Her terminal bir sonraki eşitlemede ona geçer\./);
      await confirmInstall.getByRole('button', { name: 'Evet, kur' }).click();
      const newest = page.getByRole('region', { name: 'Sürüm geçmişi' }).locator('tbody tr').first();
      await expect.poll(() => newest.locator('td').last().textContent(), { timeout: 15_000 }).toMatch(/^Para birimi başına puan: \d+(\.\d+)? → 3/);
    } finally {
      await context.close();
    }
  });

  it('switches to Türkçe on the sign-in screen, shows two pages in Turkish words and numbers, and keeps the choice over a reload', async () => {
    const { page, cspViolations } = await pageWatchingCsp(browser);
    try {
      await page.goto(`${server.url}/console/`);
      // English first (this browser's language), as every other console test expects.
      await page.getByRole('heading', { name: 'Kasa programme console' }).waitFor();
      expect(await htmlLang(page)).toBe('en');
      await page.getByLabel('Language', { exact: true }).selectOption({ label: 'Türkçe' });
      await page.getByRole('heading', { name: 'Kasa program konsolu' }).waitFor();
      expect(await htmlLang(page)).toBe('tr');
      await page.getByLabel('Ad', { exact: true }).fill(OWNER.name);
      await page.getByLabel('Parola').fill(OWNER.password);
      await page.getByRole('button', { name: 'Giriş yap' }).click();
      await page.getByText('Oturum açan:').waitFor();
      expect(await page.getByRole('navigation', { name: 'Sayfalar' }).getByRole('button').allTextContents()).toEqual(['Program', 'Katalog', 'İstisnalar', 'Üyeler', 'Analizler', 'Terminaller ve mağazalar']);

      // Insights: Turkish labels, percentages with the sign first and a decimal comma, lira as Turkish writes it.
      await page.getByRole('button', { name: 'Analizler', exact: true }).click();
      await page.getByRole('heading', { name: 'Analizler' }).waitFor();
      const filters = page.getByRole('form', { name: 'Filtreler' });
      await filters.getByLabel('Başlangıç', { exact: true }).fill('2026-03-01');
      await filters.getByLabel('Bitiş', { exact: true }).fill('2026-04-30');
      await filters.getByLabel('Dönem').selectOption({ label: 'Ay' });
      // The form shows what it will send (a field lost to another's change would show here first).
      const shown = () => Promise.all([filters.getByLabel('Başlangıç', { exact: true }).inputValue(), filters.getByLabel('Bitiş', { exact: true }).inputValue(), filters.getByLabel('Dönem').inputValue()]);
      await expect.poll(shown).toEqual(['2026-03-01', '2026-04-30', 'month']);
      await filters.getByRole('button', { name: 'Göster' }).click();
      const figure = (id: string) => page.getByTestId(`figure-${id}`).textContent();
      await expect.poll(() => figure('identifiedShare'), { timeout: 15_000 }).toBe('%50,0');
      expect(await figure('redemptionRate')).toBe('%11,4');
      // (360 + 12,345 points) x 5 kuruş.
      expect(await figure('liability')).toBe('₺635,25');
      expect(await page.locator('[data-figure="liability"]').textContent()).toContain('12.705 puan');
      expect(await page.locator('[data-figure="identifiedShare"]').textContent()).toContain('10 satışın 5 tanesi');
      // Tier names are the programme's own; members with no sale yet are named in Turkish.
      expect(await page.getByRole('table', { name: 'Seviyelere göre üyeler' }).locator('tbody tr').allTextContents()).toEqual(['Henüz alışveriş yok1', 'Bronze1', 'Silver2']);
      expect(await page.getByRole('table', { name: 'Hedefler' }).locator('thead th').allTextContents()).toEqual(['Ölçüt', 'Hedef', 'Gerçekleşen', 'Tuttu', '']);
      expect(await page.getByRole('figure').first().getByRole('img').getAttribute('aria-label')).toBe('Satışlar: üyeli ve üyesiz');
      await shot(page, 'console-insights-tr');
      // Its CSV as a spreadsheet set for Türkiye reads one: UTF-8 said by a BOM, semicolons, decimal commas.
      const download = page.waitForEvent('download');
      await page.locator('button[data-csv="totals"]').click();
      const totals = fs.readFileSync((await (await download).path())!, 'utf8').split('\r\n');
      expect(totals[0]).toMatch(/^\uFEFFfrom;to;enrolled members;identified sales;anonymous sales;identified share;/);
      expect(totals[1]).toMatch(/^2026-03-01;2026-04-30;\d+;5;5;0,5;/);
      // By cashier: the sales counted without one are named in Turkish (the server's key is empty; it showed "(none)").
      await filters.getByLabel('Karşılaştır').selectOption({ label: 'Kasiyerler' });
      await filters.getByRole('button', { name: 'Göster' }).click();
      const breakdown = page.locator('table[data-table="breakdown"] tbody tr td:first-child');
      await expect.poll(() => breakdown.allTextContents(), { timeout: 15_000 }).toEqual(['Kasiyer kaydı yok', 'c1', 'c2']);
      // A range that ends before it starts is said in Turkish before asking (the server's refusal is English).
      await filters.getByLabel('Bitiş', { exact: true }).fill('2026-02-01');
      await filters.getByRole('button', { name: 'Göster' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Bitiş, başlangıçtan önce');
      await filters.getByLabel('Bitiş', { exact: true }).fill('2026-04-30');
      await filters.getByLabel('Karşılaştır').selectOption({ label: 'Mağazalar' });
      await filters.getByRole('button', { name: 'Göster' }).click();
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);

      // Members: a five-digit balance with a Turkish thousands separator, dates in Turkish order, kinds in words.
      await page.getByRole('button', { name: 'Üyeler', exact: true }).click();
      await page.getByLabel('Telefon, kartın son dört hanesi, sadakat kartı ya da ad').fill(BIG_SPENDER.phone);
      await page.getByRole('button', { name: 'Ara' }).click();
      await expect.poll(() => page.getByTestId('detail-balance').textContent(), { timeout: 15_000 }).toBe('12.345');
      const history = page.locator('table').last();
      expect(await history.locator('thead th').allTextContents()).toEqual(['Zaman', 'Mağaza', 'Terminal', 'Tür', 'Puan', 'Kaydedildiği üye', 'Neden']);
      const newest = history.locator('tbody tr').first();
      expect(await newest.locator('td').first().textContent()).toBe(new Date('2026-05-02T16:45:00.000Z').toLocaleString('tr-TR'));
      expect(await newest.locator('td').nth(3).textContent()).toBe('kazanım');
      expect(await newest.locator('td').nth(4).textContent()).toBe('12.345');
      // The confirmation asks in Turkish, with the points counted in Turkish.
      const adjust = page.getByRole('form', { name: 'Bakiyeyi düzelt' });
      await adjust.getByLabel('Puan (eksi değer puan düşer)').fill('1000');
      await adjust.getByRole('button', { name: 'Düzelt', exact: true }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Bakiyeyi düzelt' });
      expect(await confirm.textContent()).toContain(`${BIG_SPENDER.name} üyesine 1.000 puan eklensin mi? Bakiye 12.345 değerinden 13.345 değerine çıkar.`);
      await confirm.getByRole('button', { name: 'Vazgeç' }).click();
      await shot(page, 'console-members-tr');

      // A reload keeps the language (and the session): the owner chose it.
      await page.reload();
      await page.getByRole('button', { name: 'Analizler', exact: true }).waitFor();
      expect(await htmlLang(page)).toBe('tr');
      expect(await page.getByLabel('Dil', { exact: true }).inputValue()).toBe('tr');
      await page.getByRole('button', { name: 'Analizler', exact: true }).click();
      await page.getByRole('heading', { name: 'Analizler' }).waitFor();

      // And back to English from the header, which a reload keeps too.
      await page.getByLabel('Dil', { exact: true }).selectOption({ label: 'English' });
      await page.getByRole('heading', { name: 'Insights' }).waitFor();
      // The liability is programme-wide, whatever range the page opened with.
      await expect.poll(() => figure('liability'), { timeout: 15_000 }).toBe('TRY\u00a0635.25');
      await page.reload();
      await page.getByRole('button', { name: 'Insights', exact: true }).waitFor();
      expect(await htmlLang(page)).toBe('en');
      expect(cspViolations).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says how an exception was resolved in Turkish, the owner’s note as written', async () => {
    const context = await browser.newContext({ locale: 'tr-TR' });
    try {
      const page = await context.newPage();
      await signInInTurkish(page, server.url);
      await page.getByRole('button', { name: 'İstisnalar', exact: true }).click();
      // The seeded phone enrolled twice: accepted, with a note.
      const item = page.locator('article[data-kind="duplicate-enrolment"]');
      await item.getByRole('button', { name: 'Kabul et', exact: true }).click();
      await item.getByRole('form').getByLabel('Neden sorun değil').fill('aynı müşteri');
      await item.getByRole('button', { name: 'Kabul et ve çöz' }).click();
      await expect.poll(() => item.count()).toBe(0);
      const filters = page.getByRole('form', { name: 'Filtreler' });
      await filters.getByLabel('Durum').selectOption({ label: 'Çözüldü' });
      await filters.getByRole('button', { name: 'Uygula' }).click();
      // Recorded by the server as "accepted: aynı müşteri": said in Turkish, not in the server's English.
      await expect.poll(() => item.getByTestId('resolution').textContent()).toBe('kabul edildi: aynı müşteri');
      await shot(page, 'console-exceptions-resolved-tr');
    } finally {
      await context.close();
    }
  });
});
