import type { Database } from 'better-sqlite3';

// Only a refund looked a sale's earn entry up by sale_id, and it now follows the seqs the sale's
// receipt recorded. Every ledger entry paid for this index with one more b-tree page in its commit.
export function updateToSchemaVersion16(db: Database): void {
  db.exec('DROP INDEX ledger_sale;');
}
