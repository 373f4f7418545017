// `npm run server -- [--data-dir DIR | --database-url URL] [--port N]` starts the server.
// `npm run server -- admin <command> ...` runs the programme owner's commands on the same database.
import fs from 'node:fs';
import os from 'node:os';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { KasaError } from '../src-shared/api/errors';
import { ALL_EXCEPTION_KINDS, isExceptionKind } from '../src-shared/console/exception-kinds';
import { DEFAULT_SUSPICION_THRESHOLDS, type SuspicionThresholds } from './console/suspicious-activity';
import { redactedUrl } from './db/redacted-url';
import { rotateCardKeyFile } from './card-key-file';
import type { DatabaseChoice, RunningServer } from './start-server';

const USAGE = `Usage:
  npm run server -- [--data-dir DIR | --database-url postgres://...] [--port 8080] [--host 127.0.0.1]
                    [--rate-limit REQUESTS_PER_MINUTE_PER_CLIENT (default 1200)]
                    [--enrol-rate-limit ENROLMENTS_PER_MINUTE_PER_CLIENT (default 10)]
                    [--push-concurrency N (default 4: pushes checked and stored at once; more wait, unparsed)]
                    [--trusted-proxies LIST (default loopback: the proxies whose X-Forwarded-For is believed;
                     addresses, CIDR ranges, loopback, linklocal or uniquelocal, comma-separated)]
                    [--offers-every-minutes N (default 60; 0: only on demand)]
                    [--suspicious-redemptions N (default 5: more redemptions by one member in a day raise an exception)]
                    [--suspicious-enrolments N (default 40: more enrolments by one cashier in a day raise an exception)]
                    [--card-key-file FILE (the chain's card key, made at the first start; keep it and its backups
                     apart from the database; KASA_CARD_KEY_FILE works too. Without it cards do not merge members
                     across terminals)]
      (admin token: KASA_ADMIN_TOKEN or --admin-token-file FILE; DATABASE_URL works too)
  npm run server -- admin [database options] <command>
      create-admin NAME [--password-file FILE]   (console sign-in; without the file the password is asked for twice,
                                                  or read from stdin's first line)
      admins                                     (console accounts: created, last sign-in, disabled)
      set-password NAME [--password-file FILE]   (a new password; the account's sessions end)
      disable-admin NAME | enable-admin NAME     (someone who left: sessions end, sign-in refused; or allowed again)
      create-store NAME [--store-id ID]
      create-enrol-code STORE_ID [--valid-hours 24]   (1 to 720 hours)
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
      rebuild-insights          (recompute the insight aggregates from the ledger)
      rotate-card-key --card-key-file FILE   (a new current version of the chain's card key; older ones stay.
                                              No database needed; restart the server to hand it out)`;

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
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
      'trusted-proxies': { type: 'string' },
      'card-key-file': { type: 'string' },
      kind: { type: 'string' },
      all: { type: 'boolean' },
      help: { type: 'boolean' },
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

type Values = ReturnType<typeof parse>['values'];
type OptionName = keyof Values;

/** Options every admin command takes (where its database is), and those only the server itself takes. */
const DATABASE_OPTIONS: readonly OptionName[] = ['data-dir', 'database-url'];
const SERVER_OPTIONS: readonly OptionName[] = ['port', 'host', 'admin-token-file', 'rate-limit', 'enrol-rate-limit', 'push-concurrency', 'trusted-proxies', 'offers-every-minutes', 'suspicious-redemptions', 'suspicious-enrolments', 'card-key-file'];

