// The Terminals and stores page: stores, one-time enrolment codes, terminals with their last sync
// and reported queue depth, and revocation.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createEnrolCode, createStore, listStores, listTerminals, revokeTerminal } from '../admin';
import { parse, type ConsoleRouteContext } from './route-context';

export function registerTerminalsRoutes(app: FastifyInstance, ctx: ConsoleRouteContext): void {
  const { db } = ctx;

  app.get('/v1/admin/stores', { schema: { summary: 'Stores and how many active terminals each has', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    return { stores: await listStores(db) };
  });
  app.post('/v1/admin/stores', { schema: { summary: 'Create or rename a store', security: [{ bearer: [] }] } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const body = parse(z.object({ storeId: z.string().max(64).optional(), name: z.string().min(1).max(120) }).strict(), request.body, 'store');
    return createStore(db, actor, body.name, body.storeId);
  });
  app.post('/v1/admin/enrol-codes', { schema: { summary: 'Create a one-time terminal enrolment code for a store (shown once)', security: [{ bearer: [] }] } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const body = parse(z.object({ storeId: z.string().min(1).max(64), validHours: z.number().int().min(1).max(720).optional() }).strict(), request.body, 'enrolment code request');
    return createEnrolCode(db, actor, body.storeId, body.validHours);
  });
  app.get('/v1/admin/terminals', { schema: { summary: 'Terminals with their last sync and reported queue depth', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    return { terminals: await listTerminals(db) };
  });
  app.post('/v1/admin/terminals/:id/revoke', { schema: { summary: 'Revoke a terminal', security: [{ bearer: [] }] } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const { id } = parse(z.object({ id: z.string().min(1).max(64) }), request.params, 'terminal id');
    await revokeTerminal(db, actor, id);
    return { revoked: id };
  });
}
