import { expect, test } from "bun:test";
import { OperationTracker } from "./operation-tracker.ts";

test("OperationTracker: whenIdle resolves at once when idle, else after the last operation settles", async () => {
  const tracker = new OperationTracker();
  await tracker.whenIdle();
  let release!: () => void;
  const first = tracker.track(() => new Promise<void>((resolve) => (release = resolve)));
  const failing = tracker.track(() => Promise.reject(new Error("nope")));
  let idle = false;
  tracker.whenIdle().then(() => {
    idle = true;
  });
  await expect(failing).rejects.toThrow("nope");
  expect(tracker.inFlight).toBe(1);
  expect(idle).toBe(false);
  release();
  await first;
  await Promise.resolve();
  expect(idle).toBe(true);
  expect(tracker.inFlight).toBe(0);
});
