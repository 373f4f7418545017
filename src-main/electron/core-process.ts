// Entry of the Electron utility process that runs the terminal core: SQLite never blocks main.
// Spoken to only by main, over process.parentPort. Main sends the keychain secrets first.
import type { TerminalCore } from '../core/terminal-core';
import { createTerminalCore } from '../core/terminal-core';
import { createFileLogger } from '../core/logger';
import { createMemorySecretStore } from '../core/secret-store';
import { answerWhileFailed, describeStartupFailure, type StartupFailure } from '../core/startup-failure';
import { shellSettings } from '../core/shell-settings';
import { enrolAtStart, enrolmentFlags, type EnrolAtStart } from '../core/sync/unattended-enrol';
import { applyTerminalConfig, findTerminalConfig, seedSetupFromConfig, type TerminalConfig } from '../core/terminal-config';
import type { FromCore, ToCore } from './ipc-channels';

const port = process.parentPort;
const send = (message: FromCore) => port.postMessage(message);
const dataDir = process.argv[2];
const flags = process.argv.slice(3);
const flag = (name: string) => {
  const i = flags.indexOf(name);
  return i >= 0 ? flags[i + 1] : undefined;
};
// Unattended installs pass --server and --enrol-code through main.
const enrol = enrolmentFlags(flags);
let core: TerminalCore | null = null;
let session: ReturnType<TerminalCore['sessions']['open']> | null = null;
let failure: StartupFailure | null = null;

function start(secrets: Record<string, string>): void {
  const log = createFileLogger({ dir: flag('--log-dir') ?? `${dataDir ?? '.'}/logs` });
  let config: TerminalConfig | null = null;
  try {
    if (!dataDir) throw new Error('core process started without a data folder');
    config = findTerminalConfig(flag('--config'))?.config ?? null;
    const store = createMemorySecretStore(
      Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      (name, value) => send({ type: 'secret-set', name, value: value.toString('base64') }),
    );
    const appVersion = flag('--app-version');
    core = createTerminalCore({ dataDir, secrets: store, log, ...(config?.store ? { store: config.store } : {}), ...(appVersion ? { appVersion } : {}) });
    if (config) seedSetupFromConfig(core, config);
    core.events.subscribe((name, payload) => send({ type: 'event', name, payload }));
    // One window, one screen session: who is signed in is the core's decision, not main's.
    session = core.sessions.open();
    process.on('exit', () => core?.close());
    send({ type: 'ready', terminalId: core.terminalId, shell: shellSettings(config, core.sync.status().serverUrl) });
    const notice = (error: unknown) => send({ type: 'notice', message: error instanceof Error ? error.message : String(error) });
    const noticeFailed = (enrolled: EnrolAtStart | null) => enrolled?.failed && notice(enrolled.failed);
    if (config) applyTerminalConfig(core, config, enrol ?? undefined).then(({ enrolled }) => noticeFailed(enrolled), notice);
    else if (enrol) enrolAtStart(core, enrol).then(noticeFailed, notice);
  } catch (error) {
    log.error('core.start-failed', { error: error instanceof Error ? error.message : String(error) });
    if (!dataDir) {
      send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    // The window still opens and shows why (the diagnostics screen), never a white window.
    const locale = config?.store?.locale;
    void describeStartupFailure(error, dataDir, { resolveFrom: __dirname, ...(locale ? { locale } : {}) }).then((described) => {
      failure = described;
      send({ type: 'ready', terminalId: '', shell: shellSettings(null, null) });
    });
  }
}

port.on('message', ({ data }: { data: ToCore }) => {
  if (data?.type === 'secrets' && !core) start(data.values);
  else if (data?.type === 'update-readiness' && core) send({ type: 'update-readiness', id: data.id, readiness: core.updateReadiness() });
  else if (data?.type === 'call' && core && session) {
    const { id } = data;
    void core.sessions.callAsync(session, data.method, data.params).then((result) => send({ type: 'reply', id, result }));
  } else if (data?.type === 'call' && failure) send({ type: 'reply', id: data.id, result: answerWhileFailed(failure, data.method) });
});
