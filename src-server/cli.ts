// `npm run server -- [--data-dir DIR | --database-url URL] [--port N]` starts the server.
// `npm run server -- admin <command> ...` runs the programme owner's commands on the same database.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { KasaError } from '../src-shared/api/errors';
import { createAdminAccount } from './admin-accounts';
import { createEnrolCode, createStore, installRuleSet, listExceptions, listTerminals, resolveException, revokeTerminal } from './admin';
import { installCatalogue, listCatalogues } from './catalogue';
import { DEFAULT_SUSPICION_THRESHOLDS, type SuspicionThresholds } from './console/suspicious-activity';
import { pruneFeed } from './feed';
import { listOffers, offerUptake, runOffers, UPTAKE_PERIODS, type UptakePeriod } from './offers';
import { OFFER_STATUSES, type OfferStatus } from '../src-shared/program/offers';
import { rebuildInsights } from './insights/insight-rebuild';
import { redactedUrl } from './db/database';
import { openDatabase, startServer, type DatabaseChoice, type RunningServer } from './start-server';

const USAGE = `Usage:
  npm run server -- [--data-dir DIR | --database-url postgres://...] [--port 8080] [--host 127.0.0.1]
                    [--rate-limit REQUESTS_PER_MINUTE_PER_CLIENT (default 1200)]
                    [--enrol-rate-limit ENROLMENTS_PER_MINUTE_PER_CLIENT (default 10)]
                    [--push-concurrency N (default 4: pushes checked and stored at once; more wait, unparsed)]
                    [--offers-every-minutes N (default 60; 0: only on demand)]
                    [--suspicious-redemptions N (default 5: more redemptions by one member in a day raise an exception)]
                    [--suspicious-enrolments N (default 40: more enrolments by one cashier in a day raise an exception)]
      (admin token: KASA_ADMIN_TOKEN or --admin-token-file FILE; DATABASE_URL works too)
  npm run server -- admin [database options] <command>
      create-admin NAME [--password-file FILE]   (console sign-in; without the file the password is read from stdin)
      create-store NAME [--store-id ID]
      create-enrol-code STORE_ID [--valid-hours 24]
      install-rule-set FILE.json [--active-from ISO-TIME]
      install-catalogue FILE.json   (product catalogue, docs/catalogue.md; published to every terminal)
      catalogues
      exceptions [--all] [--kind KIND]
      resolve-exception ID RESOLUTION...
      terminals
      revoke-terminal TERMINAL_ID
      prune-feed --keep-days N
      compute-offers [--date YYYY-MM-DD] [--member MEMBER_ID]   (personalised offers, now)
      offers [--member MEMBER_ID] [--status active|redeemed|expired|withdrawn]
      offer-uptake [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--period day|week|month]
      rebuild-insights          (recompute the insight aggregates from the ledger)`;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'admin-token-file': { type: 'string' },
      'password-file': { type: 'string' },
      'store-id': { type: 'string' },
      'valid-hours': { type: 'string' },
      'active-from': { type: 'string' },
      'keep-days': { type: 'string' },
      date: { type: 'string' },
      member: { type: 'string' },
      status: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      period: { type: 'string' },
      'offers-every-minutes': { type: 'string' },
      'suspicious-redemptions': { type: 'string' },
      'suspicious-enrolments': { type: 'string' },
      'rate-limit': { type: 'string' },
      'enrol-rate-limit': { type: 'string' },
      'push-concurrency': { type: 'string' },
      kind: { type: 'string' },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}

function databaseChoice(values: ReturnType<typeof parse>['values']): DatabaseChoice {
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (url) return { url: postgresUrl(url) };
  return { pgliteDir: values['data-dir'] ?? '.kasa-server' };
}

