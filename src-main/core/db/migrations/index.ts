import type { Database } from 'better-sqlite3';
import { updateToSchemaVersion1 } from './0001-initial';
import { updateToSchemaVersion2 } from './0002-audit-log';
import { updateToSchemaVersion3 } from './0003-accounts';
import { updateToSchemaVersion4 } from './0004-customer-verification';
import { updateToSchemaVersion5 } from './0005-programme';
import { updateToSchemaVersion6 } from './0006-sync';
import { updateToSchemaVersion7 } from './0007-devices';
import { updateToSchemaVersion8 } from './0008-offers';
import { updateToSchemaVersion9 } from './0009-adjustments';
import { updateToSchemaVersion10 } from './0010-products';
import { updateToSchemaVersion11 } from './0011-lighter-sale-and-lookup';
import { updateToSchemaVersion12 } from './0012-sale-tables-without-rowid';
import { updateToSchemaVersion13 } from './0013-balance-versions';
import { updateToSchemaVersion14 } from './0014-drop-audit-outbox';
import { updateToSchemaVersion15 } from './0015-drop-outbox-pending-index';
import { updateToSchemaVersion16 } from './0016-drop-ledger-sale-index';
import { updateToSchemaVersion17 } from './0017-sale-lines-in-sales';
import { updateToSchemaVersion18 } from './0018-audit-indexes-without-sales';
import { updateToSchemaVersion19 } from './0019-sync-error-codes';
import { updateToSchemaVersion20 } from './0020-chain-card-tokens';

export type Migration = { version: number; name: string; up: (db: Database) => void };

// One file per version, strictly increasing. Append only: a shipped migration never changes.
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '0001-initial', up: updateToSchemaVersion1 },
  { version: 2, name: '0002-audit-log', up: updateToSchemaVersion2 },
  { version: 3, name: '0003-accounts', up: updateToSchemaVersion3 },
  { version: 4, name: '0004-customer-verification', up: updateToSchemaVersion4 },
  { version: 5, name: '0005-programme', up: updateToSchemaVersion5 },
  { version: 6, name: '0006-sync', up: updateToSchemaVersion6 },
  { version: 7, name: '0007-devices', up: updateToSchemaVersion7 },
  { version: 8, name: '0008-offers', up: updateToSchemaVersion8 },
  { version: 9, name: '0009-adjustments', up: updateToSchemaVersion9 },
  { version: 10, name: '0010-products', up: updateToSchemaVersion10 },
  { version: 11, name: '0011-lighter-sale-and-lookup', up: updateToSchemaVersion11 },
  { version: 12, name: '0012-sale-tables-without-rowid', up: updateToSchemaVersion12 },
  { version: 13, name: '0013-balance-versions', up: updateToSchemaVersion13 },
  { version: 14, name: '0014-drop-audit-outbox', up: updateToSchemaVersion14 },
  { version: 15, name: '0015-drop-outbox-pending-index', up: updateToSchemaVersion15 },
  { version: 16, name: '0016-drop-ledger-sale-index', up: updateToSchemaVersion16 },
  { version: 17, name: '0017-sale-lines-in-sales', up: updateToSchemaVersion17 },
  { version: 18, name: '0018-audit-indexes-without-sales', up: updateToSchemaVersion18 },
  { version: 19, name: '0019-sync-error-codes', up: updateToSchemaVersion19 },
  { version: 20, name: '0020-chain-card-tokens', up: updateToSchemaVersion20 },
];

export function assertStrictlyIncreasing(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = i === 0 ? 0 : (migrations[i - 1]?.version ?? 0);
    if (m.version <= previous) throw new Error(`Migration ${m.name} (version ${m.version}) is not after version ${previous}`);
  });
}

assertStrictlyIncreasing(MIGRATIONS);

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
