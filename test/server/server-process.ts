// The server as its own OS process (the CLI), for tests that kill it or run two of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseChoice } from '../../src-server/start-server';
import { ADMIN_TOKEN } from './sim-terminal';

const CLI = fileURLToPath(new URL('../../src-server/cli.ts', import.meta.url));

export type ServerProcess = { url: string; child: ChildProcess; stop(): Promise<void>; kill(): Promise<void> };

export function spawnServer(choice: DatabaseChoice, port = 0): Promise<ServerProcess> {
  const dbArgs = 'url' in choice ? ['--database-url', choice.url] : ['--data-dir', choice.pgliteDir ?? ''];
  // node --import tsx (not the tsx CLI): SIGKILL must hit the server itself, not a wrapper.
  // KASA_PROF_DIR: the server writes a V8 CPU profile there when it stops (--cpu-prof is not allowed in NODE_OPTIONS).
  const child = spawn(process.execPath, [...(process.env.KASA_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.KASA_PROF_DIR] : []), '--import', 'tsx', CLI, ...dbArgs, '--port', String(port), '--rate-limit', '1000000', '--enrol-rate-limit', '1000'], {
    env: { ...process.env, KASA_ADMIN_TOKEN: ADMIN_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const done = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? ''; // the unfinished last line waits for more output
      for (const line of lines) {
        if (!line.includes('"event":"listening"')) continue;
        const { url } = JSON.parse(line) as { url: string };
        resolve({ url, child, stop: () => done('SIGTERM'), kill: () => done('SIGKILL') });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}