/** A connection URL node-postgres can use; anything else would fail later as a host name lookup. */
function postgresUrl(text: string): string {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // said below
  }
  // postgres:///kasa?host=/var/run/postgresql (a Unix socket) has no host name, and is right.
  if (!url || !['postgres:', 'postgresql:', 'socket:'].includes(url.protocol)) {
    throw new KasaError('VALIDATION', `--database-url (or DATABASE_URL) must be a URL like postgres://USER@HOST:5432/DATABASE, not "${redactedUrl(text)}"`);
  }
  return text;
}

async function admin(values: ReturnType<typeof parse>['values'], args: string[]): Promise<unknown> {
  const db = await openDatabase(databaseChoice(values));
  const actor = `cli:${process.env.USER ?? 'unknown'}`;
  try {
    const [command, ...rest] = args;
    switch (command) {
      case 'create-admin':
        return await createAdminAccount(db, actor, rest[0] ?? '', values['password-file'] ? fs.readFileSync(values['password-file'], 'utf8').replace(/\r?\n$/, '') : await readPassword());
      case 'create-store':
        return await createStore(db, actor, rest.join(' '), values['store-id']);
      case 'create-enrol-code':
        return await createEnrolCode(db, actor, rest[0] ?? '', values['valid-hours'] ? Number(values['valid-hours']) : undefined);
      case 'install-rule-set':
        return await installRuleSet(db, actor, JSON.parse(fs.readFileSync(rest[0] ?? '', 'utf8')), values['active-from']);
      case 'install-catalogue':
        return await installCatalogue(db, actor, readCatalogueFile(rest[0]));
      case 'catalogues':
        return await listCatalogues(db);
      case 'exceptions':
        return await listExceptions(db, { ...(values.all ? {} : { open: true }), ...(values.kind ? { kind: values.kind } : {}) });
      case 'resolve-exception':
        await resolveException(db, actor, Number(rest[0]), rest.slice(1).join(' '));
        return { resolved: Number(rest[0]) };
      case 'terminals':
        return await listTerminals(db);
      case 'revoke-terminal':
        await revokeTerminal(db, actor, rest[0] ?? '');
        return { revoked: rest[0] };
      case 'rebuild-insights':
        return await rebuildInsights(db);
      case 'compute-offers':
        return await runOffers(db, { date: values.date, memberId: values.member });
      case 'offers': {
        const status = values.status;
        if (status !== undefined && !(OFFER_STATUSES as readonly string[]).includes(status)) throw new KasaError('VALIDATION', `--status must be one of ${OFFER_STATUSES.join(', ')}`);
        return await listOffers(db, { memberId: values.member, status: status as OfferStatus | undefined });
      }
      case 'offer-uptake': {
        const period = values.period;
        if (period !== undefined && !(UPTAKE_PERIODS as readonly string[]).includes(period)) throw new KasaError('VALIDATION', `--period must be one of ${UPTAKE_PERIODS.join(', ')}`);
        return await offerUptake(db, { from: values.from, to: values.to, period: period as UptakePeriod | undefined });
      }
      case 'prune-feed':
        return { deleted: await pruneFeed(db, Number(values['keep-days'] ?? 'NaN')) };
      default:
        throw new KasaError('VALIDATION', `Unknown admin command "${command ?? ''}"\n${USAGE}`);
    }
  } finally {
    await db.close();
  }
}

/** The first line of stdin; on a terminal, asked for without echoing it. Never an argument: ps shows those. */
async function readPassword(): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) process.stderr.write('Password for the new admin (not shown): ');
  if (input.isTTY) input.setRawMode(true);
  input.setEncoding('utf8');
  let text = '';
  try {
    for await (const chunk of input) {
      text += String(chunk);
      if (input.isTTY && text.includes('\u0003')) throw new KasaError('VALIDATION', 'Cancelled');
      if (/[\r\n]/.test(text)) break;
    }
  } finally {
    if (input.isTTY) {
      input.setRawMode(false);
      process.stderr.write('\n');
    }
    input.pause();
  }
  return text.split(/\r?\n|\r/)[0] ?? '';
}

