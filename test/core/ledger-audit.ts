import type { Database } from 'better-sqlite3';
import { verifyChain } from '../../src-shared/ledger/entry';
import { iterateEntries, sha256Hex } from '../../src-main/core/ledger-writer';

/** Everything a healthy terminal database must satisfy, read straight from the file. */
export function auditLedger(db: Database) {
  const chainBreak = verifyChain(iterateEntries(db), sha256Hex);
  const balanceMismatches = db
    .prepare(
      `SELECT m.member_id, m.balance, coalesce(sum(l.points), 0) AS ledger_sum
       FROM members m LEFT JOIN ledger l ON l.member_id = m.member_id
       GROUP BY m.member_id HAVING m.balance <> coalesce(sum(l.points), 0)`,
    )
    .all();
  const { entries } = db.prepare('SELECT count(*) AS entries FROM ledger').get() as { entries: number };
  const { outbox } = db.prepare('SELECT count(*) AS outbox FROM outbox').get() as { outbox: number };
  const { orphans } = db.prepare('SELECT count(*) AS orphans FROM ledger l LEFT JOIN outbox o ON o.seq = l.seq WHERE o.seq IS NULL').get() as { orphans: number };
  // A member sale has exactly its entries: no sale row without its earn entry, no entry without its sale.
  const { partialSales } = db
    .prepare(
      `SELECT count(*) AS partialSales FROM sales s
       WHERE s.member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.sale_id = s.sale_id AND l.kind = 'earn')`,
    )
    .get() as { partialSales: number };
  const { entriesWithoutSale } = db
    .prepare(`SELECT count(*) AS entriesWithoutSale FROM ledger l WHERE l.sale_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.sale_id = l.sale_id)`)
    .get() as { entriesWithoutSale: number };
  return { chainBreak, balanceMismatches, entries, outbox, orphans, partialSales, entriesWithoutSale };
}
