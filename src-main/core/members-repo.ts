import type { Database, Statement } from 'better-sqlite3';
import type { Member } from '../../src-shared/api/contract';

export type MemberRow = { member_id: string; phone: string; name: string | null; balance: number; enrolled_at: string; has_pin: number };

export const toMember = (row: MemberRow): Member => ({
  memberId: row.member_id,
  phone: row.phone,
  name: row.name,
  balance: row.balance,
  enrolledAt: row.enrolled_at,
  hasCustomerPin: row.has_pin === 1,
});

export const MEMBER_COLUMNS = 'member_id, phone, name, balance, enrolled_at, customer_pin_hash IS NOT NULL AS has_pin';

/** Prepared statements over `members`; callers own the transaction. */
export class MembersRepo {
  readonly #byPhone: Statement<[string], MemberRow>;
  readonly #byId: Statement<{ id: string }, MemberRow>;
  readonly #insert: Statement<[string, string, string | null, string]>;

  constructor(private readonly db: Database) {
    this.#byPhone = db.prepare(`SELECT ${MEMBER_COLUMNS} FROM members WHERE phone = ?`);
    // An id merged into another member (sync) opens the surviving member.
    this.#byId = db.prepare(`SELECT ${MEMBER_COLUMNS} FROM members WHERE member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = @id), @id)`);
    this.#insert = db.prepare('INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES (?, ?, ?, 0, ?)');
  }

  byPhone(e164: string): Member | null {
    const row = this.#byPhone.get(e164);
    return row ? toMember(row) : null;
  }

  byId(memberId: string): Member | null {
    const row = this.#byId.get({ id: memberId });
    return row ? toMember(row) : null;
  }

  insert(memberId: string, e164: string, name: string | null, enrolledAt: string): void {
    this.#insert.run(memberId, e164, name, enrolledAt);
  }

  // Linked cards (member_cards, migration 7). Prepared on first use so this repo still works on a
  // database opened with fewer migrations.
  #byCardToken: Statement<[string], MemberRow> | null = null;
  #byLoyaltyCard: Statement<[string], MemberRow> | null = null;

  /** The member a payment card is linked to, and the token it is linked under; `tokens` are its keyed tokens under every key version. */
  byCardToken(tokens: readonly string[]): { member: Member; token: string } | null {
    this.#byCardToken ??= this.db.prepare(
      `SELECT ${MEMBER_COLUMNS} FROM members WHERE member_id = (SELECT member_id FROM member_cards WHERE card_token = ?)`,
    );
    for (const token of tokens) {
      const row = this.#byCardToken.get(token);
      if (row) return { member: toMember(row), token };
    }
    return null;
  }

  /** The member a loyalty card number or digital card code is linked to (case-insensitive). */
  byLoyaltyCard(cardNumber: string): Member | null {
    this.#byLoyaltyCard ??= this.db.prepare(
      `SELECT ${MEMBER_COLUMNS} FROM members WHERE member_id = (SELECT member_id FROM member_cards WHERE card_number = ?)`,
    );
    const row = this.#byLoyaltyCard.get(cardNumber);
    return row ? toMember(row) : null;
  }
}
