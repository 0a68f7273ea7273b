import { afterEach, describe, expect, test } from "bun:test";
import { HookTrigger, VoiceSessionState } from "@roomkit/spec";
import { settle } from "@roomkit/testing";
import { createHarness, type Harness, pcmFrame } from "./test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("smoke with RoomKit", () => {
  test("audio both ways and a stored final", async () => {
    harness = await createHarness({ channel: { systemPrompt: "Be brief.", voice: "alloy" } });
    const { provider, transport, kit } = harness;
    const session = await harness.start();
    expect(session.state).toBe(VoiceSessionState.ACTIVE);
    const frame = pcmFrame(320);
    await transport.simulateClientAudio(session, frame);
    expect(provider.sentAudio[0]!.audio).toEqual(frame);
    const out = pcmFrame(480);
    await provider.simulateAudio(session, out);
    expect(transport.sentAudio[0]!.audio).toEqual(out);
    await provider.simulateTranscription(session, "hello there", { role: "user", isFinal: true });
    await settle(5);
    const timeline = await kit.getTimeline(harness.roomId);
    const message = timeline.find((event) => event.content.type === "text");
    expect(message?.metadata).toMatchObject({ role: "user", source: "realtime_voice", voice_session_id: session.id });
    expect(message?.source.provider).toBe("MockRealtimeProvider");
    expect(HookTrigger.ON_REALTIME_TOOL_CALL).toBe(HookTrigger.ON_TOOL_CALL);
  });

  test("8 kHz transport resamples both ways", async () => {
    harness = await createHarness({ channel: { transportSampleRate: 8000 } });
    const { provider, transport } = harness;
    const session = await harness.start();
    for (let index = 0; index < 5; index++) await transport.simulateClientAudio(session, pcmFrame(160, index));
    const inBytes = provider.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0);
    expect(inBytes).toBeGreaterThan(5 * 640 - 200);
    for (let index = 0; index < 5; index++) await provider.simulateAudio(session, pcmFrame(480, index));
    const outBytes = transport.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0);
    expect(outBytes).toBeGreaterThan(5 * 320 - 200);
  });
});
