// A terminal whose core cannot start still opens a page that says why (issue 8: a diagnostics
// screen, not a white window): the host started on a database written by a newer Kasa serves the
// diagnostics screen in Chromium, and every other call is refused with the reason.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerWhileFailed } from '../../src-main/core/startup-failure';
import { createTerminalCore } from '../../src-main/core/terminal-core';
import { tempDir } from '../core/helpers';
import { runHost } from '../host/host-process';
import { chromiumForFile, rendererDir } from './chromium';

const { browser, cleanups } = chromiumForFile();

/** A data folder whose database says it was written by schema 999. */
function dataDirFromTheFuture(): string {
  const dataDir = tempDir('kasa-startup-e2e-');
  createTerminalCore({ dataDir, store: { locale: 'en-GB' } }).close();
  const db = new Database(path.join(dataDir, 'kasa.db'));
  db.pragma('user_version = 999');
  db.close();
  return dataDir;
}

describe('startup diagnostics', () => {
  it('shows why the terminal could not start, with the self-test, instead of the counter', async () => {
    const dataDir = dataDirFromTheFuture();
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
    await expect.poll(() => screen.textContent()).toContain('newer Kasa (schema 999');
    // The self-test ran: the native modules loaded, and the table lists each check.
    const rows = screen.getByRole('row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
    expect(await screen.getByRole('row', { name: /module better-sqlite3/ }).textContent()).toContain('OK');
    // No counter behind it: no sign-in, no lookup.
    expect(await page.getByRole('button', { name: /sign in/i }).count()).toBe(0);
  });

  it('answers terminal.startup with the reason and refuses every other call with it', () => {
    const failure = { problem: 'kasa.db was written by a newer Kasa', checks: [{ name: 'database', ok: false, detail: 'newer' }] };
    expect(answerWhileFailed(failure, 'terminal.startup')).toEqual({ ok: true, value: { started: false, ...failure } });
    expect(answerWhileFailed(failure, 'sales.complete')).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE', message: 'Kasa could not start: kasa.db was written by a newer Kasa' },
    });
  });
});
