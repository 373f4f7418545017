// WAL checkpoints on a worker thread: the sales' pages reach the database file without the sale's
// own connection copying them, and a worker that cannot run leaves SQLite's own checkpoints on.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { WAL_PAGES_BEFORE_INLINE_CHECKPOINT } from '../../src-main/core/db/wal-checkpointer';
import type { Logger } from '../../src-main/core/logger';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { auditLedger } from './ledger-audit';
import { call, openCore, tempDir } from './helpers';

let core: TerminalCore | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${what} did not happen within 20 s`);
}

function sell(c: TerminalCore, count: number): void {
  const { member } = call(c, 'members.enroll', { phone: '+905321234567' });
  for (let i = 0; i < count; i += 1) {
    call(c, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1_000 + i }], idempotencyKey: `wal-sale-${i}` });
  }
}

describe('the WAL checkpoint worker', () => {
  it('copies committed sales into the database file while the sale connection never checkpoints', async () => {
    core = openCore(tempDir());
    const { db } = core.context;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_PAGES_BEFORE_INLINE_CHECKPOINT);
    const sizeBefore = fs.statSync(core.databaseFile).size;
    // ~18 WAL pages a sale: 200 sales stay far below the sale connection's own threshold.
    sell(core, 200);
    const file = core.databaseFile;
    await until(() => fs.statSync(file).size > sizeBefore + 100 * 4096, 'the worker checkpoint');
    expect(auditLedger(db).balanceMismatches).toEqual([]);
  });

  it('has closed its connection when the core has closed: the WAL is in the database file and no -wal or -shm file is left', () => {
    const dir = tempDir();
    core = openCore(dir);
    sell(core, 50);
    const file = core.databaseFile;
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    core.close();
    core = null;
    // Read at once: nothing may still be closing (a folder copied right after close is whole).
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.existsSync(`${file}-shm`)).toBe(false);
    core = openCore(dir);
    expect(auditLedger(core.context.db).balanceMismatches).toEqual([]);
    expect(core.context.db.prepare('SELECT count(*) AS n FROM sales').get()).toEqual({ n: 50 });
  });

  it('leaves SQLite checkpointing inside commits when the worker cannot start, and says so in the log', async () => {
    const warnings: string[] = [];
    const log: Logger = { dir: null, debug: () => undefined, info: () => undefined, warn: (event) => warnings.push(event), error: () => undefined };
    core = openCore(tempDir(), { log, walCheckpointer: { modulePath: '/nowhere/better-sqlite3.js' } });
    const { db } = core.context;
    await until(() => warnings.includes('core.wal-checkpointer-stopped'), 'the fallback');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    sell(core, 20);
    expect(auditLedger(db).balanceMismatches).toEqual([]);
  });

  it('is left out on request: the sale connection checkpoints as SQLite does by default', () => {
    core = openCore(tempDir(), { walCheckpointer: false });
    expect(core.context.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
  });
});
