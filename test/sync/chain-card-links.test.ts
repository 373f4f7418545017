// One card, one member, chain-wide: terminals get the chain's card key from the server, so the
// same card linked to two members at two offline terminals makes one member once both have
// synced, and a terminal that never saw the card (through the feed, or the snapshot) finds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { rotateCardKeyFile } from '../../src-server/card-key-file';
import { startServer } from '../../src-server/start-server';
import { call, cashier } from '../core/helpers';
import { ADMIN_TOKEN, ENGINES, http, startTestServer, type Engine } from '../server/server-harness';
import { enrolTerminal, openTerminal, sell, syncNow, syncsWith } from './sync-harness';

const PAN = '4111111111111111';
const SWIPE = `%B${PAN}^DOE/JOHN^2512101000000000000000000?;${PAN}=25121010000000000000?`;

function linkSwipedCard(core: TerminalCore, memberId: string) {
  const swipe = call(core, 'devices.keyboardScan', { text: SWIPE }, cashier);
  return call(core, 'members.linkCard', { memberId, lastCardScan: true, scanId: swipe.scanId }, cashier);
}
const swipedMember = (core: TerminalCore) => call(core, 'devices.keyboardScan', { text: SWIPE }, cashier).member;

/** The test server of a describe block and the terminals its tests open, all closed after it. */
function chainUnderTest(engine: Engine, options: Parameters<typeof startTestServer>[1] = {}) {
  let ctx: Awaited<ReturnType<typeof startTestServer>> | null = null;
  const cores: TerminalCore[] = [];
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    ctx = await startTestServer(engine, options);
  });
  afterAll(async () => {
    for (const core of cores) core.close();
    for (const close of closers) await close();
    await ctx?.close();
  });
  return {
    get ctx() {
      if (!ctx) throw new Error('the server has not started');
      return ctx;
    },
    terminal(): TerminalCore {
      const core = openTerminal();
      cores.push(core);
      return core;
    },
    /** Closed after the terminals, before the test server (a server started again by a test). */
    onClose(close: () => Promise<void>) {
      closers.push(close);
    },
  };
}

