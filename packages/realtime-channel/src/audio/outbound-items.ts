/** What an outbound queue slot holds. */
export const OutboundItem = {
  /** A chunk of provider audio (at the provider's rate). */
  AUDIO: 0,
  /** Flush the outbound resampler's tail, then `endOfResponse`. */
  FLUSH_AND_END: 1,
  /** `endOfResponse` only (the tail was already sent). */
  END_ONLY: 2,
} as const;
export type OutboundItem = (typeof OutboundItem)[keyof typeof OutboundItem];

const INITIAL_CAPACITY = 8;

/**
 * The session's outbound queue: a ring of reusable slots held in parallel arrays (kind, chunk, generation), so
 * queueing and sending allocate nothing per frame once the ring has grown to the backlog it needs. `shift()`
 * returns the head's kind and leaves its chunk and generation in `chunk` / `generation`.
 */
export class OutboundQueue {
  #kinds = new Uint8Array(INITIAL_CAPACITY);
  #generations = new Uint32Array(INITIAL_CAPACITY);
  #chunks: Array<Uint8Array | undefined> = new Array(INITIAL_CAPACITY).fill(undefined);
  #head = 0;
  #length = 0;
  /** The chunk of the item last shifted (undefined for a marker). */
  chunk: Uint8Array | undefined;
  /** The generation of the item last shifted. */
  generation = 0;

  get length(): number {
    return this.#length;
  }

  /** Audio items waiting (markers not counted). */
  get audioLength(): number {
    let count = 0;
    for (let index = 0; index < this.#length; index++) {
      if (this.#kinds[this.#slot(index)] === OutboundItem.AUDIO) count++;
    }
    return count;
  }

  push(kind: OutboundItem, chunk: Uint8Array | undefined, generation: number): void {
    if (this.#length === this.#kinds.length) this.#grow();
    this.#set(this.#slot(this.#length), kind, chunk, generation);
    this.#length++;
  }

  /** Puts a marker in front of everything queued. */
  unshift(kind: OutboundItem, generation: number): void {
    if (this.#length === this.#kinds.length) this.#grow();
    this.#head = (this.#head + this.#kinds.length - 1) % this.#kinds.length;
    this.#set(this.#head, kind, undefined, generation);
    this.#length++;
  }

  /** Removes the head: its kind (-1 when empty); its chunk and generation are left in `chunk` / `generation`. */
  shift(): OutboundItem | -1 {
    if (this.#length === 0) return -1;
    const slot = this.#head;
    const kind = this.#kinds[slot] as OutboundItem;
    this.chunk = this.#chunks[slot];
    this.generation = this.#generations[slot]!;
    this.#chunks[slot] = undefined;
    this.#head = (slot + 1) % this.#kinds.length;
    this.#length--;
    return kind;
  }

  /** Drops every audio item and keeps the markers, in order. */
  dropAudio(): void {
    let kept = 0;
    for (let index = 0; index < this.#length; index++) {
      const slot = this.#slot(index);
      const kind = this.#kinds[slot] as OutboundItem;
      if (kind !== OutboundItem.AUDIO) {
        this.#set(this.#slot(kept), kind, undefined, this.#generations[slot]!);
        kept++;
      }
    }
    for (let index = kept; index < this.#length; index++) this.#chunks[this.#slot(index)] = undefined;
    this.#length = kept;
  }

  clear(): void {
    this.#chunks.fill(undefined);
    this.#length = 0;
    this.#head = 0;
    this.chunk = undefined;
  }

  #slot(index: number): number {
    return (this.#head + index) % this.#kinds.length;
  }

  #set(slot: number, kind: OutboundItem, chunk: Uint8Array | undefined, generation: number): void {
    this.#kinds[slot] = kind;
    this.#chunks[slot] = chunk;
    this.#generations[slot] = generation;
  }

  #grow(): void {
    const capacity = this.#kinds.length * 2;
    const kinds = new Uint8Array(capacity);
    const generations = new Uint32Array(capacity);
    const chunks: Array<Uint8Array | undefined> = new Array(capacity).fill(undefined);
    for (let index = 0; index < this.#length; index++) {
      const slot = this.#slot(index);
      kinds[index] = this.#kinds[slot]!;
      generations[index] = this.#generations[slot]!;
      chunks[index] = this.#chunks[slot];
    }
    this.#kinds = kinds;
    this.#generations = generations;
    this.#chunks = chunks;
    this.#head = 0;
  }
}
