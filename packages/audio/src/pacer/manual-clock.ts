import type { Clock } from "@roomkit/spec";

interface Timer {
  id: number;
  due: number;
  callback: () => void;
}

/**
 * A deterministic `Clock` for tests: time only moves in `advance`, which fires due timers in order and lets the
 * promise chains they start settle before moving on.
 */
export class ManualClock implements Clock {
  private current = 0;
  private timers: Timer[] = [];
  private nextId = 1;

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, due: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way (in due order, ties by creation). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (let guard = 0; guard < 1_000_000; guard++) {
      let next: Timer | undefined;
      for (const timer of this.timers) {
        if (timer.due <= target && (!next || timer.due < next.due || (timer.due === next.due && timer.id < next.id))) {
          next = timer;
        }
      }
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.current = Math.max(this.current, next.due);
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }
}

/** Lets pending promise callbacks run (a macrotask turn drains the microtask queue). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