describe.each(ENGINES)('cards linked across the chain on %s', (engine) => {
  const chain = chainUnderTest(engine);

  it('makes one member of two holding the same card, and every terminal finds them by it', async () => {
    const [a, b, c] = [chain.terminal(), chain.terminal(), chain.terminal()];
    for (const core of [a, b, c]) await enrolTerminal(core, chain.ctx.server);
    for (const core of [a, b, c]) await syncNow(core);
    // Enrolment handed every terminal the chain's key: they make the same token of a card.
    expect(a.context.cardKeys.chainVersion).toBe(1);
    expect(b.context.cardKeys.chainTokens(PAN)).toEqual(a.context.cardKeys.chainTokens(PAN));

    // Offline (no sync in between): the card is linked at each to a member of its own.
    const ayse = sell(a, '+905329990101', 3_000).member;
    const mehmet = sell(b, '+905329990102', 4_000).member;
    if (!ayse || !mehmet) throw new Error('no members');
    expect(linkSwipedCard(a, ayse.memberId).created).toBe(true);
    expect(linkSwipedCard(b, mehmet.memberId).created).toBe(true);
    for (const core of [a, b, a, b, c]) await syncNow(core);

    // The member who held the card first survives, with both histories.
    const members = await chain.ctx.server.db.query<{ member_id: string; balance: number }>('SELECT member_id, balance FROM members WHERE member_id = ANY($1::text[]) ORDER BY member_id', [[ayse.memberId, mehmet.memberId]]);
    expect(members).toEqual([{ member_id: ayse.memberId, balance: 70 }]);
    const aliases = await chain.ctx.server.db.query<{ member_id: string }>('SELECT member_id FROM member_aliases WHERE alias_id = $1', [mehmet.memberId]);
    expect(aliases).toEqual([{ member_id: ayse.memberId }]);
    const exceptions = await chain.ctx.server.db.query<{ member_id: string; details: Record<string, unknown> }>("SELECT member_id, details FROM exceptions WHERE kind = 'duplicate-enrolment'");
    expect(exceptions).toEqual([{ member_id: ayse.memberId, details: expect.objectContaining({ mergedMemberId: mehmet.memberId }) }]);
    expect(JSON.stringify(exceptions)).toContain('1111');

    // Each terminal, the one that never saw the card too, finds the survivor by it.
    for (const core of [a, b, c]) expect(swipedMember(core)).toMatchObject({ memberId: ayse.memberId, balance: 70 });
    // The merged id still opens the survivor where it was made.
    expect(call(b, 'members.get', { memberId: mehmet.memberId }, cashier)).toMatchObject({ memberId: ayse.memberId, balance: 70 });

    // A loyalty card linked at one store is known at the others.
    call(a, 'members.linkCard', { memberId: ayse.memberId, loyaltyCardNumber: 'LOY-CHAIN-1' }, cashier);
    for (const core of [a, c]) await syncNow(core);
    expect(call(c, 'devices.keyboardScan', { text: 'loy-chain-1' }, cashier).member?.memberId).toBe(ayse.memberId);

    // A terminal enrolled later loads the member directory with its cards.
    const d = chain.terminal();
    await enrolTerminal(d, chain.ctx.server);
    await syncNow(d);
    expect(swipedMember(d)).toMatchObject({ memberId: ayse.memberId, balance: 70 });
    expect(call(d, 'devices.keyboardScan', { text: 'LOY-CHAIN-1' }, cashier).member?.memberId).toBe(ayse.memberId);

    // New sales for either id count once, for the survivor.
    sell(b, '+905329990101', 1_000);
    for (const core of [b, a]) await syncNow(core);
    expect(swipedMember(a)).toMatchObject({ memberId: ayse.memberId, balance: 80 });

    // The owner takes the payment card off the member (linked to the wrong customer, or lost):
    // every store stops finding them by it at its next sync.
    const detail = await http(chain.ctx.server, 'GET', `/v1/admin/members/${ayse.memberId}`, undefined, ADMIN_TOKEN);
    const linkedCards = detail.body.member.linkedCards as { cardId: string; kind: string; brand: string | null; last4: string | null; cardNumber: string | null }[];
    expect(linkedCards).toEqual([
      expect.objectContaining({ kind: 'payment', brand: 'visa', last4: '1111', cardNumber: null }),
      expect.objectContaining({ kind: 'loyalty', brand: null, last4: null, cardNumber: 'LOY-CHAIN-1' }),
    ]);
    expect(JSON.stringify(detail.body)).not.toMatch(/c1:[0-9a-f]{64}/);
    const payment = linkedCards.find((card) => card.kind === 'payment');
    const unlinked = await http(chain.ctx.server, 'POST', `/v1/admin/members/${mehmet.memberId}/cards/${payment?.cardId}/unlink`, {}, ADMIN_TOKEN);
    expect(unlinked).toMatchObject({ status: 200, body: { memberId: ayse.memberId, cardId: payment?.cardId } });
    expect((await http(chain.ctx.server, 'POST', `/v1/admin/members/${ayse.memberId}/cards/${payment?.cardId}/unlink`, {}, ADMIN_TOKEN)).status).toBe(404);
    for (const core of [a, b, c, d]) await syncNow(core);
    for (const core of [a, b, c, d]) expect(swipedMember(core)).toBeNull();
    expect(call(c, 'devices.keyboardScan', { text: 'LOY-CHAIN-1' }, cashier).member?.memberId).toBe(ayse.memberId);
    const found = await http(chain.ctx.server, 'GET', '/v1/admin/members?q=1111', undefined, ADMIN_TOKEN);
    expect(found.body.members).toEqual([]);
    // It can be linked again at a till, to whom it belongs.
    const owner = sell(c, '+905329990103', 1_000).member;
    if (!owner) throw new Error('no member');
    expect(linkSwipedCard(c, owner.memberId).created).toBe(true);
    for (const core of [c, a]) await syncNow(core);
    expect(swipedMember(a)?.memberId).toBe(owner.memberId);

    // The card's number is nowhere on the server: not in any table.
    const tables = await chain.ctx.server.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    expect(tables.length).toBeGreaterThan(10);
    for (const { table_name: table } of tables) {
      const rows = await chain.ctx.server.db.query<{ text: string }>(`SELECT t::text AS text FROM "${table}" t`);
      for (const row of rows) {
        expect(row.text, table).not.toContain(PAN);
        expect(row.text, table).not.toContain(PAN.slice(0, 12));
      }
    }
  });
});

