// Sales without a member reach the server as counts per day and cashier (they write no ledger
// entry): a real terminal core sells anonymously and to a member, syncs, and the server's insights
// show the identified share; a retry or a sync with nothing new counts nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { insightsReport } from '../../src-server/insights/insight-queries';
import { InsightsQuery } from '../../src-shared/insights/insights';
import { rebuildInsights } from '../../src-server/insights/insight-rebuild';
import { localTime } from '../../src-shared/program/local-time';
import { call, cashier, openCore, tempDir } from '../core/helpers';
import { ENGINES, startTestServer } from '../server/server-harness';
import { enrolTerminal, FAST_SYNC, openTerminal, sell, syncNow } from './sync-harness';

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

    // Today where the store is: its sales count on its own dates.
    const today = localTime({ at: new Date().toISOString(), timeZone: core.context.settings.timeZone }).date;
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

  it("counts a store's sales on its own dates: just after midnight in Auckland is the next day there, in a rebuild too", async () => {
    // 00:30 on 11 March in Auckland (UTC+13) is 11:30 on 10 March in UTC.
    const clock = { at: '2026-03-10T11:30:00.000Z' };
    const core = openCore(tempDir('kasa-sync-'), { sync: FAST_SYNC as never, now: () => clock.at, store: { country: 'NZ', currency: 'NZD', timeZone: 'Pacific/Auckland' } });
    cores.push(core);
    await enrolTerminal(core, ctx.server);
    anonymousSale(core, 1_500);
    sell(core, '+64211234567', 10_000);
    await syncNow(core);

    const figures = async (day: string) => (await insightsReport(ctx.server.db, InsightsQuery.parse({ from: day, to: day, groupBy: 'terminal' }), { now: new Date() })).breakdown.find((b) => b.key === core.terminalId);
    const expected = { identifiedSales: 1, anonymousSales: 1, anonymousSalesMinor: 1_500 };
    expect(await figures('2026-03-11')).toMatchObject(expected);
    expect(await figures('2026-03-10')).toBeUndefined();
    const [terminal] = await ctx.server.db.query<{ time_zone: string }>('SELECT time_zone FROM terminals WHERE terminal_id = $1', [core.terminalId]);
    expect(terminal?.time_zone).toBe('Pacific/Auckland');
    await rebuildInsights(ctx.server.db);
    expect(await figures('2026-03-11')).toMatchObject(expected);
    expect(await figures('2026-03-10')).toBeUndefined();
  });
});
