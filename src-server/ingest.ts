// Ingesting a terminal's pushed batch: idempotent on (terminal_id, seq), chain-verified, with
// business conflicts recorded as exceptions and never rejected. One transaction per batch.
import { hash } from 'node:crypto';
import { KasaError } from '../src-shared/api/errors';
import type { AuditEntry } from '../src-shared/ledger/audit-entry';
import { entryHashInput, type LedgerEntry } from '../src-shared/ledger/entry';
import { adjustEntryProblem, EnrolPayload } from '../src-shared/ledger/payloads';
import type { RuleSet } from '../src-shared/program/rule-set';
import type { AnonymousSaleCounts, CardLinkedDetails, Change, ExceptionKind, PushResponse } from '../src-shared/sync/protocol';
import { detectSuspiciousActivity, DEFAULT_SUSPICION_THRESHOLDS, type SuspicionThresholds } from './console/suspicious-activity';
import type { Database, Queryable } from './db/database';
import { recordOfferUses } from './offers';
import { recordInsights } from './insights/insight-facts';
import { addChanges } from './feed';
import { NEXT_BALANCE_VERSION, type VersionedBalance } from './balances';
import { recomputeEarn } from './earn-recompute';
import { knownRuleSetsOf, loadRuleSets } from './rule-set-reads';
import { applyCardLink, cardLinkOf, membersOfLinks } from './card-links';
import { resolveMemberId } from './console/member-admin';
import { publishMemberCards } from './linked-cards';

// One-shot hashing: no Hash object per entry (a batch checks 1,000).
const sha256Hex = (text: string) => hash('sha256', text, 'hex');

export type IngestOptions = {
  clockSkewToleranceMs: number;
  now: () => Date;
  /** The terminal's clock when it sent the push (absent from older terminals). */
  sentAt?: string | undefined;
  /** When redemptions or enrolments in one day look suspicious (defaults: DEFAULT_SUSPICION_THRESHOLDS). */
  suspicion?: SuspicionThresholds | undefined;
  /** Counts of sales without a member, pushed with the batch (absent from older terminals). */
  anonymousSales?: AnonymousSaleCounts | undefined;
  /** What the terminal still has to send after this batch (its own report; absent from older terminals). */
  queueDepth?: number | undefined;
  /** The store's time zone as the terminal says it (absent from older terminals: the last one said, or UTC). */
  timeZone?: string | undefined;
};

type TerminalRow = { terminal_id: string; store_id: string; last_seq: number; last_hash: string; audit_last_seq: number; anonymous_sales_through: number; time_zone: string | null };
type Exception = { kind: ExceptionKind; seq: number | null; memberId: string | null; details: Record<string, unknown> };

/** Terminal member ids -> the server's member (after merges), loaded once per batch. */
type MemberMap = Map<string, string | null>;

async function prefetchMembers(tx: Queryable, ids: string[]): Promise<MemberMap> {
  const map: MemberMap = new Map(ids.map((id) => [id, null]));
  // One round trip: the members themselves first, then aliases (a merged id means its survivor).
  const rows = await tx.query<{ id: string; resolved: string; alias: boolean }>(
    `SELECT member_id AS id, member_id AS resolved, false AS alias FROM members WHERE member_id = ANY($1::text[])
     UNION ALL SELECT alias_id, member_id, true FROM member_aliases WHERE alias_id = ANY($1::text[])`,
    [ids],
  );
  for (const row of rows) if (!row.alias) map.set(row.id, row.resolved);
  for (const row of rows) if (row.alias) map.set(row.id, row.resolved);
  return map;
}

/**
 * Members, merges (aliases) and feed changes the batch creates, written one statement per table
 * instead of a few round trips per enrolment. Written before anything reads those tables again in
 * this transaction, in the order they arose.
 */
class PendingWrites {
  readonly members: { id: string; phone: string | null; name: string | null }[] = [];
  readonly aliases: { aliasId: string; memberId: string }[] = [];
  readonly changes: Change[] = [];

