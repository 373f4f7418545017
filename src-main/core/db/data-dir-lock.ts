// One terminal process per data folder. Two processes on one folder would both be this till, with
// one ledger but two group commits, two sets of sessions, two device managers on the same scanners
// and two sync loops: SQLite keeps the file whole, but the second process's sales fail or wait on
// the first's locks mid-queue. The lock is SQLite's own: an exclusive transaction held open on a
// small file beside the database, which the operating system drops when the process ends, however
// it ends (SIGKILL, a power cut), so there is nothing stale to clear after a crash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { codeOf, KasaError } from '../../../src-shared/api/errors';
import { describeLockHolder, readLockHolder, writeLockHolder, type LockHolder } from '../../../src-shared/domain/lock-holder';

export const LOCK_FILE = 'kasa.lock';
/** Who holds the folder, for the message a second process shows (the lock itself is the file above). */
export const HOLDER_FILE = 'kasa.lock.json';

export type DataDirLock = { release(): void };

/** Takes `dataDir` (which must exist) for this process; a folder another process holds is refused with UNAVAILABLE. */
export function lockDataDir(dataDir: string): DataDirLock {
  const holderFile = path.join(dataDir, HOLDER_FILE);
  // timeout 0: a held lock is answered at once, not after better-sqlite3's default 5 s wait.
  const lock = new BetterSqlite3(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (codeOf(error) !== 'SQLITE_BUSY') throw error;
    throw new KasaError(
      'UNAVAILABLE',
      `The till's data folder ${dataDir} is in use by ${describeLockHolder(readHolderFile(holderFile))}: one Kasa process at a time can use it. Close the other Kasa window or host (or use its local API), then start again.`,
    );
  }
  writeLockHolder((text) => fs.writeFileSync(holderFile, text), { pid: process.pid, hostname: os.hostname(), since: new Date() });
  return {
    release() {
      if (!lock.open) return;
      fs.rmSync(holderFile, { force: true });
      lock.close();
    },
  };
}

const readHolderFile = (file: string): LockHolder | null => readLockHolder(() => fs.readFileSync(file, 'utf8'));
