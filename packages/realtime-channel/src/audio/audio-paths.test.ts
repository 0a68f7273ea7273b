import { afterEach, describe, expect, test } from "bun:test";
import { HookTrigger, type VoiceSession } from "@roomkit/spec";
import { settle, waitFor } from "@roomkit/testing";
import { createHarness, type Harness, pcmFrame, releaseInOrder } from "../test-support/harness.ts";
import type { ChannelResampler } from "./resampler-types.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("byte-identical without a transport rate (§8.15, 16, 24)", () => {
  test("client audio reaches provider.sendAudio unchanged; provider audio reaches transport.sendAudio unchanged", async () => {
    let created = 0;
    harness = await createHarness({
      channel: {
        createResampler: () => {
          created++;
          throw new Error("no resampler expected");
        },
      },
    });
    const session = await harness.start();
    const inbound = pcmFrame(320);
    const outbound = pcmFrame(480);
    await harness.transport.simulateClientAudio(session, inbound);
    await harness.provider.simulateAudio(session, outbound);
    expect(harness.provider.sentAudio[0]!.audio).toBe(inbound);
    expect(harness.transport.sentAudio[0]!.audio).toBe(outbound);
    expect(created).toBe(0);
  });

  test("transport rate equal to both provider rates ⇒ no resamplers (§8.24)", async () => {
    const pairs: string[] = [];
    harness = await createHarness({
      channel: {
        inputSampleRate: 24000,
        transportSampleRate: 24000,
        createResampler: ({ fromRate, toRate }) => {
          pairs.push(`${fromRate}->${toRate}`);
          throw new Error("unexpected");
        },
      },
    });
    await harness.start();
    expect(pairs).toEqual([]);
  });
});

describe("resampling (§8.24, 25, 26, 32)", () => {
  function recordingFactory(log: string[]): (options: { fromRate: number; toRate: number }) => ChannelResampler {
    return ({ fromRate, toRate }) => ({
      process: (pcm) => {
        log.push(`process ${fromRate}->${toRate}`);
        return pcm.subarray(0, Math.floor((pcm.byteLength * toRate) / fromRate / 2) * 2);
      },
      flush: () => {
        log.push(`flush ${fromRate}->${toRate}`);
        return new Uint8Array(4);
      },
      reset: () => {
        log.push(`reset ${fromRate}->${toRate}`);
      },
    });
  }

  test("a pair is created when the transport rate differs; 8 kHz in and 24 kHz out are resampled (§8.24, 25)", async () => {
    harness = await createHarness({ channel: { transportSampleRate: 8000 } });
    const session = await harness.start();
    await harness.transport.simulateClientAudio(session, pcmFrame(160));
    await harness.provider.simulateAudio(session, pcmFrame(480));
    expect(harness.provider.sentAudio[0]!.audio.byteLength % 2).toBe(0);
    const inTotal = harness.provider.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0);
    expect(inTotal).toBeGreaterThan(400);
    expect(harness.transport.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0)).toBeLessThanOrEqual(
      320,
    );
  });

  test("frame order is kept and output equals a sequential reference run (§8.26)", async () => {
    const { createResampler } = await import("@roomkit/audio");
    harness = await createHarness({ channel: { transportSampleRate: 8000 } });
    const session = await harness.start();
    const reference = createResampler({ fromRate: 8000, toRate: 16000 });
    const expected: number[] = [];
    for (let index = 0; index < 20; index++) {
      const frame = pcmFrame(160, index);
      expected.push(...reference.process(frame));
      await harness.transport.simulateClientAudio(session, frame);
    }
    const actual = harness.provider.sentAudio.flatMap((entry) => [...entry.audio]);
    expect(actual).toEqual(expected);
  });

  test("speech start resets the outbound resampler; response end flushes it before endOfResponse (§8.32)", async () => {
    const log: string[] = [];
    harness = await createHarness({ channel: { transportSampleRate: 8000, createResampler: recordingFactory(log) } });
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    await harness.provider.simulateAudio(session, pcmFrame(480));
    await harness.provider.simulateResponseEnd(session);
    expect(log.filter((entry) => entry.includes("24000->8000"))).toEqual(["process 24000->8000", "flush 24000->8000"]);
    const audioCalls = harness.transport.calls
      .filter((call) => call.method !== "sendMessage")
      .map((call) => call.method);
    expect(audioCalls.slice(-3)).toEqual(["sendAudio", "sendAudio", "endOfResponse"]);
    await harness.provider.simulateSpeechStart(session);
    expect(log).toContain("reset 24000->8000");
  });

  test("endSession drops the resamplers", async () => {
    harness = await createHarness({ channel: { transportSampleRate: 8000 } });
    const session = await harness.start();
    await harness.channel.endSession(session);
    await harness.transport.simulateClientAudio(session, pcmFrame(160));
    expect(harness.provider.sentAudio).toHaveLength(0);
  });
});

