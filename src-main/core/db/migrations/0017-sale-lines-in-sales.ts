import type { Database } from 'better-sqlite3';

// A sale's lines are no longer written twice: its receipt (stored in its row) already holds every
// line as the engine priced it, and sale_lines cost each sale one more b-tree in its commit (~1.8
// WAL pages) and one more statement. The lines of sales recorded before move into their rows
// (`sales.lines`, a JSON array in line order, every field); a new sale leaves it NULL.
export function updateToSchemaVersion17(db: Database): void {
  db.exec(`
    ALTER TABLE sales ADD COLUMN lines TEXT;
    UPDATE sales SET lines = (
      SELECT json_group_array(json_object(
               'sku', l.sku, 'name', l.name, 'category', l.category, 'qty', l.qty, 'unitPriceMinor', l.unit_price_minor,
               'amountMinor', l.amount_minor, 'discountMinor', l.discount_minor, 'points', l.points) ORDER BY l.line_no)
      FROM sale_lines l WHERE l.sale_id = sales.sale_id)
    WHERE EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = sales.sale_id);
    DROP TABLE sale_lines;
  `);
}
