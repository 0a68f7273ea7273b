/**
 * Caller audio that a reconnect must replay: everything appended since the server last committed or cleared its
 * input buffer (the server loses an uncommitted buffer with the connection) plus what arrives while reconnecting.
 * Holds the base64 strings already built for the wire (no copy). Bounded by duration; the oldest are dropped.
 */
export class AudioReplayBuffer {
  readonly #frames: string[] = [];
  readonly #durations: number[] = [];
  #head = 0;
  #totalMs = 0;
  #dropped = 0;
  readonly #maxMs: number;

  constructor(maxMs: number) {
    this.#maxMs = maxMs;
  }

  get length(): number {
    return this.#frames.length - this.#head;
  }

  get durationMs(): number {
    return this.#totalMs;
  }

  /** Frames dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  push(base64: string, durationMs: number): void {
    if (this.#maxMs <= 0) return;
    this.#frames.push(base64);
    this.#durations.push(durationMs);
    this.#totalMs += durationMs;
    while (this.#totalMs > this.#maxMs && this.length > 1) {
      this.#totalMs -= this.#durations[this.#head]!;
      this.#head++;
      this.#dropped++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#frames.length) this.#compact();
  }

  clear(): void {
    this.#frames.length = 0;
    this.#durations.length = 0;
    this.#head = 0;
    this.#totalMs = 0;
  }

  /** Removes and returns the buffered frames, oldest first. */
  take(): string[] {
    const frames = this.frames();
    this.clear();
    return frames;
  }

  /** The buffered frames, oldest first. */
  frames(): string[] {
    return this.#frames.slice(this.#head);
  }

  #compact(): void {
    this.#frames.splice(0, this.#head);
    this.#durations.splice(0, this.#head);
    this.#head = 0;
  }
}
