/** A buffered caller input: an audio frame, or a manual-VAD activity marker that must keep its place. */
export type BufferedInput = Uint8Array | "activityStart" | "activityEnd";

/**
 * Caller input held while the Gemini connection is being (re)established, replayed in order afterwards. Bounded:
 * when full the oldest entry is evicted and counted.
 */
export class ReconnectBuffer {
  readonly #items: BufferedInput[] = [];
  readonly #capacity: number;
  #dropped = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  get size(): number {
    return this.#items.length;
  }
  /** Entries evicted because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Keeps a copy of audio (the caller may reuse its buffer). */
  push(item: BufferedInput): void {
    if (this.#items.length >= this.#capacity) {
      this.#items.shift();
      this.#dropped++;
    }
    this.#items.push(typeof item === "string" ? item : item.slice());
  }

  /** Removes and returns every entry, oldest first. */
  drain(): BufferedInput[] {
    return this.#items.splice(0, this.#items.length);
  }

  clear(): void {
    this.#items.length = 0;
  }
}
