import type { Database } from './database';
import { MIGRATION_0001_INITIAL } from './migrations/0001-initial';
import { MIGRATION_0002_FEED_FLOOR_POSITION } from './migrations/0002-feed-floor-position';
import { MIGRATION_0003_CONSOLE_ADMINS } from './migrations/0003-console-admins';
import { MIGRATION_0004_EXCEPTIONS_MEMBERS } from './migrations/0004-exceptions-members';
import { MIGRATION_0005_INSIGHTS } from './migrations/0005-insights';
import { MIGRATION_0006_OFFERS } from './migrations/0006-offers';
import { MIGRATION_0007_CATALOGUES } from './migrations/0007-catalogues';
import { MIGRATION_0008_OFFER_UPTAKE } from './migrations/0008-offer-uptake';
import { MIGRATION_0009_BALANCE_VERSIONS } from './migrations/0009-balance-versions';
import { MIGRATION_0010_LEDGER_WITHOUT_TERMINAL_FK } from './migrations/0010-ledger-without-terminal-fk';
import { MIGRATION_0011_TERMINAL_TIME_ZONE } from './migrations/0011-terminal-time-zone';
import { MIGRATION_0012_EXCEPTION_RESOLUTION_ACTION } from './migrations/0012-exception-resolution-action';
import { MIGRATION_0013_TERMINAL_LAST_PULL } from './migrations/0013-terminal-last-pull';
import { MIGRATION_0014_LINKED_CARDS } from './migrations/0014-linked-cards';

export type ServerMigration = { version: number; name: string; sql: string };

// Numbered, forward-only, append-only. Both engines run the same SQL.
export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  { version: 1, name: '0001-initial', sql: MIGRATION_0001_INITIAL },
  { version: 2, name: '0002-feed-floor-position', sql: MIGRATION_0002_FEED_FLOOR_POSITION },
  { version: 3, name: '0003-console-admins', sql: MIGRATION_0003_CONSOLE_ADMINS },
  { version: 4, name: '0004-exceptions-members', sql: MIGRATION_0004_EXCEPTIONS_MEMBERS },
  { version: 5, name: '0005-insights', sql: MIGRATION_0005_INSIGHTS },
  { version: 6, name: '0006-offers', sql: MIGRATION_0006_OFFERS },
  { version: 7, name: '0007-catalogues', sql: MIGRATION_0007_CATALOGUES },
  { version: 8, name: '0008-offer-uptake', sql: MIGRATION_0008_OFFER_UPTAKE },
  { version: 9, name: '0009-balance-versions', sql: MIGRATION_0009_BALANCE_VERSIONS },
  { version: 10, name: '0010-ledger-without-terminal-fk', sql: MIGRATION_0010_LEDGER_WITHOUT_TERMINAL_FK },
  { version: 11, name: '0011-terminal-time-zone', sql: MIGRATION_0011_TERMINAL_TIME_ZONE },
  { version: 12, name: '0012-exception-resolution-action', sql: MIGRATION_0012_EXCEPTION_RESOLUTION_ACTION },
  { version: 13, name: '0013-terminal-last-pull', sql: MIGRATION_0013_TERMINAL_LAST_PULL },
  { version: 14, name: '0014-linked-cards', sql: MIGRATION_0014_LINKED_CARDS },
];

export class SchemaTooNewError extends Error {}

/** Runs pending migrations under an advisory lock, so several server processes can start at once. */
export async function migrate(db: Database, migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0;
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7261001)');
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const [row] = await tx.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const current = Number(row?.version ?? 0);
    if (current > latest) throw new SchemaTooNewError(`The database schema is version ${current}; this server knows up to ${latest}. Deploy the newer server.`);
    for (const m of migrations) {
      if (m.version <= current) continue;
      for (const statement of m.sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    return latest;
  });
}
