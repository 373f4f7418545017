// The HTTP API (fastify). Terminals call /v1/terminals, /v1/sync and /v1/members with their bearer
// credential; the programme owner calls /v1/admin with the admin token. Bodies are validated with
// the zod schemas of src-shared/sync; every answer that is not 2xx is {error: {code, message}}.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { KasaError, type ErrorCode } from '../src-shared/api/errors';
import { CardKeyRing, EnrolRequest, MemberBalance, PullResponse, PushRequest, PushResponse, PUSH_MAX_BYTES, EnrolResponse } from '../src-shared/sync/protocol';
import { certainPushRequest } from '../src-shared/sync/push-validation';
import { sessionAdmin } from './admin-accounts';
import { registerConsoleStatic } from './console/console-static';
import { registerExceptionsRoutes } from './console/exceptions-routes';
import { registerInsightsRoutes } from './console/insights-routes';
import { registerMembersRoutes } from './console/members-routes';
import { registerProgrammeRoutes } from './console/programme-routes';
import type { ConsoleRouteContext } from './console/route-context';
import type { SuspicionThresholds } from './console/suspicious-activity';
import { registerSessionRoutes } from './console/session-routes';
import { registerTerminalsRoutes } from './console/terminals-routes';
import { hashSecret, newCredential, normaliseEnrolCode, sameSecret } from './credentials';
import type { Database, Queryable } from './db/database';
import { pullChanges } from './feed';
import { DEFAULT_PUSH_CONCURRENCY, PushAdmission } from './push-admission';
import { ingestPush } from './ingest';
import { registerOfferRoutes } from './offer-routes';
import { registerCatalogueRoutes } from './catalogue-routes';
import { bearer, HttpError, parse } from './http-errors';
import { backPressuredWriter, SNAPSHOT_STALL_MS, streamSnapshot } from './members-snapshot';
import { loadCardKeyFile } from './card-key-file';

export type AppOptions = {
  db: Database;
  adminToken: string;
  clockSkewToleranceMs?: number;
  /** Requests per minute per client address; enrolment has its own, lower limit. */
  rateLimitPerMinute?: number;
  enrolLimitPerMinute?: number;
  now?: () => Date;
  /** One JSON line per request (true: to stdout; a stream: there, as the tests read it). */
  logger?: boolean | { stream: { write(line: string): unknown } };
  /** When redemptions per member or enrolments per cashier in one day raise an exception. */
  suspicion?: SuspicionThresholds;
  /** Console sign-in attempts per minute per client address (failures per name are limited too). */
  signInLimitPerMinute?: number;
  /** Where the built console is (default dist/console). */
  consoleDir?: string;
  /** A snapshot reader that takes nothing for this long is cut off (default 60 s). */
  snapshotStallMs?: number;
  /** Pushes checked and stored at once; more wait, unparsed (default DEFAULT_PUSH_CONCURRENCY). */
  pushConcurrency?: number;
  /**
   * The reverse proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, or `loopback`,
   * `linklocal`, `uniquelocal`; default DEFAULT_TRUSTED_PROXIES). The client's address, which the
   * rate limits count by, is the last one in the header that is not such a proxy: a caller's own
   * X-Forwarded-For, which an appending proxy passes on, is never taken for it.
   */
  trustedProxies?: readonly string[];
  /**
   * The chain's card key file (docs/operations.md): made at the first start, handed to terminals
   * so a card is one token chain-wide. Absent or null: no chain key, cards are known only at the
   * terminal that linked them.
   */
  cardKeyFile?: string | null;
};

/** A proxy on the server's own machine (nginx in front of 127.0.0.1:8080). */
export const DEFAULT_TRUSTED_PROXIES: readonly string[] = ['loopback'];

/** How long after a code enrolled a terminal the same terminal may ask again for the answer it lost. */
const ENROL_ANSWER_RETRY_MS = 15 * 60_000;
/** How often a terminal's last pull is written down (a terminal pulls every 30 s or so). */
const LAST_PULL_EVERY_MS = 60_000;

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  UNAVAILABLE: 503,
};

