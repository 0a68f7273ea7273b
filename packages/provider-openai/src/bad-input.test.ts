import { afterEach, describe, expect, test } from "bun:test";
import { ProviderProtocolError, VoiceSessionState } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { connectToFake, type Harness } from "./test-harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("bad input from the server never crashes, hangs or leaks", () => {
  test("invalid JSON, non-text shapes, unknown events, broken known events, broken base64: dropped, counted, logged", async () => {
    harness = await connectToFake();
    const { fake, provider, session, recorder, logger } = harness;
    fake.faults.sendRaw("{this is not json");
    fake.faults.sendRaw("[1,2,3]");
    fake.faults.sendRaw('{"type":"brand.new.event","payload":{}}');
    fake.faults.sendRaw('{"type":"response.output_audio.delta","item_id":"x","delta":"@@not base64@@"}');
    fake.faults.sendRaw('{"type":"response.done","response":42}');
    await provider.injectText(session, "still alive?");
    await recorder.waitFor("transcription", (event) => event.isFinal && event.text === "You said: still alive?");
    const stats = provider.getStats(session.id)!;
    expect(stats.invalidFrames).toBe(4);
    expect(stats.unknownEvents).toBe(1);
    expect(logger.entries.filter((entry) => entry.level === "warn").length).toBeGreaterThanOrEqual(4);
    expect(recorder.of("error")).toEqual([]);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("audio deltas with an unusual field order still decode exactly (fast path falls back to the full parse)", async () => {
    harness = await connectToFake();
    const { fake, recorder } = harness;
    fake.faults.sendRaw('{"delta":"AQIDBA==","type":"response.output_audio.delta","item_id":"i1","content_index":0}');
    fake.faults.sendRaw('{"type":"response.output_audio.delta","item_id":"i1","delta":"BQYHCA==","response_id":"r1"}');
    await recorder.waitFor("audio", () => true, 2);
    expect(recorder.of("audio").map((event) => [...event.audio])).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
  });

  test("odd-length PCM deltas never desynchronise PCM16: the odd byte is carried to the next delta of the item", async () => {
    harness = await connectToFake();
    const { fake, recorder } = harness;
    const delta = (itemId: string, bytes: number[]) =>
      fake.faults.sendRaw(
        JSON.stringify({
          type: "response.output_audio.delta",
          item_id: itemId,
          content_index: 0,
          delta: Buffer.from(bytes).toString("base64"),
        }),
      );
    delta("i1", [1, 2, 3]); // 3 bytes: one sample + a dangling low byte
    delta("i1", [4, 5, 6]); // completes sample [3,4], then [5,6]
    delta("i1", [7]); // dangling
    delta("i2", [9, 10]); // a new item: the dangling byte of i1 is dropped, not glued to i2
    await recorder.waitFor("audio", () => true, 3);
    const chunks = recorder.of("audio").map((event) => [...event.audio]);
    expect(chunks.every((chunk) => chunk.length % 2 === 0)).toBe(true);
    expect(chunks.flat()).toEqual([1, 2, 3, 4, 5, 6, 9, 10]);
  });

  test("oversized frames are dropped and counted; the session continues", async () => {
    harness = await connectToFake({ provider: { maxInboundFrameBytes: 8192 } });
    const { fake, provider, session, recorder } = harness;
    fake.faults.sendRaw(JSON.stringify({ type: "response.output_audio_transcript.delta", delta: "x".repeat(20_000) }));
    await provider.injectText(session, "hi");
    await recorder.waitFor("response-end");
    expect(provider.getStats(session.id)!.oversizedFrames).toBe(1);
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("an error event is reported as recoverable and the session stays up", async () => {
    harness = await connectToFake();
    const { fake, session, recorder } = harness;
    fake.faults.sendError({ code: "invalid_value", message: "Invalid value: 'x'", param: "session.voice" });
    const error = await recorder.waitFor("error");
    expect(error.error).toBeInstanceOf(ProviderProtocolError);
    const { code, message, recoverable } = error.error;
    expect({ code, message, recoverable }).toEqual({
      code: "invalid_value",
      message: "Invalid value: 'x'",
      recoverable: true,
    });
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
  });

  test("a tool call with broken JSON arguments arrives as { raw }", async () => {
    harness = await connectToFake({ fake: { brain: () => ({ callTool: { name: "f", args: '{"a": 1,,}' } }) } });
    const { provider, session, recorder } = harness;
    await provider.injectText(session, "call it");
    expect((await recorder.waitFor("tool-call")).args).toEqual({ raw: '{"a": 1,,}' });
  });

  test("disconnect is idempotent and leaves nothing behind; calls after it are no-ops", async () => {
    harness = await connectToFake();
    const { fake, provider, session } = harness;
    await provider.disconnect(session);
    await provider.disconnect(session);
    expect(session.state).toBe(VoiceSessionState.ENDED);
    expect(provider.getStats(session.id)).toBeUndefined();
    provider.sendAudio(session, new Uint8Array(960));
    await provider.injectText(session, "x");
    await provider.submitToolResult(session, "c", "r");
    await waitFor(() => fake.connections[0]!.closed);
    expect(fake.connections[0]!.closed).toBe(true);
    expect(fake.connections).toHaveLength(1);
  });
});
