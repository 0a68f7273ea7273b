import { afterEach, describe, expect, test } from "bun:test";
import type { VoiceSession } from "@roomkit/spec";
import { createHarness, type Harness, releaseInOrder } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("inbound frames queued behind a slow provider", () => {
  test("a transport that reuses its buffer: each queued frame keeps its own bytes", async () => {
    harness = await createHarness();
    const pending: Array<() => void> = [];
    const seen: number[][] = [];
    harness.provider.sendAudio = ((_session: VoiceSession, audio: Uint8Array) => {
      seen.push([...audio.subarray(0, 2)]);
      return new Promise<void>((resolve) => pending.push(resolve));
    }) as never;
    const session = await harness.start();
    const reused = new Uint8Array(320);
    for (let frame = 1; frame <= 4; frame++) {
      reused.fill(frame);
      await harness.transport.simulateClientAudio(session, reused);
    }
    await releaseInOrder(pending);
    expect(seen).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });
});
