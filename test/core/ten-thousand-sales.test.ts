import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { auditLedger } from './ledger-audit';
import { call, openCore, tempDir } from './helpers';

describe('10,000 sales on a real SQLite file', () => {
  it('reopens with ledger sums equal to balances, every entry in the outbox, and a verified chain', { timeout: 240_000 }, () => {
    const dir = tempDir();
    let core = openCore(dir, { checkResults: false });
    const members = Array.from({ length: 50 }, (_, i) => call(core, 'members.enroll', { phone: `0532${String(1000000 + i).padStart(7, '0')}` }).member.memberId);
    let expectedPoints = 0;
    for (let n = 0; n < 10_000; n += 1) {
      const memberId = members[n % members.length];
      const receipt = call(core, 'sales.complete', {
        ...(n % 10 === 9 ? {} : { memberId }),
        lines: [
          { category: 'Groceries', qty: 1 + (n % 4), unitPriceMinor: 199 + (n % 1000) },
          { category: 'Drinks', qty: 1, unitPriceMinor: 350 },
        ],
        idempotencyKey: `bulk-sale-${n}`,
      });
      if (receipt.member) expectedPoints += receipt.pointsEarned;
    }
    core.close();

    core = openCore(dir);
    const status = call(core, 'terminal.status', {});
    expect(status.members).toBe(50);
    expect(status.queuedEntries).toBe(50 + 9_000);
    core.close();

    const db = new BetterSqlite3(path.join(dir, 'kasa.db'), { readonly: true });
    const audit = auditLedger(db);
    expect(audit.chainBreak).toBeNull();
    expect(audit.balanceMismatches).toEqual([]);
    expect(audit.entries).toBe(9_050);
    expect(audit.outbox).toBe(audit.entries);
    expect(audit.orphans).toBe(0);
    const { total } = db.prepare('SELECT sum(balance) AS total FROM members').get() as { total: number };
    expect(total).toBe(expectedPoints);
    expect((db.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(10_000);
    db.close();
  });
});
