// A serial / USB-CDC barcode scanner (or keyboard-format card reader on a serial port) over `serialport`.
// It frames the byte stream with LineFramer, reports status changes, and reopens by itself after an unplug
// with capped exponential backoff. Nothing here throws into the core or blocks it; bytes are never logged.
import type { SerialPort } from 'serialport';
import { DEFAULT_MAX_LINE_BYTES, LineFramer, type FramerEvent, type LineTerminator } from '../../../src-shared/devices';
import { Backoff, describeOpenError, withTimeout, WRITE_TIMEOUT_MS, type BackoffOptions, type DeviceDriver, type DriverListener, type DriverStatus } from './device-types';

export type SerialScannerOptions = {
  path: string;
  baudRate: number;
  terminator: LineTerminator;
  /** 'timeout' framing: a scan ends after this much silence. */
  interByteTimeoutMs: number;
  prefix?: string;
  suffix?: string;
  maxLineBytes?: number;
  /** Other framings: a partial line older than this is dropped as noise, so a lost terminator cannot eat the next scan. */
  staleLineMs?: number;
  /** How often an open port is checked for a hang-up (default 1000 ms). */
  healthCheckMs?: number;
  backoff?: BackoffOptions;
};

type SerialModule = typeof import('serialport');

// Loaded on first use: a broken native binding becomes a device status, not a core that cannot start.
let serialModule: Promise<SerialModule> | null = null;
export const loadSerialPort = (): Promise<SerialModule> => {
  serialModule ??= import('serialport');
  return serialModule;
};

export class SerialScanner implements DeviceDriver {
  readonly #options: SerialScannerOptions;
  readonly #listener: DriverListener;
  readonly #framer: LineFramer;
  readonly #backoff: Backoff;
  #port: SerialPort | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #idleTimer: NodeJS.Timeout | null = null;
  #healthTimer: NodeJS.Timeout | null = null;
  #closed = false;
  #opening = false;
  #status: DriverStatus;
  /** A LINE_TOO_LONG error waiting for the framer to finish dropping that line. */
  #overflow: string | null = null;

