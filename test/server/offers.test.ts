// Personalised offers on the server, on PGlite and PostgreSQL: computed from the purchase history
// terminals pushed, deterministic, never for an excluded member, within the caps, explained,
// published in the feed, redeemed once (a second use is flagged), expired, and counted for uptake.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, sealEntry, type LedgerEntry } from '../../src-shared/ledger/entry';
import { computeSale } from '../../src-shared/program/engine';
import { saleEntryDrafts } from '../../src-shared/program/ledger-drafts';
import type { OfferRecord, OfferTerms } from '../../src-shared/program/offers';
import type { MemberContext } from '../../src-shared/program/sale-types';
import { PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { createEnrolCode, installRuleSet } from '../../src-server/admin';
import { listOffers, offerUptake, runOffers, scheduleOffers } from '../../src-server/offers';
import type { RunningServer } from '../../src-server/start-server';
import { ADMIN_TOKEN, ENGINES, http, sha256Hex, startTestServer } from './server-harness';

const ruleSet = (version: string, maxPerMember: number) => ({
  schema: 2,
  version,
  name: 'Club',
  currency: 'TRY',
  earning: { pointsPerUnit: 1, excludedCategories: ['Tobacco'], categoryLabels: { Coffee: 'coffee' } },
  tiers: { basis: 'spend', windowMonths: 12, downgrade: 'none', levels: [{ id: 'member', name: 'Member', threshold: 0 }, { id: 'staff', name: 'Staff', threshold: 100_000_000 }] },
  redemption: { minorPerPoint: 1 },
  offers: {
    maxPerMember,
    validityDays: 14,
    historyWeeks: 8,
    excludedTiers: ['staff'],
    excludedMembers: ['m-optout'],
    favouriteCategory: { minPurchases: 3, bonusPoints: 50 },
    bundle: { minPurchases: 3, addOn: { category: 'Bakery' }, discountPercent: 100, maxDiscountMinor: 3000, addOnLabel: 'a pastry' },
    winBack: { weeksAway: 6, bonusPoints: 200 },
  },
});
const V1 = ruleSet('offers-1', 1);
const V2 = ruleSet('offers-2', 2);

const coffee = { sku: 'COFFEE-L', name: 'Large coffee', category: 'Coffee', qty: 1, unitPriceMinor: 4000 };
const pastry = { sku: 'CROISSANT', name: 'Croissant', category: 'Bakery', qty: 1, unitPriceMinor: 3500 };
const tobacco = { sku: 'CIG', category: 'Tobacco', qty: 1, unitPriceMinor: 9000 };

/** A terminal that records sales exactly as a terminal core does (the real engine and entry drafts). */
class SaleTerminal {
  seq = 0;
  prevHash = GENESIS_HASH;
  credential = '';
  readonly terminalId = `t-${randomUUID().slice(0, 8)}`;

  async enrol(server: RunningServer): Promise<void> {
    const { code } = await createEnrolCode(server.db, 'test', 'kadikoy');
    const res = await http(server, 'POST', '/v1/terminals/enrol', { code, terminalId: this.terminalId });
    expect(res.status).toBe(200);
    this.credential = res.body.credential;
  }

  private seal(draft: Omit<LedgerEntry, 'terminalId' | 'seq' | 'prevHash' | 'deviceTime' | 'hash'>, at: string): LedgerEntry {
    this.seq += 1;
    const entry = sealEntry({ ...draft, terminalId: this.terminalId, seq: this.seq, prevHash: this.prevHash, deviceTime: at }, sha256Hex);
    this.prevHash = entry.hash;
    return entry;
  }

  enrolMember(memberId: string, phone: string): LedgerEntry {
    return this.seal({ kind: 'enrol', memberId, points: 0, amountMinor: null, currency: null, ruleSetVersion: null, saleId: null, breakdown: [], payload: { phone, name: null }, cashierId: null }, '2026-04-01T08:00:00.000Z');
  }

  sale(document: object, memberId: string, day: string, lines: (typeof coffee | typeof tobacco)[], options: { tierId?: string; offers?: OfferTerms[] } = {}): LedgerEntry[] {
    const rules = (installed.get((document as { version: string }).version) ?? null) as Parameters<typeof computeSale>[0] | null;
    if (!rules) throw new Error('install the rule set first');
    const at = `${day}T09:00:00.000Z`;
    const clock = { at, timeZone: 'UTC' };
    const member: MemberContext = {
      memberId,
      balance: 0,
      tier: options.tierId ? { tierId: options.tierId, since: '2026-01-01T00:00:00.000Z' } : null,
      qualifying: 0,
      firstPurchase: false,
      birthMonth: null,
      pointsEarnedToday: 0,
      referral: null,
    };
    const request = { lines, ...(options.offers ? { offers: options.offers } : {}) };
    const computed = computeSale(rules, request, member, clock);
    return saleEntryDrafts(computed, request, member, clock, { saleId: randomUUID(), cashierId: 'c1' }).map((d) => this.seal(d, at));
  }

  push(server: RunningServer, entries: LedgerEntry[]) {
    return http(server, 'POST', '/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, entries }, this.credential);
  }
}

const installed = new Map<string, unknown>();

describe.each(ENGINES)('personalised offers on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let till: SaleTerminal;
  const DAY = '2026-06-29';

  beforeAll(async () => {
    // The story is in the past (an entry dated after the server's clock would be clock skew).
    ctx = await startTestServer(engine);
    const { RuleSet } = await import('../../src-shared/program/rule-set');
    installed.set('offers-1', RuleSet.parse(V1));
    installed.set('offers-2', RuleSet.parse(V2));
    await installRuleSet(ctx.server.db, 'test', V1, '2026-01-01T00:00:00.000Z');
    till = new SaleTerminal();
    await till.enrol(ctx.server);
    const entries: LedgerEntry[] = [];
    for (const [id, phone] of [['m-coffee', '+905320000001'], ['m-optout', '+905320000002'], ['m-staff', '+905320000003'], ['m-away', '+905320000004'], ['m-smoker', '+905320000005']] as const) {
      entries.push(till.enrolMember(id, phone));
    }
    // A coffee regular; the same history for a member who opted out and one of the staff tier.
    for (const memberId of ['m-coffee', 'm-optout', 'm-staff']) {
      for (const day of ['2026-05-18', '2026-06-01', '2026-06-15', '2026-06-22']) {
        entries.push(...till.sale(V1, memberId, day, day === '2026-06-15' ? [coffee, pastry] : [coffee], memberId === 'm-staff' ? { tierId: 'staff' } : {}));
      }
    }
    // Away for ten weeks.
    entries.push(...till.sale(V1, 'm-away', '2026-04-20', [coffee]));
    // Buys what earns nothing, often: never promoted.
    for (const day of ['2026-06-01', '2026-06-08', '2026-06-15', '2026-06-22']) entries.push(...till.sale(V1, 'm-smoker', day, [tobacco]));
    const res = await till.push(ctx.server, entries);
    expect(res.status).toBe(200);
    expect(res.body.results.flatMap((r: { exceptions: string[] }) => r.exceptions)).toEqual([]);
  });
  afterAll(() => ctx.close());

  const offersOf = async (memberId: string) => (await listOffers(ctx.server.db, { memberId })).sort((a, b) => a.type.localeCompare(b.type));

  it('computes offers from the history, within the cap, explained, and none for excluded members', async () => {
    const summary = await runOffers(ctx.server.db, { date: DAY });
    expect(summary).toMatchObject({ date: DAY, ruleSetVersion: 'offers-1', members: 5, issued: 2, withdrawn: 0, expired: 0, excluded: 2 });
    // maxPerMember 1: the favourite category comes before the bundle.
    const [favourite, ...others] = await offersOf('m-coffee');
    expect(others).toEqual([]);
    expect(favourite).toMatchObject({
      memberId: 'm-coffee',
      type: 'favouriteCategory',
      status: 'active',
      validFrom: DAY,
      validUntil: '2026-07-12',
      reason: 'You bought coffee 4 times in the last 8 weeks',
      terms: { type: 'favouriteCategory', category: 'Coffee', bonusPoints: 50, label: '+50 points on coffee' },
    });
    expect(favourite?.terms.offerId).toBe(favourite?.offerId);
    expect(await offersOf('m-away')).toMatchObject([{ type: 'winBack', reason: 'Your last visit was 10 weeks ago (2026-04-20)', terms: { bonusPoints: 200 } }]);
    expect(await offersOf('m-optout')).toEqual([]);
    expect(await offersOf('m-staff')).toEqual([]);
    expect(await offersOf('m-smoker')).toEqual([]);
  });

  it('is deterministic: the same history, rules and day give the same offers, and a second run adds nothing', async () => {
    const before = await listOffers(ctx.server.db);
    expect((await runOffers(ctx.server.db, { date: DAY })).issued).toBe(0);
    await ctx.server.db.query('DELETE FROM offers');
    await ctx.server.db.query('DELETE FROM offer_uptake_daily');
    await runOffers(ctx.server.db, { date: DAY });
    expect(await listOffers(ctx.server.db)).toEqual(before);
  });

  it('publishes offers in the change feed and in the snapshot header', async () => {
    // On PostgreSQL the feed holds back changes newer than the cluster's oldest running transaction
    // (other test files share the cluster): wait until ours are readable.
    for (let i = 0; i < 450; i += 1) {
      const [row] = await ctx.server.db.query<{ settled: boolean }>('SELECT coalesce(max(txid) < pg_snapshot_xmin(pg_current_snapshot()), true) AS settled FROM changes');
      if (row?.settled) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = await http(ctx.server, 'GET', '/v1/sync/pull?limit=5000', undefined, till.credential);
    expect(res.status).toBe(200);
    const offers = (res.body.changes as { dataset: string; payload: OfferRecord }[]).filter((c) => c.dataset === 'offers').map((c) => c.payload);
    const latest = new Map(offers.map((o) => [o.offerId, o]));
    const active = [...latest.values()].filter((o) => o.status === 'active').map((o) => o.memberId).sort();
    expect(active).toEqual(['m-away', 'm-coffee']);
    const snapshot = await fetch(`${ctx.server.url}/v1/members/snapshot`, { headers: { authorization: `Bearer ${till.credential}` } });
    const header = JSON.parse((await snapshot.text()).split('\n')[0] ?? '{}') as { documents: { dataset: string; key: string }[] };
    expect(header.documents.filter((d) => d.dataset === 'offers').map((d) => d.key).sort()).toEqual([...latest.values()].filter((o) => o.status === 'active').map((o) => o.offerId).sort());
  });

  it('raises the cap with a new rule set without duplicating what the member holds', async () => {
    await installRuleSet(ctx.server.db, 'test', V2, '2026-02-01T00:00:00.000Z');
    const summary = await runOffers(ctx.server.db, { date: DAY, memberId: 'm-coffee' });
    expect(summary).toMatchObject({ ruleSetVersion: 'offers-2', members: 1, issued: 1, withdrawn: 0 });
    const offers = await offersOf('m-coffee');
    expect(offers.map((o) => [o.type, o.status])).toEqual([['bundle', 'active'], ['favouriteCategory', 'active']]);
    expect(offers[0]).toMatchObject({ reason: 'You bought Large coffee 4 times in the last 8 weeks', terms: { usualSku: 'COFFEE-L', discountPercent: 100, maxDiscountMinor: 3000, label: 'Your usual Large coffee + a pastry free' } });
  });

  it('marks an offer redeemed by the sale that used it, and flags a second use from another terminal', async () => {
    const favourite = (await offersOf('m-coffee')).find((o) => o.type === 'favouriteCategory');
    if (!favourite) throw new Error('no favourite offer');
    const use = till.sale(V2, 'm-coffee', '2026-06-30', [coffee], { offers: [favourite.terms] });
    const earn = use.find((e) => e.kind === 'earn');
    expect(earn?.breakdown.find((b) => b.ruleId === `offer:${favourite.offerId}`)?.points).toBe(50);
    const first = await till.push(ctx.server, use);
    expect(first.body.results.flatMap((r: { exceptions: string[] }) => r.exceptions)).toEqual([]);
    expect((await offersOf('m-coffee')).find((o) => o.offerId === favourite.offerId)).toMatchObject({ status: 'redeemed', redeemedBy: { terminalId: till.terminalId, saleId: earn?.saleId } });

    const other = new SaleTerminal();
    await other.enrol(ctx.server);
    const again = await other.push(ctx.server, other.sale(V2, 'm-coffee', '2026-07-01', [coffee], { offers: [favourite.terms] }));
    expect(again.status).toBe(200);
    expect(again.body.results[0]).toMatchObject({ status: 'stored', exceptions: ['offer-misuse'] });
    const [exception] = await ctx.server.db.query<{ details: { offerId: string; problem: string; firstUse: { terminalId: string } } }>("SELECT details FROM exceptions WHERE kind = 'offer-misuse'");
    expect(exception?.details).toMatchObject({ offerId: favourite.offerId, problem: 'already-redeemed', firstUse: { terminalId: till.terminalId } });
    // A redeemed offer keeps its place until its last day: the next run does not issue another.
    expect((await runOffers(ctx.server.db, { date: '2026-07-02', memberId: 'm-coffee' })).issued).toBe(0);
  });

  it('expires offers past their last day, and reports uptake by type and period (function and admin route)', async () => {
    const summary = await runOffers(ctx.server.db, { date: '2026-07-13' });
    expect(summary.expired).toBe(2); // the bundle of m-coffee and the win-back of m-away
    // The pre-aggregated counts stay equal to a count of the offers themselves.
    const recount = await ctx.server.db.query<{ day: string; type: string; status: string; n: number }>(
      "SELECT valid_from AS day, type, status, count(*)::int AS n FROM offers GROUP BY 1, 2, 3 ORDER BY valid_from COLLATE \"C\", type COLLATE \"C\", status COLLATE \"C\"",
    );
    const aggregate = await ctx.server.db.query<{ day: string; type: string; status: string; n: number }>(
      'SELECT day, type, status, n::int AS n FROM offer_uptake_daily WHERE n <> 0 ORDER BY day COLLATE "C", type COLLATE "C", status COLLATE "C"',
    );
    expect(aggregate).toEqual(recount);
    const uptake = await offerUptake(ctx.server.db, { from: '2026-06-01', to: '2026-06-30', period: 'month' });
    expect(uptake.rows).toEqual([
      { period: '2026-06', type: 'bundle', offered: 1, redeemed: 0, expired: 1, withdrawn: 0, active: 0, redemptionRate: 0 },
      { period: '2026-06', type: 'favouriteCategory', offered: 1, redeemed: 1, expired: 0, withdrawn: 0, active: 0, redemptionRate: 1 },
      { period: '2026-06', type: 'winBack', offered: 1, redeemed: 0, expired: 1, withdrawn: 0, active: 0, redemptionRate: 0 },
    ]);
    const route = await http(ctx.server, 'GET', '/v1/admin/offers/uptake?from=2026-06-01&to=2026-06-30&period=week', undefined, ADMIN_TOKEN);
    expect(route.status).toBe(200);
    expect(route.body.rows.map((r: { period: string; type: string; offered: number }) => [r.period, r.type, r.offered])).toEqual([
      ['2026-06-29', 'bundle', 1],
      ['2026-06-29', 'favouriteCategory', 1],
      ['2026-06-29', 'winBack', 1],
    ]);
    expect((await http(ctx.server, 'GET', '/v1/admin/offers/uptake', undefined, till.credential)).status).toBe(401);

    // The same figures on the console's Insights page, as a table of their own and as CSV.
    const insights = await http(ctx.server, 'GET', '/v1/admin/insights?from=2026-06-01&to=2026-06-30&period=month', undefined, ADMIN_TOKEN);
    expect(insights.status).toBe(200);
    const table = (insights.body.extra as { id: string; title: string; rows: unknown[][] }[]).find((t) => t.id === 'offer-uptake');
    expect(table?.title).toBe('Offer uptake');
    expect(table?.rows).toEqual([
      ['2026-06', 'usual + add-on', 1, 0, 1, 0, 0, 0],
      ['2026-06', 'favourite category', 1, 1, 0, 0, 0, 1],
      ['2026-06', 'win-back', 1, 0, 1, 0, 0, 0],
      ['all', 'usual + add-on', 1, 0, 1, 0, 0, 0],
      ['all', 'favourite category', 1, 1, 0, 0, 0, 1],
      ['all', 'win-back', 1, 0, 1, 0, 0, 0],
    ]);
    const csv = await fetch(`${ctx.server.url}/v1/admin/insights/csv?table=offer-uptake&from=2026-06-01&to=2026-06-30&period=month`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split(/\r?\n/).slice(0, 3)).toEqual([
      'period,offer type,offered,redeemed,expired unused,withdrawn,still open,redemption rate',
      '2026-06,usual + add-on,1,0,1,0,0,0',
      '2026-06,favourite category,1,1,0,0,0,1',
    ]);
    expect((await http(ctx.server, 'GET', '/v1/admin/offers/uptake?period=year', undefined, ADMIN_TOKEN)).status).toBe(400);
  });

  it('computes on demand through the admin route, for one member, and refuses a malformed day', async () => {
    // The offers of 2026-07-13 ended on 2026-07-26: the next day brings new ones.
    const run = await http(ctx.server, 'POST', '/v1/admin/offers/run', { date: '2026-07-27', memberId: 'm-coffee' }, ADMIN_TOKEN);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ date: '2026-07-27', members: 1, issued: 2 });
    const list = await http(ctx.server, 'GET', '/v1/admin/offers?memberId=m-coffee&status=active', undefined, ADMIN_TOKEN);
    expect(list.body.offers.map((o: { type: string }) => o.type).sort()).toEqual(['bundle', 'favouriteCategory']);
    expect((await http(ctx.server, 'POST', '/v1/admin/offers/run', { date: '14/12/2026' }, ADMIN_TOKEN)).status).toBe(400);
    expect((await http(ctx.server, 'POST', '/v1/admin/offers/run', {}, till.credential)).status).toBe(401);
  });

  it('runs on a schedule for the current day', async () => {
    const errors: unknown[] = [];
    // Every 30 ms here (every hour by default in the server CLI); the server's clock says 2026-08-20.
    const stop = scheduleOffers(ctx.server.db, 0.0005, (e) => errors.push(e), () => new Date('2026-08-20T10:00:00.000Z'));
    try {
      await expect.poll(async () => (await offersOf('m-coffee')).filter((o) => o.validFrom === '2026-08-20').map((o) => [o.type, o.reason]), { timeout: 20_000 }).toEqual([
        ['winBack', 'Your last visit was 7 weeks ago (2026-07-01)'],
      ]);
    } finally {
      stop();
    }
    expect(errors).toEqual([]);
  });
});
