import { expect, test } from "bun:test";
import { Notifier } from "./notifier.ts";
import { WaitForTimeoutError } from "./wait-for.ts";

test("until resolves with the probe's first defined value: at once, or at the notify() after the change", async () => {
  const notifier = new Notifier();
  const log: string[] = ["ready"];
  expect(await notifier.until(() => log.find((entry) => entry === "ready"))).toBe("ready");
  expect(notifier.waiting).toBe(0);
  let checks = 0;
  const waiting = notifier.until(() => {
    checks++;
    return log.find((entry) => entry.startsWith("done"));
  });
  log.push("started");
  notifier.notify();
  expect(notifier.waiting).toBe(1);
  log.push("done: 3");
  notifier.notify();
  expect(await waiting).toBe("done: 3");
  expect(checks).toBe(3); // once at the call, once per notify: no polling
  expect(notifier.waiting).toBe(0);
});

test("a throwing probe rejects with its error; nothing notified in time rejects with WaitForTimeoutError", async () => {
  const notifier = new Notifier();
  let closed = false;
  const waiting = notifier
    .until(() => {
      if (closed) throw new Error("socket closed");
      return undefined;
    })
    .catch((error) => error);
  closed = true;
  notifier.notify();
  expect((await waiting).message).toBe("socket closed");
  expect(
    await notifier
      .until(() => {
        throw new Error("at once");
      })
      .catch((error) => error.message),
  ).toBe("at once");
  const error = await notifier.until(() => undefined, { timeoutMs: 10, label: "session.created" }).catch((e) => e);
  expect(error).toBeInstanceOf(WaitForTimeoutError);
  expect(error.message).toBe("waitFor: timed out after 10 ms waiting for session.created");
  expect(notifier.waiting).toBe(0);
  notifier.notify(); // no waiter left to wake
});
