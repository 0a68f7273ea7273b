import type { Clock, Logger, RoomEvent } from "@roomkit/spec";

export interface RoomSequencerOptions {
  /** Hands one event from another node to RoomKit; called in index order per room, one at a time per room. */
  deliver(event: RoomEvent): Promise<void>;
  /** Reads stored events of a room with `afterIndex < index < beforeIndex` (ascending), to fill a gap. */
  fetchMissing(roomId: string, afterIndex: number, beforeIndex: number): Promise<RoomEvent[]>;
  /** How long an out-of-order event waits for the missing ones before they are read from the store. */
  gapWaitMs: number;
  clock: Clock;
  logger: Logger;
  /** Rooms tracked at once (least recently seen dropped first). Default 10 000. */
  maxRooms?: number;
}

interface Slot {
  event: RoomEvent;
  /** Stored and broadcast by this node: it advances the sequence but is not delivered again. */
  own: boolean;
}

interface RoomState {
  next: number;
  pending: Map<number, Slot>;
  gapTimer: unknown;
  filling: boolean;
  chain: Promise<void>;
}

/**
 * Turns the events arriving from the bus into each room's index order, each delivered once.
 *
 * Every event RoomKit stores is published, so a room's indexes arrive without gaps unless messages were lost (Redis
 * restarted, a node died between storing and publishing). An event ahead of the next expected index waits
 * `gapWaitMs` for the missing ones, which are then read from the shared store; an index already passed is a
 * duplicate and dropped. The first event seen for a room starts its sequence. Events this node published itself are
 * recorded with `own()` (they were delivered locally) and only advance the sequence.
 */
export class RoomSequencer {
  readonly #options: RoomSequencerOptions;
  readonly #rooms = new Map<string, RoomState>();
  #closed = false;

  constructor(options: RoomSequencerOptions) {
    this.#options = options;
  }

  /** An event this node stored and broadcast. */
  own(event: RoomEvent): void {
    this.#accept(event, true);
  }

  /** An event another node published. */
  arrive(event: RoomEvent): void {
    this.#accept(event, false);
  }

  /** Next expected index per room (for catching up after a reconnect). */
  positions(): Array<{ roomId: string; next: number }> {
    return [...this.#rooms].map(([roomId, state]) => ({ roomId, next: state.next }));
  }

  /** Reads what the store has past each room's position (after the bus reconnected and may have lost messages). */
  async catchUp(): Promise<void> {
    await Promise.all(
      this.positions().map(async ({ roomId, next }) => {
        const events = await this.#options.fetchMissing(roomId, next - 1, Number.MAX_SAFE_INTEGER).catch(() => []);
        for (const event of events) this.arrive(event);
      }),
    );
  }

  /** Reads what the store has past one tracked room's position (after subscribing to it late). */
  async catchUpRoom(roomId: string): Promise<void> {
    const state = this.#rooms.get(roomId);
    if (!state) return;
    const events = await this.#options.fetchMissing(roomId, state.next - 1, Number.MAX_SAFE_INTEGER).catch(() => []);
    for (const event of events) this.arrive(event);
  }

  /** Stops tracking a room (its next event, if any, starts a new sequence). */
  forget(roomId: string): void {
    this.#forget(roomId);
  }

  /** Resolves once every room's deliveries so far finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.#rooms.values()].map((state) => state.chain));
  }

  close(): void {
    this.#closed = true;
    for (const state of this.#rooms.values()) this.#options.clock.clearTimeout(state.gapTimer);
    this.#rooms.clear();
  }

  #accept(event: RoomEvent, own: boolean): void {
    if (this.#closed) return;
    let state = this.#rooms.get(event.roomId);
    if (state) {
      // most recently seen last
      this.#rooms.delete(event.roomId);
      this.#rooms.set(event.roomId, state);
    } else {
      state = { next: event.index, pending: new Map(), gapTimer: undefined, filling: false, chain: Promise.resolve() };
      this.#rooms.set(event.roomId, state);
      const maxRooms = this.#options.maxRooms ?? 10_000;
      while (this.#rooms.size > maxRooms) this.#forget(this.#rooms.keys().next().value as string);
    }
    if (event.index < state.next || state.pending.has(event.index)) {
      this.#options.logger.debug("bus: duplicate room event dropped", { roomId: event.roomId, index: event.index });
      return;
    }
    state.pending.set(event.index, { event, own });
    this.#advance(event.roomId, state);
  }

  #advance(roomId: string, state: RoomState): void {
    let slot = state.pending.get(state.next);
    while (slot) {
      state.pending.delete(state.next);
      state.next++;
      if (!slot.own) {
        const event = slot.event;
        state.chain = state.chain.then(() =>
          this.#options.deliver(event).catch((error: unknown) => {
            this.#options.logger.error("bus: delivering a room event failed", {
              roomId,
              index: event.index,
              error: String(error),
            });
          }),
        );
      }
      slot = state.pending.get(state.next);
    }
    if (state.pending.size === 0) {
      this.#options.clock.clearTimeout(state.gapTimer);
      state.gapTimer = undefined;
    } else if (state.gapTimer === undefined && !state.filling) {
      state.gapTimer = this.#options.clock.setTimeout(() => {
        state.gapTimer = undefined;
        void this.#fillGap(roomId, state);
      }, this.#options.gapWaitMs);
    }
  }

  async #fillGap(roomId: string, state: RoomState): Promise<void> {
    if (this.#closed || state.pending.size === 0) return;
    const firstWaiting = Math.min(...state.pending.keys());
    state.filling = true;
    try {
      const missing = await this.#options.fetchMissing(roomId, state.next - 1, firstWaiting);
      for (const event of missing) {
        if (event.index >= state.next && !state.pending.has(event.index)) {
          state.pending.set(event.index, { event, own: false });
        }
      }
    } catch (error) {
      this.#options.logger.warn("bus: reading missing room events from the store failed", {
        roomId,
        error: String(error),
      });
    } finally {
      state.filling = false;
    }
    if (this.#closed) return;
    if (!state.pending.has(state.next)) {
      // The store does not have them either: skip ahead rather than hold the room forever.
      this.#options.logger.warn("bus: room events missing from the store; skipping", {
        roomId,
        from: state.next,
        to: firstWaiting - 1,
      });
      state.next = firstWaiting;
    }
    this.#advance(roomId, state);
  }

  #forget(roomId: string): void {
    const state = this.#rooms.get(roomId);
    if (state) this.#options.clock.clearTimeout(state.gapTimer);
    this.#rooms.delete(roomId);
  }
}
