// Shared by this package's tests (not exported): counts timers created and not yet released.

export interface TimerTracker {
  /** Timers (setTimeout and setInterval) created since `trackTimers()` that were neither cleared nor fired. */
  readonly live: ReadonlySet<unknown>;
  /** Timers created since `trackTimers()`. */
  readonly created: number;
  /** Puts the original globals back (idempotent). */
  restore(): void;
}

/** Wraps the global timer functions until `restore()`: for tests that count what a flow leaves behind. */
export function trackTimers(): TimerTracker {
  const live = new Set<unknown>();
  let created = 0;
  const original = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
  };
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, delay?: number, ...rest: unknown[]) => {
    const id = original.setTimeout(
      (...args: unknown[]) => {
        live.delete(id);
        callback(...args);
      },
      delay,
      ...rest,
    );
    live.add(id);
    created++;
    return id;
  }) as typeof setTimeout;
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, delay?: number, ...rest: unknown[]) => {
    const id = original.setInterval(callback, delay, ...rest);
    live.add(id);
    created++;
    return id;
  }) as typeof setInterval;
  globalThis.clearTimeout = ((id: Parameters<typeof clearTimeout>[0]) => {
    live.delete(id);
    original.clearTimeout(id);
  }) as typeof clearTimeout;
  globalThis.clearInterval = ((id: Parameters<typeof clearInterval>[0]) => {
    live.delete(id);
    original.clearInterval(id);
  }) as typeof clearInterval;
  return {
    live,
    get created() {
      return created;
    },
    restore() {
      Object.assign(globalThis, original);
    },
  };
}
