import type { Database } from 'better-sqlite3';

// Fewer b-trees written per sale (each one is a page in the commit's WAL frames), nothing else changes:
// - sale_lines, point_lots and tier_qualifying are kept by their key WITHOUT ROWID: one b-tree each
//   instead of the table and its key index. Their rows are small, as WITHOUT ROWID wants.
// - tier_qualifying is keyed by (member, instant, sale): a refund's row for a sale adds into the sale's
//   row (ON CONFLICT), so the sums the tier window reads are exactly those of the separate rows.
export function updateToSchemaVersion12(db: Database): void {
  db.exec(`
    CREATE TABLE sale_lines_by_sale (
      sale_id TEXT NOT NULL REFERENCES sales (sale_id),
      line_no INTEGER NOT NULL,
      sku TEXT,
      name TEXT,
      category TEXT NOT NULL,
      qty INTEGER NOT NULL,
      unit_price_minor INTEGER NOT NULL,
      amount_minor INTEGER NOT NULL,
      discount_minor INTEGER NOT NULL,
      points INTEGER NOT NULL,
      PRIMARY KEY (sale_id, line_no)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO sale_lines_by_sale SELECT sale_id, line_no, sku, name, category, qty, unit_price_minor, amount_minor, discount_minor, points FROM sale_lines;
    DROP TABLE sale_lines;
    ALTER TABLE sale_lines_by_sale RENAME TO sale_lines;

    CREATE TABLE point_lots_by_member (
      member_id TEXT NOT NULL REFERENCES members (member_id),
      ref TEXT NOT NULL,
      earned_at TEXT NOT NULL,
      expires_on TEXT,
      ord INTEGER NOT NULL,
      remaining INTEGER NOT NULL CHECK (remaining > 0),
      PRIMARY KEY (member_id, ref)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO point_lots_by_member SELECT member_id, ref, earned_at, expires_on, ord, remaining FROM point_lots;
    DROP TABLE point_lots;
    ALTER TABLE point_lots_by_member RENAME TO point_lots;

    CREATE TABLE tier_qualifying_by_member (
      member_id TEXT NOT NULL REFERENCES members (member_id),
      at_ms INTEGER NOT NULL,
      sale_id TEXT NOT NULL,
      spend_minor INTEGER NOT NULL,
      points INTEGER NOT NULL,
      PRIMARY KEY (member_id, at_ms, sale_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO tier_qualifying_by_member
      SELECT member_id, at_ms, sale_id, sum(spend_minor), sum(points) FROM tier_qualifying GROUP BY member_id, at_ms, sale_id;
    DROP TABLE tier_qualifying;
    ALTER TABLE tier_qualifying_by_member RENAME TO tier_qualifying;
  `);
}
