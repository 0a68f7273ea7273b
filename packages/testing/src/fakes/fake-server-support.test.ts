import { expect, test } from "bun:test";
import { WaitForTimeoutError } from "@roomkit/test-support";
import { WebSocket } from "ws";
import { waitForEntry } from "./fake-server-support.ts";
import { createOpenAIRealtimeFake } from "./openai/index.ts";

test("waitForEntry: a past entry (includePast) or the next matching one; else WaitForTimeoutError naming it", async () => {
  const listeners = new Set<(entry: number) => void>();
  expect(await waitForEntry(listeners, [1, 4], (entry) => entry > 3, { timeoutMs: 50, includePast: true }, "x")).toBe(
    4,
  );
  const next = waitForEntry(listeners, [4], (entry) => entry > 3, { timeoutMs: 1000 }, "an entry above 3");
  for (const listener of [...listeners]) listener(2);
  for (const listener of [...listeners]) listener(7);
  expect(await next).toBe(7);
  expect(listeners.size).toBe(0);
  const error = await waitForEntry(listeners, [], () => true, { timeoutMs: 10 }, "session.update").catch((e) => e);
  expect(error).toBeInstanceOf(WaitForTimeoutError);
  expect([error.label, error.timeoutMs]).toEqual(["session.update", 10]);
  expect(error.message).toBe("waitFor: timed out after 10 ms waiting for session.update");
  expect(listeners.size).toBe(0);
});

test("the fakes' waitForConnection: resolves at the connection, else WaitForTimeoutError naming it", async () => {
  const fake = await createOpenAIRealtimeFake({ speed: "instant" });
  try {
    const first = fake.waitForConnection({ timeoutMs: 5000 });
    const socket = new WebSocket(`${fake.url}?model=gpt-realtime`, { headers: { Authorization: "Bearer sk-test" } });
    expect((await first).id).toBe(1);
    const error = await fake.waitForConnection({ index: 1, timeoutMs: 10 }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitForTimeoutError);
    expect(error.message).toBe("waitFor: timed out after 10 ms waiting for connection 1");
    socket.terminate();
  } finally {
    await fake.close();
  }
});
