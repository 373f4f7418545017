import type { Database, Statement } from 'better-sqlite3';
import { auditHashInput, verifyAuditChain, type AuditEntry } from '../../src-shared/ledger/audit-entry';
import { GENESIS_HASH } from '../../src-shared/ledger/entry';
import { sha256Hex } from './ledger-writer';

type AuditRow = {
  seq: number;
  terminal_id: string;
  at: string;
  user_id: string | null;
  role: string | null;
  action: string;
  outcome: AuditEntry['outcome'];
  details: string;
  prev_hash: string;
  hash: string;
};

export const auditRowToEntry = (r: AuditRow): AuditEntry => ({
  terminalId: r.terminal_id,
  seq: r.seq,
  at: r.at,
  userId: r.user_id,
  role: r.role,
  action: r.action,
  outcome: r.outcome,
  details: JSON.parse(r.details) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export type AuditRecord = Pick<AuditEntry, 'userId' | 'role' | 'action' | 'outcome' | 'details'>;

/**
 * Appends to the hash-chained audit log; call inside the transaction of the action it records.
 * Records reach the server by seq: a push sends those after sync_state.audit_acked_through_seq, and
 * the queue depth is the newest seq less that. No row per record is queued (migration 2's
 * audit_outbox was never read and cost two b-tree pages per audited call; migration 14 drops it).
 */
export class AuditLog {
  readonly #last: Statement<[], { seq: number; hash: string }>;
  readonly #insert: Statement;

  constructor(
    private readonly db: Database,
    private readonly terminalId: string,
  ) {
    this.#last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.#insert = db.prepare(`INSERT INTO audit_log (seq, terminal_id, at, user_id, role, action, outcome, details, prev_hash, hash)
      VALUES (@seq, @terminalId, @at, @userId, @role, @action, @outcome, @details, @prevHash, @hash)`);
  }

  append(record: AuditRecord, at: string): AuditEntry {
    const last = this.#last.get() ?? { seq: 0, hash: GENESIS_HASH };
    const unhashed = { ...record, terminalId: this.terminalId, seq: last.seq + 1, at, prevHash: last.hash };
    const entry: AuditEntry = { ...unhashed, hash: sha256Hex(auditHashInput(unhashed)) };
    this.#insert.run({ ...entry, details: JSON.stringify(entry.details) });
    return entry;
  }

  *iterate(): Generator<AuditEntry> {
    for (const row of this.db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate()) yield auditRowToEntry(row);
  }

  verify() {
    return verifyAuditChain(this.iterate(), sha256Hex);
  }
}

export type { AuditRow };
