// Updates are applied only when no sale can be interrupted, and the database an update migrates is
// always backed up first.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src-main/core/db/migrations';
import { openDatabase } from '../../src-main/core/db/open-database';
import { decideUpdate, SaleActivity, type UpdateReadiness } from '../../src-main/core/update-policy';
import { openCore, tempDir } from './helpers';

const MIN = 60_000;
const quiet: UpdateReadiness = { openSales: 0, msSinceActivity: 0, msSinceDayClosed: null };

describe('when a downloaded update is applied', () => {
  it('never mid-sale, whatever else holds', () => {
    expect(decideUpdate(10 * MIN, { openSales: 1, msSinceActivity: 5 * 3600_000, msSinceDayClosed: MIN })).toEqual({ apply: false, reason: 'sale-in-progress' });
  });

  it('after the day was closed once the update is there, with no sale open', () => {
    expect(decideUpdate(10 * MIN, { ...quiet, msSinceDayClosed: 2 * MIN })).toEqual({ apply: true, reason: 'day-closed' });
    // A day closed before the update arrived is not this update's end of day.
    expect(decideUpdate(10 * MIN, { ...quiet, msSinceDayClosed: 11 * MIN })).toEqual({ apply: false, reason: 'in-use' });
  });

  it('when the terminal has been idle long enough, otherwise not', () => {
    expect(decideUpdate(MIN, { ...quiet, msSinceActivity: 30 * MIN })).toEqual({ apply: true, reason: 'idle' });
    expect(decideUpdate(MIN, { ...quiet, msSinceActivity: 29 * MIN })).toEqual({ apply: false, reason: 'in-use' });
    expect(decideUpdate(MIN, { ...quiet, msSinceActivity: 5 * MIN }, 5 * MIN)).toEqual({ apply: true, reason: 'idle' });
    expect(decideUpdate(null, { ...quiet, msSinceActivity: 99 * MIN })).toEqual({ apply: false, reason: 'no-update' });
  });
});

describe('sale activity seen by the core', () => {
  it('a priced sale is open until completed or signed out; abandoned carts expire; closing the day is noted', () => {
    let now = 0;
    const activity = new SaleActivity(() => now, 15 * MIN);
    activity.observe('sales.preview', true, 'screen-a');
    activity.observe('sales.preview', true, 'screen-b');
    now += MIN;
    expect(activity.readiness()).toEqual({ openSales: 2, msSinceActivity: MIN, msSinceDayClosed: null });
    activity.observe('sales.complete', false, 'screen-a'); // a failed completion leaves the sale open
    activity.observe('sales.complete', true, 'screen-b');
    expect(activity.readiness().openSales).toBe(1);
    activity.observe('auth.signOut', true, 'screen-a');
    expect(activity.readiness().openSales).toBe(0);
    activity.observe('sales.preview', true, 'screen-c');
    now += 16 * MIN;
    expect(activity.readiness().openSales).toBe(0);
    activity.observe('reports.day', true, 'screen-a');
    now += 2 * MIN;
    expect(activity.readiness()).toEqual({ openSales: 0, msSinceActivity: 2 * MIN, msSinceDayClosed: 2 * MIN });
  });

  it('through a real core: pricing a sale holds an update back, completing it releases it', () => {
    const core = openCore(tempDir('kasa-update-'), { sync: false });
    try {
      const screen = core.sessions.open();
      expect(core.sessions.call(screen, 'auth.setup', { name: 'Meral', pin: '2580' }).ok).toBe(true);
      const lines = [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 }];
      expect(core.sessions.call(screen, 'sales.preview', { lines }).ok).toBe(true);
      expect(decideUpdate(MIN, { ...core.updateReadiness(), msSinceActivity: 99 * MIN })).toMatchObject({ apply: false, reason: 'sale-in-progress' });
      const done = core.sessions.call(screen, 'sales.complete', { lines, idempotencyKey: 'update-policy-sale-1' });
      expect(done.ok, JSON.stringify(done)).toBe(true);
      expect(core.updateReadiness().openSales).toBe(0);
    } finally {
      core.close();
    }
  });
});

describe('an update that migrates the database', () => {
  afterEach(() => vi.useRealTimers());

  function olderTerminal(): { dataDir: string; file: string } {
    const dataDir = tempDir('kasa-update-');
    const file = path.join(dataDir, 'kasa.db');
    const old = openDatabase(file, MIGRATIONS.slice(0, -1));
    old.db.prepare("INSERT INTO settings (key, value) VALUES ('marker', 'before the update')").run();
    old.db.close();
    return { dataDir, file };
  }

  it('backs the old database up before the new version migrates it', () => {
    const { dataDir } = olderTerminal();
    const core = openCore(dataDir, { sync: false });
    try {
      expect(core.backupFile).not.toBeNull();
      expect(core.context.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      const backup = new BetterSqlite3(core.backupFile as string, { readonly: true });
      expect(backup.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION - 1);
      expect(backup.prepare("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: 'before the update' });
      backup.close();
    } finally {
      core.close();
    }
  });

  it('does not migrate when the backup cannot be written, and the old database is untouched', () => {
    const { dataDir, file } = olderTerminal();
    // The backup's name carries the time: occupy exactly that name so VACUUM INTO must fail.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-01T03:00:00.000Z'));
    fs.mkdirSync(`${file}.v${LATEST_SCHEMA_VERSION - 1}-2026-06-01T03-00-00-000Z.bak`);
    expect(() => openCore(dataDir, { sync: false })).toThrow(/could not be written .*nothing was migrated/);
    const db = new BetterSqlite3(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION - 1);
    expect(db.prepare("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: 'before the update' });
    db.close();
  });
});
