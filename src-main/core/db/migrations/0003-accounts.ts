import type { Database } from 'better-sqlite3';

// Cashier and manager accounts. PINs are stored only as scrypt hashes.
export function updateToSchemaVersion3(db: Database): void {
  db.exec(`
    CREATE TABLE users (
      user_id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
      pin_hash TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
  `);
}
