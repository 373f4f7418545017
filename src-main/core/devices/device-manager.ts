// The terminal core's scanners and card readers: configured devices persisted in SQLite (table devices),
// opened at core start, re-opened when reconfigured, closed with the core. Each device reports status
// changes (`device.status`) and scans (`device.scan`, already interpreted: member or message, never a PAN).
// A missing, busy or misbehaving device is a status, never an exception in the core or a blocked call.
import type { Database } from 'better-sqlite3';
import {
  DeviceConfig,
  type ConfiguredDevice,
  type DeviceCandidate,
  type DeviceScan,
  type MethodResult,
  type ParsedArgs,
} from '../../../src-shared/api/contract';
import { because, KasaError } from '../../../src-shared/api/errors';
import { jsonOrNull } from '../../../src-shared/domain/json-or-null';
import { HID_POS_USAGE_PAGE } from '../../../src-shared/devices';
import { CARD_LINKED_ACTION } from '../../../src-shared/sync/protocol';
import type { AuditLog } from '../audit-log';
import { isChainToken, type CardKeys } from '../card-keys';
import type { EventBus } from '../event-bus';
import { CatalogueStore } from '../catalogue-store';
import { MembersRepo } from '../members-repo';
import { chainPaymentLink, MemberCardsRepo } from './member-cards';
import type { BackoffOptions, DeviceDriver, DeviceInput, DriverStatus } from './device-types';
import { HidScanner, nodeHidApi, type HidApi, type HidDeviceInfo } from './hid-scanner';
import { ScanInterpreter, type LastCardScan } from './scan-interpreter';
import { loadSerialPort, SerialScanner } from './serial-scanner';
import type { Logger } from '../logger';

/** What SerialPort.list() reports for one port (vendor and product ids are hex strings). */
export type SerialPortInfo = { path: string; manufacturer?: string | undefined; vendorId?: string | undefined; productId?: string | undefined };

export type DeviceManagerOptions = {
  backoff?: BackoffOptions;
  /** node-hid by default; a test double in tests. */
  hid?: HidApi;
  listSerialPorts?: () => Promise<SerialPortInfo[]>;
  /** How long the last card swipe can still be linked (default 5 minutes). */
  lastCardTtlMs?: number;
  /** Longest gap between reports of one multi-report HID POS barcode, ms. */
  hidPartialTimeoutMs?: number;
};

export type DeviceManagerDeps = {
  db: Database;
  /** A card linked under the terminal's own key, swiped once it has the chain's, is told to the server as a link. */
  audit: AuditLog;
  events: EventBus;
  cardKeys: CardKeys;
  now: () => string;
  newId: () => string;
  log: Logger;
};

/** Keyboard-wedge bursts handed over by the renderer (devices.keyboardScan) appear as this device. */
export const KEYBOARD_DEVICE_ID = 'keyboard';

type DeviceRow = { device_id: string; name: string; transport: string; enabled: number; config: string };
type Running = { key: string; name: string; driver: DeviceDriver | null; status: ConfiguredDevice['status'] };

// Vendors whose HID interfaces are worth naming in devices.list (hardware.md §1.4, §3.2).
const SCANNER_VENDORS: Record<number, string> = {
  0x0c2e: 'Honeywell',
  0x0536: 'Hand Held Products',
  0x05e0: 'Zebra',
  0x05f9: 'Datalogic',
  0x1eab: 'Newland',
  0x23d0: 'Youjie',
};
const MSR_VENDORS: Record<number, string> = { 0x0801: 'MagTek', 0x0acd: 'ID TECH' };
const HID_MSR_USAGE_PAGE = 0x8e;
const GENERIC_DESKTOP = 0x01;
const KEYBOARD_USAGE = 0x06;

