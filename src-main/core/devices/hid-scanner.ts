// A USB HID POS barcode scanner (usage page 0x8C) or a MagTek HID card reader, over node-hid's async API.
// node-hid has no hot-plug events: an `error` from a read is an unplug, and reopening is retried with capped
// backoff (an enumeration every few seconds at most, never a tight loop). Raw reports are never logged.
import {
  HID_POS_USAGE_PAGE,
  HidScanAssembler,
  msrTracksToString,
  parseMagstripe,
  parseMagtekHidReport,
  type HidAssemblerErrorCode,
  type HidPosLayout,
  type HidScanEvent,
} from '../../../src-shared/devices';
import type { ScanErrorCode } from '../../../src-shared/api/contract';
import { Backoff, describeOpenError, withTimeout, WRITE_TIMEOUT_MS, type BackoffOptions, type DeviceDriver, type DriverListener, type DriverStatus } from './device-types';

/** What node-hid's devicesAsync() reports for one HID interface. */
export type HidDeviceInfo = {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  product?: string | undefined;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
};

/** An open HID device: node-hid's HIDAsync, or a test double with the same shape. */
export type HidDeviceHandle = {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): Promise<void>;
  /** An output report; byte 0 is the report ID (node-hid: HIDAsync.write). Resolves with the bytes written. */
  write(data: number[]): Promise<number>;
};

/** The part of node-hid we use; injected in tests. */
export type HidApi = {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  open(target: string | { vendorId: number; productId: number }): Promise<HidDeviceHandle>;
};

type NodeHidModule = typeof import('node-hid');
let nodeHid: Promise<NodeHidModule> | null = null;
const loadNodeHid = (): Promise<NodeHidModule> => {
  nodeHid ??= import('node-hid');
  return nodeHid;
};

/** node-hid itself, loaded on first use so a missing libusb/hidraw backend is a device status, not a crash. */
export const nodeHidApi: HidApi = {
  async devicesAsync() {
    const hid = await loadNodeHid();
    return hid.devicesAsync();
  },
  async open(target) {
    const hid = await loadNodeHid();
    return typeof target === 'string' ? hid.HIDAsync.open(target) : hid.HIDAsync.open(target.vendorId, target.productId);
  },
};

export type HidReader = 'hid-pos' | 'magtek-msr';

export type HidScannerOptions = {
  reader: HidReader;
  vendorId?: number;
  productId?: number;
  path?: string;
  layout?: HidPosLayout;
  /** Longest gap between the reports of one multi-report barcode, ms (default 100). */
  partialTimeoutMs?: number;
  backoff?: BackoffOptions;
  hid?: HidApi;
  /** Monotonic clock for the assembler, ms. */
  clock?: () => number;
};

/** What the assembler's refusals mean to the person scanning. */
const HID_SCAN_ERRORS: Record<HidAssemblerErrorCode, ScanErrorCode> = {
  ZERO_LENGTH: 'report-not-understood',
  TRUNCATED: 'report-not-understood',
  BAD_LENGTH: 'report-not-understood',
  PARTIAL_TIMEOUT: 'partial-scan',
  PARTIAL_MISMATCH: 'partial-scan',
  SCAN_TOO_LONG: 'scan-too-long',
};

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

export function describeHidTarget(options: Pick<HidScannerOptions, 'vendorId' | 'productId' | 'path'>): string {
  if (options.path !== undefined) return `HID device ${options.path}`;
  return `HID device ${hex4(options.vendorId ?? 0)}:${hex4(options.productId ?? 0)}`;
}

class NotConnected extends Error {}

export class HidScanner implements DeviceDriver {
  readonly #options: HidScannerOptions;
  readonly #listener: DriverListener;
  readonly #hid: HidApi;
  readonly #backoff: Backoff;
  readonly #assembler: HidScanAssembler;
  readonly #clock: () => number;
  readonly #what: string;
  #device: HidDeviceHandle | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #partialTimer: NodeJS.Timeout | null = null;
  #closed = false;
  #opening = false;
  #status: DriverStatus;

  constructor(options: HidScannerOptions, listener: DriverListener) {
    this.#options = options;
    this.#listener = listener;
    this.#hid = options.hid ?? nodeHidApi;
    this.#backoff = new Backoff(options.backoff);
    this.#clock = options.clock ?? (() => performance.now());
    this.#assembler = new HidScanAssembler({ timeoutMs: options.partialTimeoutMs ?? 100, layout: options.layout ?? 'auto' });
    this.#what = describeHidTarget(options);
    this.#status = { state: 'disconnected', code: 'opening', message: `opening ${this.#what}` };
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
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#partialTimer) clearTimeout(this.#partialTimer);
    this.#retryTimer = null;
    this.#partialTimer = null;
    const device = this.#device;
    this.#device = null;
    if (device) await closeQuietly(device);
    this.#setStatus({ state: 'disconnected', code: 'closed', message: 'closed' });
  }

