export type JitterOutput<Item> = { kind: "packet"; item: Item } | { kind: "lost"; count: number };

export interface JitterBufferOptions {
  /** Packets held behind a hole before it counts as loss (default 3: at most 60 ms of extra delay at 20 ms). */
  maxWaitPackets?: number;
  /** A jump beyond this many sequence numbers is a restart, not a hole (default 100). */
  maxGap?: number;
}

/**
 * Sequence-number reorder window for RTP: in-order packets are released at once (no added latency); behind a hole
 * up to `maxWaitPackets` later packets are held so a reordered one can still fill it; then the hole is declared
 * lost. Duplicates and packets older than what was released are dropped (counted by the caller from `push`'s
 * return: `"duplicate"` / `"late"`). `flush()` gives up on every hole (the caller runs it on a timer).
 */
export class JitterBuffer<Item> {
  private readonly held = new Map<number, Item>();
  private expected: number | undefined;
  private lastReleased: number | undefined;
  private readonly maxWait: number;
  private readonly maxGap: number;

  constructor(options: JitterBufferOptions = {}) {
    this.maxWait = options.maxWaitPackets ?? 3;
    this.maxGap = options.maxGap ?? 100;
  }

  /** Packets held behind a hole. */
  get pending(): number {
    return this.held.size;
  }

  reset(): void {
    this.held.clear();
    this.expected = undefined;
    this.lastReleased = undefined;
  }

  push(sequence: number, item: Item): JitterOutput<Item>[] | "duplicate" | "late" {
    if (this.expected === undefined) this.expected = sequence;
    const delta = (sequence - this.expected) & 0xffff;
    if (delta >= 0x8000) return sequence === this.lastReleased ? "duplicate" : "late";
    if (this.held.has(sequence)) return "duplicate";
    const out: JitterOutput<Item>[] = [];
    if (delta > this.maxGap) {
      // A restart (or a long outage): release what is held, then continue from here.
      this.flushInto(out);
      this.expected = sequence;
    }
    this.held.set(sequence, item);
    this.drain(out);
    while (this.held.size > this.maxWait) this.skipHole(out);
    return out;
  }

  /** Gives up on the holes: everything held is released, the gaps reported as lost. */
  flush(): JitterOutput<Item>[] {
    const out: JitterOutput<Item>[] = [];
    this.flushInto(out);
    return out;
  }

  private flushInto(out: JitterOutput<Item>[]): void {
    while (this.held.size > 0) this.skipHole(out);
  }

  private drain(out: JitterOutput<Item>[]): void {
    let next = this.expected!;
    let item = this.held.get(next);
    while (item !== undefined) {
      this.held.delete(next);
      out.push({ kind: "packet", item });
      this.lastReleased = next;
      next = (next + 1) & 0xffff;
      item = this.held.get(next);
    }
    this.expected = next;
  }

  /** Declares the hole before the oldest held packet lost and releases from there. */
  private skipHole(out: JitterOutput<Item>[]): void {
    let nearest = 0x10000;
    for (const sequence of this.held.keys()) nearest = Math.min(nearest, (sequence - this.expected!) & 0xffff);
    if (nearest > 0) out.push({ kind: "lost", count: nearest });
    this.expected = (this.expected! + nearest) & 0xffff;
    this.drain(out);
  }
}
