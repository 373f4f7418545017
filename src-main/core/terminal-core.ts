// The terminal core: one SQLite writer, the handler map and the event stream. No Electron here:
// the Electron utility process and the browser host both wrap this.
import { randomUUID } from 'node:crypto';
import { api, isMethodName } from '../../src-shared/api/contract';
import { readSetting, writeSetting, loadStoreSettings, type StoreSettings } from './settings';
import { RuleSetStore } from './rule-set-store';
import type { CoreContext } from './core-context';
import { lockDataDir, type DataDirLock } from './db/data-dir-lock';
import { ensureDataDir, openDatabase } from './db/open-database';
import { createDispatcher, type Dispatch, type DispatchAsync, type Handlers } from './dispatch';
import { EventBus } from './event-bus';
import type { CallerContext } from './handlers/handler-types';
import type { ApiResult } from '../../src-shared/api/result';
import { AccountsRepo } from './accounts-repo';
import { accountHandlers } from './handlers/accounts';
import { auditHandlers } from './handlers/audit';
import { Sessions } from './sessions';
import { CardKeys } from './card-keys';
import { CardPresence } from './card-presence';
import { createFileSecretStore, type SecretStore } from './secret-store';
import { memberHandlers } from './handlers/members';
import { adjustmentHandlers } from './handlers/adjustments';
import { saleHandlers } from './handlers/sales';
import { programmeHandlers } from './handlers/programme';
import { deviceHandlers } from './handlers/devices';
import { offerHandlers } from './handlers/offers';
import { catalogueHandlers } from './handlers/catalogue';
import { DeviceManager, type DeviceManagerOptions } from './devices/device-manager';
import { countMembers, readTerminalStatus, terminalHandlers } from './handlers/terminal';
import { AuditLog } from './audit-log';
import { syncHandlers } from './handlers/sync';
import { offlineSpendGuard } from './sync/offline-spend';
import { SyncClient, type SyncClientOptions } from './sync/sync-client';
import { selfTestHandlers } from './self-test';
import { setupHandlers } from './setup-wizard';
import { SaleActivity, type UpdateReadiness } from './update-policy';
import { diagnosticsHandlers } from './diagnostics';
import { createGroupCommit, GROUP_COMMITTED_METHODS } from './group-commit';
import { LATEST_SCHEMA_VERSION } from './db/migrations';
import { iterateEntries, LedgerWriter, sha256Hex } from './ledger-writer';
import { verifyChain } from '../../src-shared/ledger/entry';
import path from 'node:path';
import { createFileLogger, type Logger } from './logger';
import { startWalCheckpointer, type WalCheckpointerOptions } from './db/wal-checkpointer';

export type TerminalCoreOptions = {
  dataDir: string;
  store?: Partial<StoreSettings>;
  /** Validate every result against the contract too (tests). */
  checkResults?: boolean;
  now?: () => string;
  /** Sign a screen out after this long without activity (default 5 minutes). */
  idleTimeoutSeconds?: number;
  /** Where keys live; default: 0600 files under <dataDir>/secrets. The Electron app passes the keychain. */
  secrets?: SecretStore;
  /** Scanner and card-reader plumbing: reconnect backoff, a HID test double (tests). */
  devices?: DeviceManagerOptions;
  /** Sync timing (tests shorten it); `false` keeps the sync loop stopped (it can still be run on demand). */
  sync?: SyncClientOptions | false;
  /** The structured log; default: a rotated file log in <dataDir>/logs (Electron passes app.getPath('logs')). */
  log?: Logger;
  /** The app's version, for "Save diagnostics" (Electron: app.getVersion(); host: package.json). */
  appVersion?: string;
  /** WAL checkpoints on a worker thread (default); `false` leaves them inside commits, as SQLite does by default. */
  walCheckpointer?: WalCheckpointerOptions | false;
};

