// Programme routes of the console on both engines: exact validation problems, immutable versions,
// scheduled activation, and a history that says who installed what and what changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRuleSet } from '../../src-shared/program/rule-set';
import { describeRuleSetChanges } from '../../src-shared/program/rule-set-diff';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';
import { auditOf, ENGINES, http, startConsoleServer } from './console-harness';

const base = (version: string, extra: Record<string, unknown> = {}) => ({ ...defaultRuleSet('TRY'), version, name: 'Kadıköy Club', ...extra });
const broken = {
  ...base('broken-1'),
  earning: { pointsPerUnit: -1, rounding: 'sideways' },
  promotions: [{ id: 'p 1', label: 'Bad', effect: { type: 'multiplier', multiplier: 0.5 } }],
  surprise: true,
};

describe('rule-set change lines', () => {
  it('names what changed between two versions', () => {
    const one = validateRuleSet(base('v1', { promotions: [{ id: 'tue', label: 'Tuesday', effect: { type: 'bonus', points: 10 } }], stacking: 'stack' }));
    const two = validateRuleSet(base('v2', { earning: { pointsPerUnit: 2 }, promotions: [{ id: 'wed', label: 'Wednesday', effect: { type: 'bonus', points: 10 } }], stacking: 'stack' }));
    if (!one.ok || !two.ok) throw new Error('fixtures must be valid');
    expect(describeRuleSetChanges(null, one.value)).toEqual(['first version']);
    expect(describeRuleSetChanges(one.value, two.value)).toEqual(['earning.pointsPerUnit: 1 → 2', 'promotion wed added', 'promotion tue removed']);
    expect(describeRuleSetChanges(one.value, { ...one.value, version: 'v3' })).toEqual(['no change but the version']);
  });
});

