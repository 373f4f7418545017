// The sync protocol between terminals and the central server (HTTP + JSON under /v1).
// docs/sync-protocol.md explains each call; these schemas are what both sides validate.
import { z } from 'zod';
import { AuditEntry } from '../ledger/audit-entry';
import { LedgerEntry } from '../ledger/entry';
import { isTimeZone } from '../program/local-time';

export const PROTOCOL_VERSION = 1;
/** Caps a terminal respects and the server enforces. */
export const PUSH_MAX_ENTRIES = 1000;
export const PUSH_MAX_BYTES = 4 * 1024 * 1024;

export const EnrolRequest = z
  .object({
    code: z.string().trim().min(6).max(64),
    /** The id the terminal already uses in its ledger; the server keeps it if it is free. */
    terminalId: z.string().min(1).max(64).regex(/^[\w-]+$/),
    name: z.string().max(120).optional(),
  })
  .strict();
export type EnrolRequest = z.infer<typeof EnrolRequest>;

/** A version of the chain's card key: a whole number from 1 (as text, the ring's keys). */
const KeyVersion = z.string().regex(/^[1-9][0-9]{0,8}$/, 'a key version (1, 2, ...)');

/**
 * The chain's card key ring, as the server hands it to its terminals: each version's key (32
 * random bytes, base64) and the version new links use. Every terminal of the chain makes the same
 * token of a card with it, so a card linked at one store is known at every other. Older versions
 * stay in the ring after a rotation: cards linked under them are still found.
 */
export const CardKeyRing = z
  .object({
    current: z.number().int().min(1),
    keys: z.record(KeyVersion, z.string().regex(/^[A-Za-z0-9+/]{43}=$/, '32 bytes in base64')),
  })
  .refine((ring) => ring.keys[String(ring.current)] !== undefined, 'the ring holds a key for its current version');
export type CardKeyRing = z.infer<typeof CardKeyRing>;

/**
 * A payment card as the chain knows it: `c<version>:<HMAC-SHA-256 of the PAN under that version of
 * the chain's key, hex>`. A terminal's own key (before the chain gave it one) makes `v<N>:` tokens,
 * which never leave it.
 */
export const CHAIN_CARD_TOKEN = /^c[1-9][0-9]{0,8}:[0-9a-f]{64}$/;
const ChainCardToken = z.string().regex(CHAIN_CARD_TOKEN, 'a chain card token (c<version>:<64 hex digits>)');
const LoyaltyCardNumber = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'printable characters without spaces');
const Last4 = z.string().regex(/^\d{4}$/, 'four digits');
const Brand = z.string().min(1).max(32);
const CardId = z.string().min(1).max(64);

/**
 * A card linked to a member, as the server publishes it (in the members feed and the snapshot):
 * a payment card by its chain token (under the newest key version the server holds for it), a
 * loyalty card or digital card code by its printed number.
 */
export const SharedCard = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('payment'), cardId: CardId, token: ChainCardToken, brand: Brand, last4: Last4 }),
  z.object({ kind: z.literal('loyalty'), cardId: CardId, cardNumber: LoyaltyCardNumber }),
]);
export type SharedCard = z.infer<typeof SharedCard>;

/**
 * The audit record a terminal writes beside `members.linkCard` (same transaction), for the server:
 * the card as the chain knows it. A payment card comes under every chain key version the terminal
 * holds, so the server matches it with a link made before a rotation. A payment card linked while
 * the terminal had no chain key has no such record: its token is the terminal's own.
 */
export const CARD_LINKED_ACTION = 'card.linked';
export const CardLinkedDetails = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('payment'), memberId: z.string().min(1).max(64), cardId: CardId, tokens: z.array(ChainCardToken).min(1).max(64), brand: Brand, last4: Last4 }),
  z.object({ kind: z.literal('loyalty'), memberId: z.string().min(1).max(64), cardId: CardId, cardNumber: LoyaltyCardNumber }),
]);
export type CardLinkedDetails = z.infer<typeof CardLinkedDetails>;