/** Each admin command: the arguments it takes (`rest`: the last one takes every word left) and its own options. */
const ADMIN_COMMANDS: Record<string, { args: readonly string[]; rest?: boolean; options: readonly OptionName[] }> = {
  'create-admin': { args: ['NAME'], options: ['password-file'] },
  admins: { args: [], options: [] },
  'set-password': { args: ['NAME'], options: ['password-file'] },
  'disable-admin': { args: ['NAME'], options: [] },
  'enable-admin': { args: ['NAME'], options: [] },
  'create-store': { args: ['NAME'], rest: true, options: ['store-id'] },
  'create-enrol-code': { args: ['STORE_ID'], options: ['valid-hours'] },
  'install-rule-set': { args: ['FILE.json'], options: ['active-from'] },
  'install-catalogue': { args: ['FILE.json'], options: [] },
  catalogues: { args: [], options: [] },
  exceptions: { args: [], options: ['all', 'kind'] },
  'resolve-exception': { args: ['ID', 'RESOLUTION'], rest: true, options: [] },
  terminals: { args: [], options: [] },
  'revoke-terminal': { args: ['TERMINAL_ID'], options: [] },
  'prune-feed': { args: [], options: ['keep-days'] },
  'compute-offers': { args: [], options: ['date', 'member'] },
  offers: { args: [], options: ['member', 'status'] },
  'offer-uptake': { args: [], options: ['from', 'to', 'period'] },
  'rebuild-insights': { args: [], options: [] },
  'rotate-card-key': { args: [], options: ['card-key-file'] },
};

const given = (values: Values): OptionName[] => (Object.keys(values) as OptionName[]).filter((name) => values[name] !== undefined && name !== 'help');

/** Refuses, before anything opens, an admin command that is unknown or given the wrong arguments or options. */
function checkAdminArgs(values: Values, args: string[]): void {
  const [command, ...rest] = args;
  const spec = command === undefined ? undefined : ADMIN_COMMANDS[command];
  if (!spec) throw new KasaError('VALIDATION', `${command === undefined ? 'Name an admin command' : `Unknown admin command "${command}"`}\n${USAGE}`);
  const missing = spec.args.slice(rest.filter((word) => word.trim() !== '').length);
  if (missing.length > 0) throw new KasaError('VALIDATION', `admin ${command} needs ${missing.join(' ')}: admin ${command} ${spec.args.join(' ')}`);
  if (!spec.rest && rest.length > spec.args.length) {
    throw new KasaError('VALIDATION', `admin ${command} takes ${spec.args.length === 0 ? 'no arguments' : spec.args.join(' ')}, not also "${rest.slice(spec.args.length).join(' ')}"`);
  }
  for (const name of given(values)) {
    if (DATABASE_OPTIONS.includes(name) || spec.options.includes(name)) continue;
    const takes = spec.options.length === 0 ? 'no options' : spec.options.map((option) => `--${option}`).join(', ');
    throw new KasaError('VALIDATION', SERVER_OPTIONS.includes(name) ? `--${name} is for starting the server, not for admin ${command}` : `--${name} is not an option of admin ${command} (it takes ${takes})`);
  }
}

/** Starting the server takes no words, and none of the admin commands' options. */
function checkServerArgs(values: Values, positionals: string[]): void {
  if (positionals.length > 0) throw new KasaError('VALIDATION', `Unexpected argument "${positionals[0]}": the server takes options only (admin commands: npm run server -- admin COMMAND)\n${USAGE}`);
  const adminOnly = given(values).find((name) => !DATABASE_OPTIONS.includes(name) && !SERVER_OPTIONS.includes(name));
  if (adminOnly) throw new KasaError('VALIDATION', `--${adminOnly} is an option of admin commands, not of the server`);
}

/** A file an admin command reads: a missing or unreadable one is named, with why. */
function readArgumentFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new KasaError('VALIDATION', `Cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error)}`);
  }
}