  async flush(tx: Queryable, terminalId: string): Promise<void> {
    if (this.members.length > 0) {
      await tx.query('INSERT INTO members (member_id, phone, name, enrolled_by) SELECT m.id, m.phone, m.name, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS m(id, phone, name)', [
        this.members.map((m) => m.id),
        this.members.map((m) => m.phone),
        this.members.map((m) => m.name),
        terminalId,
      ]);
    }
    if (this.aliases.length > 0) {
      await tx.query('INSERT INTO member_aliases (alias_id, member_id) SELECT * FROM unnest($1::text[], $2::text[])', [this.aliases.map((a) => a.aliasId), this.aliases.map((a) => a.memberId)]);
      // A card linked under an id the server did not know yet follows it to the member it turned out to be.
      await tx.query('UPDATE linked_cards l SET member_id = a.member_id FROM unnest($1::text[], $2::text[]) AS a(alias_id, member_id) WHERE l.member_id = a.alias_id', [
        this.aliases.map((a) => a.aliasId),
        this.aliases.map((a) => a.memberId),
      ]);
    }
    await addChanges(tx, this.changes);
    this.members.length = 0;
    this.aliases.length = 0;
    this.changes.length = 0;
  }
}

/** The batch's enrolment phones already held by a member, phone -> member (one query for the batch). */
async function prefetchPhones(tx: Queryable, entries: readonly LedgerEntry[], lastSeq: number, members: MemberMap): Promise<Map<string, string>> {
  const phones = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'enrol' || entry.seq <= lastSeq || members.get(entry.memberId)) continue;
    const phone = enrolmentOf(entry).phone;
    if (phone) phones.add(phone);
  }
  const byPhone = new Map<string, string>();
  if (phones.size === 0) return byPhone;
  for (const row of await tx.query<{ member_id: string; phone: string }>('SELECT member_id, phone FROM members WHERE phone = ANY($1::text[])', [[...phones]])) byPhone.set(row.phone, row.member_id);
  return byPhone;
}

function enrolmentOf(entry: LedgerEntry): { phone: string | null; name: string | null } {
  const payload = EnrolPayload.safeParse(entry.payload);
  return payload.success ? { phone: payload.data.phone, name: payload.data.name } : { phone: null, name: null };
}

function applyEnrol(terminalId: string, entry: LedgerEntry, exceptions: Exception[], members: MemberMap, phones: Map<string, string>, pending: PendingWrites): void {
  const { phone, name } = enrolmentOf(entry);
  if (members.get(entry.memberId)) return;
  const samePhone = phone ? phones.get(phone) : undefined;
  if (samePhone) {
    // The same phone enrolled on another terminal: one member, the first one the server saw.
    pending.aliases.push({ aliasId: entry.memberId, memberId: samePhone });
    members.set(entry.memberId, samePhone);
    pending.changes.push({ dataset: 'merges', key: entry.memberId, payload: { from: entry.memberId, into: samePhone } });
    exceptions.push({ kind: 'duplicate-enrolment', seq: entry.seq, memberId: samePhone, details: { phone, mergedMemberId: entry.memberId, terminalId } });
    return;
  }
  pending.members.push({ id: entry.memberId, phone, name });
  members.set(entry.memberId, entry.memberId);
  if (phone) phones.set(phone, entry.memberId);
  pending.changes.push({ dataset: 'members', key: entry.memberId, payload: { memberId: entry.memberId, phone, name } });
}

/**
 * Characters of JSON per ledger insert statement. V8 keeps a string over 128 KiB in its
 * large-object space, and building, encoding and sending such a text costs about ten times as
 * much per byte on these machines: 250 rows of the ingest bench (183,000 characters) took 1.8 ms,
 * 170 rows 0.14 ms. 120,000 characters stay under it while the text is Latin-1; a character
 * outside it (Turkish letters) takes two bytes and such a text goes over, as every text did
 * before. Statements of 60,000 characters kept those under too, but made a catch-up push (one
 * terminal's statements, one after another in one PostgreSQL backend) about a tenth slower.
 */
