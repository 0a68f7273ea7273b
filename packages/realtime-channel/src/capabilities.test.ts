// Every capability flag changes what the channel does: both branches of each, with the mocks' capabilities set.
import { afterEach, describe, expect, test } from "bun:test";
import { type BargeInEvent, HookTrigger, type VoiceSession } from "@roomkit/spec";
import { ManualClock, settle, waitFor } from "@roomkit/testing";
import { createHarness, type Harness, pcmFrame, releaseInOrder } from "./test-support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const truncations = (h: Harness) => h.provider.callsOf("truncateAudio").map((call) => call.args[1]);

/** A response with `frames` 20 ms chunks at 24 kHz (sent to the transport at once). */
async function respond(h: Harness, session: VoiceSession, frames: number): Promise<void> {
  await h.provider.simulateResponseStart(session);
  for (let index = 0; index < frames; index++) await h.provider.simulateAudio(session, pcmFrame(480, index));
}

describe("transport playbackCallback", () => {
  for (const playbackCallback of [true, false]) {
    test(`${playbackCallback}: played blocks ${playbackCallback ? "set" : "do not set"} the barge-in position`, async () => {
      const clock = new ManualClock(1000);
      harness = await createHarness({ channel: { clock }, transport: { capabilities: { playbackCallback } } });
      const session = await harness.start();
      await respond(harness, session, 50);
      for (let index = 0; index < 30; index++) {
        await harness.transport.simulateAudioPlayed(session, { audio: pcmFrame(240, index + 1), sampleRate: 24000 });
      }
      clock.advance(100);
      await harness.provider.simulateSpeechStart(session);
      expect(truncations(harness)).toEqual([playbackCallback ? 300 : 100]);
    });
  }
});

describe("transport playbackPosition", () => {
  for (const playbackPosition of [true, false]) {
    test(`${playbackPosition}: a reported position is ${playbackPosition ? "used" : "ignored (wall clock)"}`, async () => {
      const clock = new ManualClock(1000);
      harness = await createHarness({ channel: { clock }, transport: { capabilities: { playbackPosition } } });
      const bargeIns: BargeInEvent[] = [];
      harness.kit.hook(HookTrigger.ON_BARGE_IN, (event: BargeInEvent) => void bargeIns.push(event), {
        execution: "async",
      });
      const session = await harness.start();
      await respond(harness, session, 50);
      await harness.transport.simulatePlaybackPosition(session, { playedMs: 320, source: "client" });
      clock.advance(430);
      await harness.provider.simulateSpeechStart(session);
      expect(truncations(harness)).toEqual([playbackPosition ? 320 : 430]);
      await waitFor(() => bargeIns.length === 1);
      expect(bargeIns[0]!.positionSource).toBe(playbackPosition ? "client" : "wall_clock");
    });
  }
});

describe("transport interrupt", () => {
  test("true: transport.interrupt on barge-in; the transport drops its queue, later deltas flow after speech end", async () => {
    harness = await createHarness({ transport: { capabilities: { interrupt: true } } });
    const session = await harness.start();
    await respond(harness, session, 3);
    await harness.provider.simulateSpeechStart(session);
    expect(harness.transport.callsOf("interrupt")).toHaveLength(1);
    await harness.provider.simulateSpeechEnd(session);
    await harness.provider.simulateAudio(session, pcmFrame(480));
    expect(harness.transport.sentAudio).toHaveLength(4);
  });

  test("false: no transport.interrupt; the channel drops queued audio and the rest of the response, next plays", async () => {
    harness = await createHarness({ transport: { capabilities: { interrupt: false } } });
    const pending: Array<() => void> = [];
    const send = harness.transport.sendAudio.bind(harness.transport);
    harness.transport.sendAudio = ((s: VoiceSession, audio: Uint8Array) => {
      send(s, audio);
      return new Promise<void>((resolve) => pending.push(resolve));
    }) as never;
    const session = await harness.start();
    await respond(harness, session, 4); // 1 in flight, 3 queued
    await harness.provider.simulateSpeechStart(session);
    expect(harness.transport.callsOf("interrupt")).toHaveLength(0);
    await harness.provider.simulateSpeechEnd(session);
    await harness.provider.simulateAudio(session, pcmFrame(480)); // a late delta of the interrupted response
    await releaseInOrder(pending);
    expect(harness.transport.sentAudio).toHaveLength(1);
    await harness.provider.simulateResponseEnd(session);
    await respond(harness, session, 2);
    await settle(1);
    pending.shift()?.();
    await settle(1);
    expect(harness.transport.sentAudio).toHaveLength(3);
  });
});

