import { afterEach, describe, expect, test } from "bun:test";
import { createHarness, type Harness, pcmFrame } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const concat = (parts: readonly Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

describe("provider chunks with an odd byte count (PCM16 stays sample-aligned)", () => {
  test("without resampling: the split sample is carried into the next chunk; the bytes arrive unchanged", async () => {
    harness = await createHarness();
    const session = await harness.start();
    const whole = pcmFrame(480, 3);
    await harness.provider.simulateResponseStart(session);
    await harness.provider.simulateAudio(session, whole.subarray(0, 481));
    await harness.provider.simulateAudio(session, whole.subarray(481, 701));
    await harness.provider.simulateAudio(session, whole.subarray(701));
    const sent = harness.transport.sentAudio.map((entry) => entry.audio);
    for (const chunk of sent) expect(chunk.byteLength % 2).toBe(0);
    expect([...concat(sent)]).toEqual([...whole]);
  });

  test("with resampling: odd chunks are resampled (not rejected) and nothing is logged as failed", async () => {
    harness = await createHarness({ channel: { transportSampleRate: 16000 } });
    const session = await harness.start();
    const whole = pcmFrame(2400, 5); // 100 ms at 24 kHz
    await harness.provider.simulateResponseStart(session);
    for (let offset = 0; offset < whole.byteLength; offset += 961) {
      await harness.provider.simulateAudio(session, whole.subarray(offset, Math.min(offset + 961, whole.byteLength)));
    }
    await harness.provider.simulateResponseEnd(session);
    const total = harness.transport.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0);
    // 100 ms at 16 kHz = 3200 bytes (give or take the resampler's filter edge)
    expect(total).toBeGreaterThan(3000);
    expect(total).toBeLessThanOrEqual(3300);
    expect(harness.logger.entries.filter((entry) => entry.level === "warn" || entry.level === "error")).toEqual([]);
  });

  test("a dangling byte does not leak across a barge-in or the end of a response", async () => {
    harness = await createHarness();
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    await harness.provider.simulateAudio(session, new Uint8Array([1, 2, 3]));
    await harness.provider.simulateResponseEnd(session);
    await harness.provider.simulateResponseStart(session);
    await harness.provider.simulateAudio(session, new Uint8Array([4, 5]));
    await harness.provider.simulateAudio(session, new Uint8Array([6, 7, 8]));
    await harness.provider.simulateSpeechStart(session);
    await harness.provider.simulateSpeechEnd(session);
    await harness.provider.simulateResponseStart(session);
    await harness.provider.simulateAudio(session, new Uint8Array([9, 10]));
    expect(harness.transport.sentAudio.map((entry) => [...entry.audio])).toEqual([
      [1, 2],
      [4, 5],
      [6, 7],
      [9, 10],
    ]);
  });
});
