import { parseArgs } from 'node:util';
import { KasaError } from '../../src-shared/api/errors';
import { ServerUrl } from '../../src-shared/api/sync-methods';
import { placeProblem, type PlaceProblem } from '../core/settings';
import { EnrolCode } from '../core/terminal-config';

const PLACE_FLAGS: Record<PlaceProblem['field'], string> = { country: '--country', locale: '--locale', timeZone: '--time-zone' };

export type HostCliOptions = {
  dataDir: string;
  port: number;
  bind: string;
  staticDir: string;
  tls?: { certFile: string; keyFile: string };
  store: { storeName?: string; country?: string; currency?: string; locale?: string; timeZone?: string };
  /** Unattended installs: enrol with this server and one-time code at start, unless already enrolled. */
  enrol?: { serverUrl: string; code: string };
  /** `--config FILE`: the installer's terminal config file (docs/installation.md); flags win over it. */
  config?: string;
  /** `--log-dir DIR`: where the rotated log files go (default <data dir>/logs). */
  logDir?: string;
};

export const HOST_USAGE = `Usage: npm run host -- [options]
  --data-dir DIR       where the terminal keeps its database (default ./.kasa-data)
  --port N             port to listen on (default 4310; 0 picks a free one)
  --bind ADDR          interface (default 127.0.0.1; others need --tls-cert and --tls-key)
  --tls-cert FILE      certificate (PEM) for https/wss
  --tls-key FILE       private key (PEM)
  --static-dir DIR     built renderer (default dist/renderer)
  --store-name NAME    store name on receipts
  --country CC         default country for phone numbers (default TR)
  --currency CUR       ISO 4217 currency (default TRY)
  --locale TAG         display locale (default tr-TR)
  --time-zone ZONE     IANA time zone (default Europe/Istanbul)
  --server URL         central server to enrol with (https://...), with --enrol-code
  --enrol-code CODE    one-time enrolment code from the programme owner (used once; ignored
                       when the terminal is already enrolled with that server)
  --config FILE        terminal config file (default: the machine-wide one, e.g. /etc/kasa/terminal.json,
                       when it exists); the flags above win over it
  --log-dir DIR        where the terminal's log files go (default <data dir>/logs)`;

export function parseHostArgs(argv: string[]): HostCliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string', default: '.kasa-data' },
        port: { type: 'string', default: '4310' },
        bind: { type: 'string', default: '127.0.0.1' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'static-dir': { type: 'string', default: 'dist/renderer' },
        'store-name': { type: 'string' },
        country: { type: 'string' },
        currency: { type: 'string' },
        locale: { type: 'string' },
        'time-zone': { type: 'string' },
        server: { type: 'string' },
        'enrol-code': { type: 'string' },
        config: { type: 'string' },
        'log-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new KasaError('VALIDATION', `${error instanceof Error ? error.message : String(error)}\n${HOST_USAGE}`);
  }
  const v = parsed.values;
  const port = Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new KasaError('VALIDATION', `--port must be 0-65535, not "${v.port}"`);
  if (Boolean(v['tls-cert']) !== Boolean(v['tls-key'])) throw new KasaError('VALIDATION', '--tls-cert and --tls-key go together');
  if (Boolean(v.server) !== Boolean(v['enrol-code'])) throw new KasaError('VALIDATION', '--server and --enrol-code go together');
  // Said by the flag before the host makes a data folder, not later as terminal.enrol's argument.
  for (const [flag, value, schema] of [['--server', v.server, ServerUrl], ['--enrol-code', v['enrol-code'], EnrolCode]] as const) {
    const checked = value === undefined ? null : schema.safeParse(value);
    if (checked && !checked.success) throw new KasaError('VALIDATION', `${flag}: ${checked.error.issues[0]?.message ?? 'not valid'}`);
  }
  // Refused here, with the option named, rather than by the core's start (the diagnostics page).
  const problem = placeProblem({ country: v.country?.toUpperCase(), locale: v.locale, timeZone: v['time-zone'] });
  if (problem) throw new KasaError('VALIDATION', `${PLACE_FLAGS[problem.field]}: ${problem.message}`);
  const store = {
    ...(v['store-name'] ? { storeName: v['store-name'] } : {}),
    ...(v.country ? { country: v.country.toUpperCase() } : {}),
    ...(v.currency ? { currency: v.currency.toUpperCase() } : {}),
    ...(v.locale ? { locale: v.locale } : {}),
    ...(v['time-zone'] ? { timeZone: v['time-zone'] } : {}),
  };
  return {
    dataDir: v['data-dir'] ?? '.kasa-data',
    port,
    bind: v.bind ?? '127.0.0.1',
    staticDir: v['static-dir'] ?? 'dist/renderer',
    ...(v['tls-cert'] && v['tls-key'] ? { tls: { certFile: v['tls-cert'], keyFile: v['tls-key'] } } : {}),
    store,
    ...(v.server && v['enrol-code'] ? { enrol: { serverUrl: v.server, code: v['enrol-code'] } } : {}),
    ...(v.config ? { config: v.config } : {}),
    ...(v['log-dir'] ? { logDir: v['log-dir'] } : {}),
  };
}
