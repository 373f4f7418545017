import type { TerminalStatus } from '../../../src-shared/api/contract';
import type { CoreContext } from '../core-context';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import type { HandlerModule } from './handler-types';
import { loadStoreSettings, refusePlaceChangeAfterFirstSale } from '../settings';
import { readLedgerQueue } from '../sync/sync-store';

export const countMembers = (ctx: CoreContext): number => ctx.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM members').get()?.n ?? 0;

/** The terminal's status; `memberCount` is a recent count when the caller keeps one (counting a million members takes ~10 ms). */
export function readTerminalStatus(ctx: CoreContext, memberCount?: number): TerminalStatus {
  const { db, settings } = ctx;
  const queue = readLedgerQueue(db);
  const members = memberCount ?? countMembers(ctx);
  return {
    terminalId: ctx.terminalId,
    ...settings,
    schemaVersion: LATEST_SCHEMA_VERSION,
    ruleSetVersion: ctx.activeRuleSet().version,
    members,
    online: false,
    queuedEntries: queue.queued,
    oldestQueuedAt: queue.oldestQueuedAt,
    // Every ledger entry has its outbox row: the newest queued seq is the newest entry's.
    lastSeq: queue.newestSeq,
    integrity: ctx.integrity,
  };
}

export const terminalHandlers: HandlerModule<'terminal.status' | 'terminal.configure'> = (ctx) => ({
  'terminal.status': () => readTerminalStatus(ctx),
  'terminal.configure': (args) => {
    refusePlaceChangeAfterFirstSale(ctx.db, ctx.settings, args);
    ctx.settings = loadStoreSettings(ctx.db, args);
    return readTerminalStatus(ctx);
  },
});
