// What a console route module gets from app.ts: the database, the clock and admin authentication.
// Each area lives in src-server/console/<area>-routes.ts and exports register<Area>Routes(app, ctx).
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database';

export type ConsoleRouteContext = {
  db: Database;
  now: () => Date;
  /**
   * The actor of an admin request: 'admin-api' for the admin token, or the admin's name for a
   * console session. Throws a 401 HttpError otherwise. Record it in admin_audit for every change.
   */
  authAdmin: (request: FastifyRequest) => Promise<string>;
};

export { bearer, HttpError, parse } from '../http-errors';
