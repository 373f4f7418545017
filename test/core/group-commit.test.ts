import { afterEach, describe, expect, it } from 'vitest';
import type { SaleReceipt } from '../../src-shared/api/contract';
import type { ApiResult } from '../../src-shared/api/result';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { auditLedger } from './ledger-audit';
import { call, cashier, openCore, tempDir } from './helpers';

// sales.complete through dispatchAsync: calls waiting together share one transaction, each in its
// own savepoint, and each is answered only after the commit.
describe('group commit of sales', () => {
  let core: TerminalCore;
  afterEach(() => core.close());

  const setUp = () => {
    core = openCore(tempDir('kasa-group-'), { sync: false });
    const { member } = call(core, 'members.enroll', { phone: '+905321234567' });
    return member.memberId;
  };
  const sale = (memberId: string, key: string, extra: Record<string, unknown> = {}) =>
    core.dispatchAsync('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 }], idempotencyKey: key, ...extra }, cashier);
  const count = (sql: string) => (core.context.db.prepare(sql).get() as { n: number }).n;

  it('commits sales waiting together in one transaction, each with its own entries, audit record and event', async () => {
    const memberId = setUp();
    const events: string[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'sale.completed') events.push((payload as { saleId: string }).saleId);
    });
    const before = core.groupCommitStats();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => sale(memberId, `group-sale-${i}`)));
    const after = core.groupCommitStats();
    expect(after.groups - before.groups).toBe(1);
    expect(after.grouped - before.grouped).toBe(8);
    const receipts = results.map((r) => (r.ok ? (r.value as SaleReceipt) : null));
    expect(receipts.every((r) => r !== null)).toBe(true);
    // The chain continues sale by sale: distinct, consecutive seqs, balances step by 10 points.
    const seqs = receipts.flatMap((r) => r?.entrySeqs ?? []);
    expect(new Set(seqs).size).toBe(8);
    expect(receipts.map((r) => r?.balanceAfter)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    expect(events).toEqual(receipts.map((r) => r?.saleId));
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'sales.complete' AND outcome = 'ok'")).toBe(8);
    const audit = auditLedger(core.context.db);
    expect(audit.chainBreak).toBeNull();
    expect(audit.balanceMismatches).toEqual([]);
    expect(audit.outbox).toBe(audit.entries);
    expect(audit.partialSales).toBe(0);
    expect(core.context.audit.verify()).toBeNull();
  });

  it('rolls back only the sale that fails; a key used twice in one group is recorded once', async () => {
    const memberId = setUp();
    const results = await Promise.all([
      sale(memberId, 'group-ok-1'),
      sale(memberId, 'group-too-much', { redeemPoints: 5000 }),
      sale(memberId, 'group-ok-1'),
      sale(memberId, 'group-ok-1', { lines: [{ category: 'Groceries', qty: 2, unitPriceMinor: 1000 }] }),
      sale(memberId, 'group-ok-2'),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'INSUFFICIENT_POINTS', 'ok', 'IDEMPOTENCY_CONFLICT', 'ok']);
    const [first, , replay] = results as { ok: true; value: SaleReceipt }[];
    expect(replay?.value).toEqual(first?.value);
    expect(count("SELECT count(*) AS n FROM sales WHERE idempotency_key LIKE 'group-%'")).toBe(2);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'sales.complete' AND outcome = 'failed'")).toBe(2);
    expect(call(core, 'members.get', { memberId }).balance).toBe(20);
    expect(auditLedger(core.context.db).chainBreak).toBeNull();
  });

  it('rolls back all a sale wrote when it fails after writing entries, alone or in a group; the chains stay whole', async () => {
    const memberId = setUp();
    const { db } = core.context;
    // Refused at its last statement: the sale's ledger entries, lots, tier window are written by then.
    db.exec(`CREATE TRIGGER refuse_sale BEFORE INSERT ON sales WHEN NEW.idempotency_key LIKE 'group-refused%'
      BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`);
    const alone = core.dispatch('sales.complete', { memberId, lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: 1000 }], idempotencyKey: 'group-refused-0' }, cashier);
    expect(alone.ok).toBe(false);
    expect((await sale(memberId, 'group-alone-ok')).ok).toBe(true);
    const results = await Promise.all([
      sale(memberId, 'group-ok-1'),
      sale(memberId, 'group-refused-1'),
      sale(memberId, 'group-ok-2'),
      sale(memberId, 'group-refused-2'),
      sale(memberId, 'group-ok-3'),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'STORAGE', 'ok', 'STORAGE', 'ok']);
    const receipts = results.filter((r) => r.ok).map((r) => (r as { value: SaleReceipt }).value);
    expect(receipts.map((r) => r.balanceAfter)).toEqual([20, 30, 40]);
    // Each good sale's entry follows the one before: nothing of the refused sales is left in the chain.
    const seqs = receipts.flatMap((r) => r.entrySeqs);
    expect(seqs).toEqual([seqs[0], (seqs[0] ?? 0) + 1, (seqs[0] ?? 0) + 2]);
    expect(count('SELECT count(*) AS n FROM ledger WHERE sale_id IS NOT NULL')).toBe(4);
    expect(call(core, 'members.get', { memberId }).balance).toBe(40);
    const audit = auditLedger(db);
    expect(audit.chainBreak).toBeNull();
    expect(audit.balanceMismatches).toEqual([]);
    expect(audit.outbox).toBe(audit.entries);
    expect(audit.partialSales).toBe(0);
    expect(audit.entriesWithoutSale).toBe(0);
    expect(core.context.audit.verify()).toBeNull();
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'sales.complete' AND outcome = 'ok'")).toBe(4);
  });

  it('runs a sale with nobody waiting on its own, on the next turn', async () => {
    const memberId = setUp();
    const before = core.groupCommitStats();
    const result = await sale(memberId, 'group-alone');
    expect(result.ok).toBe(true);
    expect(core.groupCommitStats()).toEqual({ groups: before.groups + 1, grouped: before.grouped + 1 });
  });

  it('answers every sale of a group whose commit fails with an error, records none and sends no event', async () => {
    const memberId = setUp();
    const { db } = core.context;
    // A deferred foreign key is checked at COMMIT: a "poison" sale makes the whole group's commit fail.
    db.exec(`CREATE TABLE poison (ref TEXT REFERENCES members (member_id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER poison_sale AFTER INSERT ON sales WHEN NEW.idempotency_key LIKE 'group-poison%'
      BEGIN INSERT INTO poison VALUES ('no-such-member'); END;`);
    const events: string[] = [];
    core.events.subscribe((name) => events.push(name));
    const results: ApiResult<unknown>[] = await Promise.all([sale(memberId, 'group-fine-1'), sale(memberId, 'group-poison-1'), sale(memberId, 'group-fine-2')]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['STORAGE', 'STORAGE', 'STORAGE']);
    expect(count("SELECT count(*) AS n FROM sales WHERE idempotency_key LIKE 'group-%'")).toBe(0);
    expect(count('SELECT count(*) AS n FROM ledger WHERE sale_id IS NOT NULL')).toBe(0);
    expect(events.filter((e) => e === 'sale.completed')).toEqual([]);
    // The terminal keeps selling afterwards.
    db.exec('DROP TRIGGER poison_sale');
    expect((await sale(memberId, 'group-after')).ok).toBe(true);
    expect(auditLedger(db).chainBreak).toBeNull();
  });
});