  /** Sends an output report (byte 0 is its report ID): a HID POS beep is report 4. */
  write(bytes: Uint8Array): Promise<void> {
    const device = this.#device;
    if (!device) return Promise.reject(new Error(`${this.#what} is not open (${this.#status.message})`));
    let written: Promise<number>;
    try {
      written = device.write([...bytes]);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return withTimeout(written, WRITE_TIMEOUT_MS, this.#what).then((count) => {
      // hidapi answers -1 (node-hid: a rejection) on failure; 0 bytes is a refusal too.
      if (typeof count === 'number' && count <= 0) throw new Error(`${this.#what} wrote ${count} bytes of the report`);
    });
  }

  async #open(): Promise<void> {
    if (this.#closed || this.#opening || this.#device) return;
    this.#opening = true;
    let device: HidDeviceHandle;
    try {
      device = await this.#hid.open(await this.#target());
    } catch (error) {
      this.#opening = false;
      if (this.#closed) return;
      this.#setStatus(error instanceof NotConnected ? { state: 'disconnected', code: 'not-found', message: error.message } : describeOpenError(this.#what, error));
      this.#scheduleRetry();
      return;
    }
    this.#opening = false;
    if (this.#closed) {
      await closeQuietly(device);
      return;
    }
    this.#device = device;
    device.on('error', (error) => this.#onError(device, error));
    // node-hid starts reading when the first data listener is added.
    device.on('data', (report) => this.#onReport(device, report));
    this.#backoff.reset();
    this.#assembler.reset();
    this.#setStatus({ state: 'connected', code: 'open', message: `open: ${this.#what}` });
  }

  /** A path when configured; otherwise the matching interface, preferring the HID POS one of a composite scanner. */
  async #target(): Promise<string | { vendorId: number; productId: number }> {
    const { path, vendorId, productId } = this.#options;
    if (path !== undefined) return path;
    if (vendorId === undefined || productId === undefined) throw new Error('no path and no vendorId/productId configured');
    const matches = (await this.#hid.devicesAsync()).filter((d) => d.vendorId === vendorId && d.productId === productId);
    if (matches.length === 0) throw new NotConnected(`${this.#what} is not connected (unplugged, or in another USB mode); retrying`);
    const preferred =
      this.#options.reader === 'hid-pos' ? (matches.find((d) => d.usagePage === HID_POS_USAGE_PAGE) ?? matches[0]) : matches[0];
    return preferred?.path ?? { vendorId, productId };
  }

  #onReport(device: HidDeviceHandle, report: Buffer): void {
    if (device !== this.#device) return;
    const bytes = new Uint8Array(report.buffer, report.byteOffset, report.length);
    if (this.#options.reader === 'magtek-msr') {
      const parsed = parseMagtekHidReport(bytes);
      if (!parsed.ok) {
        this.#listener.input({ kind: 'error', reason: 'report-not-understood', message: `card reader report not understood: ${parsed.message}` });
        return;
      }
      // Track text exists only for this call: it goes straight into the parser and is dropped.
      this.#listener.input({ kind: 'magstripe', result: parseMagstripe(msrTracksToString(parsed.report.tracks)) });
      return;
    }
    this.#deliver(this.#assembler.push(bytes, this.#clock()));
    if (this.#partialTimer) clearTimeout(this.#partialTimer);
    this.#partialTimer = null;
    if (this.#assembler.pending) {
      // A multi-report barcode whose next report never comes is dropped, not joined to the next barcode.
      this.#partialTimer = setTimeout(() => {
        this.#partialTimer = null;
        this.#deliver(this.#assembler.expire(this.#clock()));
      }, (this.#options.partialTimeoutMs ?? 100) + 20);
      this.#partialTimer.unref();
    }
  }

  #deliver(events: HidScanEvent[]): void {
    for (const event of events) {
      if (event.kind === 'scan') this.#listener.input({ kind: 'text', data: event.data, symbology: event.symbology });
      else this.#listener.input({ kind: 'error', reason: HID_SCAN_ERRORS[event.code], message: `scanner report not understood: ${event.message}` });
    }
  }

  #onError(device: HidDeviceHandle, error: Error): void {
    if (device !== this.#device) return;
    // node-hid has no close event: a failed read is how an unplug shows up.
    this.#device = null;
    device.removeAllListeners();
    device.on('error', () => undefined);
    void closeQuietly(device);
    this.#assembler.reset();
    this.#setStatus({ state: 'disconnected', code: 'unplugged', message: `${this.#what} stopped answering (${(error?.message ?? 'read failed').slice(0, 120)}); reconnecting` });
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

  #setStatus(status: DriverStatus): void {
    if (status.state === this.#status.state && status.message === this.#status.message) return;
    this.#status = status;
    this.#listener.status(status);
  }
}

async function closeQuietly(device: HidDeviceHandle): Promise<void> {
  try {
    await device.close();
  } catch {
    // Closing an unplugged device fails; it is gone either way.
  }
}
