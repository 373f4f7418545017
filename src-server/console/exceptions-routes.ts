// The Exceptions queue: list and filter what ingest flagged, with the entries behind each, and
// resolve it (adjust the member's balance, accept with a note) or flag its member or terminal.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ADJUSTMENT_REASON_CODES } from '../../src-shared/console/adjustment-reasons';
import { ALL_EXCEPTION_KINDS } from '../../src-shared/console/exception-kinds';
import { resolveException } from '../admin';
import { acceptException, flagFromException, flagTerminalIn, listExceptionQueue, resolveWithAdjustment } from './exceptions-queue';
import { parse, type ConsoleRouteContext } from './route-context';

const ExceptionId = z.object({ id: z.coerce.number().int().positive() });
const Id = z.string().min(1).max(64);

export const ExceptionsQuery = z
  .object({
    open: z.enum(['true', 'false']).optional(),
    kind: z.enum(ALL_EXCEPTION_KINDS).optional(),
    store: Id.optional(),
    terminal: Id.optional(),
    member: Id.optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

export function registerExceptionsRoutes(app: FastifyInstance, ctx: ConsoleRouteContext): void {
  const { db } = ctx;
  const security = [{ bearer: [] }];

  app.get('/v1/admin/exceptions', { schema: { summary: 'The exceptions queue: filter by kind, open/resolved, store, terminal, member; each with its ledger entries', security } }, async (request) => {
    await ctx.authAdmin(request);
    const q = parse(ExceptionsQuery, request.query, 'exceptions query');
    const exceptions = await listExceptionQueue(db, {
      open: q.open === undefined ? undefined : q.open === 'true',
      kind: q.kind,
      storeId: q.store,
      terminalId: q.terminal,
      memberId: q.member,
      before: q.before,
      limit: q.limit,
    });
    return { exceptions, reasonCodes: ADJUSTMENT_REASON_CODES };
  });
  app.post('/v1/admin/exceptions/:id/resolve', { schema: { summary: 'Record how an exception was resolved (free text)', security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(ExceptionId, request.params, 'exception id');
    const body = parse(z.object({ resolution: z.string().min(1).max(500) }).strict(), request.body, 'resolution');
    await resolveException(db, actor, id, body.resolution);
    return { resolved: id };
  });
  app.post('/v1/admin/exceptions/:id/accept', { schema: { summary: 'Accept an exception as it is, with a note', security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(ExceptionId, request.params, 'exception id');
    const body = parse(z.object({ note: z.string().trim().min(1).max(500) }).strict(), request.body, 'accept request');
    await acceptException(db, actor, id, body.note);
    return { resolved: id };
  });
  app.post('/v1/admin/exceptions/:id/adjust', { schema: { summary: "Resolve an exception by adjusting its member's balance (reaches terminals through the feed)", security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(ExceptionId, request.params, 'exception id');
    const body = parse(z.object({ points: z.number().int(), reasonCode: z.enum(ADJUSTMENT_REASON_CODES), note: z.string().max(500).optional() }).strict(), request.body, 'adjustment');
    return resolveWithAdjustment(db, actor, id, body);
  });
  app.post('/v1/admin/exceptions/:id/flag', { schema: { summary: "Flag an exception's member or terminal (optionally resolving the exception)", security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(ExceptionId, request.params, 'exception id');
    const body = parse(z.object({ target: z.enum(['member', 'terminal']), reason: z.string().trim().min(1).max(500), resolve: z.boolean().default(false) }).strict(), request.body, 'flag request');
    await flagFromException(db, actor, id, body.target, body.reason, body.resolve);
    return { flagged: body.target, exceptionId: id, resolved: body.resolve };
  });
  app.post('/v1/admin/terminals/:id/flag', { schema: { summary: 'Flag a terminal for attention (reason), or clear its flag (reason null)', security } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(z.object({ id: Id }), request.params, 'terminal id');
    const body = parse(z.object({ reason: z.string().trim().min(1).max(500).nullable() }).strict(), request.body, 'flag request');
    await db.transaction((tx) => flagTerminalIn(tx, actor, id, body.reason));
    return { terminalId: id, flagged: body.reason !== null };
  });
}