describe("outbound queue (§8.29–31)", () => {
  /** A transport whose sendAudio yields (async) — exercises the queue. */
  function makeSlowTransport(h: Harness): Array<() => void> {
    const pending: Array<() => void> = [];
    const original = h.transport.sendAudio.bind(h.transport);
    h.transport.sendAudio = ((session: VoiceSession, audio: Uint8Array) => {
      original(session, audio);
      return new Promise<void>((resolve) => pending.push(resolve));
    }) as never;
    return pending;
  }

  test("endOfResponse reaches the transport after every preceding chunk, with a yielding transport (§8.29)", async () => {
    harness = await createHarness();
    const pending = makeSlowTransport(harness);
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    for (let index = 0; index < 5; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index));
    await harness.provider.simulateResponseEnd(session);
    expect(harness.transport.callsOf("endOfResponse")).toHaveLength(0);
    await releaseInOrder(pending, 10);
    const methods = harness.transport.calls
      .map((call) => call.method)
      .filter((method) => method === "sendAudio" || method === "endOfResponse");
    expect(methods).toEqual(["sendAudio", "sendAudio", "sendAudio", "sendAudio", "sendAudio", "endOfResponse"]);
  });

  test("speech start before queued audio is sent ⇒ only the chunk in flight reached the transport (§8.31)", async () => {
    harness = await createHarness({ transport: { capabilities: { interrupt: true } } });
    const pending = makeSlowTransport(harness);
    const session = await harness.start();
    await harness.provider.simulateResponseStart(session);
    for (let index = 0; index < 4; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index));
    await harness.provider.simulateSpeechStart(session);
    await releaseInOrder(pending);
    expect(harness.transport.sentAudio).toHaveLength(1);
    // provider audio is dropped while the user speaks
    await harness.provider.simulateAudio(session, pcmFrame(480));
    expect(harness.transport.sentAudio).toHaveLength(1);
    await harness.provider.simulateSpeechEnd(session);
    await harness.provider.simulateAudio(session, pcmFrame(480));
    expect(harness.transport.sentAudio).toHaveLength(2);
  });

  test("the queue is bounded: the newest chunk is dropped and counted with a warning (backpressure)", async () => {
    harness = await createHarness({ channel: { maxOutboundQueue: 3 } });
    makeSlowTransport(harness);
    const session = await harness.start();
    for (let index = 0; index < 10; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index));
    // 1 in flight + 3 queued; 6 dropped
    expect(session.metrics.outboundDropped).toBe(6);
    expect(harness.logger.entries.some((entry) => entry.message.includes("Outbound audio queue full"))).toBe(true);
  });

  test("endSession stops sending queued audio (§8.30)", async () => {
    harness = await createHarness();
    const pending = makeSlowTransport(harness);
    const session = await harness.start();
    for (let index = 0; index < 3; index++) await harness.provider.simulateAudio(session, pcmFrame(480, index));
    await harness.channel.endSession(session);
    await releaseInOrder(pending);
    expect(harness.transport.sentAudio).toHaveLength(1);
  });
});

