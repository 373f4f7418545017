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
import { startupDetails } from '../startup-failure';
import { describeLockHolder, readLockHolder, writeLockHolder, type LockHolder } from '../../../src-shared/domain/lock-holder';

export const LOCK_FILE = 'kasa.lock';
/** Who holds the folder, for the message a second process shows (the lock itself is the file above). */
export const HOLDER_FILE = 'kasa.lock.json';

export type DataDirLock = { release(): void };

/** Takes `dataDir` (which must exist) for this process; a folder another process holds is refused with UNAVAILABLE. */
export function lockDataDir(dataDir: string): DataDirLock {
  const holderFile = path.join(dataDir, HOLDER_FILE);
  // timeout 0: a held lock is answered at once, not after better-sqlite3's default 5 s wait.
  let lock: BetterSqlite3.Database;
  try {
    lock = new BetterSqlite3(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  } catch (error) {
    throw folderNotWritable(dataDir, error);
  }
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if (codeOf(error) !== 'SQLITE_BUSY') throw folderNotWritable(dataDir, error);
    throw new KasaError(
      'UNAVAILABLE',
      `The till's data folder ${dataDir} is in use by ${describeLockHolder(readHolderFile(holderFile))}: one Kasa process at a time can use it. Close the other Kasa window or host (or use its local API), then start again.`,
      startupDetails('folder-in-use'),
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

/** The lock file cannot be made or written: the folder is read-only or not the till's to write; anything else as it was. */
function folderNotWritable(dataDir: string, error: unknown): unknown {
  const code = String(codeOf(error) ?? '');
  if (!/^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_PERM|EACCES|EPERM)/.test(code)) return error;
  return new KasaError('STORAGE', `The till's data folder ${dataDir} cannot be written (${error instanceof Error ? error.message : code}): check it exists and this user may write to it.`, startupDetails('folder-not-writable'));
}