describe.each(ENGINES)("the chain's card key rotated on %s", (engine) => {
  const chain = chainUnderTest(engine);

  it('terminals take the new version at their next pull, and a card linked before the rotation still makes one member', async () => {
    const [a, b] = [chain.terminal(), chain.terminal()];
    for (const core of [a, b]) await enrolTerminal(core, chain.ctx.server);
    for (const core of [a, b]) await syncNow(core);
    const ayse = sell(a, '+905329990201', 2_000).member;
    if (!ayse) throw new Error('no member');
    linkSwipedCard(a, ayse.memberId);
    await syncNow(a);
    const before = a.context.cardKeys.chainTokens(PAN);
    expect(before).toEqual([expect.stringMatching(/^c1:/)]);

    // The owner rotates the key; the server hands the new version out from its next start.
    const file = chain.ctx.cardKeyFile;
    if (!file) throw new Error('no card key file');
    expect(rotateCardKeyFile(file).current).toBe(2);
    const port = chain.ctx.server.port;
    await chain.ctx.server.close();
    const logLines: string[] = [];
    const restarted = await startServer({ database: chain.ctx.choice, port, adminToken: ADMIN_TOKEN, rateLimitPerMinute: 100_000, cardKeyFile: file, logger: { stream: { write: (line: string) => logLines.push(line) } } });
    chain.onClose(() => restarted.close());
    for (const core of [a, b]) syncsWith(core, restarted);

    for (const core of [a, b]) await syncNow(core);
    for (const core of [a, b]) expect(core.context.cardKeys.chainVersion).toBe(2);
    // Still found under the version it was linked with, at both.
    for (const core of [a, b]) expect(swipedMember(core)?.memberId).toBe(ayse.memberId);

    // A terminal enrolled after the rotation, before its first sync (nothing awaited since its
    // enrolment: the sync it starts has not run), does not know the card yet: it links it to
    // another member, under version 2.
    const c = chain.terminal();
    await enrolTerminal(c, restarted);
    expect(c.context.cardKeys.chainVersion).toBe(2);
    expect(swipedMember(c)).toBeNull();
    const mehmet = sell(c, '+905329990202', 3_000).member;
    if (!mehmet) throw new Error('no member');
    const linked = linkSwipedCard(c, mehmet.memberId);
    expect(linked.created).toBe(true);
    expect(c.context.db.prepare('SELECT card_token FROM member_cards WHERE card_id = ?').get(linked.card.cardId)).toEqual({ card_token: expect.stringMatching(/^c2:/) });
    for (const core of [c, a]) await syncNow(core);
    // The server matched it by the version 1 token the link carried too.
    for (const core of [a, c]) expect(swipedMember(core)).toMatchObject({ memberId: ayse.memberId, balance: 50 });

    // Neither the card number nor a token went into the server's log.
    const log = logLines.join('');
    expect(logLines.length).toBeGreaterThan(5);
    expect(log).not.toContain(PAN);
    for (const token of c.context.cardKeys.chainTokens(PAN)) expect(log).not.toContain(token.slice(3));
  });
});

describe.each(ENGINES)('a server without a card key file on %s', (engine) => {
  const chain = chainUnderTest(engine, { cardKeyFile: null });

  it('shares loyalty cards, and leaves payment cards at the terminal that linked them', async () => {
    const [a, b] = [chain.terminal(), chain.terminal()];
    for (const core of [a, b]) await enrolTerminal(core, chain.ctx.server);
    for (const core of [a, b]) await syncNow(core);
    expect(a.context.cardKeys.chainVersion).toBeNull();
    const ayse = sell(a, '+905329990301', 2_000).member;
    if (!ayse) throw new Error('no member');
    linkSwipedCard(a, ayse.memberId);
    call(a, 'members.linkCard', { memberId: ayse.memberId, loyaltyCardNumber: 'LOY-NOKEY' }, cashier);
    for (const core of [a, b]) await syncNow(core);
    expect(swipedMember(a)?.memberId).toBe(ayse.memberId);
    expect(swipedMember(b)).toBeNull();
    expect(call(b, 'devices.keyboardScan', { text: 'LOY-NOKEY' }, cashier).member?.memberId).toBe(ayse.memberId);
  });
});
