// A terminal whose core cannot start still opens a page that says why (issue 8: a diagnostics
// screen, not a white window): the host started on a database written by a newer Kasa serves the
// diagnostics screen in Chromium, in the store's language, the core's English only as the detail
// (test/core/startup-failure.test.ts has each failure's code and terminal.startup's answer).
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src-main/core/db/migrations';
import { createTerminalCore } from '../../src-main/core/terminal-core';
import { tempDir } from '../core/helpers';
import { runHost } from '../host/host-process';
import { chromiumForFile, rendererDir } from './chromium';

const { browser, cleanups } = chromiumForFile();

/** A data folder whose database says it was written by schema 999. */
function dataDirFromTheFuture(locale: string): string {
  const dataDir = tempDir('kasa-startup-e2e-');
  createTerminalCore({ dataDir, store: { locale } }).close();
  const db = new Database(path.join(dataDir, 'kasa.db'));
  db.pragma('user_version = 999');
  db.close();
  return dataDir;
}

describe('startup diagnostics', () => {
  it('shows why the terminal could not start, with the self-test, instead of the counter', async () => {
    const dataDir = dataDirFromTheFuture('en-GB');
    const host = await runHost(['--data-dir', dataDir, '--static-dir', rendererDir], 'listening');
    cleanups.push(async () => host.stop());
    expect(host.code).toBeNull();
    const listening = JSON.parse(host.lines.find((l) => l.includes('"listening"')) ?? '{}') as { url: string; startupFailed?: string };
    expect(listening.startupFailed).toMatch(/newer Kasa \(schema 999/);

    const page = await browser().newPage();
    cleanups.push(() => page.close());
    await page.goto(listening.url);
    const screen = page.getByRole('alert', { name: 'Kasa could not start' });
    await screen.waitFor();
    await expect.poll(() => screen.locator('.problem').textContent()).toBe(
      `The till's data was saved by a newer version of Kasa (data version 999; this one reads up to ${LATEST_SCHEMA_VERSION}). Update Kasa; nothing was changed.`,
    );
    await expect.poll(() => screen.textContent()).toContain('Details: ');
    await expect.poll(() => screen.textContent()).toContain('newer Kasa (schema 999');
    // The self-test ran: the native modules loaded, and the table lists each check.
    const rows = screen.getByRole('row');
    await expect.poll(() => rows.count()).toBe(6);
    expect(await screen.getByRole('row', { name: /Database module \(better-sqlite3\)/ }).textContent()).toContain('OK');
    // No counter behind it: no sign-in, no lookup.
    expect(await page.getByRole('button', { name: /sign in/i }).count()).toBe(0);
  });

  it("a Turkish store's terminal says it in Turkish, with the English only as the technical detail", async () => {
    const dataDir = dataDirFromTheFuture('tr-TR');
    const host = await runHost(['--data-dir', dataDir, '--static-dir', rendererDir], 'listening');
    cleanups.push(async () => host.stop());
    const listening = JSON.parse(host.lines.find((l) => l.includes('"listening"')) ?? '{}') as { url: string };

    // The browser's own language does not decide: the store's does.
    const context = await browser().newContext({ locale: 'en-US' });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    await page.goto(listening.url);
    const screen = page.getByRole('alert', { name: 'Kasa başlatılamadı' });
    await screen.waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('tr');
    await expect.poll(() => screen.locator('.problem').textContent()).toBe(
      `Kasanın verileri Kasa’nın daha yeni bir sürümüyle kaydedilmiş (veri sürümü 999; bu sürüm en çok ${LATEST_SCHEMA_VERSION} okuyabilir). Kasa’yı güncelleyin; hiçbir şey değiştirilmedi.`,
    );
    expect(await screen.textContent()).toMatch(/Teknik ayrıntı: .*newer Kasa \(schema 999/);
    const sqlite = screen.getByRole('row', { name: /Veritabanı modülü \(better-sqlite3\)/ });
    expect(await sqlite.textContent()).toContain('TamamYüklendi.');
    expect(await screen.getByRole('row', { name: /Seri portlar/ }).textContent()).toMatch(/\d+ bulundu\./);
    expect(await screen.textContent()).not.toContain('What went wrong');
  });
});
