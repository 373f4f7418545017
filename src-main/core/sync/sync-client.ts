// The terminal's sync loop: push the ledger (and audit log) in seq order, then pull the change
// feed (after the member snapshot, for a new terminal). It never blocks the counter: sales go on
// while a request is in flight, and a failed attempt is retried with capped, jittered backoff.
import type { SyncStatus } from '../../../src-shared/api/sync-methods';
import { because, KasaError } from '../../../src-shared/api/errors';
import { validateCatalogue } from '../../../src-shared/catalogue/catalogue';
import { CatalogueStore } from '../catalogue-store';
import type { CoreContext } from '../core-context';
import type { SecretStore } from '../secret-store';
import { nextAnonymousSaleCounts, recordAnonymousSalesAck } from './anonymous-sales';
import { installChainCardKeys } from './chain-card-keys';
import { PermanentSyncError, ServerApi, SyncError, TransientSyncError } from './server-api';
import { SyncStore, type PushedBalance } from './sync-store';
import { PUSH_MAX_ENTRIES, type Change, type PushResponse } from '../../../src-shared/sync/protocol';

const CREDENTIAL = 'sync-credential';

export type SyncClientOptions = {
  /** One request's limit (default 15 s); the snapshot gets ten minutes. */
  requestTimeoutMs?: number;
  /** How often an idle, healthy terminal checks in (default 30 s). */
  intervalMs?: number;
  /** After a sale: how soon its entries are pushed (default 1 s). */
  pokeDelayMs?: number;
  backoff?: { baseMs: number; capMs: number };
  /** Rows per transaction while loading the snapshot. */
  snapshotChunk?: number;
  pageSize?: number;
  random?: () => number;
};

type Phase = SyncStatus['phase'];

