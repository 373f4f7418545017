// The owner's member actions from the console reach terminal cores through the change feed: a
// merge of two members (the old id opens the survivor), undoing it (each member has its own
// balance again, on every terminal), a balance adjustment with a reason code, and a merge learnt from
// the snapshot by a terminal whose feed was pruned while it was away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, cashier } from '../core/helpers';
import { ADMIN_TOKEN, ENGINES, http, startTestServer } from '../server/server-harness';
import { balanceOf, enrolTerminal, openTerminal, sell, serverBalance, syncNow } from './sync-harness';

const [PHONE_X, PHONE_Y] = ['+905328880001', '+905328880002'];
/** A test card's swipe (both tracks) as a keyboard-wedge reader types it. */
const SWIPE = '%B4111111111111111^DOE/JOHN^2512101000000000000000000?;4111111111111111=25121010000000000000?';

describe.each(ENGINES)('console member actions reaching terminals on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let a: TerminalCore;
  let b: TerminalCore;
  const admin = (path: string, body: unknown) => http(ctx.server, 'POST', path, body, ADMIN_TOKEN);
  const syncAll = async () => {
    for (const core of [a, b, a, b]) await syncNow(core);
  };

  beforeAll(async () => {
    ctx = await startTestServer(engine);
    [a, b] = [openTerminal(), openTerminal()];
    await enrolTerminal(a, ctx.server);
    await enrolTerminal(b, ctx.server);
  });
  afterAll(async () => {
    a.close();
    b.close();
    await ctx.close();
  });

  it('merges, undoes the merge and adjusts, and both terminals show what the server has', async () => {
    const x = sell(a, PHONE_X, 10_000).member!.memberId; // 100 points
    const y = sell(b, PHONE_Y, 20_000).member!.memberId; // 200 points
    await syncAll();
    expect([balanceOf(a, PHONE_Y), balanceOf(b, PHONE_X)]).toEqual([200, 100]);

    const merged = await admin('/v1/admin/member-merges', { from: y, into: x });
    expect(merged.status).toBe(200);
    await syncAll();
    for (const core of [a, b]) {
      expect(balanceOf(core, PHONE_X)).toBe(300);
      // The merged id opens the survivor.
      expect(call(core, 'members.get', { memberId: y })).toMatchObject({ memberId: x, balance: 300 });
    }

    const undone = await admin(`/v1/admin/member-merges/${merged.body.mergeId}/undo`, {});
    expect(undone.status).toBe(200);
    await syncAll();
    for (const core of [a, b]) {
      expect(balanceOf(core, PHONE_X)).toBe(100);
      expect(balanceOf(core, PHONE_Y)).toBe(200);
      expect(call(core, 'members.get', { memberId: y })).toMatchObject({ memberId: y, balance: 200 });
    }

    // A sale for the restored member on a terminal counts for it, not for the old survivor.
    sell(a, PHONE_Y, 5_000);
    const adjusted = await admin(`/v1/admin/members/${x}/adjust`, { points: 40, reasonCode: 'goodwill', note: 'birthday' });
    expect(adjusted.body).toMatchObject({ balance: 140 });
    await syncAll();
    expect(await serverBalance(ctx.server, PHONE_X)).toBe(140);
    expect(await serverBalance(ctx.server, PHONE_Y)).toBe(250);
    for (const core of [a, b]) {
      expect(balanceOf(core, PHONE_X)).toBe(140);
      expect(balanceOf(core, PHONE_Y)).toBe(250);
    }
  });

  it('finds a member by the last four digits of a card swiped and linked at a terminal, and the server holds no more of it', async () => {
    const member = call(a, 'members.enroll', { phone: '+905328880003' }).member;
    const swipe = call(a, 'devices.keyboardScan', { text: SWIPE }, cashier);
    call(a, 'members.linkCard', { memberId: member.memberId, lastCardScan: true, scanId: swipe.scanId }, cashier);
    await syncNow(a);
    const found = await http(ctx.server, 'GET', '/v1/admin/members?q=1111', undefined, ADMIN_TOKEN);
    expect(found.body.members).toEqual([expect.objectContaining({ memberId: member.memberId, cardLast4: ['1111'], loyaltyCards: [] })]);
    // A loyalty card linked at a terminal: the owner finds the member by its number, in any case.
    call(a, 'members.linkCard', { memberId: member.memberId, loyaltyCardNumber: 'Loy-8800-3' }, cashier);
    await syncNow(a);
    const byLoyalty = await http(ctx.server, 'GET', '/v1/admin/members?q=LOY-8800-3', undefined, ADMIN_TOKEN);
    expect(byLoyalty.body.members).toEqual([expect.objectContaining({ memberId: member.memberId, cardLast4: ['1111'], loyaltyCards: ['Loy-8800-3'] })]);
    // The terminal's audit records reach the server with the last four only.
    const audit = await ctx.server.db.query<{ entry: unknown }>('SELECT entry FROM terminal_audit');
    const stored = JSON.stringify(audit);
    expect(stored).toContain('"cardLast4":"1111"');
    expect(stored.includes('4111111111111111')).toBe(false);
    expect(stored.includes('DOE/JOHN')).toBe(false);
  });

  it('learns a merge from the snapshot when the feed change that carried it was pruned while it was away', async () => {
    const [phoneP, phoneQ] = ['+905328880004', '+905328880005'];
    const p = sell(a, phoneP, 10_000).member!.memberId; // 100 points
    const q = sell(b, phoneQ, 20_000).member!.memberId; // 200 points
    await syncAll();
    expect(balanceOf(a, phoneQ)).toBe(200);
    // Terminal a is away while the owner merges q into p, and the feed forgets that change before a
    // pulls again, as admin prune-feed does: its cursor is now older than what the feed keeps.
    expect((await admin('/v1/admin/member-merges', { from: q, into: p })).status).toBe(200);
    await ctx.server.db.query('UPDATE feed_state SET (floor_txid, floor_change_id) = (SELECT txid, change_id FROM changes ORDER BY txid DESC, change_id DESC LIMIT 1) WHERE id = 1');
    await ctx.server.db.query("DELETE FROM changes WHERE dataset = 'merges'");
    await syncNow(a);
    // Back through the snapshot, it knows the merge: the old id opens the survivor, with both balances.
    expect(call(a, 'members.get', { memberId: q })).toMatchObject({ memberId: p, balance: 300 });
    expect(balanceOf(a, phoneP)).toBe(300);
    expect(await serverBalance(ctx.server, phoneP)).toBe(300);
  });
});
