// The browser host as its own process (its command line), for tests of flags and config files.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../core/helpers';

const CLI = path.resolve(__dirname, '../../src-main/host/cli.ts');

export type HostRun = { lines: string[]; code: number | null; stderr: string; pid: number; stop: () => void; exited: Promise<void> };

/**
 * Starts the host with `args` (port 0) and answers once it printed a JSON line with `event`
 * (still running: `stop` ends it, `process.kill(pid, 'SIGKILL')` kills it), or once it exited (`code` says how).
 */
export function runHost(args: string[], event: string): Promise<HostRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid ?? -1;
  return new Promise((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`"event":"${event}"`)) resolve({ lines: out.split('\n'), code: null, stderr, pid, stop: () => child.kill('SIGTERM'), exited });
    });
    // 'close', not 'exit': every line it wrote has arrived by then.
    child.on('close', (code) => resolve({ lines: out.split('\n'), code, stderr, pid, stop: () => undefined, exited }));
  });
}

/** A renderer folder with just an index.html: enough for the host to start. */
export function minimalStaticDir(): string {
  const dir = tempDir('kasa-static-');
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
  return dir;
}
