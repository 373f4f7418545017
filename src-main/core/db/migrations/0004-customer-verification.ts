import type { Database } from 'better-sqlite3';

// A customer PIN (optional, set at enrolment) that can be required before points are spent,
// with its own lockout so a phone number alone cannot be used to guess it.
export function updateToSchemaVersion4(db: Database): void {
  db.exec(`
    ALTER TABLE members ADD COLUMN customer_pin_hash TEXT;
    ALTER TABLE members ADD COLUMN customer_pin_failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE members ADD COLUMN customer_pin_locked_until TEXT;
  `);
}