export class SyncClient {
  readonly store: SyncStore;
  readonly #options: Required<SyncClientOptions>;
  #phase: Phase = 'idle';
  #online: boolean | null = null;
  #failures = 0;
  #timer: NodeJS.Timeout | null = null;
  /** When #timer fires (ms since the epoch). */
  #timerDueMs = 0;
  #nextAttemptAt: string | null = null;
  #running: Promise<void> | null = null;
  #snapshot: { loaded: number; total: number } | null = null;
  #stopped = true;
  /** Aborted by stop(): a closing terminal leaves no request running (a snapshot download holds a transaction open on the server). */
  #closing = new AbortController();
  /**
   * Entries a push carries at most: the protocol's cap until something on the way refuses a push
   * as too large (413: a reverse proxy whose body limit is below the protocol's 4 MiB, such as
   * nginx's default 1 MB); then halved until pushes pass, for as long as this process runs.
   */
  #pushLimit = PUSH_MAX_ENTRIES;
  /** Members whose balance the server confirmed, and when (ms). */
  readonly #confirmed = new Map<string, number>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly secrets: SecretStore,
    options: SyncClientOptions = {},
  ) {
    this.store = new SyncStore(
      ctx.db,
      (document, activeFrom) => this.installPublished(document, activeFrom),
      (document, at) => this.installPublishedCatalogue(document, at),
    );
    this.#options = {
      requestTimeoutMs: 15_000,
      intervalMs: 30_000,
      pokeDelayMs: 1_000,
      backoff: { baseMs: 1_000, capMs: 120_000 },
      snapshotChunk: 5_000,
      pageSize: 1_000,
      random: Math.random,
      ...options,
    };
  }

  /**
   * A rule set from the server's feed. A version already here is left alone (the feed re-sends
   * absolute states; installing again would re-activate an older version). One the terminal
   * cannot use (another currency, invalid) is kept in server_documents and reported, not fatal.
   */
  private installPublished(document: unknown, activeFrom: string | null): void {
    const version = (document as { version?: unknown }).version;
    if (typeof version === 'string' && this.ctx.ruleSets.get(version)) return;
    try {
      this.ctx.ruleSets.install(document, { activeFrom, now: this.ctx.now(), by: 'server' });
    } catch (error) {
      if (!(error instanceof KasaError)) throw error;
      this.ctx.log.warn('sync.rule-set-not-installed', { version: String(version), error: error.message });
    }
  }

  /**
   * The product catalogue from the server's feed, replacing the one here (in the page's transaction).
   * The same version again is left alone (a version never changes on the server). One this terminal
   * cannot use (invalid, another currency) leaves the current catalogue in place and is logged.
   */
  private installPublishedCatalogue(document: unknown, at: string): void {
    const result = validateCatalogue(document);
    if (!result.ok) {
      this.ctx.log.warn('sync.catalogue-not-installed', { problems: result.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`) });
      return;
    }
    const catalogue = result.value;
    if (catalogue.currency !== this.ctx.settings.currency) {
      this.ctx.log.warn('sync.catalogue-not-installed', { version: catalogue.version, error: `prices in ${catalogue.currency}; this store sells in ${this.ctx.settings.currency}` });
      return;
    }
    const products = new CatalogueStore(this.ctx.db);
    const current = products.info();
    if (current?.source === 'server' && current.version === catalogue.version) return;
    products.replace(catalogue, 'server', null, at);
    this.ctx.log.info('catalogue.installed', { version: catalogue.version, products: catalogue.products.length, source: 'server' });
  }

  /** Starts the loop (a terminal that is not enrolled just reports so). */
  start(): void {
    this.#stopped = false;
    if (this.#closing.signal.aborted) this.#closing = new AbortController();
    this.schedule(0);
  }

  stop(): void {
    this.#stopped = true;
    this.#closing.abort(new TransientSyncError('The terminal is closing', 'other'));
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * Something was written: push it soon, unless the loop is backing off after a failure. A push
   * already due as soon stays where it is, so a counter selling without a pause still pushes a
   * delay after its first unsent sale (and a sale costs no new timer).
   */
  poke(): void {
    if (this.#stopped || this.#running || this.#failures > 0) return;
    if (this.#timer && this.#timerDueMs <= Date.now() + this.#options.pokeDelayMs) return;
    this.schedule(this.#options.pokeDelayMs);
  }

  status(): SyncStatus {
    const state = this.store.state();
    const counts = this.store.counts();
    const phase: Phase = !state ? 'not-enrolled' : state.revoked_at ? 'revoked' : this.#phase;
    return {
      enrolled: state !== null && state.revoked_at === null,
      serverUrl: state?.server_url ?? null,
      storeId: state?.store_id ?? null,
      storeName: state?.store_name ?? null,
      phase,
      online: this.#online,
      lastSuccessAt: state?.last_success_at ?? null,
      lastAttemptAt: state?.last_attempt_at ?? null,
      nextAttemptAt: this.#nextAttemptAt,
      lastError: this.store.lastError(),
      ...counts,
      ackedThroughSeq: state?.acked_through_seq ?? 0,
      snapshot: this.#snapshot,
    };
  }

  /** Enrols with a one-time code; the credential goes to the secret store, never to SQLite. */
  async enrol(serverUrl: string, code: string, name?: string): Promise<{ terminalId: string; storeId: string; storeName: string; serverUrl: string }> {
    const api = new ServerApi({ baseUrl: serverUrl, credential: () => null, timeoutMs: this.#options.requestTimeoutMs, snapshotTimeoutMs: 0, signal: this.#closing.signal });
    try {
      const enrolled = await api.enrol(code, this.ctx.terminalId, name);
      if (enrolled.terminalId !== this.ctx.terminalId) {
        throw new KasaError('UNAVAILABLE', 'The server enrolled this terminal under another id: check the server version', because('sync-failed', { syncError: 'bad-reply' }));
      }
      this.secrets.set(CREDENTIAL, Buffer.from(enrolled.credential, 'utf8'));
      this.store.saveEnrolment(serverUrl, enrolled.storeId, enrolled.storeName, this.ctx.now());
      if (enrolled.cardKeys) installChainCardKeys(this.ctx, enrolled.cardKeys);
      this.ctx.log.info('sync.enrolled', { serverUrl, storeId: enrolled.storeId });
      this.#failures = 0;
      this.#phase = 'idle';
      this.emit();
      if (!this.#stopped) this.schedule(0);
      return { terminalId: enrolled.terminalId, storeId: enrolled.storeId, storeName: enrolled.storeName, serverUrl };
    } catch (error) {
      // The code (server-api.ts) is what the screen says, in its language; the message is the detail.
      if (error instanceof TransientSyncError) {
        const advice =
          error.errorCode === 'certificate'
            ? "Check this PC's date and time; a server whose certificate comes from the chain's own authority needs that authority trusted (NODE_EXTRA_CA_CERTS, docs/installation.md)"
            : 'Check the address and the network, then try again';
        throw new KasaError('UNAVAILABLE', `${error.message}. ${advice}`, because('sync-failed', { syncError: error.errorCode }));
      }
      if (error instanceof PermanentSyncError) {
        const code = error.status === 409 ? 'ALREADY_EXISTS' : error.status === 400 ? 'VALIDATION' : 'UNAUTHENTICATED';
        throw new KasaError(code, `The server refused the enrolment: ${error.message}`, because('sync-failed', { syncError: error.errorCode }));
      }
      throw error;
    }
  }

  /**
   * Asks the server for a member's balance before points are spent, waiting at most `timeoutMs`.
   * Answered: the balance is stored and spending is judged on it for a minute. Not answered (or
   * not enrolled): the offline policy applies, and the caller is told so.
   */
  async confirmBalance(memberId: string, timeoutMs: number): Promise<{ confirmed: boolean; memberId: string; balance: number | null }> {
    const state = this.store.state();
    const local = () => this.ctx.db.prepare<[string], { balance: number }>('SELECT balance FROM members WHERE member_id = ?').get(this.store.resolve(memberId))?.balance ?? null;
    if (!state || state.revoked_at) return { confirmed: false, memberId, balance: local() };
    try {
      const answer = await this.api(state.server_url).memberBalance(this.store.resolve(memberId), timeoutMs);
      this.store.confirmServerBalance(answer.memberId, answer.balance, answer.version ?? null, this.ctx.now());
      this.#confirmed.set(answer.memberId, Date.now());
      this.#online = true;
      return { confirmed: true, memberId: answer.memberId, balance: local() };
    } catch {
      return { confirmed: false, memberId, balance: local() };
    }
  }

  /** Whether the server confirmed this member's balance within the last minute. */
  isConfirmed(memberId: string, maxAgeMs = 60_000): boolean {
    const at = this.#confirmed.get(this.store.resolve(memberId));
    return at !== undefined && Date.now() - at <= maxAgeMs;
  }

  /** Runs one attempt now (or joins the one running) and answers with the status after it. */
  async syncNow(timeoutMs: number): Promise<SyncStatus> {
    const attempt = (this.#running ?? Promise.resolve()).then(() => this.runOnce());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([attempt, timeout]);
    clearTimeout(timer);
    return this.status();
  }

  /** One push-then-pull attempt. Never throws: the outcome is in the status. */
  runOnce(): Promise<void> {
    if (this.#running) return this.#running;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextAttemptAt = null;
    this.#running = this.cycle().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  private schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerDueMs = Date.now() + delayMs;
    this.#nextAttemptAt = new Date(this.#timerDueMs).toISOString();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.runOnce();
    }, delayMs);
    this.#timer.unref();
  }

  private emit(): void {
    if (this.ctx.db.open) this.ctx.events.emit('sync.status', this.status());
  }

  private setPhase(phase: Phase): void {
    this.#phase = phase;
    this.emit();
  }

  private api(serverUrl: string): ServerApi {
    return new ServerApi({
      baseUrl: serverUrl,
      credential: () => this.secrets.get(CREDENTIAL)?.toString('utf8') ?? null,
      timeoutMs: this.#options.requestTimeoutMs,
      snapshotTimeoutMs: 10 * 60_000,
      signal: this.#closing.signal,
    });
  }

  private async cycle(): Promise<void> {
    const state = this.store.state();
    if (!state || state.revoked_at) {
      this.setPhase(state ? 'revoked' : 'not-enrolled');
      return;
    }
    const api = this.api(state.server_url);
    this.store.recordAttempt(this.ctx.now());
    let sent: number[] = [];
    try {
      await this.pushAll(api, (seqs) => (sent = seqs));
      sent = [];
      await this.pullAll(api);
      this.#online = true;
      if (this.#failures > 0) this.ctx.log.info('sync.recovered', { afterFailures: this.#failures });
      this.#failures = 0;
      this.store.recordSuccess(this.ctx.now());
      this.setPhase('idle');
      this.schedule(this.#options.intervalMs);
    } catch (error) {
      // Cut short by stop(): the terminal is closing, which is no failure to record.
      if (!this.ctx.db.open || this.#closing.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      // Classified where it was met (server-api.ts, BlockedError below); anything else is unexpected.
      const code = error instanceof SyncError ? error.errorCode : 'other';
      this.#snapshot = null;
      if (code === 'revoked' || code === 'credential-refused') {
        // The credential no longer works: only a new enrolment code helps. Entries stay queued.
        this.#online = true;
        // The server's refusal of a revoked terminal says to enrol it again; an unknown credential's does not.
        const advice = code === 'revoked' ? '' : '. Enrol the terminal again with a new code';
        this.store.markRevoked(this.ctx.now(), { code, message: `${message}${advice}; nothing queued is lost` });
        this.ctx.log.error('sync.revoked', { error: message, code });
        this.setPhase('revoked');
        return;
      }
      this.#online = !(error instanceof TransientSyncError);
      this.store.recordFailure({ code, message }, this.ctx.now(), sent);
      this.ctx.log.warn('sync.failed', { error: message, code, transient: error instanceof TransientSyncError, failures: this.#failures + 1 });
      this.#failures += 1;
      this.#phase = error instanceof BlockedError ? 'blocked' : 'waiting-to-retry';
      this.schedule(this.backoffMs());
      this.emit(); // after scheduling, so the status carries the next attempt's time
    }
  }

  private backoffMs(): number {
    const { baseMs, capMs } = this.#options.backoff;
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(this.#failures - 1, 30));
    // Equal jitter: terminals of a chain that lost the server together do not return together.
    return Math.round(ceiling / 2 + (this.#options.random() * ceiling) / 2);
  }

  private async pushAll(api: ServerApi, inFlight: (seqs: number[]) => void): Promise<void> {
    // The newest balance each answer reported per member, shown once the pushes end (even in failure).
    const reported = new Map<string, PushedBalance>();
    try {
      await this.pushBatches(api, inFlight, reported);
    } finally {
      if (reported.size > 0 && this.ctx.db.open) this.store.applyPushedBalances(reported.values(), this.ctx.now());
    }
  }

  /**
   * Pushes batch after batch until nothing is queued. The terminal's own work overlaps the
   * server's: while a batch is in flight, the previous answer is recorded and the next batch is
   * read (a catch-up spends about a fifth of its time there). An answer that does not take the
   * whole batch (a restored server, a refused entry) drops the batch read ahead: the next one is
   * read again from what the server acknowledged.
   */
  private async pushBatches(api: ServerApi, inFlight: (seqs: number[]) => void, reported: Map<string, PushedBalance>): Promise<void> {
    const broken = this.ctx.integrity.ledger;
    const start = this.store.state();
    if (!start) return;
    let acked = start.acked_through_seq;
    let auditAcked = start.audit_acked_through_seq;
    let batch = this.store.nextBatch(this.#pushLimit);
    // The last answer, recorded while the next batch is in flight (or when the pushes end).
    let unrecorded: PushResponse | null = null;
    const record = () => {
      const response = unrecorded;
      unrecorded = null;
      if (!response || !this.ctx.db.open) return;
      this.store.recordPush(response, this.ctx.now());
      for (const b of response.balances ?? []) {
        if ((reported.get(b.memberId)?.version ?? -1) < b.version) reported.set(b.memberId, { ...b, ackedThroughSeq: response.ackedThroughSeq });
      }
      this.emit();
    };
    try {
      for (;;) {
        const { timeZone } = this.ctx.settings;
        const anonymousSales = nextAnonymousSaleCounts(this.ctx.db, timeZone);
        if (batch.seqs.length === 0 && batch.audit.length === 0 && !anonymousSales) return;
        if (broken && batch.seqs.length > 0) {
          throw new BlockedError(`The ledger failed its integrity check at start (entry ${broken.seq}: ${broken.reason}); nothing is sent until support has looked at it`, 'ledger-broken');
        }
        // Each batch's answer is emitted when recorded: only the first batch changes the phase.
        if (this.#phase !== 'pushing') this.setPhase('pushing');
        inFlight(batch.seqs);
        const { entriesJson, auditJson, queueDepth } = batch;
        const answer = api.push({ entriesJson, auditJson, queueDepth, sentAt: this.ctx.now(), timeZone, ...(anonymousSales ? { anonymousSales } : {}) });
        // Its failure is taken below, where it is awaited; until then it must not count as unhandled.
        answer.catch(() => undefined);
        // Let the request leave before the terminal's own work on the previous and next batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
        record();
        let following = this.store.nextBatch(this.#pushLimit, { seq: batch.throughSeq, auditSeq: batch.auditThroughSeq });
        let response: PushResponse;
        try {
          response = await answer;
        } catch (error) {
          if (!(error instanceof PermanentSyncError && error.status === 413)) throw error;
          const size = Math.max(batch.seqs.length, batch.audit.length);
          if (size <= 1) {
            throw new PermanentSyncError(
              `One entry's push (${Buffer.byteLength(batch.entriesJson) + Buffer.byteLength(batch.auditJson)} bytes) is too large for the server or a proxy on the way (HTTP 413): raise its body limit to 5 MB (nginx: client_max_body_size)`,
              413,
              error.code,
            );
          }
          this.#pushLimit = Math.max(1, Math.floor(size / 2));
          this.ctx.log.warn('sync.push-too-large', { entries: batch.seqs.length, auditRecords: batch.audit.length, nextLimit: this.#pushLimit });
          batch = this.store.nextBatch(this.#pushLimit);
          continue;
        }
        unrecorded = response;
        const anonymousMoved = anonymousSales ? recordAnonymousSalesAck(this.ctx.db, anonymousSales, response.anonymousSalesAckedThrough) : false;
        // A server restored from a backup acknowledges less than before: push again from there.
        if (response.ackedThroughSeq < acked) {
          record();
          acked = response.ackedThroughSeq;
          auditAcked = response.auditAckedThroughSeq;
          batch = this.store.nextBatch(this.#pushLimit);
          continue;
        }
        const lastLocal = batch.seqs.at(-1) ?? acked;
        if (response.ackedThroughSeq > lastLocal) {
          throw new BlockedError(`The server holds entries up to ${response.ackedThroughSeq} but this terminal's ledger ends at ${lastLocal}: it was restored from an older copy. Call support; nothing here is deleted`, 'ledger-behind-server');
        }
        const progressed = response.ackedThroughSeq > acked || response.auditAckedThroughSeq > auditAcked || anonymousMoved;
        if (!progressed) {
          const first = response.results[0];
          throw new BlockedError(`The server did not accept entry ${first?.seq ?? '?'} (${first?.status ?? 'no answer'}); it stays queued`, 'entry-refused');
        }
        acked = response.ackedThroughSeq;
        auditAcked = response.auditAckedThroughSeq;
        if (acked !== batch.throughSeq || auditAcked !== batch.auditThroughSeq) {
          // Not all of it was taken: the batch read ahead starts too far on.
          record();
          batch = this.store.nextBatch(this.#pushLimit);
          continue;
        }
        // Read ahead while nothing was left: anything queued since (a sale during the push) goes now.
        if (following.seqs.length === 0 && following.audit.length === 0) following = this.store.nextBatch(this.#pushLimit, { seq: acked, auditSeq: auditAcked });
        batch = following;
      }
    } finally {
      record();
    }
  }

  private async pullAll(api: ServerApi): Promise<void> {
    let cardKeyVersion: number | undefined;
    for (let guard = 0; guard < 100_000; guard += 1) {
      const cursor = this.store.state()?.feed_cursor ?? null;
      if (cursor === null) {
        await this.loadSnapshot(api);
        continue;
      }
      this.setPhase('pulling');
      const page = await api.pull(cursor, this.#options.pageSize);
      if (page.mustRefetch) {
        this.store.forgetCursor();
        continue;
      }
      this.store.applyPage(page.changes, page.cursor, this.ctx.now());
      cardKeyVersion = page.cardKeyVersion ?? cardKeyVersion;
      if (!page.hasMore) break;
    }
    if (cardKeyVersion !== undefined && cardKeyVersion !== this.ctx.cardKeys.chainVersion) await this.fetchCardKeys(api);
  }

  /**
   * The chain's card key ring, when the feed says it has another version than the one held (a
   * rotation, or a terminal enrolled before the server had one). Not having it only delays
   * sharing card links: the sync goes on, and the next pull asks again.
   */
  private async fetchCardKeys(api: ServerApi): Promise<void> {
    try {
      installChainCardKeys(this.ctx, await api.cardKeys());
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
      this.ctx.log.warn('sync.card-keys-failed', { error: error.message });
    }
  }

  private async loadSnapshot(api: ServerApi): Promise<void> {
    this.#snapshot = { loaded: 0, total: 0 };
    this.setPhase('loading-snapshot');
    let cursor = '';
    let lastEmit = 0;
    // Merges apply once the members are in: a merge moves what this terminal holds under the old id
    // to the survivor, whose row comes with the members.
    let merges: Change[] = [];
    await api.snapshot(
      (header) => {
        cursor = header.cursor;
        merges = header.documents.filter((d) => d.dataset === 'merges');
        this.store.applyDocuments(header.documents.filter((d) => d.dataset !== 'merges'), this.ctx.now());
        this.#snapshot = { loaded: 0, total: header.members };
        this.emit();
      },
      (members) => {
        this.store.applySnapshotMembers(members, this.ctx.now());
        const progress = this.#snapshot ?? { loaded: 0, total: 0 };
        this.#snapshot = { loaded: progress.loaded + members.length, total: progress.total };
        if (Date.now() - lastEmit > 250) {
          lastEmit = Date.now();
          this.emit();
        }
      },
      this.#options.snapshotChunk,
    );
    this.store.applyDocuments(merges, this.ctx.now());
    this.store.finishSnapshot(cursor);
    this.#snapshot = null;
  }
}

/** Retrying will not help until a person acts; the loop still retries slowly in case they did. */
class BlockedError extends SyncError {}