function hidHint(d: HidDeviceInfo): string | null {
  if (d.usagePage === HID_POS_USAGE_PAGE) return 'HID POS barcode scanner (usage page 0x8C): configure as hid-pos';
  const msr = MSR_VENDORS[d.vendorId];
  if (d.usagePage === HID_MSR_USAGE_PAGE || (msr && d.usagePage !== GENERIC_DESKTOP)) return `${msr ?? 'HID'} card reader: configure as magtek-msr if it is a MagTek HID reader`;
  const vendor = SCANNER_VENDORS[d.vendorId] ?? msr;
  if (vendor && d.usagePage === GENERIC_DESKTOP && d.usage === KEYBOARD_USAGE) {
    return `${vendor} in keyboard mode: works as a keyboard wedge; program it to HID POS or USB-CDC for best results`;
  }
  return vendor ? `${vendor} device` : null;
}

function serialHint(p: SerialPortInfo): string | null {
  const vendorId = p.vendorId ? Number.parseInt(p.vendorId, 16) : Number.NaN;
  const vendor = SCANNER_VENDORS[vendorId] ?? MSR_VENDORS[vendorId];
  return vendor ? `${vendor} serial / USB-CDC device` : null;
}

const hexOrNull = (text: string | undefined): number | null => {
  const n = text ? Number.parseInt(text, 16) : Number.NaN;
  return Number.isInteger(n) ? n : null;
};

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 200);

export class DeviceManager {
  readonly #deps: DeviceManagerDeps;
  readonly #options: DeviceManagerOptions;
  readonly #interpreter: ScanInterpreter;
  readonly #cards: MemberCardsRepo;
  readonly #running = new Map<string, Running>();
  #chain: Promise<void> = Promise.resolve();
  #closed = false;
  #closing: Promise<void> | null = null;
  #candidates: DeviceCandidate[] = [];
  #listedAt: string | null = null;
  #listedAtMs = 0;
  #listError: string | null = null;
  #refreshing: Promise<void> | null = null;
  #lastCard: LastCardScan | null = null;

  constructor(deps: DeviceManagerDeps, options: DeviceManagerOptions = {}) {
    this.#deps = deps;
    this.#options = options;
    this.#cards = new MemberCardsRepo(deps.db);
    this.#interpreter = new ScanInterpreter({ members: new MembersRepo(deps.db), catalogue: new CatalogueStore(deps.db), cardKeys: deps.cardKeys, newId: deps.newId, now: deps.now });
  }

  /** Opens every enabled configured device; returns at once (opening is asynchronous). */
  start(): void {
    this.#reconcileSoon();
  }

  /** Resolves when pending (re)configuration has been applied: drivers created or closed. */
  settled(): Promise<void> {
    return this.#chain;
  }

