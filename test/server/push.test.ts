import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installRuleSet } from '../../src-server/admin';
import { RULE_SET_SCHEMA, RuleSet } from '../../src-shared/program/rule-set';
import { balancesMatchLedger, ENGINES, SimTerminal, startTestServer } from './server-harness';

describe.each(ENGINES)('push on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    ctx = await startTestServer(engine);
  });
  afterAll(() => ctx.close());

  const count = async (sql: string, params: unknown[] = []) => (await ctx.server.db.query<{ n: number }>(sql, params))[0]?.n ?? 0;

  it('stores a batch once however often it is pushed, overlapping or out of order', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const member = t.enrolMember('+905321110001').memberId;
    for (let i = 0; i < 9; i += 1) t.earn(member, 1000 + i * 100);
    const [a, b, c] = [t.entries.slice(0, 4), t.entries.slice(2, 7), t.entries.slice(7)];

    for (let i = 0; i < 3; i += 1) {
      const res = await t.push(ctx.server, a);
      expect(res.status).toBe(200);
      expect(res.body.ackedThroughSeq).toBe(4);
    }
    // Out of order: the last part before the middle is held back as a gap, not stored.
    const early = await t.push(ctx.server, c);
    expect(early.body.results.map((r: { status: string }) => r.status)).toEqual(['gap', 'gap', 'gap']);
    expect(early.body.ackedThroughSeq).toBe(4);
    const overlap = await t.push(ctx.server, b);
    expect(overlap.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'stored', 'stored', 'stored']);
    expect((await t.push(ctx.server, c)).body.ackedThroughSeq).toBe(10);

    expect(await count('SELECT count(*)::bigint AS n FROM ledger WHERE terminal_id = $1', [t.terminalId])).toBe(10);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
    const [m] = await ctx.server.db.query<{ balance: number }>('SELECT balance FROM members WHERE member_id = $1', [member]);
    expect(m?.balance).toBe(t.entries.reduce((s, e) => s + e.points, 0));
  });

  it('records an offline double redemption as one exception and keeps both sales', async () => {
    const [t1, t2] = [new SimTerminal(), new SimTerminal()];
    await t1.enrol(ctx.server);
    await t2.enrol(ctx.server);
    const member = t1.enrolMember('+905321110002').memberId;
    t1.earn(member, 50_000); // 500 points
    await t1.push(ctx.server, t1.entries);
    // Both terminals, offline, let the member spend 400 of the 500.
    t1.redeem(member, 400);
    t2.redeem(member, 400);
    expect((await t1.push(ctx.server, t1.entries.slice(2))).body.results[0].exceptions).toEqual([]);
    const second = await t2.push(ctx.server, t2.entries);
    expect(second.status).toBe(200);
    expect(second.body.results[0]).toMatchObject({ status: 'stored', exceptions: ['negative-balance'] });
    const exceptions = await ctx.server.db.query<{ details: { balance: number } }>("SELECT details FROM exceptions WHERE kind = 'negative-balance' AND member_id = $1", [member]);
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]?.details.balance).toBe(-300);
  });

  it('flags points that differ from the rule set, a fork, a skewed clock and a broken chain, once each', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const member = t.enrolMember('+905321110003').memberId;
    t.earn(member, 1234, { points: 99 }); // the default programme gives 12
    const mismatch = await t.push(ctx.server, t.entries);
    expect(mismatch.body.results[1].exceptions).toEqual(['earn-mismatch']);
    const [m] = await ctx.server.db.query<{ details: Record<string, unknown> }>("SELECT details FROM exceptions WHERE kind = 'earn-mismatch' AND terminal_id = $1", [t.terminalId]);
    expect(m?.details).toMatchObject({ recorded: 99, recomputed: 12 });

    // A fork: another entry claims seq 2 (a terminal restored from an old backup).
    const forked = new SimTerminal(t.terminalId);
    forked.enrolMember('+905321110003', member);
    forked.earn(member, 5000);
    const fork = await t.push(ctx.server, [forked.entries[1]!]);
    expect(fork.body.results[0]).toMatchObject({ status: 'fork', exceptions: ['fork'] });
    expect(await count('SELECT count(*)::bigint AS n FROM ledger_forks WHERE terminal_id = $1', [t.terminalId])).toBe(1);

    // A terminal whose clock is 3 hours behind stamps its entry and its push with that clock.
    const behind = new Date(Date.now() - 3 * 3600_000).toISOString();
    const skewed = t.earn(member, 1000, { deviceTime: behind });
    expect((await t.push(ctx.server, [skewed], t.credential, behind)).body.results[0].exceptions).toEqual(['clock-skew']);
    // An entry written days ago by a terminal that was offline, sent now with a right clock, is not skew.
    const old = t.earn(member, 1000, { deviceTime: new Date(Date.now() - 5 * 86_400_000).toISOString() });
    expect((await t.push(ctx.server, [old], t.credential, new Date().toISOString())).body.results[0].exceptions).toEqual([]);
    // An entry dated in the future is.
    const future = t.earn(member, 1000, { deviceTime: new Date(Date.now() + 3600_000).toISOString() });
    expect((await t.push(ctx.server, [future])).body.results[0].exceptions).toEqual(['clock-skew']);

    // A chain break: an entry whose prev_hash does not follow the stored chain (still accepted).
    t.prevHash = 'f'.repeat(64);
    const broken = t.earn(member, 1000);
    const res = await t.push(ctx.server, [broken]);
    expect(res.body.results[0]).toMatchObject({ status: 'stored', exceptions: ['chain-break'] });
    for (const [kind, n] of [['earn-mismatch', 1], ['fork', 1], ['clock-skew', 2], ['chain-break', 1]] as const) {
      expect(await count('SELECT count(*)::bigint AS n FROM exceptions WHERE kind = $1 AND terminal_id = $2', [kind, t.terminalId]), kind).toBe(n);
    }
  });

  it('keeps and flags a fork once however often it is pushed, and tells a seq sent twice in one batch by its hash', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const member = t.enrolMember('+905321110010').memberId;
    t.earn(member, 1000);
    await t.push(ctx.server, t.entries);
    // A terminal restored from an old backup wrote another seq 2; its push's answer is lost, it pushes again.
    const restored = new SimTerminal(t.terminalId);
    restored.enrolMember('+905321110010', member);
    const fork = restored.earn(member, 5000);
    for (let i = 0; i < 3; i += 1) expect((await t.push(ctx.server, [fork])).body.results).toEqual([{ seq: 2, status: 'fork', exceptions: ['fork'] }]);
    const forks = await ctx.server.db.query<{ seq: number; details: Record<string, unknown> }>("SELECT seq::int AS seq, details FROM exceptions WHERE kind = 'fork' AND terminal_id = $1", [t.terminalId]);
    expect(forks).toEqual([{ seq: 2, details: { storedHash: t.entries[1]!.hash, receivedHash: fork.hash } }]);
    expect(await count('SELECT count(*)::bigint AS n FROM ledger_forks WHERE terminal_id = $1', [t.terminalId])).toBe(1);

    // One batch holding the same new entry twice: stored once, then a duplicate of itself.
    const third = t.earn(member, 700);
    const twice = await t.push(ctx.server, [third, third]);
    expect(twice.body.results).toEqual([
      { seq: 3, status: 'stored', exceptions: [] },
      { seq: 3, status: 'duplicate', exceptions: [] },
    ]);
    // One batch holding two different entries under one new seq: the first stored, the second a fork of it.
    const fourth = t.earn(member, 800);
    const other = new SimTerminal(t.terminalId);
    other.seq = 3;
    other.prevHash = third.hash;
    const rival = other.earn(member, 900);
    const both = await t.push(ctx.server, [fourth, rival]);
    expect(both.body.results).toEqual([
      { seq: 4, status: 'stored', exceptions: [] },
      { seq: 4, status: 'fork', exceptions: ['fork'] },
    ]);
    const [second] = await ctx.server.db.query<{ details: Record<string, unknown> }>("SELECT details FROM exceptions WHERE kind = 'fork' AND terminal_id = $1 AND seq = 4", [t.terminalId]);
    expect(second?.details).toEqual({ storedHash: fourth.hash, receivedHash: rival.hash });
    expect(await count("SELECT count(*)::bigint AS n FROM exceptions WHERE kind = 'fork' AND terminal_id = $1", [t.terminalId])).toBe(2);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });

  it('recomputes each earn entry of a batch with its own rule-set version, and flags a version the server does not know yet', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const member = t.enrolMember('+905321110009').memberId;
    const programme = (version: string, pointsPerUnit: number) =>
      RuleSet.parse({ schema: RULE_SET_SCHEMA, version, name: `Push test ${version}`, currency: 'TRY', earning: { pointsPerUnit }, redemption: { minorPerPoint: 1 } });
    const [double, triple] = [programme(`push-double-${engine}`, 2), programme(`push-triple-${engine}`, 3)];
    await installRuleSet(ctx.server.db, 'test', double);
    t.earn(member, 1000); // the default programme: 10 points
    t.earn(member, 1000, { ruleSet: double }); // 20
    t.earn(member, 1000, { ruleSet: triple }); // 30, under a version the server was never given
    t.earn(member, 1000, { ruleSet: double, points: 25 }); // recorded wrong
    const res = await t.push(ctx.server, t.entries);
    expect(res.body.results.map((r: { exceptions: string[] }) => r.exceptions)).toEqual([[], [], [], ['earn-mismatch'], ['earn-mismatch']]);
    const flagged = await ctx.server.db.query<{ seq: number; details: Record<string, unknown> }>(
      "SELECT seq, details FROM exceptions WHERE kind = 'earn-mismatch' AND terminal_id = $1 ORDER BY seq",
      [t.terminalId],
    );
    expect(flagged).toEqual([
      { seq: 4, details: { recorded: 30, reason: `rule set ${triple.version} is unknown to the server` } },
      { seq: 5, details: { recorded: 25, recomputed: 20, ruleSetVersion: double.version } },
    ]);

    // Installed afterwards, the version serves the next batch that names it.
    await installRuleSet(ctx.server.db, 'test', triple);
    t.earn(member, 2000, { ruleSet: triple }); // 60
    const later = await t.push(ctx.server, t.entries.slice(5));
    expect(later.body.results).toEqual([{ seq: 6, status: 'stored', exceptions: [] }]);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });

  it('merges the same phone enrolled on two terminals into one member with the sum of points', async () => {
    const [t1, t2] = [new SimTerminal(), new SimTerminal()];
    await t1.enrol(ctx.server);
    await t2.enrol(ctx.server);
    const first = t1.enrolMember('+905321110004').memberId;
    t1.earn(first, 2000);
    const second = t2.enrolMember('+905321110004').memberId;
    t2.earn(second, 3000);
    await t1.push(ctx.server, t1.entries);
    await t2.push(ctx.server, t2.entries);
    const members = await ctx.server.db.query<{ member_id: string; balance: number }>("SELECT member_id, balance FROM members WHERE phone = '+905321110004'");
    expect(members).toEqual([{ member_id: first, balance: 50 }]);
    expect(await ctx.server.db.query('SELECT member_id FROM member_aliases WHERE alias_id = $1', [second])).toEqual([{ member_id: first }]);
    expect(await count("SELECT count(*)::bigint AS n FROM changes WHERE dataset = 'merges' AND key = $1", [second])).toBe(1);
    // Later points for the merged id go to the survivor.
    t2.earn(second, 1000);
    await t2.push(ctx.server, t2.entries.slice(2));
    expect((await ctx.server.db.query<{ balance: number }>('SELECT balance FROM members WHERE member_id = $1', [first]))[0]?.balance).toBe(60);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });

  it('keeps what arose in one batch in order: one phone enrolled twice, a member never seen, their feed changes and exceptions', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const first = t.enrolMember('+905321110005').memberId;
    const second = t.enrolMember('+905321110005').memberId;
    const stranger = 'never-enrolled-' + t.terminalId;
    t.earn(second, 2000);
    t.earn(stranger, 1000);
    const before = await count('SELECT coalesce(max(change_id), 0)::bigint AS n FROM changes');
    const res = await t.push(ctx.server, t.entries);
    expect(res.body.results.map((r: { exceptions: string[] }) => r.exceptions)).toEqual([[], [], [], ['unknown-member']]);
    expect(await ctx.server.db.query('SELECT member_id FROM member_aliases WHERE alias_id = $1', [second])).toEqual([{ member_id: first }]);
    expect(await ctx.server.db.query('SELECT member_id, phone, balance FROM members WHERE member_id = ANY($1::text[]) ORDER BY balance', [[first, stranger]])).toEqual([
      { member_id: stranger, phone: null, balance: 10 },
      { member_id: first, phone: '+905321110005', balance: 20 },
    ]);
    const changes = await ctx.server.db.query<{ dataset: string; key: string }>('SELECT dataset, key FROM changes WHERE change_id > $1 ORDER BY change_id', [before]);
    expect(changes.slice(0, 3)).toEqual([
      { dataset: 'members', key: first },
      { dataset: 'merges', key: second },
      { dataset: 'members', key: stranger },
    ]);
    expect(changes.slice(3).map((c) => c.dataset)).toEqual(['balances', 'balances']);
    const exceptions = await ctx.server.db.query<{ kind: string; seq: number }>('SELECT kind, seq FROM exceptions WHERE terminal_id = $1 ORDER BY exception_id', [t.terminalId]);
    expect(exceptions).toEqual([
      { kind: 'duplicate-enrolment', seq: 2 },
      { kind: 'unknown-member', seq: 4 },
    ]);
    // The same batch again: every entry a duplicate, nothing written twice.
    const again = await t.push(ctx.server, t.entries);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await count('SELECT count(*)::bigint AS n FROM changes WHERE change_id > $1', [before])).toBe(5);
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });

  it('stores a batch pushed as many insert statements exactly as written: 1,000 entries, Turkish names, one entry larger than a statement', async () => {
    const t = new SimTerminal();
    await t.enrol(ctx.server);
    const members = Array.from({ length: 20 }, (_, i) => t.enrolMember(`+9053211120${String(i).padStart(2, '0')}`, undefined, { name: `Şükrü Işıkoğlu ${i}` }).memberId);
    // An entry alone longer than a statement's text, in two-byte characters.
    t.enrolMember('+905321112099', undefined, { name: 'Ğ'.repeat(130_000) });
    while (t.entries.length < 1000) t.earn(members[t.entries.length % members.length]!, 1000 + t.entries.length);
    const res = await t.push(ctx.server, t.entries);
    expect(res.status).toBe(200);
    expect(res.body.ackedThroughSeq).toBe(1000);
    expect(res.body.results.every((r: { status: string }) => r.status === 'stored')).toBe(true);
    const stored = await ctx.server.db.query<{ seq: number; hash: string; entry: unknown }>('SELECT seq::int AS seq, hash, entry FROM ledger WHERE terminal_id = $1 ORDER BY seq', [t.terminalId]);
    expect(stored.map((r) => r.seq)).toEqual(t.entries.map((e) => e.seq));
    expect(stored.map((r) => r.entry)).toEqual(t.entries);
    expect(stored.map((r) => r.hash)).toEqual(t.entries.map((e) => e.hash));
    expect(await balancesMatchLedger(ctx.server)).toBe(true);
  });
});
