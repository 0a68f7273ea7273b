import { expect, test } from "bun:test";
import { SerialQueue } from "./serial-queue.ts";

test("runs tasks one at a time in order; sync tasks run inline when idle; errors don't stop it; close drops the rest", async () => {
  const errors: unknown[] = [];
  const queue = new SerialQueue((error) => errors.push(error));
  const order: string[] = [];
  queue.push(() => void order.push("sync-1"));
  expect(order).toEqual(["sync-1"]);
  queue.push(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    order.push("async-2");
  });
  queue.push(() => {
    throw new Error("boom");
  });
  queue.push(() => void order.push("sync-4"));
  expect(queue.idle).toBe(false);
  await queue.whenIdle();
  expect(order).toEqual(["sync-1", "async-2", "sync-4"]);
  expect(errors).toHaveLength(1);
  queue.push(() => new Promise((resolve) => setTimeout(resolve, 5)));
  queue.push(() => void order.push("dropped"));
  queue.close();
  await queue.whenIdle();
  expect(order).not.toContain("dropped");
});
