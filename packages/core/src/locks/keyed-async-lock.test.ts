import { describe, expect, test } from "bun:test";
import { settle } from "@roomkit/testing";
import { ChainDepthExceededError, KeyedAsyncLock } from "./keyed-async-lock.ts";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("KeyedAsyncLock", () => {
  test("tasks on one key run one at a time, in call order", async () => {
    const lock = new KeyedAsyncLock();
    const log: string[] = [];
    let active = 0;
    let maxActive = 0;
    const task = (name: string) => async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.push(`end ${name}`);
      active -= 1;
      return name;
    };
    const results = await Promise.all([lock.run("k", task("a")), lock.run("k", task("b")), lock.run("k", task("c"))]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(maxActive).toBe(1);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  test("different keys do not wait for each other", async () => {
    const lock = new KeyedAsyncLock();
    const gate = deferred();
    const blocked = lock.run("a", () => gate.promise);
    let otherRan = false;
    await lock.run("b", () => {
      otherRan = true;
    });
    expect(otherRan).toBe(true);
    expect(lock.isLocked("a")).toBe(true);
    gate.resolve();
    await blocked;
  });

  test("a throwing task releases the lock and the error reaches its caller only", async () => {
    const lock = new KeyedAsyncLock();
    const failing = lock.run("k", () => Promise.reject(new Error("boom")));
    const next = lock.run("k", () => "next");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("next");
  });

  test("keys without holders are forgotten (no leak)", async () => {
    const lock = new KeyedAsyncLock();
    await Promise.all(Array.from({ length: 20 }, (_, i) => lock.run(`k${i % 4}`, () => i)));
    expect(lock.size).toBe(0);
    expect(lock.isLocked("k1")).toBe(false);
  });
});

describe("KeyedAsyncLock re-entrant mode", () => {
  test("a nested run on a held key runs inside the held section; other keys and other chains still queue", async () => {
    const lock = new KeyedAsyncLock({ reentrant: { maxDepth: 2 } });
    const log: string[] = [];
    const outside = deferred();
    const first = lock.run("k", async () => {
      log.push("outer start");
      const inner = await lock.run("k", async () => {
        log.push("inner");
        return "inner result";
      });
      await outside.promise;
      log.push("outer end");
      return inner;
    });
    const second = lock.run("k", () => void log.push("second"));
    outside.resolve();
    expect(await first).toBe("inner result");
    await second;
    expect(log).toEqual(["outer start", "inner", "outer end", "second"]);
    expect(lock.size).toBe(0);
  });

  test("a nested run that is not awaited still finishes before the key is released", async () => {
    const lock = new KeyedAsyncLock({ reentrant: { maxDepth: 2 } });
    const log: string[] = [];
    const gate = deferred();
    let nested: Promise<void> | undefined;
    const outer = lock.run("k", () => {
      nested = lock.run("k", async () => {
        await gate.promise;
        log.push("nested done");
      });
      log.push("outer done");
    });
    const next = lock.run("k", () => void log.push("next"));
    await settle(5);
    expect(log).toEqual(["outer done"]);
    gate.resolve();
    await Promise.all([outer, nested, next]);
    expect(log).toEqual(["outer done", "nested done", "next"]);
  });

  test("a chain deeper than maxDepth rejects with ChainDepthExceededError; a timer set inside runs normally later", async () => {
    const lock = new KeyedAsyncLock({ reentrant: { maxDepth: 1 } });
    let caught: unknown;
    let later: Promise<string> | undefined;
    await lock.run("k", () =>
      lock.run("k", async () => {
        later = new Promise((resolve) => setTimeout(() => resolve(lock.run("k", () => "later")), 1));
        await lock
          .run("k", () => "too deep")
          .catch((error: unknown) => {
            caught = error;
          });
      }),
    );
    expect(caught).toBeInstanceOf(ChainDepthExceededError);
    expect(await later).toBe("later");
  });
});
