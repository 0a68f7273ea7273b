import type { Logger } from "./logger.ts";

/**
 * An ordered list of callbacks. `fire` calls them in registration order; a callback returning a promise is
 * awaited before the next one runs; exceptions (sync or async) are logged and swallowed. When every callback
 * is synchronous, `fire` returns `undefined` and allocates no promise (the audio hot path).
 */
export class CallbackList<Args extends unknown[]> {
  readonly #callbacks: Array<(...args: Args) => unknown> = [];
  readonly #label: string;
  readonly #logger: () => Logger;

  constructor(label: string, logger: () => Logger) {
    this.#label = label;
    this.#logger = logger;
  }

  get size(): number {
    return this.#callbacks.length;
  }

  add(callback: (...args: Args) => unknown): () => void {
    this.#callbacks.push(callback);
    return () => {
      const index = this.#callbacks.indexOf(callback);
      if (index >= 0) this.#callbacks.splice(index, 1);
    };
  }

  clear(): void {
    this.#callbacks.length = 0;
  }

  fire(...args: Args): Promise<void> | undefined {
    const callbacks = this.#callbacks;
    for (let index = 0; index < callbacks.length; index++) {
      let result: unknown;
      try {
        result = callbacks[index]!(...args);
      } catch (error) {
        this.#report(error);
        continue;
      }
      if (
        result !== null &&
        typeof result === "object" &&
        typeof (result as PromiseLike<unknown>).then === "function"
      ) {
        return this.#continueAsync(result as PromiseLike<unknown>, index + 1, args);
      }
    }
    return undefined;
  }

  async #continueAsync(pending: PromiseLike<unknown>, nextIndex: number, args: Args): Promise<void> {
    try {
      await pending;
    } catch (error) {
      this.#report(error);
    }
    const callbacks = this.#callbacks.slice(nextIndex);
    for (const callback of callbacks) {
      try {
        await callback(...args);
      } catch (error) {
        this.#report(error);
      }
    }
  }

  #report(error: unknown): void {
    this.#logger().error(`Callback ${this.#label} failed`, { error });
  }
}
