// A manual balance adjustment made at a terminal reaches the server: the server balance follows the
// `adjust` entry, the other terminal learns it from the feed, and an adjustment that does not hold
// together (a forged payload) is kept but flagged as an exception.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { ENGINES, SimTerminal, startTestServer } from '../server/server-harness';
import { call } from '../core/helpers';
import { balanceOf, enrolTerminal, manager, openTerminal, sell, serverBalance, syncNow } from './sync-harness';

describe.each(ENGINES)('balance adjustments through sync on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  const cores: TerminalCore[] = [];
  beforeAll(async () => {
    ctx = await startTestServer(engine);
  });
  afterAll(async () => {
    for (const c of cores) c.close();
    await ctx.close();
  });

  it('moves the server balance and the other terminal by the adjusted points', async () => {
    const [a, b] = [openTerminal(), openTerminal()];
    cores.push(a, b);
    await enrolTerminal(a, ctx.server);
    await enrolTerminal(b, ctx.server);
    const phone = '+905329995001';
    sell(a, phone, 30_000);
    const { member } = sell(a, phone, 10_000);
    if (!member) throw new Error('the sale has no member');
    call(a, 'members.adjust', { memberId: member.memberId, points: 150, reason: 'goodwill', note: 'Broken bag', idempotencyKey: 'sync-adj-1' }, manager);
    call(a, 'members.adjust', { memberId: member.memberId, points: -50, reason: 'correction', idempotencyKey: 'sync-adj-2' }, manager);
    const expected = 300 + 100 + 150 - 50;
    expect(balanceOf(a, phone)).toBe(expected);
    await syncNow(a);
    expect(await serverBalance(ctx.server, phone)).toBe(expected);
    const stored = await ctx.server.db.query<{ points: number }>("SELECT points FROM ledger WHERE kind = 'adjust' AND terminal_id = $1 ORDER BY seq", [a.terminalId]);
    expect(stored.map((r) => Number(r.points))).toEqual([150, -50]);
    const flagged = await ctx.server.db.query("SELECT 1 FROM exceptions WHERE terminal_id = $1", [a.terminalId]);
    expect(flagged).toEqual([]);
    // The audit records ride along with both balances.
    const [audit] = await ctx.server.db.query<{ entry: { details: { result: Record<string, unknown> } } }>(
      "SELECT entry FROM terminal_audit WHERE terminal_id = $1 AND entry->>'action' = 'members.adjust' ORDER BY seq LIMIT 1",
      [a.terminalId],
    );
    expect(audit?.entry.details.result).toMatchObject({ balanceBefore: 400, balanceAfter: 550 });
    await syncNow(b);
    expect(balanceOf(b, phone)).toBe(expected);
  });

  it('keeps an adjustment that does not add up, and flags it as adjust-invalid', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const member = t.enrolMember('+905329995002').memberId;
    t.earn(member, 20_000); // 200 points
    t.adjust(member, 30, 200);
    t.adjust(member, 30, 230, { balanceAfter: 999 });
    t.adjust(member, 5, 260, { reason: 'other', note: null });
    const res = await t.push(ctx.server, t.entries);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string; exceptions: string[] }) => [r.status, r.exceptions])).toEqual([
      ['stored', []],
      ['stored', []],
      ['stored', []],
      ['stored', ['adjust-invalid']],
      ['stored', ['adjust-invalid']],
    ]);
    const [row] = await ctx.server.db.query<{ balance: number }>('SELECT balance FROM members WHERE member_id = $1', [member]);
    expect(Number(row?.balance)).toBe(200 + 30 + 30 + 5);
    const problems = await ctx.server.db.query<{ details: { problem: string } }>("SELECT details FROM exceptions WHERE kind = 'adjust-invalid' AND terminal_id = $1 ORDER BY seq", [t.terminalId]);
    expect(problems.map((p) => p.details.problem)).toEqual(['balance 230 + 30 is not 999', 'reason "other" without a note']);
  });
});
