// The Programme page: rule-set versions (immutable), the active one, validation with the exact
// problems of src-shared/program/rule-set-validation.ts, and installation with a scheduled start.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { KasaError } from '../../src-shared/api/errors';
import type { RuleSet } from '../../src-shared/program/rule-set';
import { changeLine, diffRuleSets } from '../../src-shared/program/rule-set-diff';
import { validateRuleSet } from '../../src-shared/program/rule-set-validation';
import { installRuleSet } from '../admin';
import { parse, type ConsoleRouteContext } from './route-context';

type VersionRow = { version: string; name: string | null; active_from: Date; installed_at: Date; installed_by: string | null };

const versionView = (r: VersionRow) => ({
  version: r.version,
  name: r.name,
  activeFrom: new Date(r.active_from).toISOString(),
  installedAt: new Date(r.installed_at).toISOString(),
  installedBy: r.installed_by,
});

// Versions installed before installed_by existed: the audit log still says who installed them.
const VERSION_COLUMNS = `version, document->>'name' AS name, active_from, installed_at,
  coalesce(installed_by, (SELECT actor FROM admin_audit a WHERE a.action = 'rule-set.install' AND a.details->>'version' = rule_sets.version ORDER BY audit_id LIMIT 1)) AS installed_by`;

const InstallBody = z.object({ ruleSet: z.unknown(), activeFrom: z.string().datetime({ offset: true }).optional() }).strict();

export function registerProgrammeRoutes(app: FastifyInstance, ctx: ConsoleRouteContext): void {
  const { db } = ctx;

  app.get('/v1/admin/rule-sets', { schema: { summary: 'Rule-set versions, newest first, and which one is active now', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    const rows = await db.query<VersionRow & { document: RuleSet }>(`SELECT ${VERSION_COLUMNS}, document FROM rule_sets ORDER BY installed_at DESC, version DESC LIMIT 500`);
    const now = ctx.now().getTime();
    // The one terminals use now: the latest start that has passed (a later install wins a tie).
    const active = [...rows].filter((r) => new Date(r.active_from).getTime() <= now).sort((a, b) => new Date(b.active_from).getTime() - new Date(a.active_from).getTime() || new Date(b.installed_at).getTime() - new Date(a.installed_at).getTime())[0];
    // Each version against the one installed before it: "who changed what". `changes` in English
    // as before; `changeFacts` the same changes as kind and facts, for the console's own language.
    const versions = rows.map((r, i) => {
      const changeFacts = diffRuleSets(rows[i + 1]?.document ?? null, r.document);
      return { ...versionView(r), changes: changeFacts.map(changeLine), changeFacts };
    });
    return { activeVersion: active?.version ?? null, versions, at: ctx.now().toISOString() };
  });

  app.get('/v1/admin/rule-sets/:version', { schema: { summary: 'One rule-set version with its document', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    const { version } = parse(z.object({ version: z.string().min(1).max(64) }), request.params, 'version');
    const [row] = await db.query<VersionRow & { document: unknown }>(`SELECT ${VERSION_COLUMNS}, document FROM rule_sets WHERE version = $1`, [version]);
    if (!row) throw new KasaError('NOT_FOUND', `No rule-set version ${version}`);
    return { ...versionView(row), document: row.document };
  });

  app.post('/v1/admin/rule-sets/validate', { schema: { summary: 'Check a rule set without installing it: every problem, by path', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    const body = parse(z.object({ ruleSet: z.unknown() }).strict(), request.body, 'rule set request');
    const result = validateRuleSet(body.ruleSet);
    if (!result.ok) return { ok: false, problems: result.problems };
    const [taken] = await db.query('SELECT 1 FROM rule_sets WHERE version = $1', [result.value.version]);
    return { ok: true, ruleSet: result.value, versionTaken: Boolean(taken) };
  });

  app.post('/v1/admin/rule-sets', { schema: { summary: 'Install a rule set as a new, immutable version; activeFrom schedules it', security: [{ bearer: [] }] } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const body = parse(InstallBody, request.body, 'rule set request');
    return installRuleSet(db, actor, body.ruleSet, body.activeFrom, ctx.now());
  });
}
