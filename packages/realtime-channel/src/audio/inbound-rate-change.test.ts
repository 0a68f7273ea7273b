import { afterEach, expect, test } from "bun:test";
import { createHarness, type Harness, pcmFrame } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

test("frames at a rate the resampler cannot take are dropped and counted, never forwarded at the wrong rate", async () => {
  harness = await createHarness();
  const session = await harness.start();
  await harness.transport.simulateClientAudio(session, { data: pcmFrame(220), sampleRate: 11025 } as never);
  await harness.transport.simulateClientAudio(session, { data: pcmFrame(220), sampleRate: 11025 } as never);
  expect(harness.provider.sentAudio).toHaveLength(0);
  expect(session.metrics.inboundDropped).toBe(2);
  // a supported rate change is resampled to the provider's 16 kHz
  await harness.transport.simulateClientAudio(session, { data: pcmFrame(800), sampleRate: 8000 } as never);
  await harness.transport.simulateClientAudio(session, { data: pcmFrame(800), sampleRate: 8000 } as never);
  const total = harness.provider.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0);
  expect(total).toBeGreaterThan(2 * 1600 * 2 - 400);
});
