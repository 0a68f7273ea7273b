import { expect, test } from "bun:test";
import { WithinTimeoutError, within } from "./within.ts";

test("within settles like the work when it settles in time: value, rejection, or a plain value", async () => {
  const later = new Promise<string>((resolve) => setTimeout(() => resolve("done"), 10));
  expect(await within(later, { timeoutMs: 1000 })).toBe("done");
  const failure = new Error("refused");
  expect(await within(Promise.reject(failure), { timeoutMs: 1000 }).catch((error) => error)).toBe(failure);
  expect(await within(42)).toBe(42);
});

test("within rejects with WithinTimeoutError naming the label once timeoutMs pass", async () => {
  const started = performance.now();
  const error = await within(new Promise<never>(() => {}), { timeoutMs: 30, label: "close()" }).catch((e) => e);
  expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  expect(error).toBeInstanceOf(WithinTimeoutError);
  expect(error.message).toBe("within: close() did not settle within 30 ms");
  expect(error.label).toBe("close()");
  expect(error.timeoutMs).toBe(30);
  const unnamed = await within(new Promise<never>(() => {}), { timeoutMs: 5 }).catch((e) => e);
  expect(unnamed.message).toBe("within: the work did not settle within 5 ms");
});
