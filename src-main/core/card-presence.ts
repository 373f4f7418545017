// Card present (issue 7): which members were identified at this terminal, in the sale being rung up,
// by a card rather than a typed phone number: a loyalty card or digital card scanned, or a linked
// payment card swiped or tapped. Fed by the core's own `device.scan` events (every scanner and reader,
// keyboard-wedge bursts included), never by API arguments; a completed sale ends "this sale".
import type { DeviceScan } from '../../src-shared/api/contract';
import type { EventBus } from './event-bus';

export type CardMethod = 'loyalty-card' | 'payment-card';

export type CardPresenceRecord = { memberId: string; method: CardMethod; scanId: string; deviceId: string; atMs: number };

/** How long a scan counts for the sale being rung up when no sale completes (an abandoned sale). */
export const CARD_PRESENCE_TTL_MS = 10 * 60_000;
/** Members remembered at most: a counter scanning card after card without selling stays bounded. */
export const CARD_PRESENCE_MAX_MEMBERS = 256;

export class CardPresence {
  readonly #byMember = new Map<string, CardPresenceRecord>();

  constructor(private readonly now: () => string) {}

  /** Starts following the scans announced on `events`; returns the unsubscribe function. */
  follow(events: EventBus): () => void {
    return events.subscribe((name, payload) => {
      if (name === 'device.scan') this.record(payload as DeviceScan);
    });
  }

  /** A scan that identified a member by a card counts; anything else (a product, an error) does not. */
  record(scan: DeviceScan): void {
    if (!scan.member) return;
    const method: CardMethod | null = scan.kind === 'barcode' ? 'loyalty-card' : scan.kind === 'card' ? 'payment-card' : null;
    if (!method) return;
    const atMs = Date.parse(this.now());
    this.#byMember.delete(scan.member.memberId);
    this.#byMember.set(scan.member.memberId, { memberId: scan.member.memberId, method, scanId: scan.scanId, deviceId: scan.deviceId, atMs });
    // Insertion order is scan order: the oldest scans go first.
    for (const [memberId, record] of this.#byMember) {
      if (this.#byMember.size <= CARD_PRESENCE_MAX_MEMBERS && atMs - record.atMs <= CARD_PRESENCE_TTL_MS) break;
      this.#byMember.delete(memberId);
    }
  }

  /** How many members are remembered now (for tests and diagnostics). */
  get size(): number {
    return this.#byMember.size;
  }

  /** The card that identified the member in this sale, or null (none, or older than the TTL). */
  current(memberId: string): CardPresenceRecord | null {
    const record = this.#byMember.get(memberId);
    if (!record) return null;
    const age = Date.parse(this.now()) - record.atMs;
    if (!(age >= 0 && age <= CARD_PRESENCE_TTL_MS)) {
      this.#byMember.delete(memberId);
      return null;
    }
    return record;
  }

  /** A sale completed at this terminal: the next sale needs its own scan. */
  clear(): void {
    this.#byMember.clear();
  }
}
