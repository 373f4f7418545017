// The programme owner's offer routes: compute offers on demand, list them, and the offer uptake.
// Every route needs the admin token (or a console session), like the rest of /v1/admin.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { KasaError } from '../src-shared/api/errors';
import { describeIssues } from '../src-shared/api/validation';
import { OFFER_STATUSES } from '../src-shared/program/offers';
import type { Database } from './db/database';
import { listOffers, offerUptake, runOffers, UPTAKE_PERIODS } from './offers';
import { auditAdminAction } from './admin-audit';

export type OfferRouteContext = {
  db: Database;
  now: () => Date;
  /** The actor of an admin request; throws (401) for anyone else. */
  authAdmin: (request: FastifyRequest) => string | Promise<string>;
};

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = describeIssues(result.error).slice(0, 10);
  throw new KasaError('VALIDATION', `Invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
}

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day "YYYY-MM-DD"');
const MemberId = z.string().min(1).max(64);

export function registerOfferRoutes(app: FastifyInstance, ctx: OfferRouteContext): void {
  const { db } = ctx;
  app.post('/v1/admin/offers/run', { schema: { summary: 'Compute personalised offers now (one member or all) for a day', security: [{ bearer: [] }] } }, async (request) => {
    const actor = await ctx.authAdmin(request);
    const body = parse(z.object({ date: Day.optional(), memberId: MemberId.optional() }).strict(), request.body ?? {}, 'offer run');
    const summary = await runOffers(db, { date: body.date, memberId: body.memberId, now: ctx.now });
    await auditAdminAction(db, actor, 'offers.run', summary);
    return summary;
  });
  app.get('/v1/admin/offers', { schema: { summary: "Offers issued (a member's, or by status), newest first", security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    const query = parse(
      z.object({ memberId: MemberId.optional(), status: z.enum(OFFER_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }).strict(),
      request.query,
      'offers query',
    );
    return { offers: await listOffers(db, query) };
  });
  app.get('/v1/admin/offers/uptake', { schema: { summary: 'Offer uptake: offered, redeemed, expired by type and period', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    const query = parse(z.object({ from: Day.optional(), to: Day.optional(), period: z.enum(UPTAKE_PERIODS).optional() }).strict(), request.query, 'uptake query');
    return offerUptake(db, query);
  });
}
