import type { Clock } from "@roomkit/spec";
import { settle } from "./settle.ts";

interface Timer {
  id: number;
  due: number;
  callback: () => void;
}

/** More timers than this in one `advance` means a timer keeps re-arming itself at 0 ms. */
const MAX_TIMERS_PER_ADVANCE = 1_000_000;

/**
 * A deterministic `Clock` for tests: time moves only when the test calls `advance` or `advanceAsync`, which fire
 * every timer due on the way in due order (ties in the order they were set), with `now()` at the timer's due time
 * while it runs. Timers set by a callback fire in the same advance when they fall due before its end.
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  /** `startMs`: the first `now()` (default 0). */
  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Negative or non-finite delays count as 0, like the runtime's. */
  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { id, due: this.#now + Math.max(0, delayMs || 0), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers synchronously. Promise chains they start run afterwards. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (let fired = 0; ; fired++) {
      const next = this.#takeNext(target, fired);
      if (next === undefined) break;
      next.callback();
    }
    this.#now = target;
  }

  /**
   * Like `advance`, but lets pending promise callbacks settle before the first timer, after each one and at the end,
   * so async work a timer starts can set the next timer before time moves on.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (let fired = 0; ; fired++) {
      const next = this.#takeNext(target, fired);
      if (next === undefined) break;
      next.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /** Removes and returns the earliest timer due by `target` (moving `now()` to its due time), if any. */
  #takeNext(target: number, fired: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.due <= target && (next === undefined || timer.due < next.due)) next = timer;
    }
    if (next === undefined) return undefined;
    if (fired >= MAX_TIMERS_PER_ADVANCE) {
      throw new Error(`ManualClock: more than ${MAX_TIMERS_PER_ADVANCE} timers fired in one advance`);
    }
    this.#timers.delete(next.id);
    if (next.due > this.#now) this.#now = next.due;
    return next;
  }
}
