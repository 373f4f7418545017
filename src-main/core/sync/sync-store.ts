// Sync state in the terminal's SQLite file: what the server acknowledged, where the feed
// continues, and applying what the server sends. Each method is one transaction, so a crash
// leaves either the old state or the new one, never a page applied without its cursor.
import type { Database, Statement } from 'better-sqlite3';
import type { AuditEntry } from '../../../src-shared/ledger/audit-entry';
import { CARD_LINKED_ACTION, PUSH_MAX_BYTES, PUSH_MAX_ENTRIES, SharedCard, type Change, type PushResponse, type SnapshotMember } from '../../../src-shared/sync/protocol';
import { entriesArrayJson } from '../../../src-shared/sync/push-body';
import { syncErrorCodeOf, type SyncErrorCode } from '../../../src-shared/sync/sync-errors';
import { auditRowToEntry, type AuditRow } from '../audit-log';
import { rowToEntryJson, type LedgerRow } from '../ledger-writer';
import { OffersRepo } from '../offers-repo';

export type SyncStateRow = {
  server_url: string;
  store_id: string;
  store_name: string;
  enrolled_at: string;
  revoked_at: string | null;
  acked_through_seq: number;
  audit_acked_through_seq: number;
  feed_cursor: string | null;
  last_success_at: string | null;
  last_attempt_at: string | null;
  last_error: string | null;
  /** NULL beside an error recorded before codes (migration 0019): it reads as 'other'. */
  last_error_code: string | null;
  last_error_at: string | null;
};

/** A failed attempt as the status shows it: its code for screens, its message for support. */
export type SyncFailure = { code: SyncErrorCode; message: string };

/** Keeps a server balance unless the one kept is newer (by version; a NULL version never wins or loses). */
const UPSERT_SERVER_BALANCE = `INSERT INTO server_balances (member_id, balance, acked_through_seq, updated_at, version) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (member_id) DO UPDATE SET balance = excluded.balance, acked_through_seq = excluded.acked_through_seq, updated_at = excluded.updated_at, version = excluded.version
  WHERE excluded.version IS NULL OR server_balances.version IS NULL OR excluded.version > server_balances.version`;

/** A member's balance as a push answer reported it, with that answer's acknowledgement. */
export type PushedBalance = { memberId: string; balance: number; version: number; ackedThroughSeq: number };

/** A batch to push, with its entries and audit records already in JSON, and the seqs it ends at. */
export type PushBatch = {
  /** The entries' seqs, in order (the entries themselves are in entriesJson). */
  seqs: number[];
  audit: AuditEntry[];
  queueDepth: number;
  entriesJson: string;
  auditJson: string;
  /** The acknowledgements that take the whole batch: its last entry's and audit record's seqs (where it started when it has none). */
  throughSeq: number;
  auditThroughSeq: number;
};

export type QueueCounts = { queuedEntries: number; oldestQueuedAt: string | null; queuedAuditRecords: number; flaggedEntries: number };

/** A push body's room for entries: the rest is the audit records' and the envelope's. */
const ENTRY_BYTES_BUDGET = Math.floor(PUSH_MAX_BYTES * 0.6);
/** Entries and audit records together: the cap less room for the envelope (sentAt, anonymous sale counts...). */
const BODY_BYTES_BUDGET = PUSH_MAX_BYTES - 256 * 1024;

/** Installs a rule set the server published (the programme's authority is the server). */
export type RuleSetInstaller = (document: unknown, activeFrom: string | null) => void;

/** Installs the product catalogue the server published, inside the page's transaction. */
export type CatalogueInstaller = (document: unknown, at: string) => void;

export class SyncStore {
  readonly #statements = new Map<string, Statement>();
  readonly #state: Statement<[], SyncStateRow>;
  readonly #offers: OffersRepo;
  readonly #recompute: Statement<{ id: string }>;

