import { expect, test } from "bun:test";
import { settle } from "./settle.ts";
import { WaitForTimeoutError, waitFor } from "./wait-for.ts";

test("waitFor resolves once the predicate turns true (sync or async)", async () => {
  let ready = false;
  setTimeout(() => (ready = true), 20);
  await waitFor(() => ready, { timeoutMs: 1000 });
  expect(ready).toBe(true);
  let checks = 0;
  await waitFor(async () => ++checks >= 3, { timeoutMs: 1000, intervalMs: 1 });
  expect(checks).toBe(3);
});

test("waitFor rejects after timeoutMs with an error naming the label, or else the predicate", async () => {
  const started = performance.now();
  const error = await waitFor(() => false, { timeoutMs: 30, label: "the socket to close" }).catch((e) => e);
  expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  expect(error).toBeInstanceOf(WaitForTimeoutError);
  expect(error.message).toBe("waitFor: timed out after 30 ms waiting for the socket to close");
  const sockets: number[] = [];
  const unnamed = await waitFor(() => sockets.length === 2, { timeoutMs: 10 }).catch((e) => e);
  expect(unnamed.message).toContain("sockets.length === 2");
});

test("a predicate that throws counts as not yet; the last error is the timeout's cause", async () => {
  let calls = 0;
  await waitFor(
    () => {
      if (++calls < 3) throw new Error("not ready");
      return true;
    },
    { intervalMs: 1 },
  );
  expect(calls).toBe(3);
  const error = await waitFor(
    () => {
      throw new Error("still broken");
    },
    { timeoutMs: 10 },
  ).catch((e) => e);
  expect((error.cause as Error).message).toBe("still broken");
});

test("settle lets promise chains finish: one turn per macrotask (setImmediate) hop", async () => {
  const steps: string[] = [];
  void Promise.resolve()
    .then(() => steps.push("micro"))
    .then(() => new Promise((resolve) => setImmediate(resolve)))
    .then(() => steps.push("after a macrotask"));
  await settle();
  expect(steps).toEqual(["micro"]);
  await settle(3);
  expect(steps).toEqual(["micro", "after a macrotask"]);
});
