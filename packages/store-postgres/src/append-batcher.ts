/** What one queued append resolves to, as reported by the batch. */
export type AppendOutcome = { outcome: "stored"; index: number } | { outcome: "room_not_found" | "duplicate" };

interface Pending<Item> {
  item: Item;
  roomId: string;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

export interface AppendBatcherOptions<Item> {
  /** Writes one batch in one round trip; returns one outcome per item, in the order given. */
  write(items: Item[]): Promise<AppendOutcome[]>;
  /** Most items in one batch. */
  maxBatchSize: number;
  /** Most batches in flight at once (each on its own pooled connection). */
  maxInFlight: number;
}

/**
 * Group commit for timeline appends: appends submitted while a batch is being written are queued and written
 * together by the next one, so N concurrent sessions cost about one round trip instead of N.
 *
 * Ordering: a room's appends are written in submission order. All of a room's queued appends go into the same batch
 * (the database applies them in order), and a room with a batch in flight is held back until that batch finished, so a
 * later append can never be committed before an earlier one on another connection.
 */
export class AppendBatcher<Item> {
  readonly #options: AppendBatcherOptions<Item>;
  #queue: Pending<Item>[] = [];
  /** Rooms with a batch being written. */
  readonly #inFlightRooms = new Set<string>();
  #inFlight = 0;
  #scheduled = false;
  readonly #idle: Array<() => void> = [];

  constructor(options: AppendBatcherOptions<Item>) {
    this.#options = options;
  }

  submit(roomId: string, item: Item): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, roomId, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once nothing is queued or in flight. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // A microtask: appends submitted in the same tick join the same batch.
    queueMicrotask(() => {
      this.#scheduled = false;
      while (this.#inFlight < this.#options.maxInFlight && this.#startBatch()) {}
    });
  }

  /** Takes the next batch off the queue and writes it; false when nothing could be taken. */
  #startBatch(): boolean {
    const batch: Pending<Item>[] = [];
    const rest: Pending<Item>[] = [];
    const taken = new Set<string>();
    const heldBack = new Set<string>();
    for (const pending of this.#queue) {
      const room = pending.roomId;
      if (this.#inFlightRooms.has(room) || heldBack.has(room)) {
        rest.push(pending);
        heldBack.add(room);
      } else if (taken.has(room) || batch.length < this.#options.maxBatchSize) {
        batch.push(pending);
        taken.add(room);
      } else {
        rest.push(pending);
        heldBack.add(room);
      }
    }
    if (batch.length === 0) return false;
    this.#queue = rest;
    this.#inFlight++;
    for (const room of taken) this.#inFlightRooms.add(room);
    void this.#write(batch, taken);
    return true;
  }

  async #write(batch: Pending<Item>[], rooms: Set<string>): Promise<void> {
    try {
      const outcomes = await this.#options.write(batch.map((pending) => pending.item));
      batch.forEach((pending, position) => {
        const outcome = outcomes[position];
        if (outcome) pending.resolve(outcome);
        else pending.reject(new Error(`the batch returned no outcome for item ${position}`));
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#inFlight--;
      for (const room of rooms) {
        this.#inFlightRooms.delete(room);
      }
      if (this.#queue.length > 0) this.#schedule();
      else if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
