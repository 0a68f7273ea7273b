import { afterEach, describe, expect, test } from "bun:test";
import { type BargeInEvent, HookTrigger } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { createHarness, type Harness, pcmFrame } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("barge-in with a provider whose truncateAudio misbehaves", () => {
  test("a truncateAudio that throws synchronously (or returns nothing) does not stop the barge-in", async () => {
    harness = await createHarness();
    const bargeIns: BargeInEvent[] = [];
    harness.kit.hook(HookTrigger.ON_BARGE_IN, (event: BargeInEvent) => void bargeIns.push(event), {
      execution: "async",
    });
    const session = await harness.start();
    let calls = 0;
    harness.provider.truncateAudio = (() => {
      calls++;
      if (calls === 1) throw new Error("socket gone");
      return undefined;
    }) as never;
    for (let round = 0; round < 2; round++) {
      await harness.provider.simulateResponseStart(session);
      await harness.provider.simulateAudio(session, pcmFrame(480));
      harness.transport.clearRecordings();
      await harness.provider.simulateSpeechStart(session);
      expect(harness.transport.sentMessages.map((entry) => entry.message.type)).toEqual(["clear_audio", "speaking"]);
      await harness.provider.simulateSpeechEnd(session);
    }
    expect(calls).toBe(2);
    await waitFor(() => bargeIns.length === 2);
    expect(harness.logger.entries.some((entry) => entry.message.includes("truncateAudio failed"))).toBe(true);
  });
});