export const EnrolResponse = z.object({
  terminalId: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  /** Bearer credential for every later call; shown once. */
  credential: z.string(),
  /** The chain's card key ring (absent when the server has none: cards are then known where they were linked). */
  cardKeys: CardKeyRing.optional(),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/**
 * Sales without a member never become ledger entries; a terminal counts them so the server can tell
 * what share of sales were identified. `fromSale`/`throughSale` are positions in the terminal's own
 * sales table: the server applies the counts only when `fromSale` is where it stopped last time.
 */
export const AnonymousSaleCounts = z
  .object({
    fromSale: z.number().int().min(0),
    throughSale: z.number().int().min(0),
    counts: z
      .array(
        z
          .object({
            day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date "YYYY-MM-DD"'),
            cashierId: z.string().max(64).nullable(),
            sales: z.number().int().min(1).max(1_000_000),
            totalMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict()
  .refine((a) => a.throughSale >= a.fromSale, 'throughSale is at or after fromSale');
export type AnonymousSaleCounts = z.infer<typeof AnonymousSaleCounts>;

export const PushRequest = z
  .object({
    protocolVersion: z.literal(PROTOCOL_VERSION),
    entries: z.array(LedgerEntry).max(PUSH_MAX_ENTRIES),
    audit: z.array(AuditEntry).max(PUSH_MAX_ENTRIES).default([]),
    /** The terminal's clock when it sent this push: the server compares it with its own. */
    sentAt: z.string().datetime({ offset: true }).optional(),
    anonymousSales: AnonymousSaleCounts.optional(),
    /** Ledger entries the terminal still has to push after this batch (its outbox depth), for the console. */
    queueDepth: z.number().int().min(0).max(1_000_000_000).optional(),
    /** The store's time zone (IANA): the server counts the entries' days in it, as the terminal's day report does. */
    timeZone: z.string().max(64).refine(isTimeZone, 'a time zone such as Europe/Istanbul').optional(),
  })
  .strict();
export type PushRequest = z.input<typeof PushRequest>;

export const ENTRY_STATUSES = ['stored', 'duplicate', 'fork', 'gap'] as const;
export const EXCEPTION_KINDS = ['negative-balance', 'earn-mismatch', 'clock-skew', 'chain-break', 'fork', 'duplicate-enrolment', 'unknown-member', 'adjust-invalid', 'offer-misuse'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export const PushResponse = z.object({
  /** Every entry up to and including this seq is stored on the server. */
  ackedThroughSeq: z.number().int(),
  auditAckedThroughSeq: z.number().int(),
  results: z.array(
    z.object({
      seq: z.number().int(),
      status: z.enum(ENTRY_STATUSES),
      exceptions: z.array(z.enum(EXCEPTION_KINDS)),
    }),
  ),
  serverTime: z.string(),
  /** How far the terminal's anonymous sale counts are taken in (absent from older servers). */
  anonymousSalesAckedThrough: z.number().int().optional(),
  /**
   * The balance of each member this push (or an earlier push of entries it repeats) credited, as
   * of its commit, with its version (absent from older servers). It counts every acknowledged
   * entry; a balance of a lower version heard later (the feed) is older and does not.
   */
  balances: z.array(z.object({ memberId: z.string(), balance: z.number().int(), version: z.number().int().nonnegative() })).optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;

/**
 * The feed's datasets. A `members` change's payload is `{memberId, phone, name}`, and `cards`
 * (SharedCard[]: every card linked to the member) when a link changed them: absent means the
 * change says nothing about cards.
 */
export const FEED_DATASETS = ['members', 'merges', 'balances', 'rule-sets', 'catalogue', 'rewards', 'offers'] as const;

export const Change = z.object({
  dataset: z.enum(FEED_DATASETS),
  key: z.string(),
  /** Absolute state (never a delta): applying a change twice is harmless. */
  payload: z.record(z.string(), z.unknown()),
});
export type Change = z.infer<typeof Change>;

export const PullResponse = z.union([
  z.object({
    mustRefetch: z.literal(false),
    changes: z.array(Change),
    cursor: z.string(),
    hasMore: z.boolean(),
    /** The chain card key ring's current version: a terminal holding an older one asks for the ring (GET /v1/terminals/card-keys). */
    cardKeyVersion: z.number().int().min(1).optional(),
  }),
  z.object({ mustRefetch: z.literal(true), reason: z.string() }),
]);
export type PullResponse = z.infer<typeof PullResponse>;

export const SnapshotMember = z.object({
  memberId: z.string(),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  balance: z.number().int(),
  /** The balance's version (see PushResponse.balances; absent from older servers). */
  version: z.number().int().nonnegative().optional(),
  /** The member's linked cards (absent from older servers, and for a member without any). */
  cards: z.array(SharedCard).optional(),
});
export type SnapshotMember = z.infer<typeof SnapshotMember>;

/** First line of the NDJSON snapshot stream: where the change feed continues after it. */
export const SnapshotHeader = z.object({
  cursor: z.string(),
  members: z.number().int(),
  /** The current programme documents (rule sets...), as changes: the feed after `cursor` holds only newer ones. */
  documents: z.array(Change).default([]),
});
export type SnapshotHeader = z.infer<typeof SnapshotHeader>;

/** A member's balance as the server knows it now (after merges: `memberId` is the survivor). */
export const MemberBalance = z.object({
  memberId: z.string(),
  balance: z.number().int(),
  at: z.string(),
  /** The balance's version (see PushResponse.balances; absent from older servers). */
  version: z.number().int().nonnegative().optional(),
});
export type MemberBalance = z.infer<typeof MemberBalance>;
