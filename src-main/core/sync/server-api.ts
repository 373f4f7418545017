// The terminal's HTTP client for the central server (protocol v1, docs/sync-protocol.md). Every
// answer is validated; failures are sorted into "try again later" and "a person must act".
import type { z } from 'zod';
import { CardKeyRing, EnrolResponse, MemberBalance, PROTOCOL_VERSION, PullResponse, PushResponse, SnapshotHeader, SnapshotMember } from '../../../src-shared/sync/protocol';
import { pushBodyText, type PushBody } from '../../../src-shared/sync/push-body';
import type { SyncErrorCode } from '../../../src-shared/sync/sync-errors';

/** A failed sync request, with its code given where the failure is met (the status and screens say it by the code). */
export class SyncError extends Error {
  constructor(
    message: string,
    readonly errorCode: SyncErrorCode,
  ) {
    super(message);
  }
}

/** Transient: the network, a timeout, 5xx, 429. The client backs off and retries; nothing is dropped. */
export class TransientSyncError extends SyncError {}
/** Needs a person: a revoked terminal, a refused credential, a request the server calls invalid. */
export class PermanentSyncError extends SyncError {
  constructor(
    message: string,
    readonly status: number,
    /** The server's own error code (REVOKED, VALIDATION...), or HTTP_<status> from a proxy. */
    readonly code: string,
    /** What it means where it was met, when the status alone does not say (enrolment). */
    errorCode: SyncErrorCode = refusalCode(status, code),
  ) {
    super(message, errorCode);
  }
}

/**
 * An enrolment's failure said as what it means there: the server's refusals of the code
 * (docs/sync-protocol.md), and an address a person just typed that answers, but not as a Kasa
 * server (a 404 or 405, a web page) — the "another version" a sync answer would mean.
 */
function enrolFailure(error: unknown): unknown {
  if (error instanceof PermanentSyncError) {
    const meaning: SyncErrorCode | null =
      error.status === 401 ? 'code-unknown'
      : error.code === 'CODE_USED' ? 'code-used'
      : error.code === 'CODE_EXPIRED' ? 'code-expired'
      : error.status === 409 ? 'already-enrolled'
      : error.status === 404 || error.status === 405 ? 'not-kasa-server'
      : null;
    return meaning ? new PermanentSyncError(error.message, error.status, error.code, meaning) : error;
  }
  if (error instanceof TransientSyncError && error.errorCode === 'server-busy') return new TransientSyncError(error.message, 'too-many-attempts');
  if (error instanceof TransientSyncError && error.errorCode === 'bad-reply') return new TransientSyncError(error.message, 'not-kasa-server');
  return error;
}

function refusalCode(status: number, code: string): SyncErrorCode {
  if (status === 413) return 'too-large';
  if (status === 401) return 'credential-refused';
  if (status === 403 && code === 'REVOKED') return 'revoked';
  return 'refused';
}

type ErrorBody = { error?: { code?: unknown; message?: unknown } };

export type ServerApiOptions = {
  baseUrl: string;
  credential: () => string | null;
  timeoutMs: number;
  snapshotTimeoutMs: number;
  /** The snapshot gives up when nothing arrives for this long (default 60 s): a stalled stream is retried, not waited on. */
  snapshotIdleMs?: number;
  /** Aborts every request of this client, a streaming body included (the terminal is closing). */
  signal?: AbortSignal;
};

const SNAPSHOT_IDLE_MS = 60_000;

export class ServerApi {
  constructor(private readonly options: ServerApiOptions) {}