const INSERT_TEXT_CHARS = 120_000;

/**
 * A ledger row: the entry as pushed, credited to the server's member for it. `hashInput` is the
 * entry's text as ingest hashed it (every field but `hash`, as JSON: entryHashInput); when given,
 * the row's JSON is built from it instead of serialising the entry a second time.
 */
export type LedgerRow = { memberId: string; entry: LedgerEntry; hashInput?: string | undefined };

/** One row of a ledger insert's JSON: `{"m": member, "e": entry}`. */
function rowJson({ memberId, entry, hashInput }: LedgerRow): string {
  // The hash input is a JSON object of the entry's other fields (canonical key order, which jsonb
  // does not keep anyway): the hash goes in front of them. "{}" cannot occur (seq is required).
  if (hashInput === undefined || hashInput.length < 3) return `{"m":${JSON.stringify(memberId)},"e":${JSON.stringify(entry)}}`;
  return `{"m":${JSON.stringify(memberId)},"e":{"hash":${JSON.stringify(entry.hash)},${hashInput.slice(1)}}`;
}

/**
 * One terminal's ledger rows, sent to the database as they are added, in statements of at most
 * maxTextChars (INSERT_TEXT_CHARS unless a bench's baseline says otherwise) characters of JSON (a
 * larger row goes alone): the columns are read from each
 * entry by PostgreSQL. A text[]/jsonb[] parameter per column cost the server more CPU than the
 * rest of the insert (every quote of every entry escaped for the array literal). While ingest
 * checks the rest of a batch, PostgreSQL stores what was sent: the connection runs statements in
 * the order they were sent, so everything after done() sees every row.
 */
export class LedgerInserts {
  #texts: string[] = [];
  #chars = 0;
  readonly #sent: Promise<unknown>[] = [];

  constructor(
    private readonly tx: Queryable,
    private readonly terminalId: string,
    private readonly maxTextChars = INSERT_TEXT_CHARS,
  ) {}

