// Sales without a member reach the server as counts per day and cashier (they write no ledger
// entry): a real terminal core sells anonymously and to a member, syncs, and the server's insights
// show the identified share; a retry or a sync with nothing new counts nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { insightsReport } from '../../src-server/insights/insight-queries';
import { InsightsQuery } from '../../src-shared/insights/insights';
import { call, cashier } from '../core/helpers';
import { ENGINES, startTestServer } from '../server/server-harness';
import { enrolTerminal, openTerminal, sell, syncNow } from './sync-harness';

const anonymousSale = (core: TerminalCore, amountMinor: number) =>
  call(core, 'sales.complete', { lines: [{ category: 'Groceries', qty: 1, unitPriceMinor: amountMinor }], idempotencyKey: `anon-${Math.random().toString(36).slice(2)}` } as never, cashier);

describe.each(ENGINES)('anonymous sale counts through sync on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  const cores: TerminalCore[] = [];
  beforeAll(async () => {
    ctx = await startTestServer(engine);
  });
  afterAll(async () => {
    for (const c of cores) c.close();
    await ctx.close();
  });

  it('counts anonymous sales once, beside the identified ones', async () => {
    const core = openTerminal();
    cores.push(core);
    await enrolTerminal(core, ctx.server);
    anonymousSale(core, 1_500);
    anonymousSale(core, 2_500);
    sell(core, '+905329995101', 10_000);
    await syncNow(core);

    const today = new Date().toISOString().slice(0, 10);
    const query = InsightsQuery.parse({ from: today, to: today });
    const first = await insightsReport(ctx.server.db, query, { now: new Date() });
    expect(first.totals).toMatchObject({ identifiedSales: 1, anonymousSales: 2, anonymousSalesMinor: 4_000, identifiedShare: 1 / 3 });
    const counts = await ctx.server.db.query<{ cashier_id: string; sales: number }>('SELECT cashier_id, sales FROM anonymous_sale_counts WHERE terminal_id = $1', [core.terminalId]);
    expect(counts.map((c) => [c.cashier_id, Number(c.sales)])).toEqual([['cashier-1', 2]]);

    // Nothing new: nothing is counted again.
    await syncNow(core);
    expect((await insightsReport(ctx.server.db, query, { now: new Date() })).totals.anonymousSales).toBe(2);

    anonymousSale(core, 500);
    await syncNow(core);
    const after = await insightsReport(ctx.server.db, query, { now: new Date() });
    expect(after.totals).toMatchObject({ identifiedSales: 1, anonymousSales: 3, anonymousSalesMinor: 4_500, identifiedShare: 1 / 4 });
    const [terminal] = await ctx.server.db.query<{ through: number }>('SELECT anonymous_sales_through AS through FROM terminals WHERE terminal_id = $1', [core.terminalId]);
    // Four sales in the terminal's table (three anonymous, one with a member): all taken in.
    expect(Number(terminal?.through)).toBe(4);
  });
});
