import { afterEach, expect, test } from "bun:test";
import { HookResult, HookTrigger } from "@roomkit/spec";
import { settle, waitFor } from "@roomkit/testing";
import { createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("the per-session transcription queue is bounded: partials behind a slow ON_TRANSCRIPTION hook are dropped and counted", async () => {
  harness = await createHarness();
  const releases: Array<() => void> = [];
  harness.kit.hook(HookTrigger.ON_TRANSCRIPTION, async () => {
    await new Promise<void>((resolve) => releases.push(resolve));
    return HookResult.allow();
  });
  const session = await harness.start();
  await harness.provider.simulateTranscription(session, "first final", { role: "user" });
  await waitFor(() => releases.length === 1);
  for (let index = 0; index < 2000; index++) {
    await harness.provider.simulateTranscription(session, `delta ${index} `, { role: "assistant", isFinal: false });
  }
  await harness.provider.simulateTranscription(session, "second final", { role: "assistant" });
  releases[0]!();
  await waitFor(() => releases.length === 2);
  releases[1]!();
  await waitFor(() => harness!.transport.messagesOfType("transcription").some((m) => m.text === "second final"));
  await settle(5);
  const partials = harness.transport.messagesOfType("transcription").filter((message) => !message.is_final);
  expect(partials.length).toBeLessThanOrEqual(64);
  expect(partials[0]!.text).toBe("delta 0 ");
  expect(harness.logger.entries.some((entry) => entry.message.includes("Transcription queue full"))).toBe(true);
});
