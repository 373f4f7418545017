// The Members page: search by phone, card last four, loyalty card number or name; a member's balance, tier and history
// across stores; adjustments with reason codes; merge and unmerge; flags.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADJUSTMENT_REASON_CODES } from '../../src-shared/console/adjustment-reasons';
import { adjustBalance, flagMemberIn, memberDetail, mergeMembers, searchMembers, unlinkMemberCard, unmergeMembers } from './member-admin';
import { parse, type ConsoleRouteContext } from './route-context';

const Id = z.string().min(1).max(64);
/** The most history rows one member page asks for (the console asks 200 more at a time). */
const MAX_HISTORY_ROWS = 10_000;

export function registerMembersRoutes(app: FastifyInstance, ctx: ConsoleRouteContext): void {
  const { db } = ctx;
  const security = [{ bearer: [] }];

  app.get('/v1/admin/members', { schema: { summary: 'Search members by phone, card last four, loyalty card number, name or id', security } }, async (request) => {
    await ctx.authAdmin(request);
    const q = parse(z.object({ q: z.string().max(120), limit: z.coerce.number().int().min(1).max(200).optional() }).strict(), request.query, 'member search');
    return searchMembers(db, q.q, q.limit);
  });
  app.get('/v1/admin/members/:id', { schema: { summary: "A member: balance, tier, merged ids and history across stores", security } }, async (request) => {
    await ctx.authAdmin(request);
    const { id } = parse(z.object({ id: Id }), request.params, 'member id');
    const q = parse(z.object({ history: z.coerce.number().int().min(1).max(MAX_HISTORY_ROWS).optional() }).strict(), request.query ?? {}, 'member query');
    return { member: await memberDetail(db, id, q.history), reasonCodes: ADJUSTMENT_REASON_CODES };
  });
  app.post('/v1/admin/members/:id/adjust', { schema: { summary: "Adjust a member's balance with a reason code (reaches terminals through the feed)", security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(z.object({ id: Id }), request.params, 'member id');
    const body = parse(z.object({ points: z.number().int(), reasonCode: z.enum(ADJUSTMENT_REASON_CODES), note: z.string().max(500).optional() }).strict(), request.body, 'adjustment');
    return adjustBalance(db, actor, { memberId: id, ...body });
  });
  app.post('/v1/admin/members/:id/flag', { schema: { summary: 'Flag a member for attention (reason), or clear the flag (reason null)', security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(z.object({ id: Id }), request.params, 'member id');
    const body = parse(z.object({ reason: z.string().trim().min(1).max(500).nullable() }).strict(), request.body, 'flag request');
    const memberId = await db.transaction((tx) => flagMemberIn(tx, actor, id, body.reason));
    return { memberId, flagged: body.reason !== null };
  });
  app.post('/v1/admin/members/:id/cards/:cardId/unlink', { schema: { summary: 'Take a card off a member (terminals drop it through the feed)', security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id, cardId } = parse(z.object({ id: Id, cardId: Id }), request.params, 'member card');
    return unlinkMemberCard(db, actor, id, cardId);
  });
  app.post('/v1/admin/member-merges', { schema: { summary: 'Merge two members into one (the merged id stays as an alias)', security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const body = parse(z.object({ from: Id, into: Id, note: z.string().max(500).optional() }).strict(), request.body, 'merge request');
    return mergeMembers(db, actor, body.from, body.into, body.note);
  });
  app.post('/v1/admin/member-merges/:id/undo', { schema: { summary: 'Undo a merge made in error', security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(z.object({ id: z.coerce.number().int().positive() }), request.params, 'merge id');
    const body = parse(z.object({ note: z.string().max(500).optional() }).strict(), request.body ?? {}, 'unmerge request');
    return unmergeMembers(db, actor, id, body.note);
  });
}
