interface LockEntry {
  tail: Promise<void>;
  holders: number;
}

const RESOLVED = Promise.resolve();

/**
 * A FIFO async mutex per key (RoomKit uses one per room). `run` waits for every earlier `run` on the same key,
 * then runs `task`; keys without waiters take no memory.
 */
export class KeyedAsyncLock {
  private readonly entries = new Map<string, LockEntry>();

  async run<Result>(key: string, task: () => Promise<Result> | Result): Promise<Result> {
    let entry = this.entries.get(key);
    let previous = RESOLVED;
    if (entry) {
      previous = entry.tail;
    } else {
      entry = { tail: RESOLVED, holders: 0 };
      this.entries.set(key, entry);
    }
    let release!: () => void;
    entry.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    entry.holders += 1;
    try {
      if (previous !== RESOLVED) await previous;
      return await task();
    } finally {
      entry.holders -= 1;
      if (entry.holders === 0) this.entries.delete(key);
      release();
    }
  }

  /** True while some task holds or waits for the key. */
  isLocked(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
