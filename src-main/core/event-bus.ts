import type { EventName, EventPayload } from '../../src-shared/api/contract';
import { silentLogger, type Logger } from './logger';

export type AnyEventListener = (name: EventName, payload: unknown) => void;

/** The core's event stream; transports forward it to every connected client. */
export class EventBus {
  readonly #listeners = new Set<AnyEventListener>();
  /** Events of calls whose transaction has not committed yet (a group of sales), in order. */
  #held: [EventName, unknown][] | null = null;

  constructor(private readonly log: Logger = silentLogger) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (this.#held) this.#held.push([name, payload]);
    else this.#deliver(name, payload);
  }

  /** Holds events until release() (the transaction committed) or drop() (it did not). */
  hold(): void {
    this.#held ??= [];
  }

  release(): void {
    const held = this.#held ?? [];
    this.#held = null;
    for (const [name, payload] of held) this.#deliver(name, payload);
  }

  drop(): void {
    this.#held = null;
  }

  #deliver(name: EventName, payload: unknown): void {
    for (const listener of this.#listeners) {
      try {
        listener(name, payload);
      } catch (error) {
        // A broken listener (a closed socket) must never fail the call that emitted.
        this.log.warn('event.listener-failed', { event: name, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  subscribe(listener: AnyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
