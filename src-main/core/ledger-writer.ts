import { hash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { GENESIS_HASH, sealEntryWithJson, type LedgerEntry, type UnhashedEntry } from '../../src-shared/ledger/entry';

export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

export type NewEntry = Omit<UnhashedEntry, 'terminalId' | 'seq' | 'prevHash' | 'deviceTime'>;

type LedgerRow = {
  seq: number;
  terminal_id: string;
  kind: LedgerEntry['kind'];
  member_id: string;
  points: number;
  amount_minor: number | null;
  currency: string | null;
  rule_set_version: string | null;
  sale_id: string | null;
  breakdown: string;
  payload: string;
  cashier_id: string | null;
  device_time: string;
  prev_hash: string;
  hash: string;
};

export const rowToEntry = (row: LedgerRow): LedgerEntry => ({
  terminalId: row.terminal_id,
  seq: row.seq,
  kind: row.kind,
  memberId: row.member_id,
  points: row.points,
  amountMinor: row.amount_minor,
  currency: row.currency,
  ruleSetVersion: row.rule_set_version,
  saleId: row.sale_id,
  breakdown: JSON.parse(row.breakdown) as LedgerEntry['breakdown'],
  payload: JSON.parse(row.payload) as LedgerEntry['payload'],
  cashierId: row.cashier_id,
  deviceTime: row.device_time,
  prevHash: row.prev_hash,
  hash: row.hash,
});

const jsonText = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/**
 * The entry's JSON, straight from its row: breakdown and payload are stored as JSON text already,
 * so a push (a thousand entries at a time) neither parses nor re-serialises them. The same value
 * as JSON.stringify(rowToEntry(row)).
 */
export const rowToEntryJson = (row: LedgerRow): string =>
  `{"terminalId":${jsonText(row.terminal_id)},"seq":${row.seq},"kind":${jsonText(row.kind)},"memberId":${jsonText(row.member_id)},` +
  `"points":${row.points},"amountMinor":${row.amount_minor ?? 'null'},"currency":${jsonText(row.currency)},` +
  `"ruleSetVersion":${jsonText(row.rule_set_version)},"saleId":${jsonText(row.sale_id)},"breakdown":${row.breakdown},` +
  `"payload":${row.payload},"cashierId":${jsonText(row.cashier_id)},"deviceTime":${jsonText(row.device_time)},` +
  `"prevHash":${jsonText(row.prev_hash)},"hash":${jsonText(row.hash)}}`;

/**
 * Appends hash-chained entries and their outbox rows, and moves the member's balance.
 * Must run inside the caller's transaction, so a sale's entries land together or not at all.
 */
export class LedgerWriter {
  readonly #last: Statement<[], { seq: number; hash: string }>;
  readonly #insert: Statement;
  readonly #queue: Statement;
  readonly #balance: Statement;

  constructor(
    db: Database,
    private readonly terminalId: string,
  ) {
    this.#last = db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1');
    this.#insert = db.prepare(`INSERT INTO ledger (seq, terminal_id, kind, member_id, points, amount_minor, currency,
      rule_set_version, sale_id, breakdown, payload, cashier_id, device_time, prev_hash, hash)
      VALUES (@seq, @terminalId, @kind, @memberId, @points, @amountMinor, @currency, @ruleSetVersion, @saleId,
      @breakdown, @payload, @cashierId, @deviceTime, @prevHash, @hash)`);
    this.#queue = db.prepare("INSERT INTO outbox (seq, state, queued_at) VALUES (?, 'pending', ?)");
    this.#balance = db.prepare('UPDATE members SET balance = balance + ? WHERE member_id = ?');
  }

  append(entries: readonly NewEntry[], deviceTime: string): LedgerEntry[] {
    const last = this.#last.get() ?? { seq: 0, hash: GENESIS_HASH };
    let { seq, hash } = last;
    return entries.map((entry) => {
      seq += 1;
      const { sealed, nested } = sealEntryWithJson({ ...entry, terminalId: this.terminalId, seq, prevHash: hash, deviceTime }, sha256Hex);
      hash = sealed.hash;
      // Stored as hashed, in canonical key order: the entry is pushed so, and the server (and this
      // terminal's own chain check) hashes each of these with one JSON.stringify.
      this.#insert.run({ ...sealed, ...nested });
      this.#queue.run(seq, deviceTime);
      if (sealed.points !== 0) this.#balance.run(sealed.points, sealed.memberId);
      return sealed;
    });
  }
}

export function readEntries(db: Database, fromSeq = 1, limit = 1000): LedgerEntry[] {
  return db
    .prepare<[number, number], LedgerRow>('SELECT * FROM ledger WHERE seq >= ? ORDER BY seq LIMIT ?')
    .all(fromSeq, limit)
    .map(rowToEntry);
}

/** Streams the whole ledger in seq order, for chain verification and replays. */
export function* iterateEntries(db: Database): Generator<LedgerEntry> {
  for (const row of db.prepare<[], LedgerRow>('SELECT * FROM ledger ORDER BY seq').iterate()) yield rowToEntry(row);
}

export type { LedgerRow };
