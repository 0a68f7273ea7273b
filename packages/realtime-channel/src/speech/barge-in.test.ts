import { afterEach, describe, expect, test } from "bun:test";
import { type BargeInEvent, HookTrigger, type VoiceSession } from "@roomkit/spec";
import { ManualClock, settle, waitFor } from "@roomkit/testing";
import { countContextBuilds, createHarness, type Harness, pcmFrame } from "../test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function truncations(h: Harness): number[] {
  return h.provider.callsOf("truncateAudio").map((call) => call.args[1]);
}

describe("barge-in: playback-accurate truncation", () => {
  test("device playback callback: truncates at the played ms (≈750 for 750 ms), even after response done (§8.34)", async () => {
    harness = await createHarness({ transport: { capabilities: { playbackCallback: true } } });
    const bargeIns: BargeInEvent[] = [];
    harness.kit.hook(HookTrigger.ON_BARGE_IN, (event: BargeInEvent) => void bargeIns.push(event), {
      execution: "async",
    });
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    await harness.provider.simulateTranscription(session, "A long answer", { role: "assistant" });
    for (let index = 0; index < 50; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index));
    await harness.provider.simulateResponseEnd(session);
    // 75 blocks of 10 ms at 24 kHz were played by the device
    for (let index = 0; index < 75; index++) {
      await harness.transport.simulateAudioPlayed(session, { audio: pcmFrame(240, index + 1), sampleRate: 24000 });
    }
    await harness.provider.simulateSpeechStart(session);
    expect(truncations(harness)).toEqual([750]);
    await waitFor(() => bargeIns.length === 1);
    expect(bargeIns[0]).toMatchObject({
      audioPositionMs: 750,
      positionSource: "device",
      interruptedText: "A long answer",
    });
    expect(session.metrics.bargeIns).toBe(1);
  });

  test("device: silent blocks don't start tracking; a non-silent 240-sample block adds 10 ms; playbackEnded clears (§8.23)", async () => {
    harness = await createHarness({ transport: { capabilities: { playbackCallback: true } } });
    const session = await harness.start();
    await harness.transport.simulateAudioPlayed(session, { audio: new Uint8Array(480), sampleRate: 24000 });
    await harness.provider.simulateSpeechStart(session);
    expect(truncations(harness)).toEqual([]);
    await harness.provider.simulateSpeechEnd(session);
    await harness.transport.simulateAudioPlayed(session, { audio: pcmFrame(240), sampleRate: 24000 });
    await harness.provider.simulateSpeechStart(session);
    expect(truncations(harness)).toEqual([10]);
    await harness.provider.simulateSpeechEnd(session);
    await harness.transport.simulateAudioPlayed(session, { audio: pcmFrame(240), sampleRate: 24000 });
    await harness.transport.simulateAudioPlayed(session, {
      audio: new Uint8Array(0),
      sampleRate: 24000,
      playbackEnded: true,
    });
    await harness.provider.simulateSpeechStart(session);
    expect(truncations(harness)).toEqual([10]);
  });

  test("client-reported position (WebSocket playback message) is used and clamped to audio sent", async () => {
    const clock = new ManualClock(1000);
    harness = await createHarness({ channel: { clock }, transport: { capabilities: { playbackPosition: true } } });
    const bargeIns: BargeInEvent[] = [];
    harness.kit.hook(HookTrigger.ON_BARGE_IN, (event: BargeInEvent) => void bargeIns.push(event), {
      execution: "async",
    });
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    for (let index = 0; index < 25; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index)); // 500 ms
    await harness.transport.simulatePlaybackPosition(session, { playedMs: 320, source: "client" });
    clock.advance(5000);
    await harness.provider.simulateSpeechStart(session);
    expect(truncations(harness)).toEqual([320]);
    await waitFor(() => bargeIns.length === 1);
    expect(bargeIns[0]).toMatchObject({ audioPositionMs: 320, positionSource: "client" });
  });

  test("pacer position source is reported as such", async () => {
    harness = await createHarness({ transport: { capabilities: { playbackPosition: true } } });
    const bargeIns: BargeInEvent[] = [];
    harness.kit.hook(HookTrigger.ON_BARGE_IN, (event: BargeInEvent) => void bargeIns.push(event), {
      execution: "async",
    });
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    for (let index = 0; index < 10; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index));
    await harness.transport.simulatePlaybackPosition(session, { playedMs: 120, source: "pacer" });
    await harness.provider.simulateSpeechStart(session);
    await waitFor(() => bargeIns.length === 1);
    expect(bargeIns[0]).toMatchObject({ audioPositionMs: 120, positionSource: "pacer" });
  });

  test("no position report: wall clock since the first audio reached the transport, clamped to audio sent", async () => {
    const clock = new ManualClock(1000);
    harness = await createHarness({ channel: { clock } });
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    for (let index = 0; index < 50; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index)); // 1000 ms sent
    clock.advance(430);
    await harness.provider.simulateSpeechStart(session);
    expect(truncations(harness)).toEqual([430]);
    // clamp: 200 ms sent, 5 s later the caller heard all of it ⇒ not a barge-in if the response is over
    await harness.provider.simulateSpeechEnd(session);
    await harness.provider.simulateResponseStart(session);
    for (let index = 0; index < 10; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index));
    await harness.provider.simulateResponseEnd(session);
    clock.advance(5000);
    await harness.provider.simulateSpeechStart(session);
    expect(truncations(harness)).toEqual([430]);
  });

  test("speech start always: interrupt, immediate clear_audio, speaking message; no truncation when nothing played", async () => {
    harness = await createHarness({ transport: { capabilities: { interrupt: true } } });
    const session = await harness.start();
    harness.transport.clearRecordings();
    await harness.provider.simulateSpeechStart(session);
    expect(harness.transport.callsOf("interrupt")).toHaveLength(1);
    expect(harness.transport.sentMessages.map((entry) => entry.message)).toEqual([
      { type: "clear_audio" },
      { type: "speaking", speaking: true, who: "user" },
    ]);
    expect(truncations(harness)).toEqual([]);
    expect(harness.provider.callsOf("interrupt")).toHaveLength(0);
  });
});

