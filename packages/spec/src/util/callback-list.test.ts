import { describe, expect, test } from "bun:test";
import { CallbackList } from "./callback-list.ts";
import { createRecordingLogger } from "./logger.ts";

describe("CallbackList", () => {
  test("calls callbacks in registration order and awaits promises before the next", async () => {
    const logger = createRecordingLogger();
    const list = new CallbackList<[string]>("test", () => logger);
    const order: string[] = [];
    list.add(async (value) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`a:${value}`);
    });
    list.add((value) => {
      order.push(`b:${value}`);
    });
    const pending = list.fire("x");
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(order).toEqual(["a:x", "b:x"]);
  });

  test("sync callbacks return undefined (no promise on the hot path)", () => {
    const list = new CallbackList<[number]>("test", () => createRecordingLogger());
    let total = 0;
    list.add((value) => {
      total += value;
    });
    expect(list.fire(2)).toBeUndefined();
    expect(total).toBe(2);
  });

  test("exceptions are logged and swallowed; later callbacks still run", async () => {
    const logger = createRecordingLogger();
    const list = new CallbackList<[]>("boom", () => logger);
    const calls: string[] = [];
    list.add(() => {
      throw new Error("sync failure");
    });
    list.add(async () => {
      throw new Error("async failure");
    });
    list.add(() => {
      calls.push("last");
    });
    await list.fire();
    expect(calls).toEqual(["last"]);
    expect(logger.entries.filter((entry) => entry.level === "error")).toHaveLength(2);
  });

  test("the returned function unsubscribes", () => {
    const list = new CallbackList<[]>("test", () => createRecordingLogger());
    let count = 0;
    const off = list.add(() => {
      count++;
    });
    list.fire();
    off();
    list.fire();
    expect(count).toBe(1);
    expect(list.size).toBe(0);
  });
});
