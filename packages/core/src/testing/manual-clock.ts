import type { Clock } from "@roomkit/spec";

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/** A clock for tests: time moves only with `advance`. (Test helper; not exported from the package.) */
export class ManualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const timer = { id: this.nextId++, at: this.time + delayMs, callback };
    this.timers.set(timer.id, timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward and fires due timers in order. */
  advance(milliseconds: number): void {
    const target = this.time + milliseconds;
    for (;;) {
      let next: Timer | undefined;
      for (const timer of this.timers.values()) if (timer.at <= target && (!next || timer.at < next.at)) next = timer;
      if (!next) break;
      this.timers.delete(next.id);
      this.time = next.at;
      next.callback();
    }
    this.time = target;
  }
}

/** Resolves after pending microtasks and one macrotask turn (lets awaited chains settle). */
export function flushAsync(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Polls `predicate` every few milliseconds until true; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("waitFor: condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
