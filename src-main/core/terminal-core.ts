// The terminal core: one SQLite writer, the handler map and the event stream. No Electron here:
// the Electron utility process and the browser host both wrap this.
import { randomUUID } from 'node:crypto';
import { api, isMethodName } from '../../src-shared/api/contract';
import { readSetting, writeSetting, loadStoreSettings, type StoreSettings } from './settings';
import { defaultRuleSet, type RuleSet } from '../../src-shared/program/rule-set';
import type { CoreContext } from './core-context';
import { ensureDataDir, openDatabase } from './db/open-database';
import { createDispatcher, type Dispatch, type Handlers } from './dispatch';
import { EventBus } from './event-bus';
import type { CallerContext } from './handlers/handler-types';
import { AccountsRepo } from './accounts-repo';
import { accountHandlers } from './handlers/accounts';
import { auditHandlers } from './handlers/audit';
import { Sessions } from './sessions';
import { CardKeys } from './card-keys';
import { createFileSecretStore, type SecretStore } from './secret-store';
import { memberHandlers } from './handlers/members';
import { saleHandlers } from './handlers/sales';
import { readTerminalStatus, terminalHandlers } from './handlers/terminal';
import { AuditLog } from './audit-log';
import { iterateEntries, LedgerWriter, sha256Hex } from './ledger-writer';
import { verifyChain } from '../../src-shared/ledger/entry';

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
};

export type TerminalCore = {
  readonly terminalId: string;
  readonly databaseFile: string;
  readonly backupFile: string | null;
  /** Lower level than `sessions`: trusts the caller it is given. Transports use `sessions`. */
  dispatch: Dispatch;
  sessions: Sessions;
  events: EventBus;
  context: CoreContext;
  close(): void;
};

const ownerCaller: CallerContext = { role: 'manager', userId: null };

export function createTerminalCore(options: TerminalCoreOptions): TerminalCore {
  const databaseFile = ensureDataDir(options.dataDir);
  const { db, backupFile } = openDatabase(databaseFile);
  try {
    let terminalId = readSetting(db, 'terminal_id');
    if (!terminalId) {
      terminalId = randomUUID();
      writeSetting(db, 'terminal_id', terminalId);
    }
    const settings = loadStoreSettings(db, options.store ?? {});
    const ruleSet: RuleSet = defaultRuleSet(settings.currency);
    const events = new EventBus();
    const audit = new AuditLog(db, terminalId);
    // Tampering with either chain is found here, at start, and reported in terminal.status.
    const integrity = {
      ledger: verifyChain(iterateEntries(db), sha256Hex),
      audit: audit.verify(),
    };
    if (integrity.ledger || integrity.audit) console.error('kasa: chain verification failed at start', JSON.stringify(integrity));
    const context: CoreContext = {
      db,
      terminalId,
      settings,
      ledger: new LedgerWriter(db, terminalId),
      events,
      activeRuleSet: () => ruleSet,
      now: options.now ?? (() => new Date().toISOString()),
      newId: randomUUID,
      cardKeys: new CardKeys(options.secrets ?? createFileSecretStore(options.dataDir)),
      audit,
      integrity,
    };
    const idleTimeoutSeconds = options.idleTimeoutSeconds ?? 300;
    const accounts = new AccountsRepo(db, audit, context.now, context.newId);
    const handlers: Handlers = {
      ...terminalHandlers(context),
      ...memberHandlers(context),
      ...saleHandlers(context),
      ...auditHandlers(context),
      ...accountHandlers(context, accounts, idleTimeoutSeconds),
    };
    const inner = createDispatcher(handlers, {
      checkResults: options.checkResults ?? false,
      audit: { db, log: audit, now: context.now },
    });

    // The status bar follows writes; coalesce bursts into one event.
    let statusTimer: NodeJS.Timeout | null = null;
    const scheduleStatus = () => {
      if (statusTimer) return;
      statusTimer = setTimeout(() => {
        statusTimer = null;
        if (db.open) events.emit('terminal.status', readTerminalStatus(context));
      }, 100);
      statusTimer.unref();
    };
    const dispatch: Dispatch = (method, params, caller) => {
      const result = inner(method, params, caller);
      if (result.ok && isMethodName(method) && api[method].mutates) scheduleStatus();
      return result;
    };

    return {
      terminalId,
      databaseFile,
      backupFile,
      dispatch,
      sessions: new Sessions(context, accounts, dispatch, idleTimeoutSeconds * 1000),
      events,
      context,
      close() {
        if (statusTimer) clearTimeout(statusTimer);
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

export { ownerCaller };
