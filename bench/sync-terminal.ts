// The terminal side of sync: a new terminal loading a 1,000,000-member snapshot (beside a bare
// batched SQLite insert of the same rows), and a catch-up push of 100,000 queued entries to a
// PostgreSQL server process (beside a bare batched insert of the same rows into its ledger).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createTerminalCore } from '../src-main/core/terminal-core';
import { createEnrolCode, createStore } from '../src-server/admin';
import { insertLedgerRows } from '../src-server/ingest';
import { openDatabase } from '../src-server/start-server';
import { quoteSale } from '../src-shared/program/engine';
import { defaultRuleSet } from '../src-shared/program/rule-set';
import type { SyncStatus } from '../src-shared/api/sync-methods';
import { freshDatabase } from '../test/server/databases';
import { spawnServer } from '../test/server/server-process';
import { report, round, scaled } from './bench-util';

const MEMBERS = Number(process.env.KASA_BENCH_MEMBERS ?? scaled(1_000_000));
const QUEUED = Number(process.env.KASA_BENCH_QUEUED ?? scaled(100_000));
const manager = { role: 'manager' as const, userId: null };
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Idle after a completed attempt (everything pushed, feed or snapshot applied), or, with `pushedOnly`, as soon as nothing is queued. */
function untilIdle(core: ReturnType<typeof createTerminalCore>, pushedOnly = false): Promise<void> {
  return new Promise((resolve, reject) =>
    core.events.subscribe((name, payload) => {
      if (name !== 'sync.status') return;
      const s = payload as SyncStatus;
      if (process.env.KASA_BENCH_DEBUG) process.stderr.write(`${s.phase} ${s.lastError?.message ?? ''} ${JSON.stringify(s.snapshot)}\n`);
      if (pushedOnly && s.enrolled && s.queuedEntries === 0 && s.ackedThroughSeq > 0) resolve();
      if (s.phase === 'idle' && s.queuedEntries === 0 && s.enrolled && s.lastSuccessAt !== null) resolve();
      if (s.phase === 'blocked' || s.phase === 'revoked') reject(new Error(s.lastError?.message ?? s.phase));
    }),
  );
}

