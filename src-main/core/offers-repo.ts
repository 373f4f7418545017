// Personalised offers on the terminal: stored as the server publishes them (the `offers` feed
// dataset), shown for a member, and used once. The use is written in the sale's own transaction,
// so no second sale here can use the offer, offline or after a restart; the earn entry carries it
// to the server, which flags a use of the same offer on another terminal.
import type { Database, Statement } from 'better-sqlite3';
import type { OfferView } from '../../src-shared/api/contract';
import { KasaError } from '../../src-shared/api/errors';
import { localTime, type Clock } from '../../src-shared/program/local-time';
import { OfferRecord, OfferTerms } from '../../src-shared/program/offers';

type OfferRow = {
  offer_id: string;
  member_id: string;
  type: OfferView['type'];
  terms: string;
  reason: string;
  valid_from: string;
  valid_until: string;
  server_status: string;
  used_sale_id: string | null;
};

/** The member and every id merged into them: an offer issued under either is theirs. */
const MEMBER_IDS = `(SELECT @memberId UNION ALL SELECT alias_id FROM member_aliases WHERE member_id = @memberId)`;

export class OffersRepo {
  readonly #upsert: Statement;
  readonly #forMember: Statement<{ memberId: string }, OfferRow>;
  readonly #byId: Statement<{ memberId: string; offerId: string }, OfferRow>;
  readonly #markUsed: Statement<{ offerId: string; saleId: string; at: string }>;
  readonly #resolve: Statement<[string], { member_id: string }>;

  constructor(db: Database) {
    // The server's state wins for everything but a use recorded here, which is never undone.
    this.#upsert = db.prepare(`INSERT INTO offers (offer_id, member_id, type, terms, reason, valid_from, valid_until, server_status, received_at)
      VALUES (@offerId, @memberId, @type, @terms, @reason, @validFrom, @validUntil, @status, @at)
      ON CONFLICT (offer_id) DO UPDATE SET member_id = excluded.member_id, type = excluded.type, terms = excluded.terms, reason = excluded.reason,
        valid_from = excluded.valid_from, valid_until = excluded.valid_until, server_status = excluded.server_status, received_at = excluded.received_at`);
    this.#forMember = db.prepare(`SELECT * FROM offers WHERE member_id IN ${MEMBER_IDS} ORDER BY valid_until, offer_id`);
    this.#byId = db.prepare(`SELECT * FROM offers WHERE offer_id = @offerId AND member_id IN ${MEMBER_IDS}`);
    this.#markUsed = db.prepare('UPDATE offers SET used_sale_id = @saleId, used_at = @at WHERE offer_id = @offerId AND used_sale_id IS NULL');
    this.#resolve = db.prepare('SELECT member_id FROM member_aliases WHERE alias_id = ?');
  }

  /** An `offers` change from the feed (or the snapshot header). Returns false for a payload it cannot read. */
  applyFromServer(payload: unknown, at: string): boolean {
    const parsed = OfferRecord.safeParse(payload);
    if (!parsed.success || parsed.data.terms.offerId !== parsed.data.offerId || parsed.data.validUntil < parsed.data.validFrom) return false;
    const o = parsed.data;
    this.#upsert.run({ offerId: o.offerId, memberId: o.memberId, type: o.type, terms: JSON.stringify(o.terms), reason: o.reason, validFrom: o.validFrom, validUntil: o.validUntil, status: o.status, at });
    return true;
  }

  #memberId(memberId: string): string {
    return this.#resolve.get(memberId)?.member_id ?? memberId;
  }

  /** Why an offer cannot be used today, or null when it can. */
  static #unusable(row: OfferRow, today: string): { code: 'NOT_FOUND' | 'ALREADY_EXISTS' | 'VALIDATION'; why: string } | null {
    if (row.used_sale_id !== null) return { code: 'ALREADY_EXISTS', why: `was already used (sale ${row.used_sale_id})` };
    if (row.server_status === 'redeemed') return { code: 'ALREADY_EXISTS', why: 'was already used at another till' };
    if (row.server_status === 'withdrawn') return { code: 'NOT_FOUND', why: 'was withdrawn by the programme' };
    if (row.server_status === 'expired' || row.valid_until < today) return { code: 'VALIDATION', why: `ended on ${row.valid_until}` };
    if (row.valid_from > today) return { code: 'VALIDATION', why: `starts on ${row.valid_from}` };
    return null;
  }

  /** The offers the member can use today, as the member panel shows them. */
  usable(memberId: string, clock: Clock): OfferView[] {
    const today = localTime(clock).date;
    return this.#forMember
      .all({ memberId: this.#memberId(memberId) })
      .filter((row) => OffersRepo.#unusable(row, today) === null)
      .map((row) => {
        const terms = OfferTerms.parse(JSON.parse(row.terms));
        return { offerId: row.offer_id, type: row.type, label: terms.label, reason: row.reason, validFrom: row.valid_from, validUntil: row.valid_until, terms };
      });
  }

  /** The terms of the offers a sale names: each the member's, unused and valid today, or a clear error. */
  termsFor(memberId: string | undefined, offerIds: readonly string[], clock: Clock): OfferTerms[] {
    if (memberId === undefined) throw new KasaError('VALIDATION', 'Offers apply only on a member sale');
    const today = localTime(clock).date;
    const id = this.#memberId(memberId);
    return offerIds.map((offerId) => {
      const row = this.#byId.get({ memberId: id, offerId });
      if (!row) throw new KasaError('NOT_FOUND', `No offer ${offerId} for this member`);
      const problem = OffersRepo.#unusable(row, today);
      if (problem) throw new KasaError(problem.code, `This offer ${problem.why}`, { offerId });
      return OfferTerms.parse(JSON.parse(row.terms));
    });
  }

  /** Records the use, inside the sale's transaction: a second use throws and rolls the sale back. */
  markUsed(offerIds: readonly string[], saleId: string, at: string): void {
    for (const offerId of offerIds) {
      if (this.#markUsed.run({ offerId, saleId, at }).changes !== 1) throw new KasaError('ALREADY_EXISTS', `This offer was already used`, { offerId });
    }
  }
}
