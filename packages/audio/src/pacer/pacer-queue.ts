import type { Clock } from "@roomkit/spec";

export const RESPONSE_END = Symbol("response-end");
export const STOP = Symbol("stop");
/** `take` timed out. */
export const TIMEOUT = Symbol("timeout");
/** `take` was woken by `wake()` (interrupt or cancellation) without an item. */
export const WOKEN = Symbol("woken");

export type QueueItem = Uint8Array | typeof RESPONSE_END | typeof STOP;
export type TakeResult = QueueItem | typeof TIMEOUT | typeof WOKEN;

/**
 * The pacer's unbounded FIFO with one reader: `take` with an optional timeout, an interruptible `sleep`, and `wake`
 * to release the reader from either. Timers come from the injected clock.
 */
export class PacerQueue {
  private items: QueueItem[] = [];
  private head = 0;
  private reader: ((value: TakeResult) => void) | undefined;
  private readerTimer: unknown;
  private sleeper: (() => void) | undefined;
  private sleeperTimer: unknown;

  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  put(item: QueueItem): void {
    const reader = this.reader;
    if (reader) {
      this.releaseReader();
      reader(item);
      return;
    }
    this.items.push(item);
  }

  /** The next item, or TIMEOUT after `timeoutMs` (none: wait forever), or WOKEN. */
  take(timeoutMs?: number): Promise<TakeResult> | TakeResult {
    if (this.head < this.items.length) {
      const item = this.items[this.head++];
      if (this.head === this.items.length) {
        this.items.length = 0;
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return item;
    }
    return new Promise<TakeResult>((resolve) => {
      this.reader = resolve;
      if (timeoutMs !== undefined) {
        this.readerTimer = this.clock.setTimeout(() => {
          this.readerTimer = undefined;
          this.reader = undefined;
          resolve(TIMEOUT);
        }, timeoutMs);
      }
    });
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.sleeper = resolve;
      this.sleeperTimer = this.clock.setTimeout(() => {
        this.sleeper = undefined;
        this.sleeperTimer = undefined;
        resolve();
      }, ms);
    });
  }

  /** Drops every queued item. */
  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }

  /** Releases a pending `take` (with WOKEN) and a pending `sleep`. Not sticky. */
  wake(): void {
    const reader = this.reader;
    if (reader) {
      this.releaseReader();
      reader(WOKEN);
    }
    const sleeper = this.sleeper;
    if (sleeper) {
      this.clock.clearTimeout(this.sleeperTimer);
      this.sleeper = undefined;
      this.sleeperTimer = undefined;
      sleeper();
    }
  }

  private releaseReader(): void {
    if (this.readerTimer !== undefined) this.clock.clearTimeout(this.readerTimer);
    this.readerTimer = undefined;
    this.reader = undefined;
  }
}
