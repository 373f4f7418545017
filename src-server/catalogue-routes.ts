// The programme owner's catalogue API: validate (every problem by path with its code and facts, or
// what installing would change against the current catalogue), install (audited, published to
// terminals through the change feed), list the installed versions.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CATALOGUE_LIMITS } from '../src-shared/catalogue/catalogue';
import { checkCatalogue, installCatalogue, listCatalogues } from './catalogue';
import type { ConsoleRouteContext } from './console/route-context';
import { parse } from './http-errors';

const Body = z.object({ catalogue: z.unknown() }).strict();
// A catalogue of 50,000 products is several megabytes of JSON: more than the default body limit.
const bodyLimit = CATALOGUE_LIMITS.textBytes;

export function registerCatalogueRoutes(app: FastifyInstance, ctx: ConsoleRouteContext): void {
  app.get('/v1/admin/catalogues', { schema: { summary: 'Installed product catalogues, newest first, and the current one', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    return listCatalogues(ctx.db);
  });

  app.post('/v1/admin/catalogues/validate', { bodyLimit, schema: { summary: 'Check a product catalogue without installing it: every problem by path, or what it would change', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    const body = parse(Body, request.body, 'catalogue request');
    return checkCatalogue(ctx.db, body.catalogue);
  });

  app.post('/v1/admin/catalogues', { bodyLimit, schema: { summary: 'Install a product catalogue (immutable per version) and publish it to terminals', security: [{ bearer: [] }] } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const body = parse(Body, request.body, 'catalogue request');
    return installCatalogue(ctx.db, actor, body.catalogue, ctx.now());
  });
}