describe("transport inputMute with muteOnToolCall", () => {
  for (const inputMute of [true, false]) {
    test(`${inputMute}: ${inputMute ? "the transport mutes at the source" : "the channel drops caller frames itself, counted"}`, async () => {
      let release: () => void = () => {};
      const running = new Promise<void>((resolve) => (release = resolve));
      harness = await createHarness({
        channel: { muteOnToolCall: true, toolHandler: () => running.then(() => "ok") },
        transport: { capabilities: { inputMute } },
      });
      const session = await harness.start();
      await harness.provider.simulateToolCall(session, "call-1", "lookup", {});
      await waitFor(() => harness!.transport.inputMuted.length === 1);
      await harness.transport.simulateClientAudio(session, pcmFrame(320));
      // Either way no caller audio reaches the provider while the tool runs; who dropped it differs.
      expect(harness.provider.sentAudio).toHaveLength(0);
      expect(harness.transport.inputMutedDropped).toBe(inputMute ? 1 : 0);
      expect(session.metrics.inboundDropped).toBe(inputMute ? 0 : 1);
      release();
      await waitFor(() => harness!.provider.toolResults.length === 1);
      await harness.transport.simulateClientAudio(session, pcmFrame(320));
      expect(harness.provider.sentAudio).toHaveLength(1);
      expect(harness.transport.inputMuted.map((entry) => entry.muted)).toEqual([true, false]);
    });
  }
});

describe("transport dtmf", () => {
  for (const dtmf of [true, false]) {
    test(`${dtmf}: ON_DTMF ${dtmf ? "fires" : "never fires (the channel does not listen)"}`, async () => {
      harness = await createHarness({ transport: { capabilities: { dtmf } } });
      const digits: string[] = [];
      harness.kit.hook(HookTrigger.ON_DTMF, (event: { digit: string }) => void digits.push(event.digit), {
        execution: "async",
      });
      const session = await harness.start();
      await harness.transport.simulateDtmf(session, { digit: "7" });
      await settle(5);
      expect(digits).toEqual(dtmf ? ["7"] : []);
    });
  }
});

describe("provider truncation", () => {
  for (const truncation of [true, false]) {
    test(`${truncation}: truncateAudio ${truncation ? "is" : "is not"} called; ON_BARGE_IN fires either way`, async () => {
      const clock = new ManualClock(1000);
      harness = await createHarness({ channel: { clock }, provider: { capabilities: { truncation } } });
      const bargeIns: BargeInEvent[] = [];
      harness.kit.hook(HookTrigger.ON_BARGE_IN, (event: BargeInEvent) => void bargeIns.push(event), {
        execution: "async",
      });
      const session = await harness.start();
      await respond(harness, session, 50);
      clock.advance(200);
      await harness.provider.simulateSpeechStart(session);
      expect(truncations(harness)).toEqual(truncation ? [200] : []);
      await waitFor(() => bargeIns.length === 1);
      expect(bargeIns[0]!.audioPositionMs).toBe(200);
      expect(session.metrics.bargeIns).toBe(1);
    });
  }
});

describe("provider midSessionReconfigure", () => {
  test("true: reconfigure in-band; the provider is not reconnected by the channel", async () => {
    harness = await createHarness({ provider: { capabilities: { midSessionReconfigure: true } } });
    harness.provider.reconfigure = (async () => {}) as never;
    const resets: unknown[] = [];
    harness.kit.on("voice_session_context_reset", (event) => void resets.push(event.data));
    const session = await harness.start();
    await harness.channel.reconfigureSession(session, { systemPrompt: "New" });
    expect(harness.provider.callsOf("connect")).toHaveLength(1);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(0);
    await settle(5);
    expect(resets).toEqual([]);
  });

  test("false: no in-band update; the channel reconnects with the new config, holds caller audio, reports the reset", async () => {
    harness = await createHarness({ provider: { capabilities: { midSessionReconfigure: false } } });
    let reconfigured = 0;
    harness.provider.reconfigure = (async () => void reconfigured++) as never;
    const resets: Array<Record<string, unknown>> = [];
    harness.kit.on("voice_session_context_reset", (event) => void resets.push(event.data));
    const session = await harness.start();
    let connected: () => void = () => {};
    harness.provider.beforeConnect = () => new Promise<void>((resolve) => (connected = resolve));
    const reconfiguring = harness.channel.reconfigureSession(session, { systemPrompt: "New", voice: "echo" });
    await waitFor(() => harness!.provider.callsOf("connect").length === 2);
    await harness.transport.simulateClientAudio(session, pcmFrame(320));
    expect(harness.provider.sentAudio).toHaveLength(0);
    connected();
    await reconfiguring;
    expect(reconfigured).toBe(0);
    expect(harness.provider.callsOf("disconnect")).toHaveLength(1);
    expect(harness.provider.callsOf("connect")[1]!.args[1]).toMatchObject({
      systemPrompt: "New",
      voice: "echo",
      inputSampleRate: 16000,
      serverVad: true,
    });
    expect(harness.provider.sentAudio).toHaveLength(1);
    await waitFor(() => resets.length === 1);
    expect(resets[0]).toMatchObject({ session_id: session.id, reason: "reconfigure" });
  });
});
