// Personalised offers end to end: a terminal's sales reach the server, the server computes the
// member's offers, a second terminal pulls them and shows them at lookup, applies one through the
// engine with its own breakdown line, once: a second sale is refused, also offline after a
// restart; a use of the same offer on another terminal is flagged; uptake is counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTime } from '../../src-shared/program/local-time';
import { installRuleSet } from '../../src-server/admin';
import { offerUptake, runOffers } from '../../src-server/offers';
import type { TerminalCore } from '../../src-main/core/terminal-core';
import { call, callError, cashier, tempDir } from '../core/helpers';
import { ENGINES, startTestServer } from '../server/server-harness';
import { callAsync, enrolTerminal, openTerminal, syncNow } from './sync-harness';

const coffee = { sku: 'COFFEE-L', name: 'Large coffee', category: 'Coffee', qty: 1, unitPriceMinor: 4000 };
const pastry = { sku: 'CROISSANT', name: 'Croissant', category: 'Bakery', qty: 1, unitPriceMinor: 3500 };
const PHONE = '+905326660001';
let keys = 0;
const key = () => `offer-sale-${Date.now()}-${(keys += 1)}`;

const ruleSet = (version: string) => ({
  schema: 2,
  version,
  name: 'Kasa Club',
  currency: 'TRY',
  earning: { pointsPerUnit: 1, categoryLabels: { Coffee: 'coffee' } },
  redemption: { minorPerPoint: 1 },
  offers: {
    maxPerMember: 2,
    validityDays: 7,
    historyWeeks: 8,
    favouriteCategory: { minPurchases: 3, bonusPoints: 50 },
    bundle: { minPurchases: 3, addOn: { category: 'Bakery' }, discountPercent: 100, maxDiscountMinor: 3000, addOnLabel: 'a pastry' },
  },
});

