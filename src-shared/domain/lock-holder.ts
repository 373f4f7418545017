// The process holding a data folder (a till's, or a PGlite server's), as a small JSON file beside
// the lock names it: the lock itself differs by layer, what a refused second process says does not.
// The file is read and written through the caller's functions (this layer touches no files).

export type LockHolder = { pid: number; hostname: string; since: string };

/**
 * Writes the holder through `write`. Best effort: the name is for the message of a refused
 * process, and the lock holds without it (a full disk is the database's to report).
 */
export function writeLockHolder(write: (text: string) => void, holder: { pid: number; hostname: string; since: Date }): void {
  try {
    write(`${JSON.stringify({ pid: holder.pid, hostname: holder.hostname, since: holder.since.toISOString() } satisfies LockHolder)}\n`);
  } catch {
    // the lock holds without it
  }
}

/** The holder `read` gives the file of, or null for a missing, partly written or foreign file. */
export function readLockHolder(read: () => string): LockHolder | null {
  try {
    const value = JSON.parse(read()) as Partial<LockHolder> | null;
    return value && Number.isInteger(value.pid) && typeof value.hostname === 'string' && typeof value.since === 'string' ? { pid: value.pid!, hostname: value.hostname, since: value.since } : null;
  } catch {
    return null;
  }
}

export const describeLockHolder = (holder: LockHolder | null): string => (holder ? `process ${holder.pid} on ${holder.hostname}, since ${holder.since}` : 'another process');
