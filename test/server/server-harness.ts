// Test harness for the central server: every server test runs on PGlite and on a fresh
// PostgreSQL database, and simulated terminals make real hash-chained entries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore } from '../../src-server/admin';
import type { SuspicionThresholds } from '../../src-server/console/suspicious-activity';
import { openPglite, openPostgres, type Database } from '../../src-server/db/database';
import { startServer, type RunningServer } from '../../src-server/start-server';
import { freshDatabase, type Engine } from './databases';
import { ADMIN_TOKEN } from './sim-terminal';

export { ENGINES, freshDatabase, POSTGRES_ADMIN_URL, type Engine } from './databases';
export { ADMIN_TOKEN, http, pushBodyOf, sha256Hex, SimTerminal } from './sim-terminal';

export async function startTestServer(
  engine: Engine,
  options: {
    clockSkewToleranceMs?: number;
    enrolLimitPerMinute?: number;
    now?: () => Date;
    suspicion?: SuspicionThresholds;
    snapshotStallMs?: number;
    closeGraceMs?: number;
    pushConcurrency?: number;
    trustedProxies?: readonly string[];
    /** The chain card key file (default: a new one per server, made at its start; null: none). */
    cardKeyFile?: string | null;
  } = {},
) {
  const { choice, drop } = await freshDatabase(engine);
  const keyFolder = options.cardKeyFile === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'kasa-card-key-')) : null;
  const cardKeyFile = keyFolder ? path.join(keyFolder, 'card-key.json') : (options.cardKeyFile ?? null);
  const server = await startServer({ database: choice, port: 0, adminToken: ADMIN_TOKEN, enrolLimitPerMinute: options.enrolLimitPerMinute ?? 1000, rateLimitPerMinute: 100_000, ...options, cardKeyFile });
  await createStore(server.db, 'test', 'Kadıköy', 'kadikoy');
  return {
    server,
    choice,
    cardKeyFile,
    async close() {
      await server.close();
      await drop();
      if (keyFolder) fs.rmSync(keyFolder, { recursive: true, force: true });
    },
    /** The database only, for a test that closed the server itself. */
    drop,
  };
}

/** Balances must always equal the sum of the stored ledger and the owner's adjustments. */
export async function balancesMatchLedger(server: RunningServer): Promise<boolean> {
  const rows = await server.db.query<{ n: number }>(
    `SELECT count(*)::bigint AS n FROM members m
     WHERE m.balance <> coalesce((SELECT sum(points) FROM ledger l WHERE l.member_id = m.member_id), 0)
                      + coalesce((SELECT sum(points) FROM member_adjustments a WHERE a.member_id = m.member_id), 0)`,
  );
  return rows[0]?.n === 0;
}

/** A new database with nothing in it, not even the schema, opened without migrating: for a test of a migration. */
export async function openUnmigratedDatabase(engine: Engine): Promise<{ db: Database; close: () => Promise<void> }> {
  const { choice, drop } = await freshDatabase(engine, { unmigrated: true });
  const db = 'url' in choice ? openPostgres(choice.url) : await openPglite(choice.pgliteDir ?? null);
  return {
    db,
    async close() {
      await db.close();
      await drop();
    },
  };
}