describe("inbound order with an async provider", () => {
  test("frames reach provider.sendAudio one at a time, in order", async () => {
    harness = await createHarness();
    const pending: Array<() => void> = [];
    const seen: Uint8Array[] = [];
    harness.provider.sendAudio = ((_session: VoiceSession, audio: Uint8Array) => {
      seen.push(audio);
      return new Promise<void>((resolve) => pending.push(resolve));
    }) as never;
    const session = await harness.start();
    const frames = Array.from({ length: 6 }, (_, index) => pcmFrame(160, index));
    for (const frame of frames) await harness.transport.simulateClientAudio(session, frame);
    expect(seen).toHaveLength(1);
    await releaseInOrder(pending);
    expect(seen).toEqual(frames);
  });

  test("bad input never crashes: odd length, oversize, empty, garbage frame objects", async () => {
    harness = await createHarness({ channel: { maxInboundFrameBytes: 1000 } });
    const session = await harness.start();
    await harness.transport.simulateClientAudio(session, new Uint8Array(3));
    await harness.transport.simulateClientAudio(session, new Uint8Array(2000));
    await harness.transport.simulateClientAudio(session, new Uint8Array(0));
    await harness.transport.simulateClientAudio(session, { data: "nope" } as never);
    expect(harness.provider.sentAudio).toHaveLength(0);
    expect(session.metrics.inboundDropped).toBe(3);
  });
});

describe("access control (binding gate, per frame)", () => {
  test("revoked access and mute drop caller audio; changes apply to the next frame; WRITE_ONLY passes", async () => {
    harness = await createHarness();
    const { kit, roomId, provider, transport } = harness;
    const session = await harness.start();
    await transport.simulateClientAudio(session, pcmFrame(160));
    await kit.setAccess(roomId, "rt-voice", "read_only");
    await transport.simulateClientAudio(session, pcmFrame(160));
    await kit.setAccess(roomId, "rt-voice", "none");
    await transport.simulateClientAudio(session, pcmFrame(160));
    await kit.setAccess(roomId, "rt-voice", "write_only");
    await transport.simulateClientAudio(session, pcmFrame(160));
    await kit.mute(roomId, "rt-voice");
    await transport.simulateClientAudio(session, pcmFrame(160));
    await kit.unmute(roomId, "rt-voice");
    await transport.simulateClientAudio(session, pcmFrame(160));
    expect(provider.sentAudio).toHaveLength(3);
  });

  test("output mute drops provider audio (checked at enqueue and send)", async () => {
    harness = await createHarness();
    const session = await harness.start();
    await harness.kit.muteOutput(harness.roomId, "rt-voice");
    await harness.provider.simulateAudio(session, pcmFrame(480));
    await harness.kit.unmuteOutput(harness.roomId, "rt-voice");
    await harness.provider.simulateAudio(session, pcmFrame(480));
    expect(harness.transport.sentAudio).toHaveLength(1);
  });
});

describe("audio level hooks", () => {
  test("input level hook is throttled per session (two sessions each get their own)", async () => {
    harness = await createHarness();
    const levels: string[] = [];
    harness.kit.hook(
      HookTrigger.ON_INPUT_AUDIO_LEVEL,
      (event: { session: VoiceSession; levelDb: number }) => {
        levels.push(event.session.participantId);
        expect(event.levelDb).toBeLessThanOrEqual(0);
      },
      { execution: "async" },
    );
    const a = await harness.start("a");
    const b = await harness.start("b");
    for (let index = 0; index < 10; index++) {
      await harness.transport.simulateClientAudio(a, pcmFrame(320, index));
      await harness.transport.simulateClientAudio(b, pcmFrame(320, index));
    }
    await waitFor(() => levels.length >= 2);
    await settle(5);
    expect(levels.sort()).toEqual(["a", "b"]);
  });
});
