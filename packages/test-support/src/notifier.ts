import { WaitForTimeoutError } from "./wait-for.ts";

export interface NotifierUntilOptions {
  /** Give up after this many real milliseconds. Default 5000. */
  timeoutMs?: number;
  /** What is awaited, for the timeout error. Default "a notified change". */
  label?: string;
}

/**
 * `waitFor` without polling, for code that can say when something changed (a recorder, a fake server's event log):
 * it calls `notify()` after each change, and `until(probe)` checks again only then.
 */
export class Notifier {
  readonly #wakers = new Set<() => void>();

  /** Wakes every pending `until` to check its probe again. */
  notify(): void {
    for (const wake of [...this.#wakers]) wake();
  }

  /** Pending `until` calls (resolved or timed-out ones are gone). */
  get waiting(): number {
    return this.#wakers.size;
  }

  /**
   * Resolves with the first value `probe` returns other than `undefined`, checked at once and after each `notify()`.
   * Rejects with the probe's error if it throws, or with `WaitForTimeoutError` after `timeoutMs` of real time.
   */
  until<Value>(probe: () => Value | undefined, options: NotifierUntilOptions = {}): Promise<Value> {
    let found: Value | undefined;
    try {
      found = probe();
    } catch (error) {
      return Promise.reject(error);
    }
    if (found !== undefined) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<Value>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
      };
      const wake = () => {
        try {
          const value = probe();
          if (value === undefined) return;
          done();
          resolve(value);
        } catch (error) {
          done();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        this.#wakers.delete(wake);
        reject(new WaitForTimeoutError(options.label ?? "a notified change", timeoutMs));
      }, timeoutMs);
      this.#wakers.add(wake);
    });
  }
}