  list(args: ParsedArgs<'devices.list'>): MethodResult<'devices.list'> {
    // Enumeration is asynchronous and costs a USB scan: it runs in the background, the call answers at once.
    if (args.refresh === true || this.#listedAt === null || Date.now() - this.#listedAtMs > 2000) void this.refreshCandidates();
    return {
      candidates: this.#candidates,
      listedAt: this.#listedAt,
      refreshing: this.#refreshing !== null,
      listError: this.#listError,
      devices: this.#configured(),
    };
  }

  /** The configured devices' live status, without their configuration (any signed-in screen reads it). */
  health(): MethodResult<'devices.health'> {
    return { devices: this.#configured().map(({ deviceId, name, enabled, status }) => ({ deviceId, name, enabled, status })) };
  }

  /** Enumerates serial ports and HID devices; never rejects. */
  refreshCandidates(): Promise<void> {
    this.#refreshing ??= this.#enumerate().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /** Writes the configuration (inside the caller's transaction); the devices are reopened after it commits. */
  configure(args: ParsedArgs<'devices.configure'>): MethodResult<'devices.configure'> {
    const { db } = this.#deps;
    if ('remove' in args) {
      const removed = db.prepare('DELETE FROM devices WHERE device_id = ?').run(args.deviceId);
      if (removed.changes === 0) throw new KasaError('NOT_FOUND', `No device with id ${args.deviceId}`);
      this.#reconcileSoon();
      return { deviceId: args.deviceId, devices: this.#configured() };
    }
    if (args.deviceId === KEYBOARD_DEVICE_ID) throw new KasaError('VALIDATION', `"${KEYBOARD_DEVICE_ID}" is reserved for keyboard-wedge scans`);
    const deviceId = args.deviceId ?? this.#deps.newId();
    const config = args.config;
    const path = config.path;
    if (path !== undefined) {
      const clash = this.#rows().find((r) => r.device_id !== deviceId && (JSON.parse(r.config) as { path?: string }).path === path);
      if (clash) throw new KasaError('ALREADY_EXISTS', `${path} is already configured as "${clash.name}"`, because('device-path-taken', { path, device: clash.name }));
    }
    db.prepare(
      `INSERT INTO devices (device_id, name, transport, enabled, config, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET name = excluded.name, transport = excluded.transport, enabled = excluded.enabled,
         config = excluded.config, updated_at = excluded.updated_at`,
    ).run(deviceId, args.name, config.transport, args.enabled ? 1 : 0, JSON.stringify(config), this.#deps.now());
    this.#reconcileSoon();
    return { deviceId, devices: this.#configured() };
  }

  /** A keyboard-wedge burst from the renderer: interpreted and announced like any device scan. */
  keyboardScan(text: string): DeviceScan {
    return this.#handle(KEYBOARD_DEVICE_ID, { kind: 'text', data: text, symbology: null }) ?? this.#fallbackScan(KEYBOARD_DEVICE_ID);
  }

  /**
   * Makes a scanner beep: a HID POS scanner gets output report 4 with the Good-Read or Error Beep bit;
   * a serial scanner gets the command bytes of its configuration. Any refusal is a KasaError with a
   * message for the installer, never a crash.
   */
  async feedback(deviceId: string, kind: FeedbackKind): Promise<MethodResult<'devices.feedback'>> {
    if (deviceId === KEYBOARD_DEVICE_ID) throw new KasaError('VALIDATION', 'A keyboard-wedge scanner cannot be sent a beep: it is only a keyboard to this terminal', because('beep-keyboard'));
    const row = this.#rows().find((r) => r.device_id === deviceId);
    if (!row) throw new KasaError('NOT_FOUND', `No device with id ${deviceId}`);
    // Each refusal names the device and its reason, for the devices panel to say in its language.
    const device = row.name;
    const parsed = DeviceConfig.safeParse(jsonOrNull(row.config));
    if (!parsed.success) throw new KasaError('VALIDATION', `${device}: the stored configuration is not understood: configure the device again`, because('device-bad-config', { device }));
    const plan = feedbackPlan(parsed.data, kind);
    if ('refusal' in plan) throw new KasaError('VALIDATION', `${device}: ${plan.refusal}`, because(plan.reason, { device }));
    await this.settled();
    const running = this.#running.get(deviceId);
    const driver = running?.driver;
    if (!driver?.write || driver.status.state !== 'connected') {
      const status = running?.status.code ?? 'opening';
      throw new KasaError('UNAVAILABLE', `${device} is not connected (${running?.status.message ?? 'not opened'}): the beep was not sent`, because('device-not-connected', { device, status }));
    }
    try {
      await driver.write(plan.bytes);
    } catch (error) {
      this.#deps.log.warn('device.feedback-refused', { deviceId, kind, error: errorText(error) });
      throw new KasaError('UNAVAILABLE', `${device} refused the ${kind === 'good' ? 'good-read' : 'error'} beep: ${errorText(error)}`, because('beep-refused', { device }));
    }
    return { deviceId, kind, via: plan.via, bytes: plan.bytes.length };
  }

  /** The last payment card swiped on this terminal, for members.linkCard; its tokens only. */
  lastCardForLink(scanId: string | undefined): Extract<LastCardScan, { masked: false }> {
    const card = this.#lastCard;
    const ttl = this.#options.lastCardTtlMs ?? 5 * 60_000;
    if (!card || Date.parse(this.#deps.now()) - card.atMs > ttl) {
      throw new KasaError('NOT_FOUND', 'No card was swiped on this terminal in the last few minutes: swipe the card, then link it');
    }
    if (scanId !== undefined && card.scanId !== scanId) {
      throw new KasaError('NOT_FOUND', 'Another card was swiped since: link the card that was swiped last, or swipe this one again');
    }
    if (card.masked) throw new KasaError('VALIDATION', 'The last card came from an encrypting reader with a masked number: it cannot be linked');
    return card;
  }

  /** Stops every device; the core calls it on close. Safe to call twice. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#lastCard = null;
    const drivers = [...this.#running.values()].map((r) => r.driver).filter((d): d is DeviceDriver => d !== null);
    this.#running.clear();
    this.#closing = this.#chain.then(async () => {
      await Promise.all(drivers.map((d) => d.close().catch(() => undefined)));
    });
    return this.#closing;
  }

  #reconcileSoon(): void {
    // After the caller's transaction: a configuration that rolled back is never applied.
    this.#chain = this.#chain.then(
      () =>
        new Promise<void>((resolve) => {
          setImmediate(() => {
            this.#reconcile().then(resolve, (error: unknown) => {
              this.#deps.log.error('device.configure-failed', { error: errorText(error) });
              resolve();
            });
          });
        }),
    );
  }

  async #reconcile(): Promise<void> {
    if (this.#closed || !this.#deps.db.open) return;
    const rows = this.#rows();
    const wanted = new Map(rows.map((r) => [r.device_id, r]));
    for (const [deviceId, running] of [...this.#running]) {
      const row = wanted.get(deviceId);
      if (row && rowKey(row) === running.key) {
        running.name = row.name;
        continue;
      }
      this.#running.delete(deviceId);
      // Closed before its replacement opens: a serial port can be opened by one owner only.
      if (running.driver) await running.driver.close().catch(() => undefined);
    }
    for (const row of rows) {
      if (this.#closed) return;
      if (this.#running.has(row.device_id)) continue;
      const running: Running = { key: rowKey(row), name: row.name, driver: null, status: { state: 'disconnected', code: 'opening', message: 'opening', since: this.#deps.now() } };
      this.#running.set(row.device_id, running);
      const parsed = DeviceConfig.safeParse(jsonOrNull(row.config));
      if (row.enabled !== 1) {
        this.#setStatus(row.device_id, running, { state: 'disconnected', code: 'disabled', message: 'disabled' });
      } else if (!parsed.success) {
        this.#setStatus(row.device_id, running, { state: 'error', code: 'bad-config', message: 'the stored configuration is not understood: configure the device again' });
      } else {
        const driver = this.#createDriver(row.device_id, parsed.data);
        running.driver = driver;
        this.#setStatus(row.device_id, running, driver.status);
        driver.start();
      }
    }
  }

  #createDriver(deviceId: string, config: DeviceConfig): DeviceDriver {
    const listener = {
      status: (status: DriverStatus) => {
        const running = this.#running.get(deviceId);
        if (running && running.driver === driver && !this.#closed) this.#setStatus(deviceId, running, status);
      },
      input: (input: DeviceInput) => {
        const running = this.#running.get(deviceId);
        if (!running || running.driver !== driver) return;
        const scan = this.#handle(deviceId, input);
        if (scan && config.feedbackOnScan === true) this.#feedbackOnScan(deviceId, driver, config, scan);
      },
    };
    const backoff = this.#options.backoff;
    const driver: DeviceDriver =
      config.transport === 'serial'
        ? new SerialScanner(
            {
              path: config.path,
              baudRate: config.baudRate,
              terminator: config.terminator,
              interByteTimeoutMs: config.interByteTimeoutMs,
              prefix: config.prefix,
              suffix: config.suffix,
              ...(backoff ? { backoff } : {}),
            },
            listener,
          )
        : new HidScanner(
            {
              reader: config.reader,
              layout: config.layout,
              ...(config.path === undefined ? {} : { path: config.path }),
              ...(config.vendorId === undefined ? {} : { vendorId: config.vendorId }),
              ...(config.productId === undefined ? {} : { productId: config.productId }),
              ...(this.#options.hidPartialTimeoutMs === undefined ? {} : { partialTimeoutMs: this.#options.hidPartialTimeoutMs }),
              ...(backoff ? { backoff } : {}),
              hid: this.#options.hid ?? nodeHidApi,
            },
            listener,
          );
    return driver;
  }

  /** Interprets one input and announces it. Never throws: a device callback must not crash the process. */
  #handle(deviceId: string, input: DeviceInput): DeviceScan | null {
    if (this.#closed || !this.#deps.db.open) return null;
    let scan: DeviceScan;
    try {
      const { scan: interpreted, card } = this.#interpreter.interpret(deviceId, input);
      if (card) this.#lastCard = card;
      if (card && !card.masked) this.#shareOwnKeyCard(card);
      scan = interpreted;
    } catch (error) {
      // The message of a KasaError or SQLite error names no scanned data; the input itself is never logged.
      this.#deps.log.error('device.scan-failed', { deviceId, error: error instanceof Error ? error.message.slice(0, 200) : 'unknown error' });
      scan = this.#fallbackScan(deviceId);
    }
    this.#deps.events.emit('device.scan', scan);
    return scan;
  }

  /**
   * A card this terminal linked under its own key, before the server gave it the chain's: now that
   * the swipe made its chain token, it is kept under it and told to the server, so every store
   * finds it. Once per card (its row then holds the chain's token): the interpreter's lookup said
   * which token the card is linked under, so any other swipe costs nothing more.
   */
  #shareOwnKeyCard(card: Extract<LastCardScan, { masked: false }>): void {
    if (card.linkedToken === null || isChainToken(card.linkedToken) || card.chainTokens.length === 0) return;
    const row = this.#cards.byTokens([card.linkedToken]);
    if (!row) return;
    const { audit, db, now } = this.#deps;
    db.transaction(() => {
      const { shared } = chainPaymentLink(this.#cards, row, card);
      if (shared) audit.append({ userId: null, role: null, action: CARD_LINKED_ACTION, outcome: 'ok', details: shared }, now());
    })();
  }

  /** A good-read beep for a scan that found a member or product, an error beep otherwise; a refusal is only logged. */
  #feedbackOnScan(deviceId: string, driver: DeviceDriver, config: DeviceConfig, scan: DeviceScan): void {
    const kind: FeedbackKind = scan.member !== null || (scan.product ?? null) !== null ? 'good' : 'error';
    const plan = feedbackPlan(config, kind);
    if ('refusal' in plan || !driver.write) return;
    driver.write(plan.bytes).catch((error: unknown) => {
      this.#deps.log.warn('device.feedback-refused', { deviceId, kind, error: errorText(error) });
    });
  }

  #fallbackScan(deviceId: string): DeviceScan {
    const at = this.#deps.now();
    return { deviceId, scanId: this.#deps.newId(), kind: 'error', member: null, symbology: null, display: '', message: 'The scan could not be processed: try again', reason: 'not-processed', at };
  }

  #setStatus(deviceId: string, running: Running, status: DriverStatus): void {
    const at = this.#deps.now();
    const changed = running.status.state !== status.state || running.status.code !== status.code || running.status.message !== status.message;
    running.status = { state: status.state, code: status.code, message: status.message, since: at };
    if (changed) this.#deps.log[status.state === 'error' ? 'warn' : 'info']('device.status', { deviceId, name: running.name, state: status.state, code: status.code, message: status.message });
    this.#deps.events.emit('device.status', { deviceId, name: running.name, state: status.state, code: status.code, message: status.message, at });
  }

  #rows(): DeviceRow[] {
    return this.#deps.db.prepare<[], DeviceRow>('SELECT device_id, name, transport, enabled, config FROM devices ORDER BY name, device_id').all();
  }

  #configured(): ConfiguredDevice[] {
    const out: ConfiguredDevice[] = [];
    for (const row of this.#rows()) {
      const parsed = DeviceConfig.safeParse(jsonOrNull(row.config));
      if (!parsed.success) continue;
      const running = this.#running.get(row.device_id);
      const idle = row.enabled === 1 ? ('opening' as const) : ('disabled' as const);
      const current = running && running.key === rowKey(row) ? running.status : { state: 'disconnected' as const, code: idle, message: idle, since: this.#deps.now() };
      out.push({ deviceId: row.device_id, name: row.name, enabled: row.enabled === 1, config: parsed.data, status: current });
    }
    return out;
  }

  async #enumerate(): Promise<void> {
    const listSerial = this.#options.listSerialPorts ?? (async () => (await loadSerialPort()).SerialPort.list());
    const hid = this.#options.hid ?? nodeHidApi;
    const [serial, hidDevices] = await Promise.allSettled([listSerial(), hid.devicesAsync()]);
    const candidates: DeviceCandidate[] = [];
    const problems: string[] = [];
    if (serial.status === 'fulfilled') {
      for (const p of serial.value) {
        candidates.push({
          transport: 'serial',
          path: p.path,
          vendorId: hexOrNull(p.vendorId),
          productId: hexOrNull(p.productId),
          usagePage: null,
          usage: null,
          product: null,
          manufacturer: p.manufacturer ?? null,
          hint: serialHint(p),
        });
      }
    } else problems.push(`serial ports could not be listed: ${errorText(serial.reason)}`);
    if (hidDevices.status === 'fulfilled') {
      for (const d of hidDevices.value) {
        candidates.push({
          transport: 'hid',
          path: d.path ?? null,
          vendorId: d.vendorId,
          productId: d.productId,
          usagePage: d.usagePage ?? null,
          usage: d.usage ?? null,
          product: d.product ?? null,
          manufacturer: d.manufacturer ?? null,
          hint: hidHint(d),
        });
      }
    } else problems.push(`HID devices could not be listed: ${errorText(hidDevices.reason)}`);
    this.#candidates = candidates;
    this.#listError = problems.length > 0 ? problems.join('; ') : null;
    this.#listedAt = this.#deps.now();
    this.#listedAtMs = Date.now();
  }
}

export type FeedbackKind = 'good' | 'error';

// HID POS output report 4 (the Trigger Report, hardware.md §1.2): bit 5 Sound Error Beep, bit 6 Sound
// Good Read Beep, as a Honeywell HID POS report descriptor declares them.
const HID_POS_TRIGGER_REPORT = 0x04;
const HID_POS_BEEP_BITS: Record<FeedbackKind, number> = { good: 0x40, error: 0x20 };

type FeedbackPlan = { via: 'hid-output-report' | 'serial-command'; bytes: Uint8Array } | { refusal: string; reason: 'beep-unsupported' | 'beep-not-configured' };

/** The bytes that make this device beep, or why it cannot. */
export function feedbackPlan(config: DeviceConfig, kind: FeedbackKind): FeedbackPlan {
  if (config.transport === 'hid') {
    if (config.reader !== 'hid-pos') return { refusal: 'a HID card reader has no beep to drive', reason: 'beep-unsupported' };
    return { via: 'hid-output-report', bytes: Uint8Array.of(HID_POS_TRIGGER_REPORT, HID_POS_BEEP_BITS[kind]) };
  }
  const hex = config.feedbackCommands?.[kind];
  if (hex === undefined) {
    return {
      refusal: `no ${kind === 'good' ? 'good-read' : 'error'} feedback command is configured for this serial scanner (set feedbackCommands in its configuration; docs/devices.md lists known vendor commands)`,
      reason: 'beep-not-configured',
    };
  }
  return { via: 'serial-command', bytes: Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => Number.parseInt(b, 16)) };
}

// A rename keeps the device open; a change of configuration or of enabled reopens it.
const rowKey = (row: DeviceRow): string => `${row.enabled}\u0000${row.config}`;
