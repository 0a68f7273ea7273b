import type { Logger } from "@roomkit/spec";
import type { GeminiSessionStats } from "./connection-events.ts";

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

/**
 * What a reconnect replays, in one place: caller input held while no connection is open (a `ReconnectBuffer`), and
 * the base64 audio sent since the latest resumable handle (a resumed session has not heard it). Both are bounded by
 * `capacity` frames; evictions are counted in `stats` and logged.
 */
export class ReplayBuffer {
  readonly #held: ReconnectBuffer;
  readonly #capacity: number;
  readonly #stats: GeminiSessionStats;
  readonly #logger: Logger;
  /** Base64 audio sent since the latest resumable handle (no copy: the strings are kept). */
  #sinceHandle: string[] = [];

  constructor(options: { capacity: number; stats: GeminiSessionStats; logger: Logger }) {
    this.#held = new ReconnectBuffer(options.capacity);
    this.#capacity = options.capacity;
    this.#stats = options.stats;
    this.#logger = options.logger;
  }

  /** Holds input while no connection is open; the oldest is evicted when full. */
  hold(item: BufferedInput): void {
    const before = this.#held.dropped;
    this.#held.push(item);
    if (typeof item !== "string") this.#stats.audioFramesBuffered++;
    if (this.#held.dropped !== before) {
      this.#stats.audioFramesDropped = this.#held.dropped;
      this.#logger.warn("Gemini: reconnect buffer full; oldest audio dropped", { dropped: this.#held.dropped });
    }
  }

  /** Removes and returns the held input, oldest first. */
  drainHeld(): BufferedInput[] {
    return this.#held.drain();
  }

  /** Remembers audio just sent, until the next resumable handle. */
  sent(data: string): void {
    const window = this.#sinceHandle;
    if (window.length >= this.#capacity) {
      window.shift();
      this.#stats.replayWindowOverflows++;
    }
    window.push(data);
  }

  /** A resumable handle arrived: the server has everything sent so far. */
  handleArrived(): void {
    this.#sinceHandle.length = 0;
  }

  /** Removes and returns the audio sent since the latest handle, oldest first. */
  takeSinceHandle(): string[] {
    const frames = this.#sinceHandle;
    this.#sinceHandle = [];
    return frames;
  }

  clear(): void {
    this.#held.clear();
    this.#sinceHandle = [];
  }
}