describe.each(ENGINES)('console programme routes on %s', (engine) => {
  let ctx: Awaited<ReturnType<typeof startConsoleServer>>;
  let token: string;
  beforeAll(async () => {
    ctx = await startConsoleServer(engine);
    token = await ctx.signIn();
  });
  afterAll(() => ctx.close());

  const ruleSetCount = async () => (await ctx.server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rule_sets'))[0]?.n;

  it('validates with exactly the problems of the shared validator, without installing', async () => {
    const expected = validateRuleSet(broken);
    expect(expected.ok).toBe(false);
    const res = await http(ctx.server, 'POST', '/v1/admin/rule-sets/validate', { ruleSet: broken }, token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, problems: expected.ok ? [] : expected.problems });
    expect(res.body.problems.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['earning.pointsPerUnit', 'promotions[0].id', 'promotions[0].effect.multiplier', 'surprise']));
    const good = await http(ctx.server, 'POST', '/v1/admin/rule-sets/validate', { ruleSet: base('club-1') }, token);
    expect(good.body.ok).toBe(true);
    expect(good.body.versionTaken).toBe(false);
    expect(good.body.ruleSet.earning.rounding).toBe('floor');
    expect(await ruleSetCount()).toBe(0);
  });

  it('refuses to install an invalid rule set with every problem, and stores nothing', async () => {
    const expected = validateRuleSet(broken);
    const res = await http(ctx.server, 'POST', '/v1/admin/rule-sets', { ruleSet: broken }, token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PROGRAM_INVALID');
    expect(res.body.error.details.problems).toEqual(expected.ok ? [] : expected.problems);
    expect(res.body.error.message).toContain('promotions[0].effect.multiplier');
    expect(await ruleSetCount()).toBe(0);
  });

  it('installs versions, records who did it and what changed, and never changes a version', async () => {
    const first = await http(ctx.server, 'POST', '/v1/admin/rule-sets', { ruleSet: base('club-1') }, token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 'club-1', installed: true });
    const second = await http(ctx.server, 'POST', '/v1/admin/rule-sets', { ruleSet: base('club-2', { earning: { pointsPerUnit: 2 } }) }, 'test-admin-token-0123456789abcdef');
    expect(second.status).toBe(200);

    const list = await http(ctx.server, 'GET', '/v1/admin/rule-sets', undefined, token);
    expect(list.body.activeVersion).toBe('club-2');
    const [v2, v1] = list.body.versions;
    expect(v1).toMatchObject({ version: 'club-1', name: 'Kadıköy Club', installedBy: 'owner', changes: ['first version'] });
    expect(v2).toMatchObject({ version: 'club-2', installedBy: 'admin-api', changes: ['earning.pointsPerUnit: 1 → 2'], changeFacts: [{ kind: 'value-changed', field: 'earning.pointsPerUnit', from: 1, to: 2 }] });
    expect(v1).toMatchObject({ changeFacts: [{ kind: 'first-version' }] });
    expect((await auditOf(ctx.server, 'rule-set.install')).map((a) => [a.actor, a.details.version])).toEqual([['owner', 'club-1'], ['admin-api', 'club-2']]);

    const changed = await http(ctx.server, 'POST', '/v1/admin/rule-sets', { ruleSet: base('club-1', { earning: { pointsPerUnit: 5 } }) }, token);
    expect(changed.status).toBe(409);
    expect(changed.body.error.message).toContain('give the new one a new version');
    const again = await http(ctx.server, 'POST', '/v1/admin/rule-sets', { ruleSet: base('club-1') }, token);
    expect(again.body).toMatchObject({ version: 'club-1', installed: false });
    // The same version with another start is refused, saying why: it answered installed: false with the old start.
    const moved = await http(ctx.server, 'POST', '/v1/admin/rule-sets', { ruleSet: base('club-1'), activeFrom: '2030-01-01T00:00:00.000Z' }, token);
    expect(moved.status).toBe(409);
    expect(moved.body.error.message).toMatch(/club-1 is installed already, active from .*: a version's start cannot be moved; to start at 2030-01-01T00:00:00.000Z, install it under a new version/);
    const taken = await http(ctx.server, 'POST', '/v1/admin/rule-sets/validate', { ruleSet: base('club-1') }, token);
    expect(taken.body.versionTaken).toBe(true);

    const one = await http(ctx.server, 'GET', '/v1/admin/rule-sets/club-1', undefined, token);
    expect(one.body.document.earning.pointsPerUnit).toBe(1);
    expect((await http(ctx.server, 'GET', '/v1/admin/rule-sets/nope', undefined, token)).status).toBe(404);
  });

  it('schedules a version: it becomes active only when its time comes, and the feed carries the time', async () => {
    const startsAt = new Date(Date.now() + 24 * 3_600_000).toISOString();
    const res = await http(ctx.server, 'POST', '/v1/admin/rule-sets', { ruleSet: base('club-3', { earning: { pointsPerUnit: 3 } }), activeFrom: startsAt }, token);
    expect(res.status).toBe(200);
    expect(res.body.activeFrom).toBe(startsAt);
    expect((await http(ctx.server, 'GET', '/v1/admin/rule-sets', undefined, token)).body.activeVersion).toBe('club-2');
    const [change] = await ctx.server.db.query<{ payload: any }>("SELECT payload FROM changes WHERE dataset = 'rule-sets' AND key = 'club-3'");
    expect(change?.payload.activeFrom).toBe(startsAt);
    ctx.clock.offsetMs = 25 * 3_600_000;
    try {
      // The session was opened 25 hours ago by this clock: sign in again.
      const later = await ctx.signIn();
      expect((await http(ctx.server, 'GET', '/v1/admin/rule-sets', undefined, later)).body.activeVersion).toBe('club-3');
    } finally {
      ctx.clock.offsetMs = 0;
    }
    const bad = await http(ctx.server, 'POST', '/v1/admin/rule-sets', { ruleSet: base('club-4'), activeFrom: 'tomorrow' }, token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('activeFrom');
  });
});
