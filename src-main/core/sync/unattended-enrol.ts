// Unattended installs (`--server URL --enrol-code CODE` on the host or the app): enrol once at
// start; a terminal already enrolled with that server keeps its enrolment, so the installer's
// script can run again safely.
import { KasaError } from '../../../src-shared/api/errors';
import type { CallerContext } from '../handlers/handler-types';
import type { TerminalCore } from '../terminal-core';

const installer: CallerContext = { role: 'manager', userId: null };

/** `failed`: the enrolment was refused or the server not reached, and the terminal sells on (below). */
export type EnrolAtStart = { already: boolean; storeName: string | null; failed?: string };

/**
 * A terminal never connected before stops on a failure (the installer is there to see it). One that
 * was connected (since revoked, or moved to another server) keeps selling: its ledger is here, and the
 * service's command line or config file repeats at every start a code that has since been used.
 */
export async function enrolAtStart(core: TerminalCore, enrol: { serverUrl: string; code: string; name?: string }): Promise<EnrolAtStart> {
  const status = core.sync.status();
  if (status.enrolled && status.serverUrl === enrol.serverUrl) return { already: true, storeName: status.storeName };
  const result = await core.dispatchAsync('terminal.enrol', enrol, installer);
  if (result.ok) return { already: false, storeName: (result.value as { storeName: string }).storeName };
  const message = `Enrolment with ${enrol.serverUrl} failed: ${result.error.message}`;
  if (status.serverUrl === null) throw new KasaError(result.error.code, message);
  core.context.log.warn('sync.enrol-at-start-failed', { serverUrl: enrol.serverUrl, error: result.error.message, revoked: !status.enrolled });
  return { already: false, storeName: status.storeName, failed: message };
}

/** `--server URL --enrol-code CODE` from a command line; both or neither. */
export function enrolmentFlags(argv: readonly string[]): { serverUrl: string; code: string } | null {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const serverUrl = value('--server');
  const code = value('--enrol-code');
  if (!serverUrl && !code) return null;
  if (!serverUrl || !code) throw new KasaError('VALIDATION', '--server and --enrol-code go together');
  return { serverUrl, code };
}
