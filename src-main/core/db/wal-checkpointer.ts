import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../logger';

/**
 * How many WAL pages the sale's own connection lets pile up before it checkpoints them itself:
 * the safety net while the worker runs (~40 MB of WAL), and SQLite's default when it does not.
 */
export const WAL_PAGES_BEFORE_INLINE_CHECKPOINT = 10_000;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1_000;

export type WalCheckpointerOptions = {
  /** Between two checkpoints of the worker (default 25 ms: ~1,000 pages at 5,000 sales/s). */
  intervalMs?: number;
  /** Where better-sqlite3 is loaded from in the worker (tests point it elsewhere to see the fallback). */
  modulePath?: string;
};

export type WalCheckpointer = {
  /**
   * Stops the worker and waits (up to STOP_WAIT_MS) until its connection is closed, so that the
   * main connection, closed next, is the last one: it then checkpoints the WAL into the database
   * file and removes the -wal and -shm files before close() returns. Until the main connection
   * closes it checkpoints as SQLite's default again.
   */
  stop(): void;
};

/** How long stop() waits for the worker to close its connection (it is between two checkpoints, or in one). */
const STOP_WAIT_MS = 2_000;

// Plain CommonJS run by the worker (eval): no loader, no bundle entry, the same in every shell.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
let timer = null;
const tick = () => {
  db.pragma('wal_checkpoint(PASSIVE)');
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  // The main thread waits on this word in stop().
  Atomics.store(workerData.closed, 0, 1);
  Atomics.notify(workerData.closed, 0);
  parentPort.close();
});
tick();
`;

/** The folder this module was loaded from: the desktop bundle is CommonJS, the host and the tests run it as an ES module. */
function moduleDir(): string {
  return typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
}

/**
 * Checkpoints the terminal's WAL from a worker thread with its own connection. A commit then
 * only appends its pages to the WAL and fsyncs it: copying pages into the database file and that
 * file's fsync happen beside the sales, on the other core, instead of inside every ~50th sale's
 * commit. PASSIVE never blocks the writer or a reader; what it has copied is durable before the
 * WAL restarts (SQLite fsyncs the WAL, then the database, within the checkpoint), so a crash at
 * any point loses nothing. Should the worker not start or stop on its own, the sale's connection
 * goes back to checkpointing every 1,000 pages itself, and the log says why.
 */
export function startWalCheckpointer(db: Database, log: Logger, options: WalCheckpointerOptions = {}): WalCheckpointer {
  let stopped = false;
  const fallBack = (reason: string) => {
    if (stopped) return;
    stopped = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    log.warn('core.wal-checkpointer-stopped', { reason });
  };
  let modulePath: string;
  try {
    modulePath = options.modulePath ?? createRequire(path.join(moduleDir(), 'wal-checkpointer.cjs')).resolve('better-sqlite3');
  } catch (error) {
    fallBack(`better-sqlite3 cannot be found for the worker: ${error instanceof Error ? error.message : String(error)}`);
    return { stop: () => undefined };
  }
  db.pragma(`wal_autocheckpoint = ${WAL_PAGES_BEFORE_INLINE_CHECKPOINT}`);
  // Set to 1 by the worker once its connection is closed.
  const closed = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // No loader (tsx in development) in a worker that runs plain JavaScript.
    execArgv: [],
    workerData: { file: db.name, modulePath, intervalMs: options.intervalMs ?? 25, closed },
  });
  worker.unref();
  worker.on('error', (error) => fallBack(error.message));
  worker.on('exit', (code) => fallBack(`the checkpoint worker exited (code ${code})`));
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('stop');
      if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
      // Synchronous, as closing the core is: the worker runs on its own thread meanwhile.
      if (Atomics.wait(closed, 0, 0, STOP_WAIT_MS) === 'timed-out') log.warn('core.wal-checkpointer-stop-timeout', { waitedMs: STOP_WAIT_MS });
    },
  };
}