/** A catalogue file: its text must be JSON; what is wrong with it comes back by path from installCatalogue. */
function readCatalogueFile(file: string | undefined): unknown {
  if (!file) throw new KasaError('VALIDATION', 'install-catalogue needs the catalogue file: install-catalogue FILE.json');
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new KasaError('VALIDATION', `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A whole-number option from `min` (to `max`), or undefined when absent; anything else is refused, saying what it takes. */
function wholeNumber(text: string | undefined, flag: string, takes: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new KasaError('VALIDATION', `${flag} must be ${takes}, not "${text}"`);
  return value;
}

const pushConcurrency = (text: string | undefined) => wholeNumber(text, '--push-concurrency', 'a whole number of pushes from 1 to 1000', 1, 1000);

const perMinute = (text: string | undefined, flag: string) => wholeNumber(text, flag, 'a positive whole number of requests per minute', 1);

/** The suspicious-activity thresholds of the exceptions queue (docs/console.md), or their defaults. */
function suspicionThresholds(values: { 'suspicious-redemptions'?: string | undefined; 'suspicious-enrolments'?: string | undefined }): SuspicionThresholds {
  const read = (text: string | undefined, flag: string, fallback: number) => wholeNumber(text, flag, 'a whole number of 1 or more', 1) ?? fallback;
  return {
    redemptionsPerMemberPerDay: read(values['suspicious-redemptions'], '--suspicious-redemptions', DEFAULT_SUSPICION_THRESHOLDS.redemptionsPerMemberPerDay),
    enrolmentsPerCashierPerDay: read(values['suspicious-enrolments'], '--suspicious-enrolments', DEFAULT_SUSPICION_THRESHOLDS.enrolmentsPerCashierPerDay),
  };
}

const offersEvery = (text: string | undefined) => wholeNumber(text, '--offers-every-minutes', 'a whole number of minutes (0: only on demand)', 0) ?? 60;

async function main(): Promise<void> {
  const { values, positionals } = parse(process.argv.slice(2));
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals[0] === 'admin') {
    process.stdout.write(`${JSON.stringify(await admin(values, positionals.slice(1)), null, 2)}\n`);
    return;
  }
  const adminToken = values['admin-token-file'] ? fs.readFileSync(values['admin-token-file'], 'utf8').trim() : process.env.KASA_ADMIN_TOKEN;
  if (!adminToken || adminToken.length < 24) throw new KasaError('VALIDATION', 'Set an admin token of at least 24 characters: KASA_ADMIN_TOKEN or --admin-token-file');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new KasaError('VALIDATION', `--port must be a port number, not "${values.port}"`);
  const rateLimit = perMinute(values['rate-limit'], '--rate-limit');
  const enrolLimit = perMinute(values['enrol-rate-limit'], '--enrol-rate-limit');
  const concurrentPushes = pushConcurrency(values['push-concurrency']);
  const choice = databaseChoice(values);
  let server: RunningServer | null = null;
  // Another process may now open the folder: stop before the two write over each other.
  const lockLost = (error: Error) => {
    process.stderr.write(`kasa server: stopping: the data folder's lock was lost (${error.message})\n`);
    void (server?.close() ?? Promise.resolve()).finally(() => process.exit(1));
  };
  server = await startServer({
    database: 'url' in choice ? choice : { ...choice, onLockLost: lockLost },
    port,
    host: values.host ?? '127.0.0.1',
    adminToken,
    logger: true,
    ...(rateLimit ? { rateLimitPerMinute: rateLimit } : {}),
    ...(enrolLimit ? { enrolLimitPerMinute: enrolLimit } : {}),
    ...(concurrentPushes ? { pushConcurrency: concurrentPushes } : {}),
    offersEveryMinutes: offersEvery(values['offers-every-minutes']),
    suspicion: suspicionThresholds(values),
  });
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url, port: server.port, database: server.db.kind })}\n`);
  const running = server;
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`kasa server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof KasaError && error.code === 'VALIDATION' ? 2 : 1);
});
