import { afterEach, expect, test } from "bun:test";
import { ManualClock } from "@roomkit/testing";
import { createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("waitIdle resolves when the response ends and the user is silent; false on timeout", async () => {
  const clock = new ManualClock(1000);
  harness = await createHarness({ channel: { clock } });
  const session = await harness.start();
  expect(await harness.channel.waitIdle(harness.roomId)).toBe(true);
  await harness.provider.simulateResponseStart(session);
  let idle: boolean | undefined;
  const waiting = harness.channel.waitIdle(harness.roomId).then((value) => (idle = value));
  await harness.provider.simulateSpeechStart(session);
  await harness.provider.simulateResponseEnd(session);
  await Promise.resolve();
  expect(idle).toBeUndefined(); // the user is still speaking
  await harness.provider.simulateSpeechEnd(session);
  await waiting;
  expect(idle).toBe(true);
  await harness.provider.simulateResponseStart(session);
  const timedOut = harness.channel.waitIdle(harness.roomId, { timeoutMs: 50 });
  clock.advance(50);
  expect(await timedOut).toBe(false);
});
