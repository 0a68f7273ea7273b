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

/**
 * With manual VAD, caller audio outside `activityStart`…`activityEnd` is not sent (the service takes audio inside an
 * activity only); the last `maxBytes` of it are kept here and sent right after `activityStart`, so the first
 * syllable — spoken before the local VAD fired — is not cut off (pipecat-ai/pipecat#4597 does the same).
 */
export class PreRoll {
  readonly #frames: Uint8Array[] = [];
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = Math.max(0, maxBytes);
  }

  /** Keeps a copy (the caller may reuse its buffer); the oldest frames go beyond `maxBytes`. */
  push(pcm: Uint8Array): void {
    if (this.#maxBytes === 0) return;
    this.#frames.push(pcm.slice());
    this.#bytes += pcm.byteLength;
    while (this.#bytes > this.#maxBytes && this.#frames.length > 1) this.#bytes -= this.#frames.shift()!.byteLength;
  }

  /** Removes and returns the kept frames, oldest first. */
  drain(): Uint8Array[] {
    this.#bytes = 0;
    return this.#frames.splice(0, this.#frames.length);
  }

  clear(): void {
    this.#frames.length = 0;
    this.#bytes = 0;
  }
}