describe.each(ENGINES)('personalised offers through sync on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let first: TerminalCore;
  let second: TerminalCore;
  const secondDir = tempDir('kasa-offers-');
  let memberId = '';
  let favouriteId = '';
  beforeAll(async () => {
    ctx = await startTestServer(engine);
    await installRuleSet(ctx.server.db, 'owner', ruleSet(`offers-${engine}`), '2026-01-01T00:00:00.000Z');
    first = openTerminal();
    second = openTerminal(secondDir);
    await enrolTerminal(first, ctx.server);
    await enrolTerminal(second, ctx.server);
    await syncNow(first);
    await syncNow(second);
  });
  afterAll(async () => {
    first.close();
    second.close();
    await ctx.close();
  });

  const today = () => localTime({ at: new Date().toISOString(), timeZone: 'Europe/Istanbul' }).date;
  const offersAt = (core: TerminalCore) => call(core, 'offers.forMember', { memberId }).offers;

  it('computes offers from the history one terminal pushed; another terminal shows them at lookup', async () => {
    expect(call(first, 'program.get', {}).version).toBe(`offers-${engine}`);
    memberId = call(first, 'members.enroll', { phone: PHONE }).member.memberId;
    for (let i = 0; i < 3; i += 1) call(first, 'sales.complete', { memberId, lines: [coffee], idempotencyKey: key() });
    await syncNow(first);

    const summary = await runOffers(ctx.server.db, { date: today() });
    expect(summary).toMatchObject({ issued: 2 });
    await syncNow(second);

    const { member } = call(second, 'members.lookup', { phone: PHONE });
    expect(member?.memberId).toBe(memberId);
    const offers = offersAt(second).sort((a, b) => a.type.localeCompare(b.type));
    expect(offers.map((o) => [o.type, o.label, o.reason])).toEqual([
      ['bundle', 'Your usual Large coffee + a pastry free', 'You bought Large coffee 3 times in the last 8 weeks'],
      ['favouriteCategory', '+50 points on coffee', 'You bought coffee 3 times in the last 8 weeks'],
    ]);
    expect(offers.every((o) => o.validFrom === today())).toBe(true);
  });

  it('applies an offer through the engine with its own breakdown line, once', async () => {
    const favourite = offersAt(second).find((o) => o.type === 'favouriteCategory');
    if (!favourite) throw new Error('no favourite-category offer');
    favouriteId = favourite.offerId;
    const quote = call(second, 'sales.preview', { memberId, lines: [coffee], offerIds: [favourite.offerId] });
    expect(quote.pointsEarned).toBe(40 + 50);
    const receipt = call(second, 'sales.complete', { memberId, lines: [coffee], offerIds: [favourite.offerId], idempotencyKey: key() });
    expect(receipt.breakdown).toContainEqual({ ruleId: `offer:${favourite.offerId}`, label: '+50 points on coffee', points: 50, basisMinor: 4000 });
    expect(receipt.offers).toEqual([{ offerId: favourite.offerId, type: 'favouriteCategory', label: '+50 points on coffee', points: 50, discountMinor: 0 }]);
    expect(offersAt(second).map((o) => o.type)).toEqual(['bundle']);
    // A refund takes the offer's points back with the sale's (recomputed from the recorded terms);
    // the offer stays used.
    const refund = call(second, 'sales.refund', { saleId: receipt.saleId, idempotencyKey: key() });
    expect(refund).toMatchObject({ pointsReversed: 90, fullyRefunded: true });
    expect(offersAt(second).map((o) => o.type)).toEqual(['bundle']);

    const again = callError(second, 'sales.complete', { memberId, lines: [coffee], offerIds: [favourite.offerId], idempotencyKey: key() });
    expect(again).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(again.message).toMatch(/already used/);
    // A sale that cannot take the offer is refused whole: nothing is recorded, the offer stays.
    const bundle = offersAt(second)[0];
    expect(callError(second, 'sales.complete', { memberId, lines: [pastry], offerIds: [bundle?.offerId ?? ''], idempotencyKey: key() })).toMatchObject({ code: 'VALIDATION' });
    expect(offersAt(second).map((o) => o.type)).toEqual(['bundle']);
  });

  it('still refuses the used offer offline after a restart, and applies the other one offline', () => {
    second.close();
    second = openTerminal(secondDir, false);
    const used = call(second, 'offers.forMember', { memberId }).offers;
    expect(used.map((o) => o.type)).toEqual(['bundle']);
    const bundle = used[0];
    if (!bundle) throw new Error('no bundle offer');
    const receipt = call(second, 'sales.complete', { memberId, lines: [coffee, pastry], offerIds: [bundle.offerId], idempotencyKey: key() });
    expect(receipt.discountMinor).toBe(3000);
    expect(receipt.redemption).toContainEqual({ ruleId: `offer:${bundle.offerId}`, label: 'Your usual Large coffee + a pastry free', points: 0, lineIndex: 1, basisMinor: 3000 });
    expect(callError(second, 'sales.complete', { memberId, lines: [coffee, pastry], offerIds: [bundle.offerId], idempotencyKey: key() })).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(callError(second, 'sales.complete', { memberId, lines: [coffee], offerIds: [favouriteId], idempotencyKey: key() })).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(call(second, 'offers.forMember', { memberId }).offers).toEqual([]);
  });

  it('flags a use of the same offer on another terminal, and counts uptake on the server', async () => {
    // The first terminal learns the offers and uses the favourite the second used while offline.
    await syncNow(first);
    call(first, 'sales.complete', { memberId, lines: [coffee], offerIds: [favouriteId], idempotencyKey: key() });
    await syncNow(first);
    const [redeemed] = await ctx.server.db.query<{ status: string; redeemed_terminal_id: string }>('SELECT status, redeemed_terminal_id FROM offers WHERE offer_id = $1', [favouriteId]);
    expect(redeemed).toEqual({ status: 'redeemed', redeemed_terminal_id: first.terminalId });

    second.close();
    second = openTerminal(secondDir);
    // Back online: what it sold offline is pushed.
    await callAsync(second, 'sync.now', { timeoutSeconds: 120 }, cashier);
    const flagged = await ctx.server.db.query<{ terminal_id: string; details: { offerId: string; problem: string } }>(
      "SELECT terminal_id, details FROM exceptions WHERE kind = 'offer-misuse'",
    );
    expect(flagged).toEqual([{ terminal_id: second.terminalId, details: { offerId: favouriteId, problem: 'already-redeemed', firstUse: expect.objectContaining({ terminalId: first.terminalId }) } }]);
    // The second terminal's sales were kept: the server's balance has every point.
    const mismatches = await ctx.server.db.query("SELECT 1 FROM exceptions WHERE kind = 'earn-mismatch'");
    expect(mismatches).toEqual([]);

    const uptake = await offerUptake(ctx.server.db, { period: 'day' });
    expect(uptake.totals.map((t) => [t.type, t.offered, t.redeemed, t.expired])).toEqual([
      ['bundle', 1, 1, 0],
      ['favouriteCategory', 1, 1, 0],
    ]);
  });
});
