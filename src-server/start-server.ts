// Starting the server in-process: what the CLI does, and what tests and the terminal-side sync
// tests use. `startServer({database: {pgliteDir} | {url}, port, adminToken})` -> {url, db, close}.
import type { AddressInfo } from 'node:net';
import { buildApp, type AppOptions } from './app';
import { listenFailure } from '../src-shared/api/listen-failure';
import { openPglite, openPostgres, postgresUnavailable, type Database } from './db/database';
import { migrate } from './db/migrate';
import { realignFeedAfterRestore } from './feed';
import { scheduleOffers } from './offers';

/** PostgreSQL, or PGlite on a folder (null: in memory) with what to do if its lock is taken away. */
export type DatabaseChoice = { url: string; poolSize?: number } | { pgliteDir: string | null; onLockLost?: (error: Error) => void };

export type ServerOptions = Omit<AppOptions, 'db'> & {
  database: DatabaseChoice;
  port: number;
  host?: string;
  /** Compute personalised offers for today this often (minutes); absent or 0: only on demand. */
  offersEveryMinutes?: number;
  /** On close, how long requests still running may take before every connection is cut (default 10 s). */
  closeGraceMs?: number;
};

const CLOSE_GRACE_MS = 10_000;

export type RunningServer = { url: string; port: number; db: Database; close(): Promise<void> };

export async function openDatabase(choice: DatabaseChoice): Promise<Database> {
  const db = 'url' in choice ? openPostgres(choice.url, choice.poolSize) : await openPglite(choice.pgliteDir, choice.onLockLost);
  try {
    await migrate(db);
    await realignFeedAfterRestore(db);
  } catch (error) {
    await db.close();
    // The first statement: a server that cannot be reached, a database that does not exist.
    throw ('url' in choice ? postgresUnavailable(choice.url, error) : null) ?? error;
  }
  return db;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const db = await openDatabase(options.database);
  const app = await buildApp({ ...options, db }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  try {
    await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    // A port in use, say: let go of the database (and a PGlite folder's lock) before saying so.
    await app.close();
    await db.close();
    throw listenFailure(error, options.host ?? '127.0.0.1', options.port, { port: '--port', address: '--host' }) ?? error;
  }
  const { port } = app.server.address() as AddressInfo;
  const stopOffers = options.offersEveryMinutes ? scheduleOffers(db, options.offersEveryMinutes, (error) => app.log.error(error), options.now) : () => undefined;
  const closeOnce = async () => {
    stopOffers();
    // A snapshot stream to a slow reader, or a client holding a connection open, would otherwise
    // keep a restart waiting for a minute or more. Cutting them is safe: a push is one transaction
    // that commits or not whether its answer is sent (the terminal's retry is idempotent), and a
    // cut snapshot ends its transaction and is loaded again.
    const cut = setTimeout(() => app.server.closeAllConnections(), options.closeGraceMs ?? CLOSE_GRACE_MS);
    try {
      await app.close();
    } finally {
      clearTimeout(cut);
    }
    await db.close();
  };
  // Once: Ctrl-C signals `npm run server` and the server alike, and the wrapper passes its signal on.
  let closing: Promise<void> | null = null;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    db,
    close() {
      closing ??= closeOnce();
      return closing;
    },
  };
}
