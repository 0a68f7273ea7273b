/**
 * The tool call ids one session has seen: the calls in flight (each with an AbortController for its handler) and
 * the most recent finished ids, so a provider that repeats a call id is refused without the memory growing for
 * the life of the session. Cancellations are remembered only for calls in flight.
 */
export class ToolCallLedger {
  readonly #inFlight = new Map<string, AbortController>();
  readonly #cancelled = new Set<string>();
  readonly #recent = new Set<string>();
  readonly #recentLimit: number;

  constructor(recentLimit = 256) {
    this.#recentLimit = recentLimit;
  }

  /** Ids held (in flight + recently finished). */
  get size(): number {
    return this.#inFlight.size + this.#recent.size;
  }

  /** A new call: its controller, or undefined when the id is a duplicate. */
  begin(callId: string): AbortController | undefined {
    if (this.#inFlight.has(callId) || this.#recent.has(callId)) return undefined;
    const controller = new AbortController();
    this.#inFlight.set(callId, controller);
    return controller;
  }

  /** The provider withdrew these calls: their handlers are aborted and their results must not be submitted. */
  cancel(callIds: readonly string[], reason?: unknown): void {
    for (const callId of callIds) {
      const controller = this.#inFlight.get(callId);
      if (controller === undefined || this.#cancelled.has(callId)) continue;
      this.#cancelled.add(callId);
      controller.abort(reason);
    }
  }

  isCancelled(callId: string): boolean {
    return this.#cancelled.has(callId);
  }

  finish(callId: string): void {
    if (!this.#inFlight.delete(callId)) return;
    this.#cancelled.delete(callId);
    this.#recent.add(callId);
    if (this.#recent.size > this.#recentLimit) this.#recent.delete(this.#recent.values().next().value!);
  }

  /** The session ended: every handler still running is aborted. */
  abortAll(reason: unknown): void {
    for (const controller of this.#inFlight.values()) controller.abort(reason);
  }
}
