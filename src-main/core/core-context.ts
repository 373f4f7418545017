import type { Database } from 'better-sqlite3';
import type { RuleSet } from '../../src-shared/program/rule-set';
import type { AuditLog } from './audit-log';
import type { CardKeys } from './card-keys';
import type { CardPresence } from './card-presence';
import type { EventBus } from './event-bus';
import type { LedgerWriter } from './ledger-writer';
import type { Logger } from './logger';
import type { RuleSetStore } from './rule-set-store';
import type { StoreSettings } from './settings';
import type { CallerContext } from './handlers/handler-types';

/** What every handler module gets: the one writer connection and the terminal's identity. */
export type CoreContext = {
  db: Database;
  terminalId: string;
  settings: StoreSettings;
  ledger: LedgerWriter;
  events: EventBus;
  activeRuleSet: () => RuleSet;
  /** Every installed rule set by version, and which is active when. */
  ruleSets: RuleSetStore;
  /** Injected so tests can travel in time; ISO 8601 with offset. */
  now: () => string;
  newId: () => string;
  audit: AuditLog;
  /** The terminal's structured log (logger.ts): member ids at most, never card data, PINs or phones. */
  log: Logger;
  /** Payment cards are known only by keyed tokens made with these keys. */
  cardKeys: CardKeys;
  /** Members a card identified in the sale being rung up (card-present redemption). */
  cardPresence: CardPresence;
  /**
   * Checks points about to be spent against what the server last confirmed (sync's offline
   * redemption policy). Set once the sync client exists; throws a KasaError to refuse.
   */
  spendGuard: (memberId: string, points: number, caller: CallerContext, ruleSet: RuleSet) => void;
  /** Chain breaks found at start; null when the chain verifies. The sync client refuses to push a broken chain. */
  integrity: { ledger: { seq: number; reason: string } | null; audit: { seq: number; reason: string } | null };
};