  /**
   * `body` is JSON text, made by the caller (a push body is assembled from JSON made when its batch
   * was read). `idempotent` requests (every one but enrolment: a push is stored once per seq) are
   * sent once more when the connection they went out on turns out to be dead, as browsers do: a
   * kept-alive connection from before the network dropped fails the first request after it is back,
   * and "Sync now" would otherwise say the server is unreachable while it is not.
   */
  private async request(method: 'GET' | 'POST', path: string, body?: string, signal?: AbortSignal, timeoutMs = this.options.timeoutMs, idempotent = true): Promise<Response> {
    const credential = this.options.credential();
    const timeout = AbortSignal.timeout(timeoutMs);
    const send = () =>
      fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
        body,
        signal: AbortSignal.any([timeout, ...[this.options.signal, signal].filter((s) => s !== undefined)]),
      });
    let response: Response;
    try {
      try {
        response = await send();
      } catch (error) {
        if (!idempotent || !connectionDied(error)) throw error;
        response = await send();
      }
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const code = timedOut ? 'timeout' : unreachableCode(error);
      // A certificate TLS refused was reached: "unreachable" would send the installer to the network.
      const what = code === 'timeout' ? 'The server timed out' : code === 'certificate' ? "The server's security certificate was not accepted" : 'The server is unreachable';
      throw new TransientSyncError(`${what} (${describeCause(error)})`, code);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let parsed: ErrorBody = {};
    try {
      parsed = JSON.parse(text) as ErrorBody;
    } catch {
      // Not ours (a proxy's error page): the status says enough.
    }
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : `HTTP_${response.status}`;
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message.slice(0, 300) : `HTTP ${response.status}`;
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      throw new TransientSyncError(`The server answered ${response.status}: ${message}`, response.status === 429 ? 'server-busy' : 'server-error');
    }
    throw new PermanentSyncError(message, response.status, code);
  }

  private async json<S extends z.ZodType>(schema: S, response: Response, what: string): Promise<z.output<S>> {
    let value: unknown;
    try {
      value = await response.json();
    } catch (error) {
      // Text that is not JSON came whole; anything else is the body's stream breaking off.
      throw new TransientSyncError(`The ${what} answer was cut off or is not JSON (${describeCause(error)})`, error instanceof SyntaxError ? 'bad-reply' : 'connection-lost');
    }
    const parsed = schema.safeParse(value);
    // A server of another version, or a proxy answering for it: retrying later is the right move.
    if (!parsed.success) throw new TransientSyncError(`The ${what} answer does not follow protocol v${PROTOCOL_VERSION}`, 'bad-reply');
    return parsed.data;
  }

  async enrol(code: string, terminalId: string, name?: string): Promise<EnrolResponse> {
    try {
      // Not sent twice: a code the first request used up would refuse the second.
      const res = await this.request('POST', '/v1/terminals/enrol', JSON.stringify({ code, terminalId, ...(name ? { name } : {}) }), undefined, undefined, false);
      return await this.json(EnrolResponse, res, 'enrolment');
    } catch (error) {
      throw enrolFailure(error);
    }
  }

  async push(body: PushBody): Promise<PushResponse> {
    const res = await this.request('POST', '/v1/sync/push', pushBodyText(body));
    return this.json(PushResponse, res, 'push');
  }

  async pull(cursor: string | null, limit: number): Promise<PullResponse> {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await this.request('GET', `/v1/sync/pull?${query}`);
    return this.json(PullResponse, res, 'pull');
  }

  /** The chain's card key ring (404 from a server that has none). */
  async cardKeys(): Promise<CardKeyRing> {
    const res = await this.request('GET', '/v1/terminals/card-keys');
    return this.json(CardKeyRing, res, 'card keys');
  }

  async memberBalance(memberId: string, timeoutMs: number): Promise<MemberBalance> {
    const res = await this.request('GET', `/v1/members/${encodeURIComponent(memberId)}/balance`, undefined, undefined, timeoutMs);
    return this.json(MemberBalance, res, 'balance');
  }

  /** Streams the member snapshot: the header first, then members in chunks, in order. */
  async snapshot(onHeader: (header: SnapshotHeader) => void, onMembers: (members: SnapshotMember[]) => void, chunkSize: number): Promise<number> {
    const controller = new AbortController();
    // A stream that stops moving (a stalled server or path) is abandoned and retried from the start.
    const idleMs = this.options.snapshotIdleMs ?? SNAPSHOT_IDLE_MS;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const stillMoving = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new TransientSyncError(`The snapshot stream stalled: nothing arrived for ${Math.round(idleMs / 1000)} s`, 'timeout')), idleMs);
    };
    const stalled = (error: unknown) => (controller.signal.reason instanceof TransientSyncError ? controller.signal.reason : error);
    stillMoving();
    let res: Response;
    try {
      // A big programme's snapshot takes longer than one request may: it gets its own, longer limit.
      res = await this.request('GET', '/v1/members/snapshot', undefined, controller.signal, this.options.snapshotTimeoutMs);
    } catch (error) {
      clearTimeout(idle);
      throw stalled(error);
    }
    if (!res.body) {
      clearTimeout(idle);
      throw new TransientSyncError('The snapshot answer had no body', 'bad-reply');
    }
    const decoder = new TextDecoder();
    let rest = '';
    let header: SnapshotHeader | null = null;
    let batch: SnapshotMember[] = [];
    let received = 0;
    const line = (text: string) => {
      if (!text) return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new TransientSyncError('The snapshot stream holds a line that is not JSON', 'bad-reply');
      }
      if (!header) {
        const parsed = SnapshotHeader.safeParse(value);
        if (!parsed.success) throw new TransientSyncError('The snapshot stream does not start with its header', 'bad-reply');
        header = parsed.data;
        onHeader(header);
        return;
      }
      const member = SnapshotMember.safeParse(value);
      if (!member.success) throw new TransientSyncError('The snapshot stream holds a malformed member', 'bad-reply');
      batch.push(member.data);
      received += 1;
      if (batch.length >= chunkSize) {
        onMembers(batch);
        batch = [];
      }
    };
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        stillMoving();
        rest += decoder.decode(chunk, { stream: true });
        let newline = rest.indexOf('\n');
        while (newline >= 0) {
          line(rest.slice(0, newline));
          rest = rest.slice(newline + 1);
          newline = rest.indexOf('\n');
        }
      }
    } catch (error) {
      const cause = stalled(error);
      if (cause instanceof TransientSyncError) throw cause;
      throw new TransientSyncError(`The snapshot stream broke off (${describeCause(cause)})`, 'connection-lost');
    } finally {
      clearTimeout(idle);
      controller.abort();
    }
    line(rest);
    if (batch.length > 0) onMembers(batch);
    const expected = (header as SnapshotHeader | null)?.members;
    if (expected === undefined || received !== expected) throw new TransientSyncError(`The snapshot stream ended early: ${received} of ${expected ?? '?'} members`, 'connection-lost');
    return received;
  }
}

/** The system's code for why a request failed (ECONNREFUSED, UND_ERR_SOCKET, CERT_HAS_EXPIRED...), if it gave one. */
function causeCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
}

/** The connection closed or was reset under the request (not refused, not timed out): another one may work. */
function connectionDied(error: unknown): boolean {
  const code = causeCode(error);
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Why a request got no answer: a connection that broke off, TLS refusing the server's certificate
 * (OpenSSL's codes: CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID...;
 * an expired or not-yet-valid one is often this PC's clock), or no connection at all.
 */
function unreachableCode(error: unknown): SyncErrorCode {
  if (connectionDied(error)) return 'connection-lost';
  if (/CERT|TLS|SSL|SIGNATURE|ISSUER/.test(causeCode(error) ?? '')) return 'certificate';
  return 'unreachable';
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return ('code' in cause && typeof cause.code === 'string' ? cause.code : cause.message).slice(0, 120);
  return String(cause).slice(0, 120);
}
