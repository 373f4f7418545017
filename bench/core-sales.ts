// Sale completion (preview + commit, synchronous=FULL) through the core, beside a bare 1-row
// insert transaction with FULL on the same disk, and sustained sales per second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createTerminalCore } from '../src-main/core/terminal-core';
import { benchScale, cpuMicrosSince, percentiles, report, round, sample, scaled } from './bench-util';

const SALES = Number(process.env.BENCH_SALES ?? scaled(5000));
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? Math.max(0.2, 5 * benchScale));
const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'kasa-bench-sales-'));
const dataDir = path.join(dir, 'terminal');
let core = createTerminalCore({ dataDir });
const caller = { role: 'cashier' as const, userId: 'bench' };

const enrolled = core.dispatch('members.enroll', { phone: '+905321234567' }, caller);
if (!enrolled.ok) throw new Error(enrolled.error.message);
const memberId = (enrolled.value as { member: { memberId: string } }).member.memberId;
const saleOf = (n: number) => ({
  memberId,
  lines: [
    { category: 'Groceries', qty: 1 + (n % 3), unitPriceMinor: 1299 },
    { category: 'Bakery', qty: 2, unitPriceMinor: 450 },
    { category: 'Drinks', qty: 1, unitPriceMinor: 899 },
  ],
});
let n = 0;
const completeOne = () => {
  n += 1;
  const draft = saleOf(n);
  const preview = core.dispatch('sales.preview', draft, caller);
  if (!preview.ok) throw new Error(preview.error.message);
  const done = core.dispatch('sales.complete', { ...draft, idempotencyKey: `bench-sale-${n}` }, caller);
  if (!done.ok) throw new Error(done.error.message);
};

// The baseline: the cheapest durable write on the same disk.
const bare = new BetterSqlite3(path.join(dir, 'bare.db'));
bare.pragma('journal_mode = WAL');
bare.pragma('synchronous = FULL');
bare.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT');
const bareInsert = bare.prepare('INSERT INTO t (v) VALUES (?)');
const bareTx = bare.transaction((v: string) => bareInsert.run(v));

for (let i = 0; i < 200; i += 1) {
  completeOne();
  bareTx('warm');
}
// Interleave the two so machine noise hits both alike.
const saleSamples: number[] = [];
const bareSamples: number[] = [];
let bareCpuMicros = 0;
for (let i = 0; i < SALES; i += 1) {
  saleSamples.push(...sample(1, completeOne));
  const cpuBefore = process.threadCpuUsage();
  bareSamples.push(...sample(1, () => bareTx(`row ${i}`)));
  bareCpuMicros += cpuMicrosSince(cpuBefore);
}

const sustainedStart = process.hrtime.bigint();
let sustained = 0;
while (Number(process.hrtime.bigint() - sustainedStart) < SUSTAINED_SECONDS * 1e9) {
  completeOne();
  sustained += 1;
}
const sustainedSeconds = Number(process.hrtime.bigint() - sustainedStart) / 1e9;

// Several lanes selling at once (tills, POS clients on the host) go through dispatchAsync, where
// sales waiting together are group-committed: one transaction and one fsync per group.
const LANES = Number(process.env.BENCH_LANES ?? 8);
const completeOneAsync = async () => {
  n += 1;
  const k = n;
  const draft = saleOf(k);
  const preview = await core.dispatchAsync('sales.preview', draft, caller);
  if (!preview.ok) throw new Error(preview.error.message);
  const done = await core.dispatchAsync('sales.complete', { ...draft, idempotencyKey: `bench-sale-${k}` }, caller);
  if (!done.ok) throw new Error(done.error.message);
};
/** Sells on every lane until `seconds` have passed; returns the sales and the seconds they took. */
const sellOnLanes = async (seconds: number): Promise<{ sold: number; seconds: number }> => {
  const start = process.hrtime.bigint();
  let sold = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (Number(process.hrtime.bigint() - start) < seconds * 1e9) {
        await completeOneAsync();
        sold += 1;
      }
    }),
  );
  return { sold, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
};
// The lanes' own path (dispatchAsync, the group's savepoints) is warmed first, as the one-lane
// figure is by the sales before it: its first thousands of sales run before V8 has optimised it.
const lanesWarmup = await sellOnLanes(Math.max(0.1, 2 * benchScale));
const groupsBefore = core.groupCommitStats();
const lanesCpuBefore = process.threadCpuUsage();
const { sold: lanesSold, seconds: lanesSeconds } = await sellOnLanes(SUSTAINED_SECONDS);
const lanesCpuMicrosPerSale = cpuMicrosSince(lanesCpuBefore) / Math.max(1, lanesSold);
const groupsAfter = core.groupCommitStats();

// What a commit writes: WAL frames (pages) per sale, over sales on one lane with checkpoints paused
// (a checkpoint reports the frames the WAL holds): the same terminal opened again without its
// checkpoint worker, which would otherwise restart the WAL under the count.
const salesSummary = { groups: groupsAfter.groups - groupsBefore.groups, grouped: groupsAfter.grouped - groupsBefore.grouped };
core.close();
core = createTerminalCore({ dataDir, walCheckpointer: false });
const { db } = core.context;
type Checkpoint = { busy: number; log: number; checkpointed: number };
db.pragma('wal_checkpoint(TRUNCATE)');
const autocheckpoint = Number(db.pragma('wal_autocheckpoint', { simple: true }));
db.pragma('wal_autocheckpoint = 0');
const PAGE_SALES = 200;
for (let i = 0; i < PAGE_SALES; i += 1) completeOne();
const [frames] = db.pragma('wal_checkpoint(PASSIVE)') as Checkpoint[];
db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);

const saleP = percentiles(saleSamples);
const bareP = percentiles(bareSamples);
report('sale-completion', {
  sales: SALES,
  unit: 'ms',
  synchronous: db.pragma('synchronous', { simple: true }) === 2 ? 'FULL' : 'not FULL',
  previewPlusCommit: saleP,
  bareFullInsertTx: bareP,
  ratioP50: round(saleP.p50 / bareP.p50, 2),
  // One lane: each sale waits for its own commit (dispatch, as a single till does).
  sustainedSalesPerSecond: Math.round(sustained / sustainedSeconds),
  lanes: LANES,
  sustainedSalesPerSecondLanes: Math.round(lanesSold / lanesSeconds),
  lanesWarmupSalesPerSecond: Math.round(lanesWarmup.sold / lanesWarmup.seconds),
  salesPerCommitLanes: round(salesSummary.grouped / Math.max(1, salesSummary.groups), 2),
  // One fsync per sale bounds throughput: the bare FULL insert's rate is the ceiling on this disk.
  bareFullInsertCeilingPerSecond: Math.round(1000 / bareP.mean),
  walPagesPerSale: frames ? round(frames.log / PAGE_SALES, 2) : null,
  // The core runs on one thread: its CPU time per sale (waits for the disk excluded) bounds the
  // lanes' rate on this machine however fast the disk is. Beside it, the bare insert's.
  mainThreadCpuMicros: { perSaleLanes: round(lanesCpuMicrosPerSale, 1), perBareFullInsertTx: round(bareCpuMicros / SALES, 1) },
  cpuBoundCeilingSalesPerSecondLanes: Math.round(1e6 / lanesCpuMicrosPerSale),
  targets: { ratioP50Max: 3, sustainedSalesPerSecondMin: 5000 },
});
core.close();
bare.close();
fs.rmSync(dir, { recursive: true, force: true });
