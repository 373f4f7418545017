// What every device driver reports to the device manager, and the reconnect backoff they share.
import type { DeviceStatusCode, ScanErrorCode } from '../../../src-shared/api/contract';
import type { MagstripeResult } from '../../../src-shared/devices';

export type DeviceState = 'connected' | 'disconnected' | 'error';

/** `code` for screens to say in their language; `message` the technical detail (port, system error). */
export type DriverStatus = { state: DeviceState; code: DeviceStatusCode; message: string };

/**
 * Input a driver decoded. `text` may be barcode data or keyboard-MSR track text: the manager decides,
 * and track text never goes further than the manager's interpretation (never logged, stored or emitted).
 */
export type DeviceInput =
  | { kind: 'text'; data: string; symbology: string | null }
  | { kind: 'magstripe'; result: MagstripeResult }
  | { kind: 'error'; reason: ScanErrorCode; message: string };

export type DriverListener = {
  status(status: DriverStatus): void;
  input(input: DeviceInput): void;
};

/** A running scanner or reader: opens itself, reconnects by itself, never throws into the core. */
export type DeviceDriver = {
  readonly status: DriverStatus;
  start(): void;
  close(): Promise<void>;
  /**
   * Writes bytes to the open device (a feedback command or output report). Rejects with a message a
   * person can act on when the device is not open, refuses the write or does not take it in time.
   */
  write?(bytes: Uint8Array): Promise<void>;
};

/** How long a device may take to accept a write before it counts as refused. */
export const WRITE_TIMEOUT_MS = 2000;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not accept the write within ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export type BackoffOptions = { initialMs?: number; maxMs?: number };

/** Capped exponential backoff: 250 ms doubling to 5 s by default; reset after a successful open. */
export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  #next: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = Math.max(1, options.initialMs ?? 250);
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? 5000);
    this.#next = this.initialMs;
  }

  next(): number {
    const delay = this.#next;
    this.#next = Math.min(this.maxMs, this.#next * 2);
    return delay;
  }

  reset(): void {
    this.#next = this.initialMs;
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Turns an open/read failure into a status a person can act on. Messages of the native modules name the
 * path and the OS error only, never data, so they are safe to show and log.
 */
export function describeOpenError(what: string, error: unknown): DriverStatus {
  const text = errorText(error);
  if (/ENOENT|no such file|not found|no hid devices|cannot open device with vendor/i.test(text)) {
    return { state: 'disconnected', code: 'not-found', message: `${what} is not connected (unplugged, or a wrong path); retrying` };
  }
  if (/EACCES|permission denied|operation not permitted/i.test(text)) {
    return {
      state: 'error',
      code: 'permission-denied',
      message: `${what}: permission denied. On Linux add the user to the dialout (serial) or plugdev (HID) group, or install the udev rules (docs/devices.md); retrying`,
    };
  }
  if (/EBUSY|lock|busy|resource temporarily unavailable/i.test(text)) {
    return { state: 'error', code: 'busy', message: `${what} is busy: another program has it open; retrying` };
  }
  return { state: 'error', code: 'cannot-open', message: `${what} cannot be opened: ${text.slice(0, 200)}; retrying` };
}