  constructor(
    private readonly db: Database,
    private readonly installRuleSet: RuleSetInstaller = () => undefined,
    private readonly installCatalogue: CatalogueInstaller = () => undefined,
  ) {
    this.#state = db.prepare('SELECT * FROM sync_state WHERE id = 1');
    this.#offers = new OffersRepo(db);
    // What the counter shows: the server's balance plus this terminal's entries (under the member's
    // id or any id merged into it) that the server had not acknowledged when it reported it. A
    // member the server has not reported yet shows the sum of its local entries.
    this.#recompute = db.prepare(`
      UPDATE members SET balance = (
        SELECT CASE WHEN sb.member_id IS NULL
          THEN (SELECT coalesce(sum(l.points), 0) FROM ledger l WHERE l.member_id IN (SELECT @id UNION ALL SELECT alias_id FROM member_aliases WHERE member_id = @id))
          ELSE sb.balance + (SELECT coalesce(sum(l.points), 0) FROM ledger l
                             WHERE l.member_id IN (SELECT @id UNION ALL SELECT alias_id FROM member_aliases WHERE member_id = @id) AND l.seq > sb.acked_through_seq)
        END
        FROM (SELECT @id AS id) AS x LEFT JOIN server_balances sb ON sb.member_id = x.id)
      WHERE member_id = @id`);
  }

  /** Prepared once per SQL text: the snapshot applies a million rows through these. */
  private sql<P extends unknown[] | object = unknown[], R = unknown>(text: string): Statement<P, R> {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement as unknown as Statement<P, R>;
  }

  state(): SyncStateRow | null {
    return this.#state.get() ?? null;
  }

  saveEnrolment(serverUrl: string, storeId: string, storeName: string, at: string): void {
    this.db.transaction(() => {
      const previous = this.state();
      // Enrolled again with the same server (after a revocation): it still holds what was acknowledged.
      const sameServer = previous?.server_url === serverUrl;
      this.sql(
          `INSERT INTO sync_state (id, server_url, store_id, store_name, enrolled_at, acked_through_seq, audit_acked_through_seq, feed_cursor)
           VALUES (1, @serverUrl, @storeId, @storeName, @at, @acked, @auditAcked, @cursor)
           ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, store_id = excluded.store_id, store_name = excluded.store_name,
             enrolled_at = excluded.enrolled_at, revoked_at = NULL, acked_through_seq = excluded.acked_through_seq,
             audit_acked_through_seq = excluded.audit_acked_through_seq, feed_cursor = excluded.feed_cursor, last_error = NULL, last_error_code = NULL, last_error_at = NULL`,
        )
        .run({
          serverUrl,
          storeId,
          storeName,
          at,
          acked: sameServer ? previous.acked_through_seq : 0,
          auditAcked: sameServer ? previous.audit_acked_through_seq : 0,
          cursor: sameServer ? previous.feed_cursor : null,
        });
    })();
  }

  markRevoked(at: string, failure: SyncFailure): void {
    this.sql('UPDATE sync_state SET revoked_at = ?, last_error = ?, last_error_code = ?, last_error_at = ? WHERE id = 1').run(at, failure.message, failure.code, at);
  }

  /** The last failure since the last success, if any. */
  lastError(): (SyncFailure & { at: string }) | null {
    const state = this.state();
    if (!state?.last_error) return null;
    return { code: syncErrorCodeOf(state.last_error_code), message: state.last_error, at: state.last_error_at ?? '' };
  }

  recordAttempt(at: string): void {
    this.sql('UPDATE sync_state SET last_attempt_at = ? WHERE id = 1').run(at);
  }

  recordSuccess(at: string): void {
    this.sql('UPDATE sync_state SET last_success_at = ?, last_error = NULL, last_error_code = NULL, last_error_at = NULL WHERE id = 1').run(at);
  }

  /** A failed attempt: the entries it carried stay queued, with the attempt counted. */
  recordFailure(failure: SyncFailure, at: string, seqs: readonly number[]): void {
    this.db.transaction(() => {
      this.sql('UPDATE sync_state SET last_error = ?, last_error_code = ?, last_error_at = ? WHERE id = 1').run(failure.message, failure.code, at);
      if (seqs.length > 0) {
        this.sql("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq IN (SELECT value FROM json_each(?)) AND state = 'pending'")
          .run(failure.message, JSON.stringify(seqs));
      }
    })();
  }

  /**
   * The next batch in seq order, within the protocol's caps: after what the server acknowledged,
   * or after `after` (the batch before it, still in flight). Each entry and audit record is made
   * JSON once, here: the byte budget counts that text and the push body is built from it.
   */
  nextBatch(maxEntries = PUSH_MAX_ENTRIES, after?: { seq: number; auditSeq: number }): PushBatch {
    const state = this.state();
    const fromSeq = after?.seq ?? state?.acked_through_seq ?? 0;
    const fromAuditSeq = after?.auditSeq ?? state?.audit_acked_through_seq ?? 0;
    if (!state) return { seqs: [], audit: [], queueDepth: 0, entriesJson: '[]', auditJson: '[]', throughSeq: fromSeq, auditThroughSeq: fromAuditSeq };
    const rows = this.sql<[number, number], LedgerRow>('SELECT * FROM ledger WHERE seq > ? ORDER BY seq LIMIT ?').all(fromSeq, maxEntries);
    // Bytes as sent (UTF-8), not characters: a store whose product names are Greek, Cyrillic or
    // carry a euro sign writes two or three bytes a character, and a batch counted in characters
    // went over the server's cap (413, which no retry fixes). Each text's comma and line break too.
    const seqs: number[] = [];
    const texts: string[] = [];
    let bytes = 0;
    for (const row of rows) {
      const text = rowToEntryJson(row);
      const size = Buffer.byteLength(text) + 2;
      if (seqs.length > 0 && bytes + size > ENTRY_BYTES_BUDGET) break;
      seqs.push(row.seq);
      texts.push(text);
      bytes += size;
    }
    // The audit records fill the rest of the body. A sale's record keeps up to 50 of its lines, so
    // 500 records of large baskets queued offline came to several megabytes on their own.
    const audit: AuditEntry[] = [];
    const auditTexts: string[] = [];
    for (const row of this.sql<[number, number], AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(fromAuditSeq, Math.min(maxEntries, 500))) {
      const record = auditRowToEntry(row);
      const text = JSON.stringify(record);
      const size = Buffer.byteLength(text) + 1;
      if ((seqs.length > 0 || audit.length > 0) && bytes + size > BODY_BYTES_BUDGET) break;
      audit.push(record);
      auditTexts.push(text);
      bytes += size;
    }
    const throughSeq = seqs.at(-1) ?? fromSeq;
    return {
      seqs,
      audit,
      // What will still wait after this batch: the server shows it to the owner as the queue depth.
      queueDepth: Math.max(0, readLedgerQueue(this.db).newestSeq - throughSeq),
      entriesJson: entriesArrayJson(texts),
      auditJson: `[${auditTexts.join(',')}]`,
      throughSeq,
      auditThroughSeq: audit.at(-1)?.seq ?? fromAuditSeq,
    };
  }

  /**
   * The server's answer to a push. Its acknowledgement is authoritative, even when it is lower
   * than ours (a server restored from a backup): the entries after it are pushed again.
   */
  recordPush(response: PushResponse, at: string): { flagged: number } {
    return this.db.transaction(() => {
      const previous = this.state()?.acked_through_seq ?? 0;
      this.sql('UPDATE sync_state SET acked_through_seq = ?, audit_acked_through_seq = ?, last_error = NULL, last_error_code = NULL, last_error_at = NULL WHERE id = 1').run(response.ackedThroughSeq, response.auditAckedThroughSeq);
      // Pending rows are exactly those after the acknowledgement (readLedgerQueue): only the ones it now covers change.
      this.sql("UPDATE outbox SET state = 'acked' WHERE seq > ? AND seq <= ? AND state = 'pending'").run(previous, response.ackedThroughSeq);
      // Only a server restored from a backup acknowledges less than before: its rows queue again.
      if (response.ackedThroughSeq < previous) this.sql("UPDATE outbox SET state = 'pending' WHERE seq > ? AND state <> 'pending'").run(response.ackedThroughSeq);
      let flagged = 0;
      const flag = this.sql("UPDATE outbox SET state = 'flagged' WHERE seq = ?");
      const record = this.sql('INSERT INTO sync_exceptions (seq, kinds, reported_at) VALUES (?, ?, ?) ON CONFLICT (seq) DO UPDATE SET kinds = excluded.kinds');
      for (const result of response.results) {
        if (result.exceptions.length === 0 || result.seq > response.ackedThroughSeq) continue;
        record.run(result.seq, JSON.stringify(result.exceptions), at);
        flag.run(result.seq);
        flagged += 1;
      }
      return { flagged };
    })();
  }

  /**
   * Balances push answers reported (the newest per member), each counting the entries up to the
   * acknowledgement that came with it. Applied once a run of pushes ends rather than after each
   * batch: showing one re-sums the member's entries still queued, which in a catch-up is most of
   * them, batch after batch.
   */
  applyPushedBalances(balances: Iterable<PushedBalance>, at: string): void {
    this.db.transaction(() => {
      for (const b of balances) this.setServerBalance(b.memberId, b.balance, b.ackedThroughSeq, at, b.version);
    })();
  }

  /** The queue as the status shows it, after every batch of a catch-up (see readLedgerQueue). */
  counts(): QueueCounts {
    const state = this.state();
    const queue = readLedgerQueue(this.db);
    const newestAudit = this.sql<[], { seq: number | null }>('SELECT max(seq) AS seq FROM audit_log').get()?.seq ?? 0;
    const flagged = this.sql<[], { n: number }>('SELECT count(*) AS n FROM sync_exceptions').get();
    return {
      queuedEntries: queue.queued,
      oldestQueuedAt: queue.oldestQueuedAt,
      queuedAuditRecords: Math.max(0, newestAudit - (state?.audit_acked_through_seq ?? 0)),
      flaggedEntries: flagged?.n ?? 0,
    };
  }

  /** A balance the server just reported for one member (a check before points are spent). */
  confirmServerBalance(memberId: string, balance: number, version: number | null, at: string): void {
    this.db.transaction(() => this.setServerBalance(memberId, balance, this.state()?.acked_through_seq ?? 0, at, version))();
  }

  /**
   * What offline spending is judged on: the balance the server last reported (or, for a member
   * it has not reported, the points earned here), and the points spent here since.
   */
  offlineBalance(memberId: string): { known: number; pendingSpent: number } {
    const id = this.resolve(memberId);
    const row = this.sql<{ id: string }, { server: number | null; acked: number | null; earned: number; spent_after: number; spent_all: number }>(
      `SELECT sb.balance AS server, sb.acked_through_seq AS acked,
              (SELECT coalesce(sum(points), 0) FROM ledger WHERE member_id IN (SELECT @id UNION ALL SELECT alias_id FROM member_aliases WHERE member_id = @id) AND points > 0) AS earned,
              (SELECT coalesce(-sum(points), 0) FROM ledger WHERE member_id IN (SELECT @id UNION ALL SELECT alias_id FROM member_aliases WHERE member_id = @id) AND points < 0 AND seq > coalesce(sb.acked_through_seq, 0)) AS spent_after,
              (SELECT coalesce(-sum(points), 0) FROM ledger WHERE member_id IN (SELECT @id UNION ALL SELECT alias_id FROM member_aliases WHERE member_id = @id) AND points < 0) AS spent_all
       FROM (SELECT @id AS id) x LEFT JOIN server_balances sb ON sb.member_id = x.id`,
    ).get({ id });
    if (!row) return { known: 0, pendingSpent: 0 };
    return row.server === null ? { known: row.earned, pendingSpent: row.spent_all } : { known: row.server, pendingSpent: row.spent_after };
  }

  /** Points this terminal let the member spend between two instants (redemptions and donations). */
  spentBetween(memberId: string, start: string, end: string): number {
    const id = this.resolve(memberId);
    return (
      this.sql<{ id: string; start: string; end: string }, { spent: number }>(
        `SELECT coalesce(-sum(points), 0) AS spent FROM ledger
         WHERE member_id IN (SELECT @id UNION ALL SELECT alias_id FROM member_aliases WHERE member_id = @id) AND kind IN ('redeem', 'donate')
           AND julianday(device_time) >= julianday(@start) AND julianday(device_time) < julianday(@end)`,
      ).get({ id, start, end })?.spent ?? 0
    );
  }

  /** The server's id for a member id this terminal may know under an older (merged) id. */
  resolve(memberId: string): string {
    return this.sql<[string], { member_id: string }>('SELECT member_id FROM member_aliases WHERE alias_id = ?').get(memberId)?.member_id ?? memberId;
  }

  /** One page of the change feed and its cursor, together. */
  applyPage(changes: readonly Change[], cursor: string, at: string): void {
    this.db.transaction(() => {
      for (const change of changes) this.applyChange(change, at);
      this.sql('UPDATE sync_state SET feed_cursor = ? WHERE id = 1').run(cursor);
    })();
  }

  /** The programme documents that came with the snapshot (the feed after it holds only newer ones). */
  applyDocuments(documents: readonly Change[], at: string): void {
    this.db.transaction(() => {
      for (const change of documents) this.applyChange(change, at);
    })();
  }

  /** Members from the snapshot, a chunk at a time; the cursor is stored only once all arrived. */
  applySnapshotMembers(members: readonly SnapshotMember[], at: string): void {
    this.db.transaction(() => {
      const acked = this.state()?.acked_through_seq ?? 0;
      // A terminal with no history of its own (the usual case for a snapshot): a member new here
      // shows exactly the server's balance, so one insert each is enough.
      const fresh = this.sql<[], { fresh: number }>('SELECT NOT EXISTS (SELECT 1 FROM ledger) AND NOT EXISTS (SELECT 1 FROM member_aliases) AS fresh').get()?.fresh === 1;
      const insertNew = this.sql<[string, string, string | null, number, string]>('INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
      const insertBalance = this.sql<[string, number, number, string, number | null]>(UPSERT_SERVER_BALANCE);
      for (const m of members) {
        if (fresh && m.phone && insertNew.run(m.memberId, m.phone, m.name, m.balance, at).changes === 1) {
          insertBalance.run(m.memberId, m.balance, acked, at, m.version ?? null);
        } else {
          if (m.phone) this.upsertMember(m.memberId, m.phone, m.name, at);
          this.setServerBalance(m.memberId, m.balance, acked, at, m.version ?? null);
        }
        if (m.cards) this.applyCards(m.memberId, m.cards, at, 'added');
      }
    })();
  }

  finishSnapshot(cursor: string): void {
    this.sql('UPDATE sync_state SET feed_cursor = ? WHERE id = 1').run(cursor);
  }

  /** The server said the cursor is too old: the next sync loads the snapshot again. */
  forgetCursor(): void {
    this.sql('UPDATE sync_state SET feed_cursor = NULL WHERE id = 1').run();
  }

  private applyChange(change: Change, at: string): void {
    const p = change.payload;
    switch (change.dataset) {
      case 'members':
        if (typeof p.memberId === 'string' && typeof p.phone === 'string') this.upsertMember(p.memberId, p.phone, typeof p.name === 'string' ? p.name : null, at);
        // Absent: the change says nothing about the member's cards.
        if (typeof p.memberId === 'string' && Array.isArray(p.cards)) this.applyCards(p.memberId, p.cards, at, 'whole');
        return;
      case 'merges':
        if (typeof p.from === 'string' && typeof p.into === 'string') this.merge(p.from, p.into, at);
        // The owner undid a merge made in error: the id is a member of its own again (the
        // 'members' and 'balances' changes that follow bring its row and balance back).
        else if (typeof p.from === 'string' && p.into === null) this.unmerge(p.from);
        return;
      case 'balances':
        if (typeof p.memberId === 'string' && typeof p.balance === 'number') {
          this.setServerBalance(p.memberId, p.balance, this.state()?.acked_through_seq ?? 0, at, typeof p.version === 'number' ? p.version : null);
        }
        return;
      case 'offers':
        // An offer this terminal cannot read (a newer server's type) is left out, never half-applied.
        this.#offers.applyFromServer(p, at);
        return;
      default:
        if (change.dataset === 'rule-sets' && typeof p.document === 'object' && p.document !== null) {
          this.installRuleSet(p.document, typeof p.activeFrom === 'string' ? p.activeFrom : null);
        }
        if (change.dataset === 'catalogue') this.installCatalogue(p.document, at);
        // Rule sets, the catalogue and rewards are kept as the server published them (the catalogue's
        // products live in the products table: only its description is kept here).
        this.sql('INSERT INTO server_documents (dataset, key, payload, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (dataset, key) DO UPDATE SET payload = excluded.payload, received_at = excluded.received_at')
          .run(change.dataset, change.key, JSON.stringify(change.dataset === 'catalogue' ? { ...p, document: undefined } : p), at);
    }
  }

  private upsertMember(memberId: string, phone: string, name: string | null, at: string): void {
    const id = this.resolve(memberId);
    const samePhone = this.sql<[string], { member_id: string }>('SELECT member_id FROM members WHERE phone = ?').get(phone);
    // The same phone under another id here: this terminal enrolled it offline too. The server's id wins.
    if (samePhone && samePhone.member_id !== id) this.merge(samePhone.member_id, id, at, { phone, name });
    const existing = this.sql<[string], { name: string | null }>('SELECT name FROM members WHERE member_id = ?').get(id);
    if (existing) {
      this.sql('UPDATE members SET phone = ?, name = coalesce(?, name) WHERE member_id = ?').run(phone, name, id);
    } else {
      this.sql('INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES (?, ?, ?, 0, ?)').run(id, phone, name, at);
      this.#recompute.run({ id });
    }
  }

  /**
   * Cards linked to a member anywhere in the chain, as the server published them: each is the
   * member's here, whoever held it before (the server merged the members holding one card). A
   * card this terminal cannot read (a newer server's kind) is left out; a member not here yet
   * (no phone: the server knows it only from a terminal's entries) gets its cards with its row.
   * `whole` (a feed change: every card of the member): a card of theirs the server no longer lists
   * was taken off them, and goes here too, unless the server never knew it (a payment card under
   * this terminal's own key) or has not been told yet (its card.linked record still queued).
   */
  private applyCards(memberId: string, cards: readonly unknown[], at: string, listed: 'whole' | 'added'): void {
    const id = this.resolve(memberId);
    if (!this.sql<[string], { one: number }>('SELECT 1 AS one FROM members WHERE member_id = ?').get(id)) return;
    const kept: string[] = [];
    for (const raw of cards) {
      const parsed = SharedCard.safeParse(raw);
      if (!parsed.success) continue;
      const card = parsed.data;
      const held =
        card.kind === 'payment'
          ? this.sql<[string], { card_id: string }>('SELECT card_id FROM member_cards WHERE card_token = ?').get(card.token)
          : this.sql<[string], { card_id: string }>('SELECT card_id FROM member_cards WHERE card_number = ?').get(card.cardNumber);
      if (held) {
        this.sql('UPDATE member_cards SET member_id = ? WHERE card_id = ?').run(id, held.card_id);
        kept.push(held.card_id);
        continue;
      }
      kept.push(card.cardId);
      this.sql(
        `INSERT INTO member_cards (card_id, member_id, kind, card_token, brand, last4, card_number, linked_at) VALUES (@cardId, @id, @kind, @token, @brand, @last4, @cardNumber, @at)
         ON CONFLICT (card_id) DO UPDATE SET member_id = excluded.member_id, card_token = excluded.card_token, brand = excluded.brand, last4 = excluded.last4, card_number = excluded.card_number`,
      ).run(
        card.kind === 'payment'
          ? { cardId: card.cardId, id, kind: card.kind, token: card.token, brand: card.brand, last4: card.last4, cardNumber: null, at }
          : { cardId: card.cardId, id, kind: card.kind, token: null, brand: null, last4: null, cardNumber: card.cardNumber, at },
      );
    }
    if (listed === 'added') return;
    this.sql<{ id: string; kept: string; action: string }>(
      `DELETE FROM member_cards WHERE member_id = @id AND card_id NOT IN (SELECT value FROM json_each(@kept))
         AND (kind = 'loyalty' OR card_token GLOB 'c*')
         AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.seq > coalesce((SELECT audit_acked_through_seq FROM sync_state WHERE id = 1), 0)
                           AND a.action = @action AND json_extract(a.details, '$.cardId') = member_cards.card_id)`,
    ).run({ id, kept: JSON.stringify(kept), action: CARD_LINKED_ACTION });
  }

  /**
   * Keeps a balance the server reported as counting every entry acknowledged up to
   * `ackedThroughSeq`, unless it is older than the one kept. Older ones do arrive: the feed is
   * ordered by transaction id, not by commit, and one held back by a long transaction on the server
   * can bring a balance from before this terminal's own last push, whose answer already gave a
   * newer one (that older balance does not count entries already off the queue, and would hide
   * them). A balance without a version (an older server) always applies.
   */
  private setServerBalance(memberId: string, balance: number, ackedThroughSeq: number, at: string, version: number | null): void {
    const id = this.resolve(memberId);
    const kept = this.sql(UPSERT_SERVER_BALANCE).run(id, balance, ackedThroughSeq, at, version);
    if (kept.changes > 0) this.#recompute.run({ id });
  }

  /**
   * `from` now means `into`: its history, cards and PIN follow the surviving member, and its row
   * goes (the ledger keeps the old id; lookups resolve it through member_aliases).
   */
  private merge(from: string, into: string, at: string, survivor?: { phone: string; name: string | null }): void {
    if (from === into) return;
    this.sql('INSERT INTO member_aliases (alias_id, member_id, merged_at) VALUES (?, ?, ?) ON CONFLICT (alias_id) DO UPDATE SET member_id = excluded.member_id').run(from, into, at);
    // Aliases of the merged id follow it too.
    this.sql('UPDATE member_aliases SET member_id = ? WHERE member_id = ?').run(into, from);
    const old = this.sql<[string], { phone: string; name: string | null; customer_pin_hash: string | null; enrolled_at: string }>('SELECT phone, name, customer_pin_hash, enrolled_at FROM members WHERE member_id = ?').get(from);
    if (old) {
      // Free the phone first (it is unique), so the survivor can hold it before the old row goes.
      this.sql("UPDATE members SET phone = '~merged~' || member_id WHERE member_id = ?").run(from);
      this.sql('INSERT INTO members (member_id, phone, name, balance, enrolled_at) VALUES (?, ?, ?, 0, ?) ON CONFLICT (member_id) DO NOTHING')
        .run(into, survivor?.phone ?? old.phone, survivor?.name ?? old.name, old.enrolled_at);
      if (old.customer_pin_hash) this.sql('UPDATE members SET customer_pin_hash = coalesce(customer_pin_hash, ?) WHERE member_id = ?').run(old.customer_pin_hash, into);
      for (const { table, column } of this.memberReferences()) {
        // Rows the survivor already has (one per member) win; the merged member's copy goes.
        this.sql(`UPDATE OR IGNORE "${table}" SET "${column}" = ? WHERE "${column}" = ?`).run(into, from);
        this.sql(`DELETE FROM "${table}" WHERE "${column}" = ?`).run(from);
      }
      this.sql('UPDATE server_balances SET member_id = ? WHERE member_id = ? AND NOT EXISTS (SELECT 1 FROM server_balances WHERE member_id = ?)').run(into, from, into);
      this.sql('DELETE FROM members WHERE member_id = ?').run(from);
    }
    this.#recompute.run({ id: into });
  }

  /**
   * Undoes a merge: `from` stops resolving to the survivor. Cards and other rows the merge moved
   * stay with the survivor (the server does not know which were whose); the local entries recorded
   * under `from` count for it again.
   */
  private unmerge(from: string): void {
    const survivor = this.resolve(from);
    if (survivor === from) return;
    this.sql('DELETE FROM member_aliases WHERE alias_id = ?').run(from);
    this.#recompute.run({ id: survivor });
  }

  /** Columns that reference a member (cards, tiers, referrals...), found from the schema's foreign keys. */
  private memberReferences(): { table: string; column: string }[] {
    return this.sql<[], { table: string; column: string }>(
        `SELECT m.name AS "table", f."from" AS "column" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
         WHERE m.type = 'table' AND f."table" = 'members'`,
      )
      .all();
  }
}

const queueStatements = new WeakMap<Database, { acked: Statement<[], { seq: number }>; newest: Statement<[], { seq: number | null }>; oldest: Statement<[number], { queued_at: string }> }>();

/**
 * The ledger entries waiting for the server, read without scanning them: every entry has a seq
 * with no holes and an outbox row written with it (queued_at = its device time), and the server's
 * acknowledgement covers every seq up to it. So the newest seq less the acknowledged one is the
 * count, and the first row after it is the one that has waited longest. Before enrolment nothing
 * is acknowledged. The status bar reads this after every sale; counting the rows grew with the queue.
 */
export function readLedgerQueue(db: Database): { ackedThroughSeq: number; newestSeq: number; queued: number; oldestQueuedAt: string | null } {
  let statements = queueStatements.get(db);
  if (!statements) {
    statements = {
      acked: db.prepare('SELECT acked_through_seq AS seq FROM sync_state WHERE id = 1'),
      newest: db.prepare('SELECT max(seq) AS seq FROM outbox'),
      oldest: db.prepare('SELECT queued_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1'),
    };
    queueStatements.set(db, statements);
  }
  const ackedThroughSeq = statements.acked.get()?.seq ?? 0;
  const newestSeq = statements.newest.get()?.seq ?? 0;
  return {
    ackedThroughSeq,
    newestSeq,
    queued: Math.max(0, newestSeq - ackedThroughSeq),
    oldestQueuedAt: statements.oldest.get(ackedThroughSeq)?.queued_at ?? null,
  };
}
