import type { Database, Statement } from 'better-sqlite3';
import type { Member } from '../../src-shared/api/contract';

type MemberRow = { member_id: string; phone: string; name: string | null; balance: number; enrolled_at: string; has_pin: number };

const toMember = (row: MemberRow): Member => ({
  memberId: row.member_id,
  phone: row.phone,
  name: row.name,
  balance: row.balance,
  enrolledAt: row.enrolled_at,
  hasCustomerPin: row.has_pin === 1,
});

const COLUMNS = 'member_id, phone, name, balance, enrolled_at, customer_pin_hash IS NOT NULL AS has_pin';

/** Prepared statements over `members`; callers own the transaction. */
export class MembersRepo {
  readonly #byPhone: Statement<[string], MemberRow>;
  readonly #byId: Statement<[string], MemberRow>;
  readonly #insert: Statement<[string, string, string | null, string]>;

  constructor(db: Database) {
    this.#byPhone = db.prepare(`SELECT ${COLUMNS} FROM members WHERE phone = ?`);
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM members WHERE member_id = ?`);
    this.#insert = db.prepare('INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES (?, ?, ?, 0, ?)');
  }

  byPhone(e164: string): Member | null {
    const row = this.#byPhone.get(e164);
    return row ? toMember(row) : null;
  }

  byId(memberId: string): Member | null {
    const row = this.#byId.get(memberId);
    return row ? toMember(row) : null;
  }

  insert(memberId: string, e164: string, name: string | null, enrolledAt: string): void {
    this.#insert.run(memberId, e164, name, enrolledAt);
  }
}