describe("speech and response events (§8.43, 44)", () => {
  test("no context is built for speech events without hooks; with hooks ON_SPEECH_START then ON_SPEECH_END", async () => {
    harness = await createHarness();
    const contexts = countContextBuilds(harness.kit);
    const session = await harness.start();
    await harness.provider.simulateSpeechStart(session);
    await harness.provider.simulateSpeechEnd(session);
    await settle(5);
    expect(contexts()).toBe(0);
    const order: string[] = [];
    harness.kit.hook(
      HookTrigger.ON_SPEECH_START,
      (payload: VoiceSession) => void order.push(`start:${payload.id === session.id}`),
      { execution: "async" },
    );
    harness.kit.hook(HookTrigger.ON_SPEECH_END, () => void order.push("end"), { execution: "async" });
    await harness.provider.simulateSpeechStart(session);
    await harness.provider.simulateSpeechEnd(session);
    await waitFor(() => order.length === 2);
    expect(order).toEqual(["start:true", "end"]);
  });

  test("response start ⇒ speaking true (assistant) + typing; response end ⇒ speaking false (§8.44)", async () => {
    harness = await createHarness();
    const typing: unknown[] = [];
    harness.kit.on("typing", (event) => void typing.push(event.data));
    const session = await harness.start();
    harness.transport.clearRecordings();
    await harness.provider.simulateResponseStart(session);
    await harness.provider.simulateResponseEnd(session);
    expect(harness.transport.messagesOfType("speaking")).toEqual([
      { type: "speaking", speaking: true, who: "assistant" },
      { type: "speaking", speaking: false, who: "assistant" },
    ]);
    await waitFor(() => typing.length === 2);
    expect(typing[0]).toMatchObject({ userId: "assistant", isTyping: true, session_id: session.id });
  });
});