/** A JSON file an admin command installs: its text must be JSON; what is wrong with the document comes back from the install. */
function readJsonFile(file: string): unknown {
  const text = readArgumentFile(file, 'file');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new KasaError('VALIDATION', `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function admin(values: Values, args: string[]): Promise<unknown> {
  checkAdminArgs(values, args);
  const [command = '', ...rest] = args;
  if (command === 'rotate-card-key') return rotateCardKey(values['card-key-file'] ?? process.env.KASA_CARD_KEY_FILE);
  const exceptionId = command === 'resolve-exception' ? wholeNumber(rest[0], 'The exception ID', 'a whole number (admin exceptions lists them)', 1) : undefined;
  const validHours = wholeNumber(values['valid-hours'], '--valid-hours', 'a whole number of hours from 1 to 720 (30 days)', 1, 720);
  if (values.kind !== undefined && !isExceptionKind(values.kind)) throw new KasaError('VALIDATION', `--kind must be one of ${ALL_EXCEPTION_KINDS.join(', ')}, not "${values.kind}"`);
  // Said by the option's name (the install's own check names the API's field, activeFrom).
  const activeFrom = values['active-from'];
  if (activeFrom !== undefined && !Number.isFinite(new Date(activeFrom).getTime())) {
    throw new KasaError('VALIDATION', `--active-from must be a date-time like 2026-12-01T09:00:00+03:00 (or a date), not "${activeFrom}"`);
  }
  const document = command === 'install-rule-set' || command === 'install-catalogue' ? readJsonFile(rest[0] ?? '') : undefined;
  const setsPassword = command === 'create-admin' || command === 'set-password';
  const password = setsPassword && values['password-file'] ? readArgumentFile(values['password-file'], '--password-file').replace(/\r?\n$/, '') : undefined;
  const database = databaseChoice(values);
  // The database drivers and the server's modules load only for a command that will run: a
  // mistyped one is answered at once.
  const { runAdminCommand } = await import('./admin-commands');
  return runAdminCommand(database, cliActor(), {
    command,
    rest,
    exceptionId,
    validHours,
    document,
    password,
    options: { storeId: values['store-id'], activeFrom: values['active-from'], all: values.all === true, kind: values.kind, date: values.date, member: values.member, status: values.status, from: values.from, to: values.to, period: values.period, keepDays: values['keep-days'] },
  });
}

/** rotate-card-key: the key file only (the database never holds the key). */
function rotateCardKey(file: string | undefined): { cardKeyFile: string; currentVersion: number; note: string } {
  if (!file) throw new KasaError('VALIDATION', 'admin rotate-card-key needs --card-key-file FILE (or KASA_CARD_KEY_FILE): the file the server is started with');
  const ring = rotateCardKeyFile(file);
  return { cardKeyFile: file, currentVersion: ring.current, note: `Restart the server to hand version ${ring.current} to the terminals; back the file up again, apart from the database` };
}

/**
 * Who ran an admin command, as admin_audit and the version history name them: the login name, also
 * where USER is not set (cron, a systemd unit, a container), which had recorded "cli:unknown".
 */
function cliActor(): string {
  let name = process.env.USER || process.env.LOGNAME;
  if (!name) {
    try {
      name = os.userInfo().username;
    } catch {
      // A user id with no entry in the password database (some containers): nothing to name.
    }
  }
  return `cli:${name || 'unknown'}`;
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

/** --trusted-proxies: each entry an address, an address/prefix, or one of proxy-addr's named ranges. */
function trustedProxies(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const wrong = entries.find((entry) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return false;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return true;
    return prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  if (entries.length === 0 || wrong !== undefined) {
    throw new KasaError('VALIDATION', `--trusted-proxies takes addresses (10.0.0.5), ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal, comma-separated${wrong === undefined ? '' : `, not "${wrong}"`}`);
  }
  return entries;
}

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
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    // An unknown option, or an option without its value.
    throw new KasaError('VALIDATION', `${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals[0] === 'admin') {
    process.stdout.write(`${JSON.stringify(await admin(values, positionals.slice(1)), null, 2)}\n`);
    return;
  }
  checkServerArgs(values, positionals);
  const adminToken = values['admin-token-file'] ? readArgumentFile(values['admin-token-file'], '--admin-token-file').trim() : process.env.KASA_ADMIN_TOKEN;
  if (!adminToken || adminToken.length < 24) throw new KasaError('VALIDATION', 'Set an admin token of at least 24 characters: KASA_ADMIN_TOKEN or --admin-token-file');
  const port = Number(values.port ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new KasaError('VALIDATION', `--port must be a port number, not "${values.port}"`);
  const rateLimit = perMinute(values['rate-limit'], '--rate-limit');
  const enrolLimit = perMinute(values['enrol-rate-limit'], '--enrol-rate-limit');
  const concurrentPushes = pushConcurrency(values['push-concurrency']);
  const proxies = trustedProxies(values['trusted-proxies']);
  const cardKeyFile = values['card-key-file'] ?? (process.env.KASA_CARD_KEY_FILE || undefined);
  const choice = databaseChoice(values);
  const { startServer } = await import('./start-server');
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
    ...(proxies ? { trustedProxies: proxies } : {}),
    offersEveryMinutes: offersEvery(values['offers-every-minutes']),
    suspicion: suspicionThresholds(values),
    cardKeyFile: cardKeyFile ?? null,
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
