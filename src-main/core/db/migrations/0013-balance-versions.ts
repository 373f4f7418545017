import type { Database } from 'better-sqlite3';

// Servers now number every change of a member's balance (a version). The terminal keeps the version
// of the server balance it shows, so an older balance arriving later (the feed is not in commit
// order, and a push's answer brings a newer one first) cannot replace a newer one.
export function updateToSchemaVersion13(db: Database): void {
  db.exec(`
    -- NULL: heard from a server that does not number balances (any later balance replaces it).
    ALTER TABLE server_balances ADD COLUMN version INTEGER CHECK (version >= 0);
  `);
}
