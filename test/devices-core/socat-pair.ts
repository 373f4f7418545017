// A real pseudo-terminal pair from socat standing in for a serial scanner: the app opens `scannerPath`
// with serialport, the test writes bytes to `feederPath`. Killing socat is an unplug; starting it again with
// the same link names is a replug.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is true; fails after a generous timeout (no timing is asserted). */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export class SocatPair {
  readonly scannerPath: string;
  readonly feederPath: string;
  #process: ChildProcess | null = null;
  #feeder: number | null = null;

  constructor(readonly dir: string) {
    this.scannerPath = path.join(dir, 'scanner');
    this.feederPath = path.join(dir, 'feeder');
  }

  static async start(dir: string): Promise<SocatPair> {
    const pair = new SocatPair(dir);
    await pair.plug();
    return pair;
  }

  /** Starts socat (again) with the same link names. */
  async plug(): Promise<void> {
    if (this.#process) throw new Error('socat is already running');
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.scannerPath}`, `pty,raw,echo=0,link=${this.feederPath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.resume();
    this.#process = child;
    await waitUntil(() => fs.existsSync(this.scannerPath) && fs.existsSync(this.feederPath), 'socat to create its pty links');
  }

  /** Kills socat: the scanner's pty goes away as if the USB cable were pulled. */
  async unplug(): Promise<void> {
    const child = this.#process;
    if (!child) return;
    this.#closeFeeder();
    this.#process = null;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
    // socat removes its links on exit; make sure, so a replug is a fresh pty at the same path.
    fs.rmSync(this.scannerPath, { force: true });
    fs.rmSync(this.feederPath, { force: true });
  }

  /**
   * Kills socat synchronously (call it from inside the scanner's data callback): no read is waiting on the
   * port while the kernel hangs its tty up, the case where reads return 0 bytes forever instead of an error.
   * Returns a promise that settles once socat has exited.
   */
  hangUpNow(): Promise<void> {
    const child = this.#process;
    if (!child) return Promise.resolve();
    this.#closeFeeder();
    this.#process = null;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.kill('SIGTERM');
    const deadline = Date.now() + 5000;
    while (fs.existsSync(this.scannerPath) && Date.now() < deadline) {
      // Busy on purpose: no callback may run until socat is gone.
    }
    const settle = Date.now() + 200;
    while (Date.now() < settle) {
      // Let the kernel finish the hang-up.
    }
    return exited.then(() => {
      fs.rmSync(this.scannerPath, { force: true });
      fs.rmSync(this.feederPath, { force: true });
    });
  }

  write(bytes: Uint8Array | string): void {
    this.#feeder ??= fs.openSync(this.feederPath, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
    let offset = 0;
    while (offset < buffer.length) offset += fs.writeSync(this.#feeder, buffer, offset, buffer.length - offset);
  }

  /** Writes in the given chunk sizes (cycled), pausing between chunks so they reach the port separately. */
  async writeInChunks(bytes: string, sizes: readonly number[], pauseMs = 3): Promise<void> {
    let at = 0;
    let i = 0;
    while (at < bytes.length) {
      const size = sizes[i % sizes.length] ?? 1;
      this.write(bytes.slice(at, at + size));
      at += size;
      i += 1;
      await sleep(pauseMs);
    }
  }

  /**
   * What the app wrote to the scanner's port, as the scanner would receive it: reads the feeder end
   * until `count` bytes arrived (generous timeout, no timing asserted).
   */
  async readWritten(count: number, timeoutMs = 10_000): Promise<Buffer> {
    const fd = fs.openSync(this.feederPath, fs.constants.O_RDONLY | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
    const chunks: Buffer[] = [];
    let total = 0;
    const deadline = Date.now() + timeoutMs;
    try {
      while (total < count) {
        const buffer = Buffer.alloc(256);
        let n = 0;
        try {
          n = fs.readSync(fd, buffer, 0, buffer.length, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        }
        if (n > 0) {
          chunks.push(buffer.subarray(0, n));
          total += n;
          continue;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} bytes written to the scanner (got ${total})`);
        await sleep(10);
      }
    } finally {
      fs.closeSync(fd);
    }
    return Buffer.concat(chunks);
  }

  async stop(): Promise<void> {
    await this.unplug();
  }

  #closeFeeder(): void {
    if (this.#feeder !== null) fs.closeSync(this.#feeder);
    this.#feeder = null;
  }
}