/**
 * A request as its log line shows it: the query's values are left out. A console search puts a
 * member's phone digits, name or card last four in `q` (`/v1/admin/members?q=5321234567`), and
 * neither member data nor card data may reach the log.
 */
function requestLogFields(request: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  const [path, query] = request.url.split('?', 2) as [string, string | undefined];
  const keys = query === undefined ? '' : `?${query.split('&').map((pair) => `${pair.split('=', 1)[0] ?? ''}=…`).join('&')}`;
  return { method: request.method, url: `${path}${keys}`, host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
}

/** What a PostgreSQL data exception (SQLSTATE class 22) says of the request, or null for any other error. */
function dataExceptionMessage(sqlState: string): string | null {
  if (!/^22[0-9A-Z]{3}$/.test(sqlState)) return null;
  // 22021: a NUL byte in text; 22P05: the same as \u0000 in JSON (jsonb cannot hold it).
  if (sqlState === '22021' || sqlState === '22P05') return 'Text in the request holds a NUL character (\\u0000), which the server cannot store: remove it';
  return 'A value in the request is out of the range the server can store';
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  // Read (or made) before anything listens: a key file that cannot be used stops the start.
  const cardKeys = options.cardKeyFile ? loadCardKeyFile(options.cardKeyFile) : null;
  const logger = options.logger ? { ...(options.logger === true ? {} : { stream: options.logger.stream }), serializers: { req: requestLogFields } } : false;
  const app = Fastify({ logger, bodyLimit: PUSH_MAX_BYTES, trustProxy: [...(options.trustedProxies ?? DEFAULT_TRUSTED_PROXIES)] });
  // Validation is zod's (below); the route schemas only document the API.
  if (!cardKeys) {
    app.log.warn('No card key file (--card-key-file): a linked payment card is known only at the terminal that linked it, and does not merge members across terminals (loyalty cards are shared either way)');
  } else if (cardKeys.created) {
    app.log.warn({ cardKeyFile: options.cardKeyFile }, `Made a new chain card key in ${options.cardKeyFile ?? ''}: back it up now, apart from the database backups (the database holds the card tokens; the two must never be stored together)`);
  }
  const ring = cardKeys?.ring ?? null;
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(rateLimit, { max: options.rateLimitPerMinute ?? 1200, timeWindow: '1 minute' });
  await app.register(swagger, {
    openapi: { info: { title: 'Kasa central server', version: '1' }, components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (error instanceof HttpError) return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
    if (error instanceof KasaError) return reply.status(STATUS[error.code] ?? 400).send({ error: error.toApiError() });
    if (error.statusCode === 413) return reply.status(413).send({ error: { code: 'TOO_LARGE', message: `The body is larger than ${PUSH_MAX_BYTES} bytes: send smaller batches` } });
    if (error.statusCode === 429) return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: error.message } });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ error: { code: 'VALIDATION', message: error.message } });
    }
    // PostgreSQL refused a value of the request itself (SQLSTATE class 22: a NUL character in text,
    // a number out of range). The same request would fail again: "retry later" (503) sent a
    // terminal or the console round for ever. Its transaction rolled back; the database's own
    // words stay in the log.
    const refusal = typeof error.code === 'string' ? dataExceptionMessage(error.code) : null;
    if (refusal) {
      app.log.warn({ sqlState: error.code }, 'a value of the request was refused by the database');
      return reply.status(400).send({ error: { code: 'VALIDATION', message: `${refusal}. Nothing was stored` } });
    }
    app.log.error(error);
    // Transient: nothing was committed (each request is one transaction). Retry later.
    return reply.status(503).send({ error: { code: 'UNAVAILABLE', message: 'The server could not complete the request; nothing was stored. Retry later' } });
  });

  // Every answer that is not 2xx has the same shape, a route that does not exist too (a client
  // reads error.code and error.message; fastify's own 404 body had neither).
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0] ?? ''} on this server: the API is under /v1, described at /docs` } }),
  );

  const authTerminal = async (request: FastifyRequest): Promise<{ terminalId: string; storeId: string; lastPullAt: Date | null }> => {
    const credential = bearer(request);
    if (!credential) throw new HttpError(401, 'UNAUTHENTICATED', 'Send the terminal credential as "Authorization: Bearer ..."');
    const [terminal] = await db.query<{ terminal_id: string; store_id: string; revoked_at: Date | null; last_pull_at: Date | null }>(
      'SELECT terminal_id, store_id, revoked_at, last_pull_at FROM terminals WHERE credential_hash = $1',
      [hashSecret(credential)],
    );
    if (!terminal) throw new HttpError(401, 'UNAUTHENTICATED', 'Unknown terminal credential');
    if (terminal.revoked_at) throw new HttpError(403, 'REVOKED', 'This terminal was revoked by the programme owner: enrol it again with a new code');
    return { terminalId: terminal.terminal_id, storeId: terminal.store_id, lastPullAt: terminal.last_pull_at };
  };
  /** The admin token (actor 'admin-api') or a console session (actor: the admin's name). */
  const authAdmin = async (request: FastifyRequest): Promise<string> => {
    const token = bearer(request);
    if (!token) throw new HttpError(401, 'UNAUTHENTICATED', 'Admin calls need the admin token or a console session: sign in at /console');
    if (sameSecret(token, options.adminToken)) return 'admin-api';
    const admin = await sessionAdmin(db, token, now());
    if (!admin) throw new HttpError(401, 'UNAUTHENTICATED', 'Your console session has ended or expired: sign in again');
    return admin;
  };
  const consoleContext: ConsoleRouteContext = { db, now, authAdmin };

  /**
   * The same code from the same terminal again, soon after it enrolled it and before that terminal
   * was ever heard from (no push, no pull): the answer was lost on its way (a dropped connection, a
   * proxy's timeout), so the terminal never had the credential. It gets a new one, which replaces
   * the lost one, instead of CODE_USED, which left the installer needing a revoke and a new code.
   */
  const answerLostEnrolment = async (tx: Queryable, code: { used_at: Date | null; used_by: string | null }, terminalId: string, name: string | undefined, credential: string): Promise<boolean> => {
    if (code.used_by !== terminalId || !code.used_at || now().getTime() - new Date(code.used_at).getTime() > ENROL_ANSWER_RETRY_MS) return false;
    const renewed = await tx.query(
      `UPDATE terminals SET credential_hash = $2, name = coalesce($3, name)
       WHERE terminal_id = $1 AND revoked_at IS NULL AND last_push_at IS NULL AND last_pull_at IS NULL AND last_seq = 0 RETURNING terminal_id`,
      [terminalId, hashSecret(credential), name ?? null],
    );
    return renewed.length > 0;
  };

  const pushes = new PushAdmission(options.pushConcurrency ?? DEFAULT_PUSH_CONCURRENCY);
  app.get('/v1/health', async () => ({ ok: true, database: db.kind, time: now().toISOString(), pushes: pushes.load() }));

  app.post(
    '/v1/terminals/enrol',
    {
      config: { rateLimit: { max: options.enrolLimitPerMinute ?? 10, timeWindow: '1 minute' } },
      schema: { summary: 'Enrol a terminal with a one-time code', body: jsonSchema(EnrolRequest), response: { 200: jsonSchema(EnrolResponse) } },
    },
    async (request) => {
      const body = parse(EnrolRequest, request.body, 'enrolment');
      const credential = newCredential();
      return db.transaction(async (tx) => {
        // Only the code's row is locked: locking the store's too made every enrolment and every
        // push of that store (their foreign key checks) wait for each other.
        const [code] = await tx.query<{ store_id: string; expires_at: Date; used_at: Date | null; used_by: string | null; name: string }>(
          'SELECT c.store_id, c.expires_at, c.used_at, c.used_by, s.name FROM enrol_codes c JOIN stores s USING (store_id) WHERE c.code_hash = $1 FOR UPDATE OF c',
          [hashSecret(normaliseEnrolCode(body.code))],
        );
        if (!code) throw new HttpError(401, 'UNAUTHENTICATED', 'Unknown enrolment code: check it, or ask the programme owner for a new one');
        if (new Date(code.expires_at).getTime() < now().getTime()) throw new HttpError(410, 'CODE_EXPIRED', 'This enrolment code has expired: ask for a new one');
        if (code.used_at) {
          if (!(await answerLostEnrolment(tx, code, body.terminalId, body.name, credential))) {
            throw new HttpError(410, 'CODE_USED', 'This enrolment code was already used: each code enrols one terminal');
          }
          const response: EnrolResponse = { terminalId: body.terminalId, storeId: code.store_id, storeName: code.name, credential, ...(ring ? { cardKeys: ring } : {}) };
          return response;
        }
        const [taken] = await tx.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM terminals WHERE terminal_id = $1 FOR UPDATE', [body.terminalId]);
        if (taken && !taken.revoked_at) {
          throw new HttpError(409, 'ALREADY_EXISTS', `Terminal ${body.terminalId} is already enrolled: revoke it first (admin revoke-terminal ${body.terminalId}), then enrol it again`);
        }
        if (taken) {
          // A revoked terminal enrolled again keeps its id and its ledger: its chain continues.
          await tx.query('UPDATE terminals SET store_id = $2, name = coalesce($3, name), credential_hash = $4, revoked_at = NULL WHERE terminal_id = $1', [body.terminalId, code.store_id, body.name ?? null, hashSecret(credential)]);
        } else {
          await tx.query('INSERT INTO terminals (terminal_id, store_id, name, credential_hash) VALUES ($1, $2, $3, $4)', [body.terminalId, code.store_id, body.name ?? null, hashSecret(credential)]);
        }
        await tx.query('UPDATE enrol_codes SET used_at = $3, used_by = $1 WHERE code_hash = $2', [body.terminalId, hashSecret(normaliseEnrolCode(body.code)), now().toISOString()]);
        const response: EnrolResponse = { terminalId: body.terminalId, storeId: code.store_id, storeName: code.name, credential, ...(ring ? { cardKeys: ring } : {}) };
        return response;
      });
    },
  );

  app.get(
    '/v1/terminals/card-keys',
    { schema: { summary: "The chain's card key ring (a terminal asks when a pull names a newer version than it holds)", security: [{ bearer: [] }], response: { 200: jsonSchema(CardKeyRing) } } },
    async (request) => {
      await authTerminal(request);
      if (!ring) throw new HttpError(404, 'NOT_FOUND', 'This server has no card key: payment cards are known only at the terminal that linked them');
      return ring;
    },
  );

  await app.register(async (scope) => {
    pushes.keepBodiesRaw(scope);
    const pushers = new WeakMap<FastifyRequest, string>();
    scope.post(
      '/v1/sync/push',
      {
        schema: { summary: 'Push ledger entries (and audit records) in seq order', security: [{ bearer: [] }], body: jsonSchema(PushRequest), response: { 200: jsonSchema(PushResponse) } },
        // The credential is checked before the body is read: an unknown caller's bytes are neither kept nor parsed.
        onRequest: async (request) => {
          pushers.set(request, (await authTerminal(request)).terminalId);
        },
      },
      async (request) => {
        const terminalId = pushers.get(request);
        if (terminalId === undefined) throw new HttpError(401, 'UNAUTHENTICATED', 'Send the terminal credential as "Authorization: Bearer ..."');
        return pushes.run(request, async (json) => {
          // 1,000 entries through zod cost about as much as storing them: a certainly valid body skips it.
          const body = certainPushRequest(json) ?? parse(PushRequest, json, 'push');
          const foreign = body.entries.find((e) => e.terminalId !== terminalId) ?? body.audit.find((e) => e.terminalId !== terminalId);
          if (foreign) throw new HttpError(403, 'FORBIDDEN', `This terminal is ${terminalId}; it cannot push entries of ${foreign.terminalId}`);
          return ingestPush(db, terminalId, body.entries, body.audit, {
            clockSkewToleranceMs: options.clockSkewToleranceMs ?? 10 * 60_000,
            now,
            sentAt: body.sentAt,
            anonymousSales: body.anonymousSales,
            queueDepth: body.queueDepth,
            timeZone: body.timeZone,
            suspicion: options.suspicion,
          });
        });
      },
    );
  });

  const PullQuery = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(5000).default(1000) }).strict();
  app.get(
    '/v1/sync/pull',
    { schema: { summary: 'Read the change feed from a cursor', security: [{ bearer: [] }], querystring: jsonSchema(PullQuery), response: { 200: jsonSchema(PullResponse) } } },
    async (request, reply) => {
      const { terminalId, lastPullAt } = await authTerminal(request);
      const query = parse(PullQuery, request.query, 'pull query');
      const page = await pullChanges(db, query.cursor, query.limit, ring?.current);
      if ('invalidCursor' in page) throw new HttpError(400, 'VALIDATION', 'The cursor is not one this server issued');
      // A till without sales pushes nothing, but it still syncs: its last pull says it is alive.
      // Written at most once a minute per terminal (the credential check read it), so a pull
      // rarely costs a statement more.
      const at = now();
      if (lastPullAt === null || at.getTime() - new Date(lastPullAt).getTime() >= LAST_PULL_EVERY_MS) {
        await db.query('UPDATE terminals SET last_pull_at = $2 WHERE terminal_id = $1', [terminalId, at.toISOString()]);
      }
      // Already JSON: a string with a JSON content type is sent as it is.
      return reply.type('application/json').send(page.json);
    },
  );

  app.get(
    '/v1/members/:memberId/balance',
    { schema: { summary: "A member's balance now, so a terminal can check before points are spent (merged ids answer for the survivor)", security: [{ bearer: [] }], response: { 200: jsonSchema(MemberBalance) } } },
    async (request) => {
      await authTerminal(request);
      const { memberId } = parse(z.object({ memberId: z.string().min(1).max(64) }), request.params, 'member id');
      const [member] = await db.query<{ member_id: string; balance: number; version: number }>(
        'SELECT member_id, balance, balance_version AS version FROM members WHERE member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = $1), $1)',
        [memberId],
      );
      if (!member) throw new HttpError(404, 'NOT_FOUND', 'The server does not know this member yet');
      const answer: MemberBalance = { memberId: member.member_id, balance: member.balance, at: now().toISOString(), version: Number(member.version) };
      return answer;
    },
  );

  app.get('/v1/members/snapshot', { schema: { summary: 'The member directory as NDJSON: a header line with the feed cursor, then one member per line', security: [{ bearer: [] }] } }, async (request, reply: FastifyReply) => {
    await authTerminal(request);
    const raw = reply.raw;
    const write = backPressuredWriter(raw, options.snapshotStallMs ?? SNAPSHOT_STALL_MS);
    // 200 only once the header line is read from the database: a database that fails before it
    // gets the API's error answer (503, retry later), not a stream cut off at its first line.
    let started = false;
    try {
      await streamSnapshot(db, (chunk) => {
        if (!started) {
          started = true;
          reply.hijack();
          raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
        }
        return write(chunk);
      });
      raw.end();
    } catch (error) {
      if (!started) throw error;
      // Headers are sent: cutting the stream short tells the terminal the snapshot is incomplete.
      app.log.error(error);
      raw.destroy();
    }
  });

  // The programme owner's API and the console (src-server/console/<area>-routes.ts).
  registerSessionRoutes(app, consoleContext, { signInLimitPerMinute: options.signInLimitPerMinute ?? 20 });
  registerProgrammeRoutes(app, consoleContext);
  registerTerminalsRoutes(app, consoleContext);
  registerInsightsRoutes(app, consoleContext);
  await registerConsoleStatic(app, options.consoleDir);
  registerExceptionsRoutes(app, consoleContext);
  registerMembersRoutes(app, consoleContext);
  registerOfferRoutes(app, { db, now, authAdmin });
  registerCatalogueRoutes(app, consoleContext);

  return app;
}
