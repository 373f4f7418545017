// One process at a time on a PGlite data folder. PGlite is PostgreSQL inside this process: a
// second process on the same folder (the server started twice, an admin command while the server
// runs) works on its own copy of the same files, and what one writes the other overwrites or never
// sees. proper-lockfile holds a lock directory in the folder and refreshes its mtime while the
// process lives, so the lock of a process that died goes stale; beside it, a small file names the
// holder, so that a second process can say who holds the folder and take over at once from one
// that was killed on this machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { KasaError } from '../../src-shared/api/errors';
import { describeLockHolder, readLockHolder, writeLockHolder, type LockHolder } from '../../src-shared/domain/lock-holder';

export const LOCK_NAME = 'kasa-server.lock';
export const HOLDER_NAME = 'kasa-server.holder.json';
/** A lock whose mtime was not refreshed for this long belongs to a process that is gone. */
const STALE_MS = 10_000;

/**
 * Takes the folder for this process (creating it if needed) and returns its release. A folder held
 * by a live process is refused with UNAVAILABLE. `onLost` is called if the lock is taken away
 * while held (its directory removed, or its refresh failing for longer than it stays fresh).
 */
export async function lockDataDir(dir: string, onLost: (error: Error) => void): Promise<() => Promise<void>> {
  fs.mkdirSync(dir, { recursive: true });
  const folder = fs.realpathSync(dir);
  const holderPath = path.join(folder, HOLDER_NAME);
  const options = { lockfilePath: path.join(folder, LOCK_NAME), realpath: false, stale: STALE_MS, onCompromised: onLost };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const holder = readHolderFile(holderPath);
    if (!holder || holder.hostname !== os.hostname() || isRunning(holder.pid)) throw inUse(folder, holder);
    // Left by a process of this machine that stopped without letting go (killed, a power cut):
    // take it now rather than when it goes stale.
    fs.rmSync(options.lockfilePath, { recursive: true, force: true });
    try {
      release = await lockfile.lock(folder, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'ELOCKED') throw inUse(folder, readHolderFile(holderPath));
      throw again;
    }
  }
  writeLockHolder((text) => fs.writeFileSync(holderPath, text), { pid: process.pid, hostname: os.hostname(), since: new Date() });
  return async () => {
    fs.rmSync(holderPath, { force: true });
    await release();
  };
}

function inUse(folder: string, holder: LockHolder | null): KasaError {
  return new KasaError(
    'UNAVAILABLE',
    `The data folder ${folder} is in use by ${describeLockHolder(holder)}. One process at a time can use a PGlite folder: stop that server first, or, while it runs, use its HTTP admin API (/v1/admin). A lock left by a process that stopped goes stale ${STALE_MS / 1000} s after it stopped.`,
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** Linux: a killed process stays in the table until its parent reaps it; it holds nothing then. */
function isZombie(pid: number): boolean {
  try {
    // "pid (command) state ...": the command may hold spaces and parentheses, the state follows the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

const readHolderFile = (file: string): LockHolder | null => readLockHolder(() => fs.readFileSync(file, 'utf8'));
