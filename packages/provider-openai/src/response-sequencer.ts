/**
 * Serialises `response.create`: never sent while a response is active or one is already requested, so parallel
 * tool results and injected text never produce `conversation_already_has_active_response`. Requests made
 * meanwhile are coalesced into one, sent after `response.done`.
 */
export class ResponseSequencer {
  #active = false;
  #requested = false;
  #pending = false;
  readonly #send: () => boolean;

  /** `send` writes one `response.create`; it returns false when the socket could not take it. */
  constructor(send: () => boolean) {
    this.#send = send;
  }

  get isActive(): boolean {
    return this.#active;
  }

  /** A `response.create` was sent and its response has not started yet. */
  get isRequested(): boolean {
    return this.#requested;
  }

  get hasPending(): boolean {
    return this.#pending;
  }

  /** Asks for a response: sent now if idle, else once the current one ends. Returns true if sent now. */
  request(): boolean {
    if (this.#active || this.#requested) {
      this.#pending = true;
      return false;
    }
    if (!this.#send()) {
      this.#pending = true;
      return false;
    }
    this.#requested = true;
    return true;
  }

  onResponseCreated(): void {
    this.#active = true;
    this.#requested = false;
  }

  onResponseDone(): void {
    this.#active = false;
    this.#requested = false;
    if (this.#pending) {
      this.#pending = false;
      this.request();
    }
  }

  /** The server refused our request because it started one itself: retry after that one ends. */
  onAlreadyActive(): void {
    this.#requested = false;
    this.#active = true;
    this.#pending = true;
  }

  /** Remembers a request to send once the connection is back (see `flushPending`). */
  defer(): void {
    this.#pending = true;
  }

  /** The connection was replaced: nothing is active on the new one; keep a pending request. */
  reset(): void {
    this.#active = false;
    this.#requested = false;
  }

  /** Sends a request kept while the connection was down. */
  flushPending(): void {
    if (!this.#pending || this.#active || this.#requested) return;
    this.#pending = false;
    this.request();
  }
}
