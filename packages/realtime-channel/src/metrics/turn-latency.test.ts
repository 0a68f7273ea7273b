import { afterEach, expect, test } from "bun:test";
import { ManualClock, waitFor } from "@roomkit/testing";
import { createHarness, type Harness, pcmFrame } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("per-turn latency: provider share vs framework share, on the session and as a framework event", async () => {
  const clock = new ManualClock(1000);
  harness = await createHarness({ channel: { clock } });
  const events: Array<Record<string, unknown>> = [];
  harness.kit.on("turn_latency", (event) => void events.push(event.data));
  // a transport that is slow to take the first chunk: the framework share is visible
  const session = await harness.start();
  await harness.provider.simulateSpeechEnd(session);
  clock.advance(420);
  await harness.provider.simulateResponseStart(session);
  await harness.provider.simulateAudio(session, pcmFrame(480));
  expect(session.metrics.turns).toHaveLength(1);
  expect(session.metrics.turns[0]).toMatchObject({
    trigger: "speech_end",
    providerMs: 420,
    frameworkMs: 0,
    totalMs: 420,
  });
  await waitFor(() => events.length === 1);
  expect(events[0]).toMatchObject({ session_id: session.id, trigger: "speech_end", provider_ms: 420 });

  await harness.channel.injectText(session, "hello");
  clock.advance(100);
  await harness.provider.simulateAudio(session, pcmFrame(480));
  expect(session.metrics.turns[1]).toMatchObject({ trigger: "text_injected", providerMs: 100 });
});

test("framework share counts time queued behind a busy transport", async () => {
  const clock = new ManualClock(1000);
  harness = await createHarness({ channel: { clock } });
  const pending: Array<() => void> = [];
  const original = harness.transport.sendAudio.bind(harness.transport);
  harness.transport.sendAudio = ((s: never, audio: Uint8Array) => {
    original(s, audio);
    return new Promise<void>((resolve) => pending.push(resolve));
  }) as never;
  const session = await harness.start();
  await harness.provider.simulateAudio(session, pcmFrame(480)); // occupies the transport
  await harness.provider.simulateSpeechEnd(session);
  clock.advance(200);
  await harness.provider.simulateAudio(session, pcmFrame(480)); // queued
  clock.advance(30);
  pending.shift()!();
  await waitFor(() => session.metrics.turns.length === 1);
  expect(session.metrics.turns[0]).toMatchObject({ providerMs: 200, frameworkMs: 30, totalMs: 230 });
  pending.shift()?.();
});
