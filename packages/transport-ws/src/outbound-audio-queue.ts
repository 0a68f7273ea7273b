/**
 * The per-session backpressure queue: audio waits here while the socket's send buffer is above its bound.
 * Bounded in bytes; when full the OLDEST audio is dropped (the caller hears the newest, latency stays bounded).
 */
export class OutboundAudioQueue {
  #items: Uint8Array[] = [];
  #head = 0;
  #bytes = 0;
  readonly #maxBytes: number;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Queues a copy of `audio`; returns how many queued chunks were dropped to make room. */
  push(audio: Uint8Array): number {
    this.#items.push(audio.slice());
    this.#bytes += audio.byteLength;
    let dropped = 0;
    while (this.#bytes > this.#maxBytes && this.length > 1) {
      this.#bytes -= this.#items[this.#head]!.byteLength;
      this.#items[this.#head] = EMPTY;
      this.#head++;
      dropped++;
    }
    this.#compact();
    return dropped;
  }

  shift(): Uint8Array | undefined {
    if (this.length === 0) return undefined;
    const item = this.#items[this.#head]!;
    this.#items[this.#head] = EMPTY;
    this.#head++;
    this.#bytes -= item.byteLength;
    this.#compact();
    return item;
  }

  /** Empties the queue; returns how many chunks were discarded. */
  clear(): number {
    const count = this.length;
    this.#items = [];
    this.#head = 0;
    this.#bytes = 0;
    return count;
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head > 64 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}

const EMPTY = new Uint8Array(0);
