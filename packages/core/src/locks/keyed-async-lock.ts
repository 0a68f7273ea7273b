import { AsyncLocalStorage } from "node:async_hooks";
import { parseOptions, RoomKitError, type RoomKitErrorOptions } from "@roomkit/spec";
import { KEYED_ASYNC_LOCK_ACCEPTED, keyedAsyncLockOptionsSchema } from "../options/component-schemas.ts";

interface LockEntry {
  tail: Promise<void>;
  holders: number;
}

/** A lock held by one async call chain (re-entrant mode). */
interface Hold {
  readonly key: string;
  readonly depth: number;
  readonly root: Hold | undefined;
  readonly parent: Hold | undefined;
  active: boolean;
  /** Re-entrant runs still going (on the root hold): the lock is released only after them. */
  nested: Set<Promise<unknown>> | undefined;
}

export interface KeyedAsyncLockOptions {
  /**
   * Re-entrant mode: a `run` for a key that the calling async chain already holds (a hook or a channel reacting
   * from inside the locked section) runs at once inside the held section instead of queueing behind it, which
   * would deadlock when awaited. Nesting deeper than `maxDepth` rejects with `ChainDepthExceededError`.
   */
  reentrant?: { maxDepth: number };
}

/** A re-entrant `run` nested deeper than the lock allows (an endless chain of reactions). */
export class ChainDepthExceededError extends RoomKitError {
  constructor(options: RoomKitErrorOptions | string) {
    const resolved = typeof options === "string" ? { message: options } : options;
    super({ code: "chain_depth_exceeded", ...resolved });
  }
}

const RESOLVED = Promise.resolve();

/**
 * A FIFO async mutex per key (RoomKit uses one per room). `run` waits for every earlier `run` on the same key,
 * then runs `task`; keys without waiters take no memory.
 */
export class KeyedAsyncLock {
  private readonly entries = new Map<string, LockEntry>();
  private readonly holds: AsyncLocalStorage<Hold> | undefined;
  private readonly maxDepth: number;

  constructor(options: KeyedAsyncLockOptions = {}) {
    parseOptions("KeyedAsyncLock", keyedAsyncLockOptionsSchema, options, KEYED_ASYNC_LOCK_ACCEPTED);
    this.holds = options.reentrant ? new AsyncLocalStorage<Hold>() : undefined;
    this.maxDepth = options.reentrant?.maxDepth ?? 0;
  }

  async run<Result>(key: string, task: () => Promise<Result> | Result): Promise<Result> {
    const holds = this.holds;
    const outer = holds?.getStore();
    if (outer !== undefined) {
      const held = findActive(outer, key);
      if (held !== undefined) return this.runNested(holds!, outer, held, key, task);
    }
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
    let hold: Hold | undefined;
    try {
      if (previous !== RESOLVED) await previous;
      if (holds === undefined) return await task();
      // Only active holds are linked: a context captured long ago (a timer set inside a hook) never grows a chain.
      hold = { key, depth: 0, root: undefined, parent: firstActive(outer), active: true, nested: undefined };
      return await holds.run(hold, task);
    } finally {
      if (hold !== undefined) {
        while (hold.nested !== undefined && hold.nested.size > 0) await Promise.allSettled([...hold.nested]);
        hold.active = false;
      }
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

  private runNested<Result>(
    holds: AsyncLocalStorage<Hold>,
    outer: Hold,
    held: Hold,
    key: string,
    task: () => Promise<Result> | Result,
  ): Promise<Result> {
    const depth = held.depth + 1;
    if (depth > this.maxDepth) {
      return Promise.reject(
        new ChainDepthExceededError(
          `"${key}" is already locked ${held.depth + 1} level(s) deep by this call chain (limit ${this.maxDepth}): ` +
            "something reacting from inside the locked section (a hook or a channel's onEvent) keeps sending",
        ),
      );
    }
    const root = held.root ?? held;
    const hold: Hold = { key, depth, root, parent: firstActive(outer), active: true, nested: undefined };
    const running = holds.run(hold, async () => task());
    const nested = (root.nested ??= new Set());
    nested.add(running);
    const done = () => {
      hold.active = false;
      nested.delete(running);
    };
    running.then(done, done);
    return running;
  }
}

function firstActive(start: Hold | undefined): Hold | undefined {
  let hold = start;
  while (hold !== undefined && !hold.active) hold = hold.parent;
  return hold;
}

function findActive(start: Hold, key: string): Hold | undefined {
  for (let hold: Hold | undefined = start; hold !== undefined; hold = hold.parent) {
    if (hold.active && hold.key === key) return hold;
  }
  return undefined;
}
