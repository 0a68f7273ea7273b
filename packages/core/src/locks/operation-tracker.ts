/** Counts operations in flight so `close()` can wait for them to finish. */
export class OperationTracker {
  private active = 0;
  private idleWaiters: Array<() => void> = [];

  async track<Result>(operation: () => Promise<Result>): Promise<Result> {
    this.active += 1;
    try {
      return await operation();
    } finally {
      this.active -= 1;
      if (this.active === 0 && this.idleWaiters.length > 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  get inFlight(): number {
    return this.active;
  }

  /** Resolves once nothing is in flight (immediately when idle). */
  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
