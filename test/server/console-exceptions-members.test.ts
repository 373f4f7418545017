// The console's Exceptions queue and Members API on both engines: suspicious-activity thresholds
// (one exception per member or cashier and day), every exception action and member action with
// its admin_audit row, card last four from terminal link records, merge and unmerge.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../src-shared/ledger/entry';
import { auditHashInput, type AuditEntry } from '../../src-shared/ledger/audit-entry';
import { PROTOCOL_VERSION } from '../../src-shared/sync/protocol';
import { ADMIN_TOKEN, balancesMatchLedger, ENGINES, http, pushBodyOf, sha256Hex, SimTerminal, startTestServer } from './server-harness';

const DAY = '2026-11-20';
const at = (hour: number, minute = 0) => `${DAY}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;

describe.each(ENGINES)('console exceptions and members on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  const admin = (method: string, path: string, body?: unknown) => http(ctx.server, method, path, body, ADMIN_TOKEN);
  const auditRows = async (action: string) => ctx.server.db.query<{ actor: string; details: Record<string, unknown> }>('SELECT actor, details FROM admin_audit WHERE action = $1 ORDER BY audit_id', [action]);
  /**
   * What the change feed will serve for one key, in feed order. Read from the table rather than
   * pulled: a pull on PostgreSQL waits for every older transaction in the cluster (other test
   * files share it), which feed.test.ts covers; here the point is what was published.
   */
  const published = async (dataset: string, key: string) =>
    (await ctx.server.db.query<{ payload: Record<string, unknown> }>('SELECT payload FROM changes WHERE dataset = $1 AND key = $2 ORDER BY txid, change_id', [dataset, key])).map((r) => r.payload);
  const balance = async (memberId: string) => (await ctx.server.db.query<{ balance: number }>('SELECT balance FROM members WHERE member_id = $1', [memberId]))[0]?.balance;

  beforeAll(async () => {
    ctx = await startTestServer(engine, { suspicion: { redemptionsPerMemberPerDay: 3, enrolmentsPerCashierPerDay: 2 } });
  });
  afterAll(() => ctx.close());

  it('refuses every call without the admin token', async () => {
    for (const [method, path, body] of [
      ['GET', '/v1/admin/exceptions'],
      ['GET', '/v1/admin/members?q=ayse'],
      ['GET', '/v1/admin/members/m-1'],
      ['POST', '/v1/admin/members/m-1/adjust', { points: 5, reasonCode: 'goodwill' }],
      ['POST', '/v1/admin/member-merges', { from: 'a', into: 'b' }],
      ['POST', '/v1/admin/member-merges/1/undo', {}],
      ['POST', '/v1/admin/exceptions/1/accept', { note: 'x' }],
      ['POST', '/v1/admin/exceptions/1/adjust', { points: 5, reasonCode: 'goodwill' }],
      ['POST', '/v1/admin/exceptions/1/flag', { target: 'member', reason: 'x' }],
      ['POST', '/v1/admin/terminals/t/flag', { reason: 'x' }],
    ] as const) {
      const res = await http(ctx.server, method, path, body, 'not-the-token');
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('raises one suspicious-redemptions exception per member and day above the threshold, across terminals', async () => {
    const [t1, t2] = [new SimTerminal(), new SimTerminal()];
    await t1.enrol(ctx.server);
    await t2.enrol(ctx.server);
    const member = t1.enrolMember('+905551000001', undefined, { deviceTime: at(8) }).memberId;
    t1.earn(member, 100_000, { deviceTime: at(8, 5) });
    await t1.push(ctx.server, t1.entries);
    await t2.push(ctx.server, []);
    // Three redemptions that day: at the threshold, not over it.
    t1.redeem(member, 10, at(9));
    t1.redeem(member, 10, at(10));
    t2.redeem(member, 10, at(11));
    await t1.push(ctx.server, t1.entries.slice(2));
    await t2.push(ctx.server, t2.entries);
    const kindOf = async () => ctx.server.db.query<{ details: { count: number; day: string } }>("SELECT details FROM exceptions WHERE kind = 'suspicious-redemptions' AND member_id = $1", [member]);
    expect(await kindOf()).toHaveLength(0);
    // The fourth (on the other terminal) goes over; the fifth and sixth do not raise another.
    t2.redeem(member, 10, at(12));
    await t2.push(ctx.server, t2.entries.slice(1));
    t1.redeem(member, 10, at(13));
    t2.redeem(member, 10, at(14));
    await t1.push(ctx.server, t1.entries.slice(4));
    await t2.push(ctx.server, t2.entries.slice(2));
    const raised = await kindOf();
    expect(raised).toHaveLength(1);
    expect(raised[0]?.details).toMatchObject({ count: 4, day: DAY });
    // Another day starts a new count.
    t1.redeem(member, 10, '2026-11-21T09:00:00.000Z');
    await t1.push(ctx.server, t1.entries.slice(5));
    expect(await kindOf()).toHaveLength(1);

    const listed = await admin('GET', `/v1/admin/exceptions?kind=suspicious-redemptions&member=${member}`);
    expect(listed.status).toBe(200);
    expect(listed.body.exceptions).toHaveLength(1);
    // Every redemption of that day, from both terminals, is behind it.
    expect(listed.body.exceptions[0].entries.map((e: { kind: string }) => e.kind)).toEqual(['redeem', 'redeem', 'redeem', 'redeem', 'redeem', 'redeem']);
    expect(new Set(listed.body.exceptions[0].entries.map((e: { terminalId: string }) => e.terminalId))).toEqual(new Set([t1.terminalId, t2.terminalId]));
  });

  it('raises one suspicious-enrolments exception per cashier and day, not for another cashier', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    for (let i = 0; i < 2; i += 1) t.enrolMember(`+90555200000${i}`, undefined, { cashierId: 'c-busy', deviceTime: at(9, i) });
    t.enrolMember('+905552000009', undefined, { cashierId: 'c-calm', deviceTime: at(9, 30) });
    await t.push(ctx.server, t.entries);
    const count = async () => (await ctx.server.db.query("SELECT 1 FROM exceptions WHERE kind = 'suspicious-enrolments' AND terminal_id = $1", [t.terminalId])).length;
    expect(await count()).toBe(0);
    t.enrolMember('+905552000003', undefined, { cashierId: 'c-busy', deviceTime: at(10) });
    t.enrolMember('+905552000004', undefined, { cashierId: 'c-busy', deviceTime: at(11) });
    await t.push(ctx.server, t.entries.slice(3));
    expect(await count()).toBe(1);
    const listed = await admin('GET', `/v1/admin/exceptions?kind=suspicious-enrolments&terminal=${t.terminalId}`);
    expect(listed.body.exceptions[0].details).toMatchObject({ cashierId: 'c-busy', day: DAY, count: 4, threshold: 2 });
    expect(listed.body.exceptions[0].entries).toHaveLength(4);
    expect(listed.body.exceptions[0].storeId).toBe('kadikoy');
  });

  it("counts a day's redemptions and enrolments on the store's own calendar day, not the UTC date", async () => {
    // A New York store's evening (18:00-21:00 on the 20th) runs across midnight UTC.
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const pushInZone = (entries: typeof t.entries) => http(ctx.server, 'POST', '/v1/sync/push', pushBodyOf(entries, { timeZone: 'America/New_York' }), t.credential);
    const member = t.enrolMember('+905554100001', undefined, { deviceTime: '2026-11-20T15:00:00.000Z' }).memberId;
    t.earn(member, 100_000, { deviceTime: '2026-11-20T15:05:00.000Z' });
    for (const hour of ['2026-11-20T23', '2026-11-21T00', '2026-11-21T01', '2026-11-21T02']) t.redeem(member, 10, `${hour}:00:00.000Z`);
    // The next morning there (the 21st) is another day.
    t.redeem(member, 10, '2026-11-21T14:00:00.000Z');
    for (const [i, time] of ['2026-11-20T22:00', '2026-11-20T23:30', '2026-11-21T00:30', '2026-11-21T04:30'].entries()) {
      t.enrolMember(`+90555410010${i}`, undefined, { cashierId: 'c-evening', deviceTime: `${time}:00.000Z` });
    }
    expect((await pushInZone(t.entries)).status).toBe(200);

    const redemptions = await admin('GET', `/v1/admin/exceptions?kind=suspicious-redemptions&member=${member}`);
    expect(redemptions.body.exceptions).toHaveLength(1);
    expect(redemptions.body.exceptions[0].details).toMatchObject({ day: '2026-11-20', count: 4 });
    // Behind it: that evening's four, not the next morning's.
    expect(redemptions.body.exceptions[0].entries.map((e: { deviceTime: string }) => e.deviceTime)).toEqual([
      '2026-11-20T23:00:00.000Z',
      '2026-11-21T00:00:00.000Z',
      '2026-11-21T01:00:00.000Z',
      '2026-11-21T02:00:00.000Z',
    ]);
    // 04:30 UTC is 23:30 on the 20th in New York: four enrolments that day, over the threshold of 2.
    const enrolments = await admin('GET', `/v1/admin/exceptions?kind=suspicious-enrolments&terminal=${t.terminalId}`);
    expect(enrolments.body.exceptions).toHaveLength(1);
    expect(enrolments.body.exceptions[0].details).toMatchObject({ cashierId: 'c-evening', day: '2026-11-20', count: 4 });
    expect(enrolments.body.exceptions[0].entries).toHaveLength(4);
  });

  it('resolves an over-drawn balance with an adjustment that reaches the feed, audited with the actor', async () => {
    const [t1, t2] = [new SimTerminal(), new SimTerminal()];
    await t1.enrol(ctx.server);
    await t2.enrol(ctx.server);
    const member = t1.enrolMember('+905553000001').memberId;
    t1.earn(member, 50_000); // 500 points
    await t1.push(ctx.server, t1.entries);
    t1.redeem(member, 400);
    t2.redeem(member, 400);
    await t1.push(ctx.server, t1.entries.slice(2));
    await t2.push(ctx.server, t2.entries);
    expect(await balance(member)).toBe(-300);

    const open = await admin('GET', `/v1/admin/exceptions?open=true&kind=negative-balance&member=${member}`);
    expect(open.body.exceptions).toHaveLength(1);
    // A kind misspelt is refused by name, not answered with an empty queue that reads as "nothing to do".
    const misspelt = await admin('GET', `/v1/admin/exceptions?open=true&kind=negative-balances&member=${member}`);
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error.message).toMatch(/kind/);
    const item = open.body.exceptions[0];
    expect(item.memberBalance).toBe(-300);
    expect(item.entries.map((e: { points: number }) => e.points).sort()).toEqual([-400, -400]);

    const refused = await admin('POST', `/v1/admin/exceptions/${item.exceptionId}/adjust`, { points: 300, reasonCode: 'not-a-code' });
    expect(refused.status).toBe(400);
    expect(await balance(member)).toBe(-300);
    const other = await admin('POST', `/v1/admin/exceptions/${item.exceptionId}/adjust`, { points: 300, reasonCode: 'other' });
    expect(other.body.error.message).toMatch(/note/);

    const adjusted = await admin('POST', `/v1/admin/exceptions/${item.exceptionId}/adjust`, { points: 300, reasonCode: 'offline-double-redemption', note: 'both tills offline' });
    expect(adjusted.status).toBe(200);
    expect(adjusted.body).toMatchObject({ memberId: member, points: 300, balance: 0 });
    expect(await balance(member)).toBe(0);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
    // A second action on the same exception is refused: it is resolved.
    expect((await admin('POST', `/v1/admin/exceptions/${item.exceptionId}/adjust`, { points: 300, reasonCode: 'correction' })).status).toBe(409);
    expect(await balance(member)).toBe(0);

    const resolved = await admin('GET', `/v1/admin/exceptions?open=false&member=${member}`);
    expect(resolved.body.exceptions[0]).toMatchObject({ resolvedBy: 'admin-api', resolution: 'adjusted +300 points (offline-double-redemption): both tills offline', resolutionAction: { action: 'adjusted', points: 300, reasonCode: 'offline-double-redemption', note: 'both tills offline' } });
    const [row] = await auditRows('member.adjust');
    expect(row).toMatchObject({ actor: 'admin-api', details: { memberId: member, points: 300, reasonCode: 'offline-double-redemption', exceptionId: item.exceptionId } });
    expect(await auditRows('exception.adjust')).toHaveLength(1);

    // Terminals see the new balance as a balance change in the feed.
    expect((await published('balances', member)).at(-1)).toEqual({ memberId: member, balance: 0, version: expect.any(Number) });
  });

  it('accepts with a note, flags a member and a terminal (listed as flagged), each audited', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const member = t.enrolMember('+905554000001').memberId;
    t.earn(member, 10_000, { points: 999 }); // not what the rules give: earn-mismatch
    t.earn(member, 10_000, { points: 998 });
    await t.push(ctx.server, t.entries);
    const listed = (await admin('GET', `/v1/admin/exceptions?kind=earn-mismatch&terminal=${t.terminalId}`)).body.exceptions;
    expect(listed).toHaveLength(2);
    const [first, second] = listed;
    expect(first.entries).toEqual([expect.objectContaining({ terminalId: t.terminalId, seq: first.seq, role: 'subject', storeId: 'kadikoy' })]);

    expect((await admin('POST', `/v1/admin/exceptions/${first.exceptionId}/accept`, { note: '  ' })).status).toBe(400);
    expect((await admin('POST', `/v1/admin/exceptions/${first.exceptionId}/accept`, { note: 'promotion agreed by phone' })).status).toBe(200);
    expect((await auditRows('exception.accept')).at(-1)).toMatchObject({ actor: 'admin-api', details: { exceptionId: first.exceptionId, note: 'promotion agreed by phone' } });

    expect((await admin('POST', `/v1/admin/exceptions/${second.exceptionId}/flag`, { target: 'terminal', reason: 'points edited?' })).status).toBe(200);
    expect((await admin('POST', `/v1/admin/exceptions/${second.exceptionId}/flag`, { target: 'member', reason: 'watch', resolve: true })).status).toBe(200);
    const after = (await admin('GET', `/v1/admin/exceptions?terminal=${t.terminalId}&kind=earn-mismatch`)).body.exceptions;
    expect(after.find((e: { exceptionId: number }) => e.exceptionId === second.exceptionId)).toMatchObject({ terminalFlagged: true, memberFlagged: true, resolution: 'member flagged: watch', resolutionAction: { action: 'flagged', target: 'member', reason: 'watch' } });
    expect((await auditRows('terminal.flag')).at(-1)).toMatchObject({ actor: 'admin-api', details: { terminalId: t.terminalId, reason: 'points edited?' } });
    expect((await auditRows('member.flag')).at(-1)).toMatchObject({ details: { memberId: member, reason: 'watch' } });
    // Resolved in the owner's own words (the CLI's resolve-exception, the API's resolve): kept as written.
    t.earn(member, 10_000, { points: 997 });
    await t.push(ctx.server, t.entries.slice(3));
    const [third] = (await admin('GET', `/v1/admin/exceptions?open=true&kind=earn-mismatch&terminal=${t.terminalId}`)).body.exceptions;
    expect((await admin('POST', `/v1/admin/exceptions/${third.exceptionId}/resolve`, { resolution: ' accepted: called the store ' })).status).toBe(200);
    const [noted] = (await admin('GET', `/v1/admin/exceptions?open=false&kind=earn-mismatch&terminal=${t.terminalId}`)).body.exceptions;
    expect(noted).toMatchObject({ exceptionId: third.exceptionId, resolution: 'accepted: called the store', resolutionAction: { action: 'noted', text: 'accepted: called the store' } });
    expect((await admin('POST', `/v1/admin/exceptions/${third.exceptionId}/resolve`, { resolution: 'again' })).status).toBe(404);
    const terminals = (await admin('GET', '/v1/admin/terminals')).body.terminals;
    expect(terminals.find((x: { terminalId: string }) => x.terminalId === t.terminalId)).toMatchObject({ flaggedAt: expect.any(String), flagReason: 'points edited?' });
    // Clearing the flag.
    expect((await admin('POST', `/v1/admin/terminals/${t.terminalId}/flag`, { reason: null })).status).toBe(200);
    expect((await admin('GET', '/v1/admin/terminals')).body.terminals.find((x: { terminalId: string }) => x.terminalId === t.terminalId).flaggedAt).toBeNull();
    expect((await admin('POST', '/v1/admin/exceptions/999999/accept', { note: 'x' })).status).toBe(404);
  });

  it('finds members by phone digits, card last four (from terminal link records) and name', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const ayse = t.enrolMember('+905556001234', undefined, { name: 'Ayşe Yılmaz' }).memberId;
    const mehmet = t.enrolMember('+905556009876', undefined, { name: 'Mehmet Kaya' }).memberId;
    // The terminal's audit record of a card link carries the member and the card's last four.
    const record = (seq: number, prevHash: string, details: Record<string, unknown>): AuditEntry => {
      const unhashed = { terminalId: t.terminalId, seq, at: new Date().toISOString(), userId: 'c1', role: 'cashier', action: 'members.linkCard', outcome: 'ok' as const, details, prevHash };
      return { ...unhashed, hash: sha256Hex(auditHashInput(unhashed)) };
    };
    const a1 = record(1, GENESIS_HASH, { args: { memberId: mehmet, lastCardScan: true }, result: { memberId: mehmet, created: true, cardLast4: '4242' } });
    const a2 = record(2, a1.hash, { args: { memberId: ayse }, result: { memberId: ayse, created: true, cardLast4: 'not-digits' } });
    const pushed = await http(ctx.server, 'POST', '/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, entries: t.entries, audit: [a1, a2] }, t.credential);
    expect(pushed.body.auditAckedThroughSeq).toBe(2);

    const search = async (q: string) => ((await admin('GET', `/v1/admin/members?q=${encodeURIComponent(q)}`)).body.members ?? []).map((m: { memberId: string }) => m.memberId);
    expect(await search('6001234')).toEqual([ayse]);
    expect(await search('0555 600 98 76')).toEqual([mehmet]);
    expect(await search('4242')).toEqual([mehmet]);
    expect(await search('yılmaz')).toEqual([ayse]);
    expect(await search('%')).toEqual([]);
    expect((await admin('GET', '/v1/admin/members?q=a')).status).toBe(400);
    const detail = (await admin('GET', `/v1/admin/members/${mehmet}`)).body.member;
    expect(detail).toMatchObject({ memberId: mehmet, name: 'Mehmet Kaya', cardLast4: ['4242'], balance: 0 });
    expect((await admin('GET', '/v1/admin/members/nobody')).status).toBe(404);
  });

  it('says when more members match than a search shows, and when older history exists than a member page shows', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const many = Array.from({ length: 4 }, (_, i) => t.enrolMember(`+90555610000${i}`, undefined, { name: `Kuzucuoğlu ${i}`, deviceTime: '2026-09-01T10:00:00.000Z' }).memberId);
    const busy = many[0]!;
    for (let i = 0; i < 5; i += 1) t.earn(busy, 1000 + i, { deviceTime: `2026-10-0${i + 1}T10:00:00.000Z` });
    await t.push(ctx.server, t.entries);

    const search = async (q: string, limit?: number) => (await admin('GET', `/v1/admin/members?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`)).body;
    expect(await search('kuzucuoğlu', 3)).toMatchObject({ more: true, members: [{ name: 'Kuzucuoğlu 0' }, { name: 'Kuzucuoğlu 1' }, { name: 'Kuzucuoğlu 2' }] });
    expect(await search('kuzucuoğlu', 4)).toMatchObject({ more: false });
    expect((await search('kuzucuoğlu', 4)).members).toHaveLength(4);
    expect(await search('555610000', 2)).toMatchObject({ more: true });
    expect(await search(busy)).toMatchObject({ more: false, members: [{ memberId: busy }] });

    // Six rows: the enrolment and five sales. Three at a time, newest first, then all of them.
    const page = async (history?: number) => (await admin('GET', `/v1/admin/members/${busy}${history ? `?history=${history}` : ''}`)).body.member;
    const first = await page(3);
    expect(first.history.map((h: { at: string }) => h.at.slice(0, 10))).toEqual(['2026-10-05', '2026-10-04', '2026-10-03']);
    expect(first.historyMore).toBe(true);
    const all = await page(6);
    expect(all.history.map((h: { kind: string }) => h.kind)).toEqual(['earn', 'earn', 'earn', 'earn', 'earn', 'enrol']);
    expect(all.historyMore).toBe(false);
    // Enrolled when the terminal enrolled them (as the history's enrolment says), not when it synced.
    expect(all.enrolledAt).toBe('2026-09-01T10:00:00.000Z');
    expect((await page()).historyMore).toBe(false);
    expect((await admin('GET', `/v1/admin/members/${busy}?history=0`)).status).toBe(400);
  });

  it('shows history across stores and adjusts from the member page with a reason code', async () => {
    await http(ctx.server, 'POST', '/v1/admin/stores', { storeId: 'moda', name: 'Moda' }, ADMIN_TOKEN);
    const [k, m] = [new SimTerminal(), new SimTerminal()];
    await k.enrol(ctx.server);
    await m.enrol(ctx.server, 'moda');
    const member = k.enrolMember('+905557000001').memberId;
    k.earn(member, 20_000);
    await k.push(ctx.server, k.entries);
    m.earn(member, 30_000);
    await m.push(ctx.server, m.entries);
    const adjusted = await admin('POST', `/v1/admin/members/${member}/adjust`, { points: -50, reasonCode: 'correction', note: 'till error' });
    expect(adjusted.body).toMatchObject({ points: -50, balance: 450 });
    expect((await admin('POST', `/v1/admin/members/${member}/adjust`, { points: 0, reasonCode: 'correction' })).status).toBe(400);
    const detail = (await admin('GET', `/v1/admin/members/${member}`)).body.member;
    expect(detail.balance).toBe(450);
    expect(detail.tier).toBeNull();
    expect(detail).toMatchObject({ enrolledBy: k.terminalId, enrolledAtStore: 'kadikoy', enrolledByName: null });
    expect(detail.history.map((h: { source: string; kind: string; storeId: string | null; points: number }) => [h.source, h.kind, h.storeId, h.points])).toEqual(
      expect.arrayContaining([
        ['ledger', 'earn', 'kadikoy', 200],
        ['ledger', 'earn', 'moda', 300],
        ['adjustment', 'adjust', null, -50],
      ]),
    );
    expect(detail.history.find((h: { source: string }) => h.source === 'adjustment')).toMatchObject({ reasonCode: 'correction', note: 'till error', actor: 'admin-api' });
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });

  it('merges two members (alias kept, in the feed) and undoes the merge, entries after it included', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const a = t.enrolMember('+905558000001', undefined, { name: 'A' }).memberId;
    const b = t.enrolMember('+905558000002', undefined, { name: 'B' }).memberId;
    t.earn(a, 10_000); // 100
    t.earn(b, 20_000); // 200
    await t.push(ctx.server, t.entries);
    await admin('POST', `/v1/admin/members/${b}/adjust`, { points: 7, reasonCode: 'goodwill' });

    expect((await admin('POST', '/v1/admin/member-merges', { from: b, into: b })).status).toBe(400);
    const merged = await admin('POST', '/v1/admin/member-merges', { from: b, into: a, note: 'same person, two phones' });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ memberId: a, balance: 307 });
    expect(await balance(b)).toBeUndefined();
    expect((await admin('POST', '/v1/admin/member-merges', { from: b, into: a })).body.error.message).toMatch(/already merged/);
    // A terminal still using the old id reaches the survivor.
    const answer = await http(ctx.server, 'GET', `/v1/members/${b}/balance`, undefined, t.credential);
    expect(answer.body).toMatchObject({ memberId: a, balance: 307 });
    t.earn(b, 5_000); // 50 more under the old id, after the merge
    await t.push(ctx.server, t.entries.slice(4));
    expect(await balance(a)).toBe(357);
    const detail = (await admin('GET', `/v1/admin/members/${a}`)).body.member;
    expect(detail.aliases).toEqual([expect.objectContaining({ memberId: b, mergeId: merged.body.mergeId, undoable: true })]);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);

    const undone = await admin('POST', `/v1/admin/member-merges/${merged.body.mergeId}/undo`, { note: 'not the same person' });
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ memberId: b, balance: 257, survivorId: a, survivorBalance: 100 });
    expect(await balance(a)).toBe(100);
    expect(await balance(b)).toBe(257);
    expect((await admin('GET', `/v1/admin/members/${b}`)).body.member).toMatchObject({ phone: '+905558000002', name: 'B', aliases: [] });
    expect((await http(ctx.server, 'GET', `/v1/members/${b}/balance`, undefined, t.credential)).body.memberId).toBe(b);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
    expect((await admin('POST', `/v1/admin/member-merges/${merged.body.mergeId}/undo`, {})).status).toBe(409);
    expect((await auditRows('member.merge')).at(-1)).toMatchObject({ actor: 'admin-api', details: { from: b, into: a, note: 'same person, two phones' } });
    expect((await auditRows('member.unmerge')).at(-1)).toMatchObject({ actor: 'admin-api', details: { memberId: b, survivorId: a, movedPoints: 257 } });

    expect(await published('merges', b)).toEqual([{ from: b, into: a }, { from: b, into: null }]);
    const balancesOfB = (await published('balances', b)) as { balance: number; version: number }[];
    expect(balancesOfB.at(-1)).toEqual({ memberId: b, balance: 257, version: expect.any(Number) });
    // Each change of a balance is newer than the one before: terminals keep the newest they hear of.
    const versions = balancesOfB.map((p) => p.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect((await published('members', b)).at(-1)).toEqual({ memberId: b, phone: '+905558000002', name: 'B' });
  });
});

// PGlite runs one transaction at a time, so a push and a merge can only interleave on PostgreSQL.
describe('a push racing a console merge on postgres', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    ctx = await startTestServer('postgres');
  });
  afterAll(() => ctx.close());

  it('rolls the push back (503, nothing stored) and its retry counts for the survivor', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const a = t.enrolMember('+905559000001').memberId;
    const b = t.enrolMember('+905559000002').memberId;
    t.earn(a, 10_000);
    t.earn(b, 10_000);
    await t.push(ctx.server, t.entries);
    const sale = t.earn(b, 20_000);

    // The merge's transaction holds both members' rows, as mergeMembers does, while the push starts.
    const url = (ctx.choice as { url: string }).url;
    const merger = new pg.Client({ connectionString: url });
    await merger.connect();
    try {
      await merger.query('BEGIN');
      await merger.query('SELECT member_id FROM members WHERE member_id = ANY($1::text[]) ORDER BY member_id FOR UPDATE', [[a, b]]);
      const pushing = t.push(ctx.server, [sale]);
      // Wait until the push is blocked on those rows.
      for (let i = 0; i < 2000; i += 1) {
        const waiting = await merger.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
        if (waiting.rowCount) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await merger.query('INSERT INTO member_aliases (alias_id, member_id) VALUES ($1, $2)', [b, a]);
      await merger.query('UPDATE ledger SET member_id = $2 WHERE member_id = $1', [b, a]);
      await merger.query('UPDATE members SET balance = balance + (SELECT balance FROM members WHERE member_id = $1) WHERE member_id = $2', [b, a]);
      await merger.query('DELETE FROM members WHERE member_id = $1', [b]);
      await merger.query('COMMIT');
      const refused = await pushing;
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('UNAVAILABLE');
    } finally {
      await merger.end();
    }
    expect((await ctx.server.db.query('SELECT 1 FROM ledger WHERE terminal_id = $1 AND seq = $2', [t.terminalId, sale.seq])).length).toBe(0);
    const retried = await t.push(ctx.server, [sale]);
    expect(retried.body.results[0]).toMatchObject({ status: 'stored' });
    expect(await balance(a)).toBe(100 + 100 + 200);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });

  it('rolls back a push that credited a merged id to its survivor when the merge is undone meanwhile', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const a = t.enrolMember('+905559000011').memberId;
    const b = t.enrolMember('+905559000012').memberId;
    await t.push(ctx.server, t.entries);
    const merged = await http(ctx.server, 'POST', '/v1/admin/member-merges', { from: b, into: a }, ADMIN_TOKEN);
    expect(merged.status).toBe(200);
    const sale = t.earn(b, 20_000); // recorded under the old id: the push credits the survivor

    const merger = new pg.Client({ connectionString: (ctx.choice as { url: string }).url });
    await merger.connect();
    try {
      // The undo's transaction holds the survivor's row, as unmergeMembers does, while the push starts.
      await merger.query('BEGIN');
      await merger.query('SELECT member_id FROM members WHERE member_id = $1 FOR UPDATE', [a]);
      const pushing = t.push(ctx.server, [sale]);
      for (let i = 0; i < 2000; i += 1) {
        const waiting = await merger.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
        if (waiting.rowCount) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await merger.query('DELETE FROM member_aliases WHERE alias_id = $1', [b]);
      await merger.query("INSERT INTO members (member_id, phone) VALUES ($1, '+905559000012')", [b]);
      await merger.query('COMMIT');
      const refused = await pushing;
      expect(refused.status).toBe(503);
    } finally {
      await merger.end();
    }
    const retried = await t.push(ctx.server, [sale]);
    expect(retried.body.results[0]).toMatchObject({ status: 'stored' });
    expect(await balance(b)).toBe(200);
    expect(await balance(a)).toBe(0);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });

  const balance = async (memberId: string) => (await ctx.server.db.query<{ balance: number }>('SELECT balance FROM members WHERE member_id = $1', [memberId]))[0]?.balance;
});
