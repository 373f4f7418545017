import type { EventName, EventPayload } from '../../src-shared/api/contract';

export type AnyEventListener = (name: EventName, payload: unknown) => void;

/** The core's event stream; transports forward it to every connected client. */
export class EventBus {
  readonly #listeners = new Set<AnyEventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.#listeners) {
      try {
        listener(name, payload);
      } catch (error) {
        // A broken listener (a closed socket) must never fail the call that emitted.
        console.error(`event listener for ${name} failed:`, error instanceof Error ? error.message : error);
      }
    }
  }

  subscribe(listener: AnyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
