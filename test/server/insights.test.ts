// Insight figures from a small seeded programme pushed through the real ingest, checked against
// values computed by hand (the comments show the sums), on PGlite and PostgreSQL; the rebuild
// command must give the same figures as the incremental maintenance.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, installRuleSet } from '../../src-server/admin';
import { rebuildInsights } from '../../src-server/insights/insight-rebuild';
import { insightDayOf, recordMemberMerge, recordOwnerAdjustment, remainingByMonth, sqlInsightDay } from '../../src-server/insights/insight-facts';
import type { RunningServer } from '../../src-server/start-server';
import { D3, insightsRuleSet, InsightTerminal, seedInsights } from './insights-seed';
import { ADMIN_TOKEN, ENGINES, http, SimTerminal, startTestServer } from './server-harness';

const insights = (server: RunningServer, query: string) => http(server, 'GET', `/v1/admin/insights?${query}`, undefined, ADMIN_TOKEN);

describe.each(ENGINES)('insights on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let server: RunningServer;
  let a: InsightTerminal;
  let b: InsightTerminal;
  let m1: string;
  let m2: string;
  let m3: string;

  beforeAll(async () => {
    ctx = await startTestServer(engine);
    server = ctx.server;
    await createStore(server.db, 'test', 'Beşiktaş', 'besiktas');
    await installRuleSet(server.db, 'test', insightsRuleSet(), '2026-01-01T00:00:00Z');
    ({ a, b, members: { m1, m2, m3 } } = await seedInsights(server.url, ADMIN_TOKEN));
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
  });

  it('answers every figure as computed by hand', async () => {
    const res = await insights(server, 'from=2026-03-01&to=2026-04-30&period=month&groupBy=store');
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.totals).toEqual({
      identifiedSales: 5, // A: m1, m2; B: m3 twice, m2b
      anonymousSales: 5, // 3 + 1 + 1 (the retry and the skip are not counted)
      identifiedShare: 0.5,
      identifiedSalesMinor: 39000, // 10000 + 5000 + 3000 + 20000 + 1000
      anonymousSalesMinor: 4000, // 3000 + 700 + 300
      newMembers: 3, // m1, m2, m3 (m2b was merged into m2)
      pointsIssued: 440, // 100 + 50 + 20 + 30 + 30 + 200 + 10
      pointsRedeemed: 50, // redeem 40 + donation 10
      redemptions: 1,
      redemptionRate: 50 / 440,
      pointsExpired: 30,
      pointsRefunded: 0,
      referralConversions: 1, // two entries (referee and referrer), one conversion
      donations: 1,
      donatedPoints: 10,
      donationMatchPoints: 5,
      donatedMinor: 75,
    });
    expect(r.enrolledMembers).toBe(3);
    expect(r.series.map((s: { period: string; identifiedSales: number; anonymousSales: number }) => [s.period, s.identifiedSales, s.anonymousSales])).toEqual([
      ['2026-03-01', 3, 5],
      ['2026-04-01', 2, 0],
    ]);
    const byStore = Object.fromEntries(r.breakdown.map((s: { key: string }) => [s.key, s]));
    expect(byStore.kadikoy).toMatchObject({ label: 'Kadıköy', identifiedSales: 2, anonymousSales: 5, newMembers: 2, pointsIssued: 200, pointsRedeemed: 50, referralConversions: 1, identifiedShare: 2 / 7 });
    expect(byStore.besiktas).toMatchObject({ label: 'Beşiktaş', identifiedSales: 3, anonymousSales: 0, newMembers: 1, pointsIssued: 240, pointsExpired: 30, identifiedShare: 1 });
    // m1 bronze; m2 and m3 silver at their latest sale.
    expect(r.tiers).toEqual([
      { tierId: 'bronze', name: 'Bronze', members: 1 },
      { tierId: 'silver', name: 'Silver', members: 2 },
    ]);
    // m1: 130 credited in 2027-03 less 50 spent = 80; m2: 70 in 2027-03 and 10 in 2027-04; m3: 200 in 2027-04 (its 30 of 2026-03 expired).
    expect(r.liability).toEqual({
      points: 360,
      valueMinor: 1800,
      currency: 'TRY',
      minorPerPoint: 5,
      schedule: [
        { month: '2027-03', points: 150, valueMinor: 750, overdue: false },
        { month: '2027-04', points: 210, valueMinor: 1050, overdue: false },
      ],
    });
  });

  it('filters by day, terminal and cashier', async () => {
    const day = (await insights(server, 'from=2026-03-10&to=2026-03-10')).body;
    expect(day.totals).toMatchObject({ identifiedSales: 3, anonymousSales: 3, newMembers: 2, pointsIssued: 180 });
    expect(day.enrolledMembers).toBe(2);
    const c2 = (await insights(server, 'from=2026-03-01&to=2026-04-30&cashierId=c2&groupBy=terminal&period=week')).body;
    // c2: m2's sale on A; everything on B.
    expect(c2.totals).toMatchObject({ identifiedSales: 4, anonymousSales: 0, pointsIssued: 290, newMembers: 1 });
    expect(c2.breakdown.map((t: { key: string; identifiedSales: number }) => [t.key, t.identifiedSales]).sort()).toEqual([[a.terminalId, 1], [b.terminalId, 3]].sort());
    // Monday-based weeks, every one of the range: those without a sale are zeros, not left out
    // (the chart's axis had closed up three empty weeks between 9 and 30 March).
    expect(c2.series.map((s: { period: string; identifiedSales: number }) => [s.period, s.identifiedSales])).toEqual([
      ['2026-02-23', 0],
      ['2026-03-02', 0],
      ['2026-03-09', 2],
      ['2026-03-16', 0],
      ['2026-03-23', 0],
      ['2026-03-30', 2],
      ['2026-04-06', 0],
      ['2026-04-13', 0],
      ['2026-04-20', 0],
      ['2026-04-27', 0],
    ]);
    expect(c2.series[0]).toMatchObject({ identifiedShare: null, redemptionRate: null });
    const terminal = (await insights(server, `from=2026-03-01&to=2026-03-31&terminalId=${b.terminalId}`)).body;
    expect(terminal.totals).toMatchObject({ identifiedSales: 1, pointsIssued: 30, newMembers: 0 });
    const cashiers = (await insights(server, 'from=2026-03-01&to=2026-04-30&groupBy=cashier')).body;
    expect(cashiers.breakdown.map((c: { key: string; label: string; anonymousSales: number }) => [c.key, c.label, c.anonymousSales])).toEqual([
      ['', '(none)', 1],
      ['c1', 'c1', 4],
      ['c2', 'c2', 0],
    ]);
  });

  it('keeps objectives and compares them with the actuals', async () => {
    expect((await http(server, 'POST', '/v1/admin/insights/objectives', { metric: 'identifiedShare', target: 60 }, ADMIN_TOKEN)).status).toBe(400);
    expect((await http(server, 'POST', '/v1/admin/insights/objectives', { metric: 'identifiedShare', target: 0.6 }, ADMIN_TOKEN)).status).toBe(200);
    expect((await http(server, 'POST', '/v1/admin/insights/objectives', { metric: 'redemptionRate', target: 0.1 }, ADMIN_TOKEN)).status).toBe(200);
    const r = (await insights(server, 'from=2026-03-01&to=2026-04-30')).body;
    expect(r.objectives.map((o: { metric: string; target: number; actual: number; met: boolean }) => [o.metric, o.target, o.actual, o.met])).toEqual([
      ['identifiedShare', 0.6, 0.5, false],
      ['redemptionRate', 0.1, 50 / 440, true],
    ]);
    expect((await http(server, 'POST', '/v1/admin/insights/objectives', { metric: 'redemptionRate', target: null }, ADMIN_TOKEN)).status).toBe(200);
    const after = (await http(server, 'GET', '/v1/admin/insights/objectives', undefined, ADMIN_TOKEN)).body;
    expect(after.objectives.map((o: { metric: string }) => o.metric)).toEqual(['identifiedShare']);
    const audit = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM admin_audit WHERE action = 'insights.objective'`);
    expect(audit[0]?.n).toBe(3);
  });

  it('exports every table as CSV', async () => {
    const res = await fetch(`${server.url}/v1/admin/insights/csv?table=breakdown&from=2026-03-01&to=2026-04-30&groupBy=store`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^store,name,identified sales,anonymous sales,identified share,/);
    expect(lines).toContainEqual(expect.stringMatching(/^besiktas,Beşiktaş,3,0,1,24000,0,1,240,/));
    const liability = await (await fetch(`${server.url}/v1/admin/insights/csv?table=liability&from=2026-03-01&to=2026-04-30`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(liability).toBe('expires in month,points,value (minor units),overdue\r\n2027-03,150,750,false\r\n2027-04,210,1050,false\r\n');
    // As spreadsheets set for Türkiye read CSV: semicolons, decimal commas.
    const semicolons = await (await fetch(`${server.url}/v1/admin/insights/csv?table=totals&from=2026-03-01&to=2026-04-30&separator=semicolon`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(semicolons.split('\r\n')[0]).toMatch(/^from;to;enrolled members;identified sales;anonymous sales;identified share;/);
    expect(semicolons.split('\r\n')[1]).toMatch(/^2026-03-01;2026-04-30;\d+;\d+;\d+;0,\d+;/);
    expect((await http(server, 'GET', '/v1/admin/insights/csv?table=totals&from=2026-03-01&to=2026-04-30&separator=tab', undefined, ADMIN_TOKEN)).status).toBe(400);
    const unknown = await http(server, 'GET', '/v1/admin/insights/csv?table=nope&from=2026-03-01&to=2026-04-30', undefined, ADMIN_TOKEN);
    expect(unknown.status).toBe(404);
  });

  it('refuses calls without the admin token and bad queries with a clear error', async () => {
    expect((await http(server, 'GET', '/v1/admin/insights?from=2026-03-01&to=2026-04-30')).status).toBe(401);
    expect((await http(server, 'GET', '/v1/admin/insights?from=2026-03-01&to=2026-04-30', undefined, b.credential)).status).toBe(401);
    const backwards = await insights(server, 'from=2026-04-30&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('"to" is before "from"');
    expect((await insights(server, 'from=2026-03-01&to=2026-04-30&period=year')).status).toBe(400);
  });

  it('rebuilds the same figures from the ledger, and keeps counting after a rebuild', async () => {
    const query = 'from=2026-03-01&to=2026-04-30&period=day&groupBy=cashier';
    const facts = () => server.db.query('SELECT * FROM insight_daily ORDER BY day, store_id, terminal_id, cashier_id');
    const before = (await insights(server, query)).body;
    const factsBefore = await facts();
    const report = await rebuildInsights(server.db);
    expect(report.members).toBe(3);
    expect((await insights(server, query)).body).toEqual(before);
    expect(await facts()).toEqual(factsBefore);

    // More entries after the rebuild: incremental and a second rebuild agree again.
    b.sale(m3, 4000, 40, 'silver', '2027-04-03', 'c1', D3);
    b.record({ kind: 'redeem', memberId: m3, points: -220, amountMinor: 1100, saleId: randomUUID(), payload: { discountMinor: 1100 }, cashierId: 'c1' }, D3);
    expect((await b.send(server.url, b.entries.slice(6))).body.ackedThroughSeq).toBe(8);
    const incremental = (await insights(server, query)).body;
    // m3: 240 credited in 2027-04, 220 spent: 20 left; 2027-04 now 10 (m2) + 20.
    expect(incremental.liability.schedule).toEqual([
      { month: '2027-03', points: 150, valueMinor: 750, overdue: false },
      { month: '2027-04', points: 30, valueMinor: 150, overdue: false },
    ]);
    await rebuildInsights(server.db);
    expect((await insights(server, query)).body).toEqual(incremental);
  });

  it('follows adjustments and merges made from the console, as a rebuild does', async () => {
    const at = new Date('2026-05-01T10:00:00Z');
    const query = 'from=2026-03-01&to=2026-05-31';
    await server.db.transaction(async (tx) => {
      // What the console does (member-admin), then the insights call in the same transaction.
      for (const [member, points] of [[m1, 25], [m2, -15]] as const) {
        await tx.query(`INSERT INTO member_adjustments (member_id, points, reason_code, actor, balance_after, created_at) VALUES ($1, $2, 'goodwill', 'test', 0, $3)`, [member, points, at.toISOString()]);
        await tx.query('UPDATE members SET balance = balance + $2 WHERE member_id = $1', [member, points]);
        await recordOwnerAdjustment(tx, member, points, at);
      }
      await tx.query('INSERT INTO member_aliases (alias_id, member_id) VALUES ($1, $2)', [m3, m1]);
      await tx.query('UPDATE ledger SET member_id = $2 WHERE member_id = $1', [m3, m1]);
      await tx.query(`INSERT INTO member_merges (from_member_id, into_member_id, merged_member, actor) SELECT member_id, $2, jsonb_build_object('enrolledBy', enrolled_by), 'test' FROM members WHERE member_id = $1`, [m3, m1]);
      await tx.query('DELETE FROM members WHERE member_id = $1', [m3]);
      await recordMemberMerge(tx, m3, m1);
    });
    const incremental = (await insights(server, query)).body;
    // m1 with m3: credited 30 (2026-03), 130 (2027-03), 240 (2027-04), 25 (2027-05, the owner's), spent 300:
    // 100 left of 2027-04 and 25 of 2027-05. m2: 55 of 2027-03 after the owner took 15, 10 of 2027-04.
    expect(incremental.liability.schedule.map((e: { month: string; points: number }) => [e.month, e.points])).toEqual([
      ['2027-03', 55],
      ['2027-04', 110],
      ['2027-05', 25],
    ]);
    // m3's silver (its later sale) survives in m1: two silver members. m3 was enrolled all the same.
    expect(incremental.tiers).toEqual([{ tierId: 'silver', name: 'Silver', members: 2 }]);
    expect(incremental.totals.newMembers).toBe(3);
    await rebuildInsights(server.db);
    expect((await insights(server, query)).body).toEqual(incremental);
  });

  it('follows the console routes: an owner adjustment and a merge count at once, as a rebuild counts them', async () => {
    const query = 'from=2026-03-01&to=2026-12-31';
    const liabilityPoints = (body: { liability: { schedule: { points: number }[] } }) => body.liability.schedule.reduce((sum, e) => sum + e.points, 0);
    const membersInTiers = (body: { tiers: { members: number }[] }) => body.tiers.reduce((sum, t) => sum + t.members, 0);
    const before = (await insights(server, query)).body;

    const adjusted = await http(server, 'POST', `/v1/admin/members/${m2}/adjust`, { points: 40, reasonCode: 'goodwill' }, ADMIN_TOKEN);
    expect(adjusted.status).toBe(200);
    const merged = await http(server, 'POST', '/v1/admin/member-merges', { from: m2, into: m1 }, ADMIN_TOKEN);
    expect(merged.status).toBe(200);

    const incremental = (await insights(server, query)).body;
    expect(liabilityPoints(incremental)).toBe(liabilityPoints(before) + 40);
    expect(membersInTiers(incremental)).toBe(membersInTiers(before) - 1);
    await rebuildInsights(server.db);
    expect((await insights(server, query)).body).toEqual(incremental);
  });

  it("writes a member's insight row only when its tier or its debits move, and stays equal to a rebuild", async () => {
    const t = new SimTerminal();
    await t.enrol(server);
    const member = t.enrolMember('+905324440001').memberId;
    t.earn(member, 10_000);
    const rowVersion = async () => (await server.db.query<{ v: string }>('SELECT xmin::text AS v FROM member_insights WHERE member_id = $1', [member]))[0]?.v;
    const pushNew = async () => {
      const res = await t.push(server, t.entries.filter((e) => e.seq > sent));
      expect(res.status).toBe(200);
      sent = res.body.ackedThroughSeq;
    };
    let sent = 0;
    await pushNew();
    const created = await rowVersion();
    expect(created).toBeDefined();
    // A sale with no tier recorded and no points spent: the row is not written again, the lots are.
    const lotsBefore = await server.db.query('SELECT expires_month, credited FROM member_point_lots WHERE member_id = $1', [member]);
    t.earn(member, 20_000);
    await pushNew();
    expect(await rowVersion()).toBe(created);
    expect(await server.db.query('SELECT expires_month, credited FROM member_point_lots WHERE member_id = $1', [member])).not.toEqual(lotsBefore);
    // Points spent move its debits: written.
    t.redeem(member, 50);
    await pushNew();
    expect(await rowVersion()).not.toBe(created);
    expect(await server.db.query<{ debited: number }>('SELECT debited FROM member_insights WHERE member_id = $1', [member])).toEqual([{ debited: 50 }]);
    const query = 'from=2026-01-01&to=2027-12-31&period=month&groupBy=store';
    const incremental = (await insights(server, query)).body;
    await rebuildInsights(server.db);
    expect((await insights(server, query)).body).toEqual(incremental);
  });

  it("counts an entry on its date in its terminal's time zone, as the rebuild's SQL does, odd device times too", async () => {
    const cases: [string, string | null, string][] = [
      ['2026-03-10T11:30:00.000Z', 'Pacific/Auckland', '2026-03-11'],
      ['2026-03-10T11:30:00.000Z', null, '2026-03-10'],
      ['2026-03-10T20:59:00.000Z', 'Europe/Istanbul', '2026-03-10'],
      ['2026-03-10T21:00:00.000Z', 'Europe/Istanbul', '2026-03-11'],
      ['2026-03-10T18:29:59.999Z', 'Asia/Kolkata', '2026-03-10'],
      ['2026-03-10T18:30:00.000Z', 'Asia/Kolkata', '2026-03-11'],
      ['2026-03-10T03:59:00.000Z', 'America/New_York', '2026-03-09'],
      ['2026-02-30T21:30:00Z', 'Europe/Istanbul', '2026-03-03'],
      ['2026-03-10', 'Pacific/Auckland', '2026-03-10'],
      ['2026-03-10T25:00', 'UTC', '2026-03-10'],
      ['yesterday', 'Europe/Istanbul', '1970-01-01'],
    ];
    for (const [deviceTime, zone, day] of cases) {
      expect(insightDayOf(deviceTime, zone), `${deviceTime} in ${zone}`).toBe(day);
      const [row] = await server.db.query<{ day: string }>(`SELECT to_char(${sqlInsightDay('$2::text')}, 'YYYY-MM-DD') AS day FROM (SELECT $1::text AS device_time) d`, [deviceTime, zone]);
      expect(row?.day, `SQL: ${deviceTime} in ${zone}`).toBe(day);
    }
  });

  it('counts a member in the tier their latest sale left them in: a first purchase, and one that crosses into silver', async () => {
    const query = 'from=2026-01-01&to=2027-12-31';
    const tierCounts = async () => Object.fromEntries(((await insights(server, query)).body.tiers as { tierId: string | null; members: number }[]).map((t) => [t.tierId ?? '', t.members]));
    const before = await tierCounts();
    const t = new InsightTerminal();
    await t.enrolWith(server.url, ADMIN_TOKEN, 'kadikoy');
    const [first, climber] = [`first-${randomUUID().slice(0, 6)}`, `climber-${randomUUID().slice(0, 6)}`];
    // The terminal records the tier before the sale: none for a first purchase, bronze for the climber,
    // whose 950.00 of spend this year and this 100.00 sale pass silver's 1,000.00.
    t.enrolAt(first, '+905550000101', 'c1', D3);
    t.sale(first, 10_000, 100, null, '2027-04-02', 'c1', D3);
    t.enrolAt(climber, '+905550000102', 'c1', D3);
    t.sale(climber, 10_000, 100, 'bronze', '2027-04-02', 'c1', D3, 95_000);
    const pushed = await t.send(server.url, t.entries);
    expect(pushed.status).toBe(200);
    expect(pushed.body.results.flatMap((r: { exceptions: string[] }) => r.exceptions)).toEqual([]);

    const after = await tierCounts();
    expect(after).toEqual({ ...before, bronze: (before.bronze ?? 0) + 1, silver: (before.silver ?? 0) + 1 });
    await rebuildInsights(server.db);
    expect(await tierCounts()).toEqual(after);
    // The member's page in the console says the same, by the tier's name.
    const detail = async (id: string) => (await http(server, 'GET', `/v1/admin/members/${id}`, undefined, ADMIN_TOKEN)).body.member;
    expect(await detail(climber)).toMatchObject({ tier: 'Silver', tierId: 'silver' });
    expect(await detail(first)).toMatchObject({ tier: 'Bronze', tierId: 'bronze' });
  });
});

describe('insight rules', () => {
  it('counts an entry on the date its terminal wrote, rolling over like Date.UTC', () => {
    expect(insightDayOf('2026-03-10T23:59:59.999Z')).toBe('2026-03-10');
    expect(insightDayOf('2026-02-30T10:00:00Z')).toBe('2026-03-02');
    expect(insightDayOf('yesterday')).toBe('1970-01-01');
  });

  it('spends the soonest-expiring points first', () => {
    const credited = new Map([
      ['2027-01', 10],
      ['9999-12', 5],
      ['2026-12', 20],
    ]);
    expect([...remainingByMonth(credited, 25)]).toEqual([
      ['2027-01', 5],
      ['9999-12', 5],
    ]);
    expect([...remainingByMonth(credited, 40)]).toEqual([]);
  });
});
