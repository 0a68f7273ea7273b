export type SerialTask = () => void | Promise<void>;

/**
 * Runs tasks one at a time in arrival order. A task that finishes synchronously while the queue is idle costs
 * no promise. Task errors go to `onError` and never stop the queue. `close()` drops what is still waiting.
 */
export class SerialQueue {
  readonly #tasks: SerialTask[] = [];
  readonly #onError: (error: unknown) => void;
  #running = false;
  #closed = false;
  #idleWaiters: Array<() => void> | undefined;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Tasks waiting (not counting the one running). */
  get waiting(): number {
    return this.#tasks.length;
  }

  get idle(): boolean {
    return !this.#running && this.#tasks.length === 0;
  }

  push(task: SerialTask): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#tasks.push(task);
      return;
    }
    const pending = this.#runOne(task);
    if (pending !== undefined) this.#continue(pending);
  }

  /** Resolves once every task queued so far has finished. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => {
      (this.#idleWaiters ??= []).push(resolve);
    });
  }

  close(): void {
    this.#closed = true;
    this.#tasks.length = 0;
  }

  #runOne(task: SerialTask): Promise<void> | undefined {
    let result: void | Promise<void>;
    try {
      result = task();
    } catch (error) {
      this.#onError(error);
      return undefined;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === "function") return result as Promise<void>;
    return undefined;
  }

  async #continue(pending: Promise<void>): Promise<void> {
    this.#running = true;
    let current: Promise<void> | undefined = pending;
    while (current !== undefined) {
      try {
        await current;
      } catch (error) {
        this.#onError(error);
      }
      current = undefined;
      while (current === undefined && this.#tasks.length > 0 && !this.#closed) {
        current = this.#runOne(this.#tasks.shift()!);
      }
    }
    this.#running = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = undefined;
    if (waiters) for (const resolve of waiters) resolve();
  }
}
