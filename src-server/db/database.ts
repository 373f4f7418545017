// One SQL dialect on two engines: PostgreSQL through node-postgres, or PGlite embedded.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { codeOf, KasaError } from '../../src-shared/api/errors';
import { lockDataDir } from './data-dir-lock';
import { redactedUrl } from './redacted-url';

export type Queryable = {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
};

export type Database = Queryable & {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction; any throw rolls everything back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
};

// bigint and numeric come back as numbers: every amount and point count here is far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

const CONNECTION_HINTS: Record<string, string> = {
  ECONNREFUSED: 'check the host and port, and that PostgreSQL is running',
  ENOTFOUND: 'check the host name',
  EAI_AGAIN: 'check the host name and this machine\'s name service',
  ETIMEDOUT: 'check the host and port, and any firewall between',
  ECONNRESET: 'check the host and port, and the server\'s SSL settings',
  '3D000': 'create the database first (createdb), or name one that exists',
  '28P01': 'check the user and password',
  '28000': 'check the user, and pg_hba.conf on the database server',
};

/**
 * Why PostgreSQL cannot be reached or entered, said with where it was looked for (never the
 * password); null for any other failure, which the caller reports as it is.
 */
export function postgresUnavailable(connectionString: string, error: unknown): KasaError | null {
  const code = codeOf(error);
  const hint = typeof code === 'string' && Object.hasOwn(CONNECTION_HINTS, code) ? CONNECTION_HINTS[code] : undefined;
  if (!hint) return null;
  const reason = error instanceof Error ? error.message : String(error);
  return new KasaError('UNAVAILABLE', `Cannot use PostgreSQL at ${redactedUrl(connectionString)}: ${reason} (${hint})`);
}

export function openPostgres(connectionString: string, poolSize = 10): Database {
  // Pipelined: a statement is sent at once, not after the one before it answered, so ingest's
  // ledger chunks queue in PostgreSQL while the server checks the rest of the batch. (pg would
  // otherwise hold them in its own queue, which pg 9 drops: it warns when a query waits there.)
  const pool = new pg.Pool({ connectionString, max: poolSize, pipeline: true });
  // A dropped idle connection must not crash the server; the pool replaces it.
  pool.on('error', (error) => console.error('postgres pool:', error.message));
  return {
    kind: 'postgres',
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows;
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async (sql, params) => (await client.query(sql, params as unknown[])).rows });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/**
 * PGlite in this process: in memory (`dataDir` null), or on a folder that no other process may
 * use at the same time (see data-dir-lock.ts). `onLockLost` hears if the folder's lock is taken away.
 */
export async function openPglite(dataDir: string | null, onLockLost: (error: Error) => void = reportLockLost): Promise<Database> {
  const unlock = dataDir ? await lockDataDir(dataDir, onLockLost) : null;
  let db: PGlite;
  try {
    db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  } catch (error) {
    await unlock?.();
    throw error;
  }
  return {
    kind: 'pglite',
    async query(sql, params) {
      return (await db.query(sql, params as unknown[])).rows as never[];
    },
    async transaction(fn) {
      // PGlite runs one transaction at a time on its single connection.
      return db.transaction(async (tx) => fn({ query: async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never[] }));
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async close() {
      try {
        await db.close();
      } finally {
        await unlock?.();
      }
    },
  };
}

function reportLockLost(error: Error): void {
  console.error(`kasa server: the PGlite data folder's lock was lost (${error.message}); another process may now use the folder`);
}
