// The terminal's side of sync and end of day, as API methods: enrolment with the central server,
// sync status and "sync now", and the day's loyalty report. Part of the one contract (contract.ts).
import { z } from 'zod';
import { EXCEPTION_KINDS } from '../sync/protocol';
import { SYNC_ERROR_CODES } from '../sync/sync-errors';
import { asyncMethod, method, NoArgs } from './method-spec';

export const SYNC_PHASES = ['not-enrolled', 'idle', 'pushing', 'pulling', 'loading-snapshot', 'waiting-to-retry', 'revoked', 'blocked'] as const;

export const SyncStatus = z.object({
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
  storeId: z.string().nullable(),
  storeName: z.string().nullable(),
  phase: z.enum(SYNC_PHASES),
  /** Whether the last request reached the server; null before the first try. */
  online: z.boolean().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  /**
   * The last failure since the last success: `code` for a screen to say in its own language
   * (src-shared/sync/sync-errors.ts), `message` the technical detail in English, for support.
   */
  lastError: z.object({ code: z.enum(SYNC_ERROR_CODES), message: z.string(), at: z.string() }).nullable(),
  /** Ledger entries the server has not acknowledged yet, and when the oldest was written. */
  queuedEntries: z.number().int(),
  oldestQueuedAt: z.string().nullable(),
  queuedAuditRecords: z.number().int(),
  ackedThroughSeq: z.number().int(),
  /** Entries the server stored but flagged (e.g. an over-drawn balance) for the owner to resolve. */
  flaggedEntries: z.number().int(),
  snapshot: z.object({ loaded: z.number().int(), total: z.number().int() }).nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/**
 * An https:// address with a host (plain http only for a server on this machine), with one reason
 * for a screen to say; the installer's config file takes the same rule, so a file that validates enrols.
 */
export const ServerUrl = z
  .string()
  .trim()
  .max(300)
  .refine((u) => /^https:\/\/(\[[\da-f:.]+\]|[\p{L}\p{N}.-]+)(:\d{1,5})?([/?#]\S*)?$/iu.test(u) || /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/\S*)?$/i.test(u), {
    message: 'a server address like https://kasa.example.com (plain http only for a server on this machine)',
    params: { reason: 'server-address' },
  });

const CountByKind = z.record(z.string(), z.number().int());

/** Why a day's entries have not all reached the server: not enrolled, revoked, blocked (someone must act), retrying after a failure, or waiting for the next sync. */
export const UNSYNCED_REASONS = ['not-enrolled', 'revoked', 'blocked', 'retrying', 'waiting'] as const;
export type UnsyncedReason = (typeof UNSYNCED_REASONS)[number];

export const DayReport = z.object({
  day: z.string(),
  timeZone: z.string(),
  storeName: z.string(),
  terminalId: z.string(),
  generatedAt: z.string(),
  /** `netMinor`: the day's sales less the money its refunds gave back (refunds of earlier days' sales too). */
  sales: z.object({ identified: z.number().int(), anonymous: z.number().int(), totalMinor: z.number().int(), identifiedTotalMinor: z.number().int(), netMinor: z.number().int() }),
  points: z.object({ issued: z.number().int(), redeemed: z.number().int(), byKind: CountByKind }),
  enrolments: z.number().int(),
  referrals: z.number().int(),
  donations: z.object({ count: z.number().int(), points: z.number().int() }),
  /** Refunds made today: how many, the money given back, and the points they moved (earned taken back, redeemed returned). */
  refunds: z.object({ count: z.number().int(), amountMinor: z.number().int(), points: z.number().int() }),
  /** Actions a manager approved with their PIN on someone's screen: `action` is the API method; names as at sign-in (null: no such account). */
  overrides: z.array(
    z.object({ at: z.string(), action: z.string(), userId: z.string().nullable(), userName: z.string().nullable(), approvedBy: z.string().nullable(), approvedByName: z.string().nullable() }),
  ),
  cashiers: z.array(
    z.object({ userId: z.string().nullable(), name: z.string().nullable(), sales: z.number().int(), identified: z.number().int(), pointsIssued: z.number().int(), pointsRedeemed: z.number().int(), enrolments: z.number().int() }),
  ),
  sync: z.object({
    everythingPushed: z.boolean(),
    queuedEntries: z.number().int(),
    oldestQueuedAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    /** The last failure's technical detail (English, for support), and its code. */
    lastError: z.string().nullable(),
    lastErrorCode: z.enum(SYNC_ERROR_CODES).nullable(),
    /** Why entries are still queued, in words a manager can act on, in the store's language. */
    reason: z.string().nullable(),
    /** The same as a code, for a screen that says it in its own language (null: nothing queued). */
    reasonCode: z.enum(UNSYNCED_REASONS).nullable(),
    exceptions: z.array(z.object({ seq: z.number().int(), kinds: z.array(z.enum(EXCEPTION_KINDS)), memberId: z.string(), points: z.number().int() })),
    /**
     * Entries the server flagged that were recorded on other days (store time zone), newest day
     * first: a flag arrives when the entry reaches the server, often a day later, and a wrong clock
     * dates entries on a day far away, so a report of one day would hide what the status bar counts.
     */
    flaggedOnOtherDays: z.array(z.object({ day: z.string(), count: z.number().int() })),
  }),
});
export type DayReport = z.infer<typeof DayReport>;

export const syncMethods = {
  'terminal.enrol': asyncMethod({
    args: z.object({ serverUrl: ServerUrl, code: z.string().trim().min(6).max(64), name: z.string().trim().max(120).optional() }).strict(),
    result: z.object({ terminalId: z.string(), storeId: z.string(), storeName: z.string(), serverUrl: z.string() }),
    role: 'manager',
    mutates: true,
    summary: 'Enrol this terminal with the central server using a one-time code from the programme owner.',
  }),
  'sync.status': method({
    args: NoArgs,
    result: SyncStatus,
    role: 'cashier',
    mutates: false,
    summary: 'Whether the server is reachable, when sync last succeeded, and what is still queued.',
  }),
  'sync.now': asyncMethod({
    args: z.object({ timeoutSeconds: z.number().int().min(1).max(600).default(60) }).strict().default({ timeoutSeconds: 60 }),
    result: SyncStatus,
    role: 'cashier',
    mutates: false,
    summary: 'Push and pull now, and answer when the attempt finished (or the timeout passed) with the status.',
  }),
  'members.confirmBalance': asyncMethod({
    args: z.object({ memberId: z.string().trim().min(1).max(64), timeoutMs: z.number().int().min(100).max(10_000).default(1_500) }).strict(),
    result: z.object({ confirmed: z.boolean(), memberId: z.string(), balance: z.number().int().nullable() }),
    role: 'cashier',
    mutates: false,
    summary: "Ask the server for the member's balance before points are spent; when it does not answer in time, the offline redemption policy applies.",
  }),
  'reports.day': method({
    args: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional() }).strict().default({}),
    result: DayReport,
    role: 'manager',
    mutates: false,
    summary: "The day's loyalty report for this terminal (store time zone), with what is still unsynced and why.",
  }),
} as const;

export const syncEvents = {
  'sync.status': SyncStatus,
} as const;
