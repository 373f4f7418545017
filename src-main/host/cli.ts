// `npm run host -- --data-dir DIR --port N`
import path from 'node:path';
import { KasaError } from '../../src-shared/api/errors';
import { HOST_USAGE, parseHostArgs } from './cli-args';
import { enrolAtStart, type EnrolAtStart } from '../core/sync/unattended-enrol';
import { applyTerminalConfig, findTerminalConfig, seedSetupFromConfig } from '../core/terminal-config';
import { CoreStartError, startDiagnosticsHost, startHost, type RunningHost } from './host-server';
import { createFileLogger } from '../core/logger';
import { describeStartupFailure } from '../core/startup-failure';

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${HOST_USAGE}\n`);
    return;
  }
  const options = parseHostArgs(process.argv.slice(2));
  const found = findTerminalConfig(options.config);
  const config = found?.config ?? null;
  const store = { ...config?.store, ...options.store };
  const log = createFileLogger({ dir: path.resolve(options.logDir ?? path.join(options.dataDir, 'logs')) });
  const hostOptions = { ...options, store, log, appVersion: process.env.npm_package_version ?? 'unknown', dataDir: path.resolve(options.dataDir), staticDir: path.resolve(options.staticDir) };
  let host: RunningHost;
  try {
    host = await startHost(hostOptions);
  } catch (error) {
    if (!(error instanceof CoreStartError)) throw error;
    // The page still opens and says why (the diagnostics screen); the counter stays closed.
    const failure = await describeStartupFailure(error.reason, hostOptions.dataDir, store.locale ? { locale: store.locale } : {});
    log.error('core.start-failed', { error: failure.problem });
    const diagnostics = await startDiagnosticsHost(hostOptions, failure);
    process.stdout.write(`${JSON.stringify({ event: 'listening', url: diagnostics.url, port: diagnostics.port, startupFailed: failure.problem })}\n`);
    process.stderr.write(`kasa host: the terminal could not start: ${failure.problem}\nThe page at ${diagnostics.url} shows the diagnostics.\n`);
    const stopDiagnostics = () => void diagnostics.close().then(() => process.exit(1));
    process.on('SIGINT', stopDiagnostics);
    process.on('SIGTERM', stopDiagnostics);
    return;
  }
  if (config) seedSetupFromConfig(host.core, config);
  // One machine-readable line first (tests and supervisors read it), then the human one.
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: host.url, port: host.port, networkUrls: host.networkUrls, terminalId: host.core.terminalId })}\n`);
  // On the store network the bound address (0.0.0.0) is no place a tablet can open: say where it can.
  const openAt = host.networkUrls.length > 0 ? `${host.networkUrls.join(' or ')} from the store network` : host.url;
  process.stdout.write(`Kasa terminal host: open ${openAt} (data in ${path.resolve(options.dataDir)})\n`);
  let enrolled: EnrolAtStart | null = null;
  if (config) {
    const applied = await applyTerminalConfig(host.core, config, options.enrol);
    process.stdout.write(`${JSON.stringify({ event: 'config', file: found?.file, kiosk: config.kiosk, devicesAdded: applied.devicesAdded })}\n`);
    enrolled = applied.enrolled;
  } else if (options.enrol) enrolled = await enrolAtStart(host.core, options.enrol);
  if (enrolled?.failed) {
    // A terminal connected before sells on (unattended-enrol.ts): said, not fatal.
    process.stdout.write(`${JSON.stringify({ event: 'enrol-failed', error: enrolled.failed, terminalId: host.core.terminalId })}\n`);
    process.stderr.write(`kasa host: ${enrolled.failed}\nThe terminal sells on offline with its data; to connect it again, a manager uses Connect to server with a new code, or give the new code to --enrol-code (or the config file's server.enrolCode).\n`);
  } else if (enrolled) process.stdout.write(`${JSON.stringify({ event: 'enrolled', ...enrolled })}\n`);
  const stop = () => {
    host.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`kasa host: ${error instanceof KasaError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(error instanceof KasaError && ['VALIDATION', 'UNAUTHENTICATED', 'ALREADY_EXISTS'].includes(error.code) ? 2 : 1);
});