  constructor(options: SerialScannerOptions, listener: DriverListener) {
    this.#options = options;
    this.#listener = listener;
    this.#framer = new LineFramer({
      terminator: options.terminator,
      prefix: options.prefix ?? '',
      suffix: options.suffix ?? '',
      ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
    });
    this.#backoff = new Backoff(options.backoff);
    this.#status = { state: 'disconnected', code: 'opening', message: `opening ${options.path}` };
  }

  get status(): DriverStatus {
    return this.#status;
  }

  start(): void {
    void this.#open();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimers();
    const port = this.#port;
    this.#port = null;
    if (port) await closePort(port);
    this.#setStatus({ state: 'disconnected', code: 'closed', message: 'closed' });
  }

  /** Sends command bytes to the scanner (a beep); resolves once the OS has taken them. */
  write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port || !port.isOpen) return Promise.reject(new Error(`serial port ${this.#options.path} is not open (${this.#status.message})`));
    const written = new Promise<void>((resolve, reject) => {
      try {
        port.write(Buffer.from(bytes), (error) => {
          if (error) reject(error);
          else port.drain((drainError) => (drainError ? reject(drainError) : resolve()));
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    return withTimeout(written, WRITE_TIMEOUT_MS, `serial port ${this.#options.path}`);
  }

  async #open(): Promise<void> {
    if (this.#closed || this.#opening || this.#port) return;
    this.#opening = true;
    let port: SerialPort;
    try {
      const { SerialPort: Port } = await loadSerialPort();
      if (this.#closed) return;
      port = new Port({ path: this.#options.path, baudRate: this.#options.baudRate, autoOpen: false });
    } catch (error) {
      this.#opening = false;
      this.#setStatus({ state: 'error', code: 'cannot-open', message: `serial port ${this.#options.path} cannot be used: ${errorText(error)}` });
      this.#scheduleRetry();
      return;
    }
    port.on('data', (chunk: Buffer) => this.#onData(port, chunk));
    port.on('close', (error?: { disconnected?: boolean } | null) => this.#onClose(port, error ?? null));
    port.on('error', (error: Error) => this.#onError(port, error));
    port.open((error) => {
      this.#opening = false;
      if (error) {
        port.removeAllListeners();
        // Stray events of a port that never opened must not crash the process.
        port.on('error', () => undefined);
        this.#setStatus(describeOpenError(`serial port ${this.#options.path}`, error));
        this.#scheduleRetry();
        return;
      }
      if (this.#closed) {
        void closePort(port);
        return;
      }
      this.#port = port;
      this.#backoff.reset();
      this.#framer.reset();
      this.#setStatus({ state: 'connected', code: 'open', message: `open at ${this.#options.path}` });
      this.#scheduleHealthCheck(port);
    });
  }

  /**
   * A tty that was hung up (USB unplug, pty master closed) while no read was waiting gives endless 0-byte
   * reads, which serialport retries without ever reporting a close. Its ioctls fail with EIO, so the
   * modem-status query tells a hung-up port from a live one (ports without modem lines answer ENOTTY).
   */
  #scheduleHealthCheck(port: SerialPort): void {
    if (this.#healthTimer) clearTimeout(this.#healthTimer);
    this.#healthTimer = setTimeout(() => {
      this.#healthTimer = null;
      if (port !== this.#port) return;
      port.get((error) => {
        if (port !== this.#port) return;
        if (error && /input\/output error|EIO|ENXIO|no such device/i.test(error.message)) this.#lost(port, 'unplugged (hung up)');
        else this.#scheduleHealthCheck(port);
      });
    }, this.#options.healthCheckMs ?? 1000);
    this.#healthTimer.unref();
  }

  #onData(port: SerialPort, chunk: Buffer): void {
    if (port !== this.#port) return;
    this.#emit(this.#framer.push(chunk));
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    const delay = this.#options.terminator === 'timeout' ? this.#options.interByteTimeoutMs : (this.#options.staleLineMs ?? 1000);
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (port === this.#port) this.#emit(this.#framer.flush(), true);
    }, delay);
    this.#idleTimer.unref();
  }

  #onClose(port: SerialPort, error: { disconnected?: boolean } | null): void {
    if (port !== this.#port) return;
    this.#lost(port, error?.disconnected ? 'unplugged' : 'closed by the system');
  }

  #onError(port: SerialPort, error: Error): void {
    if (port !== this.#port) return;
    if (port.isOpen) {
      this.#setStatus({ state: 'error', code: 'read-failed', message: `serial port ${this.#options.path}: ${errorText(error)}` });
      return;
    }
    this.#lost(port, errorText(error));
  }

  #lost(port: SerialPort, why: string): void {
    this.#port = null;
    port.removeAllListeners();
    port.on('error', () => undefined);
    if (port.isOpen) void closePort(port);
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    if (this.#healthTimer) clearTimeout(this.#healthTimer);
    this.#idleTimer = null;
    this.#healthTimer = null;
    // A scan cut by the unplug is incomplete: drop it rather than join it to the next one.
    this.#framer.reset();
    this.#reportOverflow();
    this.#setStatus({ state: 'disconnected', code: 'unplugged', message: `serial port ${this.#options.path} ${why}; reconnecting` });
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#open();
    }, this.#backoff.next());
    this.#retryTimer.unref();
  }

  #emit(events: FramerEvent[], idle = false): void {
    for (const event of events) {
      if (event.kind === 'error') {
        // Reported once the framer has dropped the whole line (at its line end or after silence), so a scan
        // written after this error is read whole.
        const max = this.#options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
        this.#overflow = `a line longer than ${max} bytes came without a terminator and was dropped (check the scanner's suffix and the framing setting)`;
        continue;
      }
      this.#reportOverflow();
      if (event.kind === 'scan') this.#listener.input({ kind: 'text', data: event.data, symbology: event.symbology });
      else this.#listener.input({ kind: 'error', reason: 'line-noise', message: `ignored ${event.bytes} bytes of unreadable input (line noise, or a wrong baud rate)` });
    }
    if (idle) this.#reportOverflow();
  }

  #reportOverflow(): void {
    if (this.#overflow === null) return;
    const message = this.#overflow;
    this.#overflow = null;
    this.#listener.input({ kind: 'error', reason: 'no-line-end', message });
  }

  #setStatus(status: DriverStatus): void {
    if (status.state === this.#status.state && status.message === this.#status.message) return;
    this.#status = status;
    this.#listener.status(status);
  }

  #clearTimers(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    if (this.#healthTimer) clearTimeout(this.#healthTimer);
    this.#retryTimer = null;
    this.#idleTimer = null;
    this.#healthTimer = null;
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 200);

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}
