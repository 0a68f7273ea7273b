import { type Clock, ProviderConnectionError } from "@roomkit/spec";

interface PendingAck {
  eventId: string;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: unknown;
}

/**
 * `session.update` requests waiting for their answer. `session.updated` carries no client event id, so it
 * settles the oldest; an `error` echoing our `event_id` settles that one. Each has a timeout.
 */
export class SessionUpdateAcks {
  readonly #pending: PendingAck[] = [];
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  #sequence = 0;

  constructor(clock: Clock, timeoutMs: number) {
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
  }

  /** Registers a request and runs `send(eventId)`; resolves on `session.updated`. */
  wait(send: (eventId: string) => void, timeoutError: () => Error): Promise<void> {
    const eventId = `rk_session_${++this.#sequence}`;
    return new Promise<void>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => this.settle(eventId, timeoutError()), this.#timeoutMs);
      this.#pending.push({ eventId, resolve, reject, timer });
      try {
        send(eventId);
      } catch (error) {
        this.settle(eventId, new ProviderConnectionError({ message: "Could not send session.update", cause: error }));
      }
    });
  }

  /** Settles one request (by event id) or, without an id, the oldest. Returns false if none matched. */
  settle(eventId: string | undefined, error?: Error): boolean {
    const index = eventId === undefined ? 0 : this.#pending.findIndex((ack) => ack.eventId === eventId);
    const ack = this.#pending[index];
    if (ack === undefined) return false;
    this.#pending.splice(index, 1);
    this.#clock.clearTimeout(ack.timer);
    if (error) ack.reject(error);
    else ack.resolve();
    return true;
  }

  rejectAll(error: Error): void {
    for (const ack of this.#pending.splice(0)) {
      this.#clock.clearTimeout(ack.timer);
      ack.reject(error);
    }
  }
}
