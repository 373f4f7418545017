import type { Database } from 'better-sqlite3';

// A failed sync attempt keeps a code beside its message (src-shared/sync/sync-errors.ts), so every
// screen and the day report say what went wrong in their own language; the message stays as the
// technical detail. No list of codes here: a later version may add codes without rebuilding the table.
export function updateToSchemaVersion19(db: Database): void {
  db.exec(`
    -- NULL beside an error recorded before codes: it reads as 'other'.
    ALTER TABLE sync_state ADD COLUMN last_error_code TEXT CHECK (last_error_code GLOB '[a-z]*' AND last_error_code NOT GLOB '*[^a-z-]*');
  `);
}
