import { afterEach, expect, test } from "bun:test";
import { HookTrigger } from "@roomkit/spec";
import { ManualClock, settle, waitFor } from "@roomkit/testing";
import { createHarness, type Harness, pcmFrame } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("a slow level hook does not pile up work: level events are skipped while the session's hooks are behind", async () => {
  const clock = new ManualClock(1000);
  harness = await createHarness({ channel: { clock } });
  let calls = 0;
  const gates: Array<() => void> = [];
  harness.kit.hook(
    HookTrigger.ON_INPUT_AUDIO_LEVEL,
    async () => {
      calls++;
      await new Promise<void>((resolve) => gates.push(resolve));
    },
    { execution: "async" },
  );
  const session = await harness.start();
  // 20 s of caller audio while the hook never finishes: 200 level events pass the 100 ms throttle
  for (let index = 0; index < 1000; index++) {
    await harness.transport.simulateClientAudio(session, pcmFrame(320, index));
    clock.advance(20);
  }
  await waitFor(() => gates.length === 1);
  // release whatever runs, until the backlog is gone (bounded)
  for (let round = 0; round < 300 && gates.length > 0; round++) {
    gates.shift()!();
    await settle(1);
  }
  expect(calls).toBeLessThanOrEqual(10);
  expect(session.metrics.inboundFrames).toBe(1000);
});
