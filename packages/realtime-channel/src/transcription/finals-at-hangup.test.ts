import { afterEach, expect, test } from "bun:test";
import { HookResult, HookTrigger, type RealtimeTranscriptionEvent, type RoomEvent } from "@roomkit/spec";
import { settle, waitFor } from "@roomkit/testing";
import { createHarness, type Harness } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("finals received before the caller hung up are still stored (through ON_TRANSCRIPTION); partials are not sent", async () => {
  harness = await createHarness();
  const gates: Array<() => void> = [];
  harness.kit.hook(HookTrigger.ON_TRANSCRIPTION, async (event: RealtimeTranscriptionEvent) => {
    await new Promise<void>((resolve) => gates.push(resolve));
    return HookResult.modify({ ...event, text: event.text.replace(/\d{4}/g, "####") });
  });
  const session = await harness.start();
  await harness.provider.simulateTranscription(session, "my pin is 1234", { role: "user" });
  await harness.provider.simulateTranscription(session, "Thanks, goodbye", { role: "assistant" });
  await harness.provider.simulateTranscription(session, "by", { role: "user", isFinal: false });
  await waitFor(() => gates.length === 1);
  harness.transport.clearRecordings();
  await harness.transport.simulateClientDisconnect(session);
  await waitFor(() => harness!.channel.sessionCount === 0);
  gates.shift()!();
  await waitFor(() => gates.length === 1);
  gates.shift()!();
  await settle(10);
  const stored = (await harness.kit.getTimeline(harness.roomId)).filter(
    (event: RoomEvent) => event.content.type === "text",
  );
  expect(stored.map((event) => [event.metadata.role, (event.content as { body: string }).body])).toEqual([
    ["user", "my pin is ####"],
    ["assistant", "Thanks, goodbye"],
  ]);
  expect(harness.transport.messagesOfType("transcription")).toEqual([]);
});

test("a final the provider emits while it disconnects (what it heard, flushed) is stored; a partial then is not", async () => {
  harness = await createHarness();
  const session = await harness.start();
  const provider = harness.provider;
  const originalDisconnect = provider.disconnect.bind(provider);
  provider.disconnect = async (ending) => {
    await provider.simulateTranscription(ending, "please call me back", { role: "user" });
    await provider.simulateTranscription(ending, "call me b", { role: "user", isFinal: false });
    return originalDisconnect(ending);
  };
  await harness.transport.simulateClientDisconnect(session);
  await waitFor(() => harness!.channel.sessionCount === 0);
  await settle(10);
  const stored = (await harness.kit.getTimeline(harness.roomId)).filter(
    (event: RoomEvent) => event.content.type === "text",
  );
  expect(stored.map((event) => [event.metadata.role, (event.content as { body: string }).body])).toEqual([
    ["user", "please call me back"],
  ]);
});
