// A push sends each entry's JSON made straight from its row (breakdown and payload are stored as
// JSON text): it must be exactly the text of the entry the row holds, for every kind of entry.
import { describe, expect, it } from 'vitest';
import { rowToEntry, rowToEntryJson, type LedgerRow } from '../../src-main/core/ledger-writer';
import { canonicalJson } from '../../src-shared/ledger/canonical-json';
import { call, openCore, tempDir } from './helpers';

describe('an entry as JSON from its row', () => {
  it('is the JSON of the entry the row holds, escapes and nulls included', () => {
    const core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234567', name: 'Ayşe "Ay" \\ Yılmaz\n\u2028' });
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Fırın', name: 'Simit "büyük"', qty: 3, unitPriceMinor: 1250 }], idempotencyKey: 'json-sale-1' });
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'G', qty: 1, unitPriceMinor: 9000 }], redeemPoints: 10, idempotencyKey: 'json-sale-2' }, { role: 'manager', userId: 'm-1' });
    const rows = core.context.db.prepare<[], LedgerRow>('SELECT * FROM ledger ORDER BY seq').all();
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['enrol', 'earn', 'redeem']));
    for (const row of rows) {
      const text = rowToEntryJson(row);
      expect(text).toBe(JSON.stringify(rowToEntry(row)));
      expect(JSON.parse(text)).toEqual(rowToEntry(row));
    }
    core.close();
  });

  it('holds breakdown and payload in canonical key order, so a push sends each entry as it was hashed', () => {
    const core = openCore(tempDir());
    const { member } = call(core, 'members.enroll', { phone: '05321234568', name: 'Zeynep' });
    call(core, 'sales.complete', { memberId: member.memberId, lines: [{ category: 'Fırın', name: 'Simit', qty: 2, unitPriceMinor: 1250 }], idempotencyKey: 'canonical-sale-1' });
    const rows = core.context.db.prepare<[], LedgerRow>('SELECT * FROM ledger ORDER BY seq').all();
    const earn = rows.find((r) => r.kind === 'earn');
    // The sale's payload is written by code in another order (lines first): the row holds it sorted.
    expect(Object.keys(JSON.parse(earn!.payload) as object)).toEqual(Object.keys(JSON.parse(earn!.payload) as object).sort());
    for (const row of rows) {
      expect(row.payload).toBe(canonicalJson(JSON.parse(row.payload)));
      expect(row.breakdown).toBe(canonicalJson(JSON.parse(row.breakdown)));
    }
    core.close();
  });
});
