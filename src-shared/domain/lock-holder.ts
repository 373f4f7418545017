// The process holding a data folder (a till's, or a PGlite server's), as a small JSON file beside
// the lock names it: the lock itself differs by layer, what a refused second process says does not.

export type LockHolder = { pid: number; hostname: string; since: string };

export const lockHolderJson = (pid: number, hostname: string, since: Date): string => `${JSON.stringify({ pid, hostname, since: since.toISOString() } satisfies LockHolder)}\n`;

/** The holder a file names, or null for a missing, partly written or foreign file. */
export function parseLockHolder(text: string | null): LockHolder | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    return value && Number.isInteger(value.pid) && typeof value.hostname === 'string' && typeof value.since === 'string' ? { pid: value.pid!, hostname: value.hostname, since: value.since } : null;
  } catch {
    return null;
  }
}

export const describeLockHolder = (holder: LockHolder | null): string => (holder ? `process ${holder.pid} on ${holder.hostname}, since ${holder.since}` : 'another process');
