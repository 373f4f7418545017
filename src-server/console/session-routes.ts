// Console sign-in and sign-out. The session token goes back once; only its hash is stored.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SignInRefused, signIn, signOut } from '../admin-accounts';
import { bearer, HttpError, parse, type ConsoleRouteContext } from './route-context';

const SignInBody = z.object({ name: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) }).strict();

export function registerSessionRoutes(app: FastifyInstance, ctx: ConsoleRouteContext, options: { signInLimitPerMinute?: number } = {}): void {
  app.post(
    '/v1/admin/sign-in',
    { config: { rateLimit: { max: options.signInLimitPerMinute ?? 20, timeWindow: '1 minute' } }, schema: { summary: 'Console sign-in: a session token for an admin account' } },
    async (request) => {
      const body = parse(SignInBody, request.body, 'sign-in');
      try {
        return await signIn(ctx.db, body.name, body.password, ctx.now());
      } catch (error) {
        if (error instanceof SignInRefused) throw new HttpError(error.reason === 'too-many-failures' ? 429 : 401, error.reason === 'too-many-failures' ? 'RATE_LIMITED' : 'UNAUTHENTICATED', error.message);
        throw error;
      }
    },
  );
  app.post('/v1/admin/sign-out', { schema: { summary: 'End this console session', security: [{ bearer: [] }] } }, async (request) => {
    await ctx.authAdmin(request);
    const token = bearer(request);
    if (token) await signOut(ctx.db, token, ctx.now());
    return { signedOut: true };
  });
  app.get('/v1/admin/me', { schema: { summary: 'Who this session is', security: [{ bearer: [] }] } }, async (request) => ({ actor: await ctx.authAdmin(request) }));
}