export type TerminalCore = {
  readonly terminalId: string;
  readonly databaseFile: string;
  readonly backupFile: string | null;
  /** Lower level than `sessions`: trusts the caller it is given. Transports use `sessions`. */
  dispatch: Dispatch;
  /** Every method, including those that wait on the network. */
  dispatchAsync: DispatchAsync;
  sessions: Sessions;
  events: EventBus;
  context: CoreContext;
  /** Configured scanners and readers; close() stops them too (await devices.close() to wait for the ports). */
  devices: DeviceManager;
  /** The sync loop with the central server (idle until the terminal is enrolled). */
  sync: SyncClient;
  /** Transactions group commit ran and the calls in them (calls per fsync = grouped / groups). */
  groupCommitStats(): { groups: number; grouped: number };
  /** Whether a sale is being built, how long since anyone used the terminal, when the day was closed (update-policy.ts). */
  updateReadiness(): UpdateReadiness;
  close(): void;
};

const ownerCaller: CallerContext = { role: 'manager', userId: null };

export function createTerminalCore(options: TerminalCoreOptions): TerminalCore {
  const databaseFile = ensureDataDir(options.dataDir);
  const log = options.log ?? createFileLogger({ dir: path.join(options.dataDir, 'logs') });
  let opened: ReturnType<typeof openDatabase>;
  let folder: DataDirLock | null = null;
  try {
    folder = lockDataDir(options.dataDir);
    opened = openDatabase(databaseFile);
  } catch (error) {
    folder?.release();
    log.error('core.database-open-failed', { file: databaseFile, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  const dataDirLock = folder;
  const { db, backupFile, migratedFrom } = opened;
  try {
    let terminalId = readSetting(db, 'terminal_id');
    if (!terminalId) {
      terminalId = randomUUID();
      writeSetting(db, 'terminal_id', terminalId);
    }
    log.info('core.started', { terminalId, schemaVersion: LATEST_SCHEMA_VERSION, ...(backupFile ? { migratedFrom, backupFile } : {}) });
    const settings = loadStoreSettings(db, options.store ?? {});
    // Installed rule sets by version; the default (1 point per currency unit) until one is installed.
    const ruleSets = new RuleSetStore(db, () => context.settings.currency);
    const events = new EventBus(log);
    const secrets = options.secrets ?? createFileSecretStore(options.dataDir);
    const audit = new AuditLog(db, terminalId);
    // Tampering with either chain is found here, at start, and reported in terminal.status.
    const integrity = {
      ledger: verifyChain(iterateEntries(db), sha256Hex),
      audit: audit.verify(),
    };
    if (integrity.ledger || integrity.audit) log.error('core.chain-verification-failed', { ledger: integrity.ledger, audit: integrity.audit });
    const context: CoreContext = {
      db,
      terminalId,
      settings,
      ledger: new LedgerWriter(db, terminalId),
      events,
      activeRuleSet: () => ruleSets.activeAt(context.now()).ruleSet,
      ruleSets,
      now: options.now ?? (() => new Date().toISOString()),
      newId: randomUUID,
      cardKeys: new CardKeys(secrets),
      cardPresence: new CardPresence(() => context.now()),
      audit,
      log,
      integrity,
      // Replaced below once the sync client exists (it needs this context first).
      spendGuard: () => undefined,
    };
    // A wrong clock at boot (a flat CMOS battery) changes no order: entries are ordered by seq and
    // keep the device time they were written at; the server flags the skew. Said once in the log.
    const lastEntryAt = db.prepare<[], { at: string | null }>('SELECT device_time AS at FROM ledger ORDER BY seq DESC LIMIT 1').get()?.at ?? null;
    if (lastEntryAt && Date.parse(context.now()) < Date.parse(lastEntryAt)) log.warn('core.clock-behind', { now: context.now(), lastEntryAt });
    const idleTimeoutSeconds = options.idleTimeoutSeconds ?? 300;
    const accounts = new AccountsRepo(db, audit, context.now, context.newId);
    const sync = new SyncClient(context, secrets, options.sync || {});
    context.spendGuard = offlineSpendGuard(context, sync);
    const devices = new DeviceManager({ db, events, audit: context.audit, cardKeys: context.cardKeys, now: context.now, newId: context.newId, log }, options.devices);
    const handlers: Handlers = {
      ...terminalHandlers(context),
      ...memberHandlers(context),
      ...adjustmentHandlers(context),
      ...saleHandlers(context),
      ...programmeHandlers(context),
      ...auditHandlers(context),
      ...accountHandlers(context, accounts, idleTimeoutSeconds),
      ...deviceHandlers(devices)(context),
      ...offerHandlers(context),
      ...catalogueHandlers(context),
      ...syncHandlers(context, sync),
      ...selfTestHandlers(options.dataDir),
      ...setupHandlers(context, accounts, sync),
      ...diagnosticsHandlers(context, devices, sync, { dataDir: options.dataDir, appVersion: options.appVersion ?? null }),
    };
    const { dispatch: inner, dispatchAsync: innerAsync } = createDispatcher(handlers, {
      checkResults: options.checkResults ?? false,
      audit: { db, log: audit, now: context.now },
      log,
      beforeFirstManager: () => accounts.count() === 0,
    });

    // The status bar follows writes; coalesce bursts into one event. Its member count may be up to
    // 10 s old: counting a million members every 100 ms while selling took a tenth of the core's
    // time (terminal.status itself always counts).
    let statusTimer: NodeJS.Timeout | null = null;
    let memberCount = { n: 0, atMs: Number.NEGATIVE_INFINITY };
    const recentMemberCount = () => {
      if (Date.now() - memberCount.atMs >= 10_000) memberCount = { n: countMembers(context), atMs: Date.now() };
      return memberCount.n;
    };
    const scheduleStatus = () => {
      if (statusTimer) return;
      statusTimer = setTimeout(() => {
        statusTimer = null;
        if (db.open) events.emit('terminal.status', readTerminalStatus(context, recentMemberCount()));
      }, 100);
      statusTimer.unref();
    };
    const activity = new SaleActivity();
    // After every call, whichever way it came: a write refreshes the status bar and starts a push soon.
    const afterCall = (method: string, result: ApiResult<unknown>, caller: CallerContext): ApiResult<unknown> => {
      activity.observe(method, result.ok, caller.session?.id ?? null);
      if (result.ok && isMethodName(method) && api[method].mutates) {
        scheduleStatus();
        sync.poke();
      }
      return result;
    };
    const dispatch: Dispatch = (method, params, caller) => afterCall(method, inner(method, params, caller), caller);
    // Sales completed through dispatchAsync while others wait share one transaction (group-commit.ts).
    const groupCommit = createGroupCommit(db, events, log);
    const dispatchAsync: DispatchAsync = async (method, params, caller) =>
      afterCall(
        method,
        GROUP_COMMITTED_METHODS.has(method) ? await groupCommit.run(method, () => inner(method, params, caller)) : await innerAsync(method, params, caller),
        caller,
      );

    // Scans that identify a member by card count as "card present" for the sale being rung up.
    context.cardPresence.follow(events);
    if (options.sync !== false) sync.start();
    // Configured devices open in the background; a missing one is a status, not a failed start.
    devices.start();
    // Started last: nothing above can fail and leave the worker running.
    const checkpointer = options.walCheckpointer === false ? null : startWalCheckpointer(db, log, options.walCheckpointer ?? {});
    return {
      terminalId,
      databaseFile,
      backupFile,
      dispatch,
      dispatchAsync,
      sessions: new Sessions(context, accounts, dispatch, dispatchAsync, idleTimeoutSeconds * 1000),
      events,
      context,
      devices,
      sync,
      updateReadiness: () => activity.readiness(),
      groupCommitStats: groupCommit.stats,
      close() {
        sync.stop();
        void devices.close();
        if (statusTimer) clearTimeout(statusTimer);
        checkpointer?.stop();
        if (db.open) db.close();
        dataDirLock.release();
      },
    };
  } catch (error) {
    db.close();
    dataDirLock.release();
    throw error;
  }
}

export { ownerCaller };
