// Pushes are checked and stored a few at a time, and their bodies stay bytes until their turn. A
// 1,000-entry batch is ~0.7 MB of JSON and several MB of objects once parsed: parsed as they
// arrived, 50 terminals' batches sat in the heap while they waited for a database connection, and
// the garbage collector copied them again and again. A chain reconnecting after an outage sends
// far more than 50 at once; the bytes of a waiting push cost the heap nothing to keep.
import type { FastifyBodyParser, FastifyInstance, FastifyRequest } from 'fastify';
import pLimit, { type LimitFunction } from 'p-limit';
import { parseLinedPushBody } from './push-body';

/** Pushes checked and stored at once unless the server is told otherwise (`--push-concurrency`). */
export const DEFAULT_PUSH_CONCURRENCY = 4;

/** A push body as received, parsed when the push's turn comes. */
class PushBytes {
  constructor(readonly bytes: Buffer) {}
}

export type PushLoad = { running: number; waiting: number; concurrency: number };

export class PushAdmission {
  readonly #limit: LimitFunction;
  #parseJson: FastifyBodyParser<string> | null = null;

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`push concurrency must be a whole number of at least 1, not ${concurrency}`);
    this.#limit = pLimit(concurrency);
  }

  /**
   * Makes JSON bodies in `scope` (the push route's own plugin) stay bytes until `run` parses them,
   * with fastify's own JSON parser and its defaults: a "__proto__" or "constructor" key is refused.
   */
  keepBodiesRaw(scope: FastifyInstance): void {
    this.#parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, new PushBytes(body as Buffer)));
  }

  /** Runs `work` on the request's parsed body once fewer than `concurrency` pushes are running. */
  run<T>(request: FastifyRequest, work: (body: unknown) => Promise<T>): Promise<T> {
    return this.#limit(() => work(this.#parsed(request)));
  }

  load(): PushLoad {
    return { running: this.#limit.activeCount, waiting: this.#limit.pendingCount, concurrency: this.concurrency };
  }

  #parsed(request: FastifyRequest): unknown {
    const { body } = request;
    if (!(body instanceof PushBytes) || !this.#parseJson) return body;
    const parse = parsingWith(this.#parseJson, request);
    return parseLinedPushBody(body.bytes, parse) ?? parse(body.bytes.toString('utf8'));
  }
}

/** A fastify JSON parser as a function that returns the value of a text, or throws its refusal (400). */
export function parsingWith(parser: FastifyBodyParser<string>, request: FastifyRequest): (text: string) => unknown {
  return (text) => {
    let parsed: unknown;
    let failure: Error | null = null;
    // Synchronous: the default parser calls back before it returns.
    void parser(request, text, (error, value) => {
      failure = error;
      parsed = value;
    });
    if (failure) throw failure;
    return parsed;
  };
}