const { choice, drop } = await freshDatabase('postgres');
const admin = await openDatabase(choice);
const server = await spawnServer(choice);
try {
  await createStore(admin, 'bench', 'Bench store', 'bench');
  await admin.query(
    `INSERT INTO members (member_id, phone, name, balance)
     SELECT 'm-' || lpad(i::text, 8, '0'), '+90532' || lpad(i::text, 7, '0'), 'Member ' || i, i % 5000 FROM generate_series(1, $1::int) AS i`,
    [MEMBERS],
  );
  await admin.query('ANALYZE');

  // 1. A new terminal loads the snapshot (and the feed after it) by itself once enrolled.
  const core = createTerminalCore({ dataDir: tmp('kasa-bench-snap-') });
  const { code } = await createEnrolCode(admin, 'bench', 'bench');
  let start = process.hrtime.bigint();
  const idle = untilIdle(core);
  const enrolled = await core.dispatchAsync('terminal.enrol', { serverUrl: server.url, code }, manager);
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  await idle;
  const loadSeconds = seconds(start);
  const loaded = core.context.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM members').get()!.n;
  core.close();
  // Bare: the same rows into a members table of the same shape, 5,000 per transaction.
  const bare = new BetterSqlite3(path.join(tmp('kasa-bench-bare-'), 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  bare.exec('CREATE TABLE members (member_id TEXT PRIMARY KEY, phone TEXT NOT NULL UNIQUE, name TEXT, balance INTEGER NOT NULL DEFAULT 0, enrolled_at TEXT NOT NULL) STRICT');
  const insert = bare.prepare('INSERT INTO members VALUES (?, ?, ?, ?, ?)');
  const chunk = bare.transaction((from: number) => {
    for (let i = from; i < Math.min(from + 5000, MEMBERS + 1); i += 1) insert.run(`m-${String(i).padStart(8, '0')}`, `+90532${String(i).padStart(7, '0')}`, `Member ${i}`, i % 5000, '2026-11-30T00:00:00Z');
  });
  start = process.hrtime.bigint();
  for (let i = 1; i <= MEMBERS; i += 5000) chunk(i);
  const bareSeconds = seconds(start);
  bare.close();
  report('terminal snapshot load (postgres, loopback)', {
    members: loaded,
    seconds: round(loadSeconds, 2),
    rowsPerSecond: Math.round(loaded / loadSeconds),
    bareSqliteInsertRowsPerSecond: Math.round(MEMBERS / bareSeconds),
    ratio: round(loadSeconds / bareSeconds, 2),
    target: '< 30 s',
    meetsTarget: loadSeconds < 30,
  });

  // 2. A terminal with 100,000 queued entries catches up.
  const dataDir = tmp('kasa-bench-queue-');
  const queued = createTerminalCore({ dataDir, sync: false });
  queued.context.db.pragma('synchronous = OFF'); // making the fixture is not what is measured
  const ruleSet = defaultRuleSet('TRY');
  const memberIds = Array.from({ length: 100 }, () => randomUUID());
  queued.context.db.transaction(() => {
    const at = new Date().toISOString();
    memberIds.forEach((memberId, i) => {
      queued.context.db.prepare('INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES (?, ?, NULL, 0, ?)').run(memberId, `+90533${String(i).padStart(7, '0')}`, at);
      queued.context.ledger.append([{ kind: 'enrol', memberId, points: 0, amountMinor: null, currency: null, ruleSetVersion: null, saleId: null, breakdown: [], payload: { phone: `+90533${String(i).padStart(7, '0')}`, name: null }, cashierId: 'c1' }], at);
    });
    for (let i = memberIds.length; i < QUEUED; i += 1) {
      const lines = [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 + (i % 5000) }];
      const quote = quoteSale(ruleSet, { lines }, 0);
      queued.context.ledger.append(
        [{ kind: 'earn', memberId: memberIds[i % memberIds.length]!, points: quote.pointsEarned, amountMinor: quote.totalMinor, currency: 'TRY', ruleSetVersion: ruleSet.version, saleId: randomUUID(), breakdown: quote.breakdown, payload: { lines, redeemPoints: 0, subtotalMinor: quote.subtotalMinor, discountMinor: 0 }, cashierId: 'c1' }],
        at,
      );
    }
  })();
  queued.close();
  const catchUp = createTerminalCore({ dataDir });
  const { code: code2 } = await createEnrolCode(admin, 'bench', 'bench');
  // Only the push is measured: this new terminal then also loads the member snapshot.
  const done = untilIdle(catchUp, true);
  const enrolled2 = await catchUp.dispatchAsync('terminal.enrol', { serverUrl: server.url, code: code2 }, manager);
  if (!enrolled2.ok) throw new Error(enrolled2.error.message);
  start = process.hrtime.bigint();
  await done;
  const pushSeconds = seconds(start);
  const entries = catchUp.context.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM ledger').get()!.n;
  const ledgerEntries = (await import('../src-main/core/ledger-writer')).readEntries(catchUp.context.db, 1, QUEUED);
  catchUp.close();
  // Bare: the same rows straight into the server's ledger table, 1,000 per transaction.
  const bareId = `bare-${randomUUID().slice(0, 8)}`;
  await admin.query('INSERT INTO terminals (terminal_id, store_id, credential_hash) VALUES ($1, $2, $3)', [bareId, 'bench', randomUUID()]);
  start = process.hrtime.bigint();
  for (let i = 0; i < ledgerEntries.length; i += 1000) {
    const batch = ledgerEntries.slice(i, i + 1000).map((entry) => ({ memberId: entry.memberId, entry }));
    await admin.transaction((tx) => insertLedgerRows(tx, bareId, batch));
  }
  const barePushSeconds = seconds(start);
  report('terminal catch-up push (postgres server process)', {
    entries,
    seconds: round(pushSeconds, 2),
    entriesPerSecond: Math.round(entries / pushSeconds),
    bareServerInsertEntriesPerSecond: Math.round(entries / barePushSeconds),
    ratio: round(pushSeconds / barePushSeconds, 2),
    target: '> 10000 entries/s',
    meetsTarget: entries / pushSeconds > 10_000,
  });
} finally {
  await server.stop();
  await admin.close();
  await drop();
}
