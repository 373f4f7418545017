// Entry of the Electron utility process that runs the terminal core: SQLite never blocks main.
// Spoken to only by main, over process.parentPort. Main sends the keychain secrets first.
import type { TerminalCore } from '../core/terminal-core';
import { createTerminalCore } from '../core/terminal-core';
import { createMemorySecretStore } from '../core/secret-store';
import { enrolAtStart, enrolmentFlags } from '../core/sync/unattended-enrol';
import type { FromCore, ToCore } from './ipc-channels';

const port = process.parentPort;
const send = (message: FromCore) => port.postMessage(message);
const dataDir = process.argv[2];
// Unattended installs pass --server and --enrol-code through main.
const enrol = enrolmentFlags(process.argv.slice(3));
let core: TerminalCore | null = null;
let session: ReturnType<TerminalCore['sessions']['open']> | null = null;

function start(secrets: Record<string, string>): void {
  try {
    if (!dataDir) throw new Error('core process started without a data folder');
    const store = createMemorySecretStore(
      Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      (name, value) => send({ type: 'secret-set', name, value: value.toString('base64') }),
    );
    core = createTerminalCore({ dataDir, secrets: store });
    core.events.subscribe((name, payload) => send({ type: 'event', name, payload }));
    // One window, one screen session: who is signed in is the core's decision, not main's.
    session = core.sessions.open();
    process.on('exit', () => core?.close());
    send({ type: 'ready', terminalId: core.terminalId });
    if (enrol) {
      enrolAtStart(core, enrol).catch((error: unknown) => send({ type: 'notice', message: error instanceof Error ? error.message : String(error) }));
    }
  } catch (error) {
    send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', ({ data }: { data: ToCore }) => {
  if (data?.type === 'secrets' && !core) start(data.values);
  else if (data?.type === 'call' && core && session) {
    const { id } = data;
    void core.sessions.callAsync(session, data.method, data.params).then((result) => send({ type: 'reply', id, result }));
  }
});
