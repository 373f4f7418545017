// The programme travels from the server to the terminals, and the server recomputes every earn
// entry with the full engine: a VIP's double points are no exception on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../../src-shared/program/rule-set';
import { installRuleSet } from '../../src-server/admin';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call } from '../core/helpers';
import { ENGINES, startTestServer } from '../server/server-harness';
import { enrolTerminal, openTerminal, sell, syncNow } from './sync-harness';

describe.each(ENGINES)('programme through sync on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let core: TerminalCore;
  beforeAll(async () => {
    ctx = await startTestServer(engine);
    core = openTerminal();
    await enrolTerminal(core, ctx.server);
  });
  afterAll(async () => {
    core.close();
    await ctx.close();
  });

  it('installs the rule set the owner published, and the server agrees with every VIP point', async () => {
    const vip = {
      ...defaultRuleSet('TRY'),
      version: `vip-${engine}`,
      name: 'Kasa VIP',
      tiers: {
        basis: 'spend',
        windowMonths: 12,
        downgrade: 'none',
        levels: [
          { id: 'member', name: 'Member', threshold: 0 },
          { id: 'vip', name: 'VIP', threshold: 10_000, multiplier: 2 },
        ],
      },
    };
    await installRuleSet(ctx.server.db, 'owner', vip);
    await syncNow(core);
    expect(call(core, 'program.get', {}).version).toBe(`vip-${engine}`);

    sell(core, '+905327770001', 20_000); // 200 points, and the member reaches VIP
    const second = sell(core, '+905327770001', 10_000); // as VIP: double
    expect(second.pointsEarned).toBe(200);
    await syncNow(core);
    const mismatches = await ctx.server.db.query("SELECT details FROM exceptions WHERE kind = 'earn-mismatch' AND terminal_id = $1", [core.terminalId]);
    expect(mismatches).toEqual([]);
    const [member] = await ctx.server.db.query<{ balance: number }>("SELECT balance FROM members WHERE phone = '+905327770001'");
    expect(member?.balance).toBe(400);

    // The feed re-sending the same version later does not re-activate it over a newer one.
    await syncNow(core);
    expect(call(core, 'program.get', {}).version).toBe(`vip-${engine}`);
  });
});