  add(row: LedgerRow): void {
    const text = rowJson(row);
    if (this.#chars > 0 && this.#chars + text.length + 1 > this.maxTextChars) this.#send();
    this.#texts.push(text);
    this.#chars += text.length + 1;
  }

  /** Sends what is left and waits for every statement; the first failure rejects (and aborts the transaction). */
  async done(): Promise<void> {
    this.#send();
    await Promise.all(this.#sent);
  }

  #send(): void {
    if (this.#texts.length === 0) return;
    // jsonb_array_elements, not jsonb_to_recordset: the same PostgreSQL CPU for a statement of 170
    // rows, and a fifth less for one of 1,000 (the bare insert's), alternating in one run.
    const insert = this.tx.query(
      `INSERT INTO ledger (terminal_id, seq, kind, member_id, points, amount_minor, currency, rule_set_version, sale_id, device_time, prev_hash, hash, entry)
       SELECT $1, (r.e->>'seq')::bigint, r.e->>'kind', r.m, (r.e->>'points')::bigint, (r.e->>'amountMinor')::bigint, r.e->>'currency',
              r.e->>'ruleSetVersion', r.e->>'saleId', r.e->>'deviceTime', r.e->>'prevHash', r.e->>'hash', r.e
       FROM (SELECT a->>'m' AS m, a->'e' AS e FROM jsonb_array_elements($2::jsonb) AS a) AS r`,
      [this.terminalId, `[${this.#texts.join(',')}]`],
    );
    insert.catch(() => undefined); // awaited in done(); meanwhile a failure aborts the transaction
    this.#sent.push(insert);
    this.#texts = [];
    this.#chars = 0;
  }
}

/**
 * Ledger rows (one terminal's) inserted as ingest inserts them: the benches' bare-insert baseline.
 * With 50 writers at once, one statement per batch (no limit) was the faster bare insert measured;
 * with one writer, statements of INSERT_TEXT_CHARS (38,000-48,000 rows/s against 24,000-34,000).
 */
export async function insertLedgerRows(tx: Queryable, terminalId: string, rows: readonly LedgerRow[], maxTextChars = INSERT_TEXT_CHARS): Promise<void> {
  const inserts = new LedgerInserts(tx, terminalId, maxTextChars);
  for (const row of rows) inserts.add(row);
  await inserts.done();
}

/** How far off a terminal's clock looks from one entry: its sending clock vs ours, or the entry's future date. */
function skewOf(deviceTime: string, sentAtMs: number | null, referenceMs: number, nowMs: number): number {
  const sendingSkew = sentAtMs !== null && Number.isFinite(sentAtMs) ? Math.abs(sentAtMs - nowMs) : 0;
  const futureBy = Date.parse(deviceTime) - referenceMs;
  return Math.max(sendingSkew, Number.isFinite(futureBy) ? futureBy : 0);
}

/**
 * A card linked at a terminal: its audit record carries the member and the card's last four
 * digits (never more of the card), so the console can find the member by them.
 */
async function recordCardLink(tx: Queryable, terminalId: string, record: AuditEntry): Promise<void> {
  if (record.action !== 'members.linkCard' || record.outcome !== 'ok') return;
  const result = record.details.result as { memberId?: unknown; cardLast4?: unknown } | undefined;
  if (typeof result?.memberId !== 'string' || typeof result.cardLast4 !== 'string' || !/^\d{4}$/.test(result.cardLast4)) return;
  await tx.query(
    `INSERT INTO member_cards (member_id, last4, terminal_id)
     VALUES (coalesce((SELECT member_id FROM member_aliases WHERE alias_id = $1), $1), $2, $3) ON CONFLICT DO NOTHING`,
    [result.memberId, result.cardLast4, terminalId],
  );
}

/** The batch's exceptions, one statement, in the order they were found (their ids follow it). */
async function insertExceptions(tx: Queryable, terminalId: string, exceptions: readonly Exception[]): Promise<void> {
  if (exceptions.length === 0) return;
  await tx.query(
    `INSERT INTO exceptions (kind, terminal_id, seq, member_id, details)
     SELECT e.kind, $1, e.seq, e.member_id, e.details::jsonb FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[]) WITH ORDINALITY AS e(kind, seq, member_id, details, n) ORDER BY e.n`,
    [terminalId, exceptions.map((e) => e.kind), exceptions.map((e) => e.seq), exceptions.map((e) => e.memberId), exceptions.map((e) => JSON.stringify(e.details))],
  );
}

export async function ingestPush(
  db: Database,
  terminalId: string,
  entries: LedgerEntry[],
  audit: AuditEntry[],
  options: IngestOptions,
): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    // One push at a time per terminal: a retry racing its original waits here.
    const [terminal] = await tx.query<TerminalRow>('SELECT terminal_id, store_id, last_seq, last_hash, audit_last_seq, anonymous_sales_through, time_zone FROM terminals WHERE terminal_id = $1 FOR UPDATE', [terminalId]);
    if (!terminal) throw new Error(`terminal ${terminalId} vanished`);
    let { last_seq: lastSeq, last_hash: lastHash } = terminal;
    const results: PushResponse['results'] = [];
    const exceptions: Exception[] = [];
    const members = await prefetchMembers(tx, [...new Set(entries.map((e) => e.memberId))]);
    const phones = await prefetchPhones(tx, entries, lastSeq, members);
    // Entries pushed again (a retry): what is stored under their seqs, in one query.
    const storedHashes = new Map<number, string>();
    const again = entries.filter((e) => e.seq <= lastSeq).map((e) => e.seq);
    if (again.length > 0) {
      for (const row of await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM ledger WHERE terminal_id = $1 AND seq = ANY($2::bigint[])', [terminalId, again])) storedHashes.set(row.seq, row.hash);
    }
    // Forks this terminal pushed before (a retry whose answer was lost, or a restored terminal
    // sending its old entries again): answered as forks again, but kept and flagged once.
    const knownForks = new Set<string>();
    const forkKey = (seq: number, entryHash: string) => `${seq}:${entryHash}`;
    const forkSeqs = entries.filter((e) => e.seq <= lastSeq && storedHashes.get(e.seq) !== e.hash).map((e) => e.seq);
    if (forkSeqs.length > 0) {
      for (const row of await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM ledger_forks WHERE terminal_id = $1 AND seq = ANY($2::bigint[])', [terminalId, forkSeqs])) knownForks.add(forkKey(Number(row.seq), row.hash));
    }
    const pending = new PendingWrites();
    const knownBefore = new Set([...members].filter(([, resolved]) => resolved !== null).map(([id]) => id));
    const known = knownRuleSetsOf(db);
    const ruleSets = new Map<string, RuleSet | null>(known);
    await loadRuleSets(tx, entries, ruleSets, lastSeq);
    const memberOfSeq = new Map<number, string>();
    /** The tier each recomputed earn entry left its member in, for insights. */
    const tierAfterOfSeq = new Map<number, string | null>();
    const balanceDeltas = new Map<string, number>();
    const resentMembers = new Set<string>();
    const nowMs = options.now().getTime();
    let worstSkewMs = 0;
    let skewedSeq: number | null = null;
    const sentAtMs = options.sentAt ? Date.parse(options.sentAt) : null;
    const referenceMs = sentAtMs !== null && Number.isFinite(sentAtMs) ? sentAtMs : nowMs;
    const firstNewSeq = entries.map((e) => e.seq).filter((seq) => seq > lastSeq).sort((a, b) => a - b)[0];
    let gapped = false;
    // Ledger rows go to the database while the rest of the batch is checked: PostgreSQL stores
    // what was sent while this process verifies the next entries.
    const inserts = new LedgerInserts(tx, terminalId);

    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      const entryExceptions: ExceptionKind[] = [];
      if (entry.seq <= lastSeq) {
        const storedHash = storedHashes.get(entry.seq);
        if (storedHash === entry.hash) {
          results.push({ seq: entry.seq, status: 'duplicate', exceptions: [] });
          // Stored by a push whose answer was lost: the answer now says how far its balance got.
          if (entry.points !== 0) resentMembers.add(entry.memberId);
        } else {
          if (!knownForks.has(forkKey(entry.seq, entry.hash))) {
            knownForks.add(forkKey(entry.seq, entry.hash));
            await tx.query('INSERT INTO ledger_forks (terminal_id, seq, hash, entry) VALUES ($1, $2, $3, $4)', [terminalId, entry.seq, entry.hash, JSON.stringify(entry)]);
            exceptions.push({ kind: 'fork', seq: entry.seq, memberId: entry.memberId, details: { storedHash: storedHash ?? null, receivedHash: entry.hash } });
          }
          results.push({ seq: entry.seq, status: 'fork', exceptions: ['fork'] });
        }
        continue;
      }
      if (entry.seq !== lastSeq + 1 || gapped) {
        // Entries must arrive in order: this one waits until the missing ones are pushed.
        gapped = true;
        results.push({ seq: entry.seq, status: 'gap', exceptions: [] });
        continue;
      }
      const hashInput = entryHashInput(entry);
      const hashOk = sha256Hex(hashInput) === entry.hash;
      if (!hashOk || entry.prevHash !== lastHash) {
        exceptions.push({ kind: 'chain-break', seq: entry.seq, memberId: entry.memberId, details: { hashValid: hashOk, expectedPrevHash: lastHash, receivedPrevHash: entry.prevHash } });
        entryExceptions.push('chain-break');
      }
      // Entries of a terminal that was offline are old, and rightly so: what shows a wrong clock is
      // the terminal's clock at sending (sentAt) being off, or an entry dated in the future.
      const skew = skewOf(entry.deviceTime, entry.seq === firstNewSeq ? sentAtMs : null, referenceMs, nowMs);
      if (Number.isFinite(skew) && skew > options.clockSkewToleranceMs && skew > worstSkewMs) {
        worstSkewMs = skew;
        skewedSeq = entry.seq;
      }

      if (entry.kind === 'enrol') applyEnrol(terminalId, entry, exceptions, members, phones, pending);
      let memberId = members.get(entry.memberId) ?? null;
      if (!memberId) {
        // Points for a member the server has never seen: keep them, create the member, tell the owner.
        pending.members.push({ id: entry.memberId, phone: null, name: null });
        pending.changes.push({ dataset: 'members', key: entry.memberId, payload: { memberId: entry.memberId, phone: null, name: null } });
        exceptions.push({ kind: 'unknown-member', seq: entry.seq, memberId: entry.memberId, details: { terminalId } });
        entryExceptions.push('unknown-member');
        memberId = entry.memberId;
        members.set(memberId, memberId);
      }
      memberOfSeq.set(entry.seq, memberId);
      if (entry.kind === 'earn') {
        const check = recomputeEarn(entry, ruleSets);
        if ('expected' in check) tierAfterOfSeq.set(entry.seq, check.tierAfter);
        if (!('expected' in check) || check.expected !== entry.points) {
          exceptions.push({
            kind: 'earn-mismatch',
            seq: entry.seq,
            memberId,
            details: 'expected' in check ? { recorded: entry.points, recomputed: check.expected, ruleSetVersion: entry.ruleSetVersion } : { recorded: entry.points, reason: check.reason },
          });
          entryExceptions.push('earn-mismatch');
        }
        // Offers the sale used become redeemed; a second use is kept (the sale happened) and flagged.
        if (entry.payload.offers !== undefined) {
          await pending.flush(tx, terminalId);
          for (const misuse of await recordOfferUses(tx, terminalId, entry, memberId)) {
            exceptions.push({ kind: 'offer-misuse', seq: entry.seq, memberId, details: misuse });
            if (!entryExceptions.includes('offer-misuse')) entryExceptions.push('offer-misuse');
          }
        }
      }
      if (entry.kind === 'adjust') {
        // Kept, as everything that happened is; one that does not hold together is flagged for the owner.
        const problem = adjustEntryProblem(entry);
        if (problem) {
          exceptions.push({ kind: 'adjust-invalid', seq: entry.seq, memberId, details: { points: entry.points, problem } });
          entryExceptions.push('adjust-invalid');
        }
      }
      inserts.add({ memberId, entry, hashInput });
      if (entry.points !== 0) balanceDeltas.set(memberId, (balanceDeltas.get(memberId) ?? 0) + entry.points);
      lastSeq = entry.seq;
      lastHash = entry.hash;
      // The same seq again later in this batch is then a duplicate of this entry, or a fork of it.
      storedHashes.set(entry.seq, entry.hash);
      results.push({ seq: entry.seq, status: 'stored', exceptions: entryExceptions });
    }

    await pending.flush(tx, terminalId);
    await inserts.done();
    // What this batch stored, in seq order, under the member each entry was credited to.
    const stored = entries
      .filter((e) => memberOfSeq.has(e.seq))
      .sort((a, b) => a.seq - b.seq)
      .map((entry) => ({ entry, memberId: memberOfSeq.get(entry.seq) ?? entry.memberId, tierAfter: tierAfterOfSeq.get(entry.seq) }));
    await detectSuspiciousActivity(tx, terminalId, stored, options.suspicion ?? DEFAULT_SUSPICION_THRESHOLDS, options.timeZone ?? terminal.time_zone);

    // The audit records this push takes (in order from the last one stored), and the cards they link.
    const auditInOrder: { record: AuditEntry; link: CardLinkedDetails | null }[] = [];
    for (const record of [...audit].sort((a, b) => a.seq - b.seq)) {
      if (record.seq === terminal.audit_last_seq + auditInOrder.length + 1) auditInOrder.push({ record, link: cardLinkOf(record) });
    }
    const linkMembers = await membersOfLinks(tx, auditInOrder.flatMap(({ link }) => (link ? [link] : [])));

    // Balances: lock the rows in a fixed order first, so concurrent pushes cannot deadlock; then
    // one statement updates them all and records the new balances in the feed. The members a card
    // link may merge are locked in the same statement, before any other.
    const touched = [...balanceDeltas.keys()].sort();
    const balances = new Map<string, VersionedBalance>();
    const lockIds = [...new Set([...touched, ...linkMembers])].sort();
    const locked = lockIds.length === 0 ? [] : await tx.query<{ member_id: string }>('SELECT member_id FROM members WHERE member_id = ANY($1::text[]) ORDER BY member_id FOR UPDATE', [lockIds]);
    if (touched.length > 0) {
      const lockedIds = new Set(locked.map((r) => r.member_id));
      // The owner merged one of these members away while this push ran (its row is gone): roll
      // back (503: nothing stored); the terminal's retry resolves the merged id to the survivor.
      if (touched.some((id) => !lockedIds.has(id))) throw new KasaError('UNAVAILABLE', 'A member of this batch was merged meanwhile: nothing was stored, push again');
      // Likewise a merge undone meanwhile: an id this batch credited to a survivor is its own member again.
      const aliased = [...members].filter(([id, resolved]) => resolved !== null && resolved !== id);
      if (aliased.length > 0) {
        const still = await tx.query<{ alias_id: string; member_id: string }>('SELECT alias_id, member_id FROM member_aliases WHERE alias_id = ANY($1::text[])', [aliased.map(([id]) => id)]);
        if (still.length < aliased.length || still.some((r) => members.get(r.alias_id) !== r.member_id)) {
          throw new KasaError('UNAVAILABLE', 'A merge of a member of this batch was undone meanwhile: nothing was stored, push again');
        }
      }
      const updated = await tx.query<{ member_id: string; balance: number; version: number }>(
        `WITH u AS (
           UPDATE members m SET balance = m.balance + d.delta, ${NEXT_BALANCE_VERSION} FROM unnest($1::text[], $2::bigint[]) AS d(id, delta)
           WHERE m.member_id = d.id RETURNING m.member_id, m.balance, m.balance_version),
         c AS (INSERT INTO changes (dataset, key, payload)
               SELECT 'balances', u.member_id, jsonb_build_object('memberId', u.member_id, 'balance', u.balance, 'version', u.balance_version) FROM u)
         SELECT member_id, balance, balance_version AS version FROM u`,
        [touched, touched.map((id) => balanceDeltas.get(id) ?? 0)],
      );
      for (const { member_id: memberId, balance, version } of updated) {
        balances.set(memberId, { memberId, balance, version: Number(version) });
        const delta = balanceDeltas.get(memberId) ?? 0;
        if (balance >= 0 || delta >= 0) continue;
        exceptions.push({ kind: 'negative-balance', seq: null, memberId, details: { balance, terminalId, batchDelta: delta } });
        for (const r of results) {
          const e = entries.find((x) => x.seq === r.seq);
          if (e && r.status === 'stored' && e.points < 0 && memberOfSeq.get(e.seq) === memberId) r.exceptions.push('negative-balance');
        }
      }
    }
    if (skewedSeq !== null) {
      exceptions.push({ kind: 'clock-skew', seq: skewedSeq, memberId: null, details: { terminalId, skewSeconds: Math.round(worstSkewMs / 1000) } });
      results.find((r) => r.seq === skewedSeq)?.exceptions.push('clock-skew');
    }
    await insertExceptions(tx, terminalId, exceptions);

    // Insight aggregates, in this transaction (one call: see insights/insight-facts.ts), before a
    // card link merges a member of this batch (the merge moves them along).
    const insights = await recordInsights(tx, {
      terminalId,
      terminal,
      stored,
      newMembers: new Set([...members].filter(([id, resolved]) => resolved === id && !knownBefore.has(id)).map(([id]) => id)),
      anonymousSales: options.anonymousSales,
      timeZone: options.timeZone ?? terminal.time_zone,
    });
    for (const [key, ruleSet] of ruleSets) if (ruleSet) known.set(key, ruleSet);

    // The terminal's audit log rides along: stored idempotently, in order. A card link for a member
    // whose enrolment the terminal has not sent yet (its ledger is queued behind this batch) waits,
    // with every record after it, for a later push; with nothing queued, the link is stored under
    // the id as given.
    let auditSeq = terminal.audit_last_seq;
    const linkExceptions: Exception[] = [];
    const cardHolders = new Set<string>();
    for (const { record, link } of auditInOrder) {
      const linkMember = link ? await resolveMemberId(tx, link.memberId) : null;
      if (link && !linkMember && ((options.queueDepth ?? 0) > 0 || gapped)) break;
      await tx.query('INSERT INTO terminal_audit (terminal_id, seq, entry) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [terminalId, record.seq, JSON.stringify(record)]);
      await recordCardLink(tx, terminalId, record);
      if (link) {
        const linked = await applyCardLink(tx, terminalId, link, linkMember ?? link.memberId);
        if (linked.changed) cardHolders.add(linked.holder);
        for (const merge of linked.merges) {
          cardHolders.delete(merge.from);
          balances.delete(merge.from);
          balances.set(merge.into, { memberId: merge.into, balance: merge.balance, version: merge.version });
          linkExceptions.push({ kind: 'duplicate-enrolment', seq: null, memberId: merge.into, details: merge.exception });
        }
      }
      auditSeq = record.seq;
    }
    await insertExceptions(tx, terminalId, linkExceptions);
    // Terminals learn each holder's cards (and, by the merges, who was merged into whom).
    await publishMemberCards(tx, [...cardHolders]);
    // The terminal's queue depth rides in the same statement (and commit) as its acknowledgement.
    await tx.query(
      `UPDATE terminals SET last_seq = $1, last_hash = $2, audit_last_seq = $3, last_push_at = now(),
         queue_depth = coalesce($5, queue_depth), queue_depth_at = CASE WHEN $5::bigint IS NULL THEN queue_depth_at ELSE $6::timestamptz END,
         time_zone = coalesce($7, time_zone)
       WHERE terminal_id = $4`,
      [lastSeq, lastHash, auditSeq, terminalId, options.queueDepth ?? null, options.now().toISOString(), options.timeZone ?? null],
    );
    const resent = [...resentMembers].filter((id) => !balances.has(id));
    if (resent.length > 0) {
      const rows = await tx.query<{ member_id: string; balance: number; version: number }>(
        `SELECT m.member_id, m.balance, m.balance_version AS version FROM unnest($1::text[]) AS r(id)
         JOIN members m ON m.member_id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = r.id), r.id)`,
        [resent],
      );
      for (const r of rows) balances.set(r.member_id, { memberId: r.member_id, balance: r.balance, version: Number(r.version) });
    }
    return {
      ackedThroughSeq: lastSeq,
      auditAckedThroughSeq: auditSeq,
      results,
      serverTime: options.now().toISOString(),
      anonymousSalesAckedThrough: insights.anonymousSalesAckedThrough,
      balances: [...balances.values()],
    };
  });
}
