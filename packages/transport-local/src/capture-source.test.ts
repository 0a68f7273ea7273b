import { afterEach, describe, expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { createRecordingLogger, RoomKitConfigError, silentLogger, TransportError, VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider, waitFor } from "@roomkit/testing";
import { LocalCaptureSource } from "./capture-source.ts";
import { FakeAudioDriver } from "./drivers/fake-driver.ts";
import { LocalAudioBackend } from "./local-audio-transport.ts";

let counter = 0;
function session(metadata: Record<string, unknown> = {}) {
  counter++;
  return new VoiceSession({ id: `c${counter}`, roomId: "room", participantId: "me", channelId: "voice", metadata });
}
/** A block whose samples all carry `tag`, so the order of delivery is visible. */
const tagged = (tag: number, bytes = 960) => new Uint8Array(new Int16Array(bytes / 2).fill(tag).buffer);
const tagOf = (bytes: Uint8Array) => new Int16Array(bytes.slice().buffer)[0]!;

function setup(options: ConstructorParameters<typeof LocalAudioBackend>[0] = {}) {
  const mic = new FakeAudioDriver();
  const source = new LocalCaptureSource({ driver: mic, sampleRate: 24000 });
  const speaker = new FakeAudioDriver();
  const logger = createRecordingLogger();
  const transport = new LocalAudioBackend({
    driver: speaker,
    source,
    logger,
    muteMicDuringPlayback: false,
    ...options,
  });
  const heard: Array<{ id: string; tag: number }> = [];
  transport.onAudioReceived((s, audio) => {
    heard.push({ id: s.id, tag: tagOf(audio instanceof Uint8Array ? audio : audio.data) });
  });
  return { mic, source, speaker, transport, heard, logger };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe("LocalCaptureSource shared by LocalAudioBackend (fake drivers)", () => {
  test("(§L53, §L61) with a source the transport opens no mic of its own and subscribes once for all sessions", async () => {
    const { mic, source, speaker, transport } = setup();
    await transport.accept(session(), null);
    await transport.accept(session(), null);
    expect(speaker.streams.map((stream) => stream.kind)).toEqual(["output"]);
    expect(mic.streams.map((stream) => stream.kind)).toEqual(["input"]);
    expect(source.subscriberCount).toBe(1);
    await transport.close();
    await source.close();
  });

  test("(§L54) source blocks reach onAudioReceived in order", async () => {
    const { mic, source, transport, heard } = setup();
    const a = session();
    await transport.accept(a, null);
    for (let tag = 1; tag <= 5; tag++) mic.speak(tagged(tag));
    expect(heard.map((entry) => entry.tag)).toEqual([1, 2, 3, 4, 5]);
    await transport.close();
    await source.close();
  });

  test("(§L55) metadata.captureSince replays what the source captured since the mark, then live audio", async () => {
    const { mic, source, transport, heard, logger } = setup();
    await source.start();
    mic.speak(tagged(1)); // before the mark: not replayed
    const mark = source.mark();
    mic.speak(tagged(2));
    mic.speak(tagged(3));
    const a = session({ captureSince: mark });
    await transport.accept(a, null);
    mic.speak(tagged(4));
    expect(heard.map((entry) => entry.tag)).toEqual([2, 3, 4]);
    // No mark: live audio only. Not a mark: a warning, and live audio only.
    const b = session();
    const c = session({ captureSince: 7 });
    await transport.accept(b, null);
    await transport.accept(c, null);
    mic.speak(tagged(5));
    expect(heard.filter((entry) => entry.id !== a.id).map((entry) => entry.tag)).toEqual([5, 5]);
    expect(logger.entries.some((entry) => entry.level === "warn" && entry.message.includes("captureSince"))).toBe(true);
    await transport.close();
    await source.close();
  });

  test("(§L59, §L60) the last disconnect and close() unsubscribe; the source keeps running", async () => {
    const { mic, source, transport } = setup();
    const a = session();
    await transport.accept(a, null);
    await transport.disconnect(a);
    expect(source.subscriberCount).toBe(0);
    expect(source.running && mic.inputOpen).toBe(true);
    await transport.accept(session(), null);
    expect(source.subscriberCount).toBe(1);
    await transport.close();
    expect(source.subscriberCount).toBe(0);
    expect(source.running && mic.inputOpen).toBe(true);
    await source.close();
    expect(mic.inputOpen).toBe(false);
  });

  test("(§L63, §L64, §L65) the source owns the format: conflicting options are refused, matching ones accepted", () => {
    const source = new LocalCaptureSource({ driver: new FakeAudioDriver(), sampleRate: 48000, blockDurationMs: 10 });
    const transport = new LocalAudioBackend({ driver: new FakeAudioDriver(), source });
    expect(transport.options).toMatchObject({ sampleRate: 48000, channels: 1, blockDurationMs: 10 });
    expect(new LocalAudioBackend({ driver: new FakeAudioDriver(), source, sampleRate: 48000 }).options.sampleRate).toBe(
      48000,
    );
    for (const [field, value] of [
      ["sampleRate", 16000],
      ["blockDurationMs", 20],
      ["channels", 2],
    ] as const) {
      let error: unknown;
      try {
        new LocalAudioBackend({ driver: new FakeAudioDriver(), source, [field]: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RoomKitConfigError);
      expect((error as Error).message).toContain(field);
      expect((error as Error).message).toContain("conflicts with the capture source");
    }
    expect(() => new LocalAudioBackend({ source: {} as never })).toThrow(RoomKitConfigError);
  });

  test("(§L66) without a source the transport's own defaults apply (24000 Hz: one rate for mic and speaker), no source", () => {
    const transport = new LocalAudioBackend({ driver: new FakeAudioDriver() });
    expect(transport.options).toMatchObject({ sampleRate: 24000, channels: 1, blockDurationMs: 20 });
    expect(transport.options.source).toBeUndefined();
  });

  test("the history is bounded: a mark older than historySeconds replays only what is kept", async () => {
    const mic = new FakeAudioDriver();
    const source = new LocalCaptureSource({ driver: mic, sampleRate: 24000, historySeconds: 0.06 });
    await source.start();
    const mark = source.mark();
    for (let tag = 1; tag <= 6; tag++) mic.speak(tagged(tag));
    expect(source.since(mark).map(tagOf)).toEqual([4, 5, 6]);
    await source.close();
  });

  test("the source's microphone lost mid-call is the transport's device loss: the sessions end", async () => {
    const { mic, source, transport } = setup();
    const gone: string[] = [];
    transport.onClientDisconnected((s) => void gone.push(s.id));
    const a = session();
    await transport.accept(a, null);
    mic.unplug(new TransportError("parec exited"));
    await waitFor(() => gone.length > 0, { timeoutMs: 2000 });
    expect(gone).toEqual([a.id]);
    expect(source.running).toBe(false);
    expect(source.subscriberCount).toBe(0);
  });

  async function channelSetup() {
    const { mic, source, transport } = setup();
    const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
    const provider = new MockRealtimeProvider({ logger: silentLogger });
    const channel = new RealtimeVoiceChannel("voice", {
      provider,
      transport,
      inputSampleRate: 24000,
      outputSampleRate: 24000,
      logger: silentLogger,
    });
    kit.registerChannel(channel);
    cleanups.push(async () => {
      await kit.close();
      await transport.close();
      await source.close();
    });
    await kit.createRoom({ roomId: "room-1" });
    await kit.attachChannel("room-1", "voice");
    await source.start();
    return { mic, source, transport, provider, channel };
  }

  test("(§L75) through RealtimeVoiceChannel: speech captured before the session reaches the provider first, in order, then live audio; ending the session leaves the source running", async () => {
    const { mic, source, provider, channel } = await channelSetup();
    const mark = source.mark(); // e.g. where the wake word ended
    mic.speak(tagged(11));
    mic.speak(tagged(12));
    const live = await channel.startSession("room-1", "me", { connection: null, metadata: { captureSince: mark } });
    mic.speak(tagged(13));
    await waitFor(() => provider.sentAudio.length >= 3, { timeoutMs: 2000 });
    const sent = provider.sentAudio.map((entry) => tagOf(entry.audio));
    expect(sent).toEqual([11, 12, 13]);
    await channel.endSession(live);
    mic.speak(tagged(14));
    expect(source.running).toBe(true);
    expect(provider.sentAudio.length).toBe(3);
  });

  test("(§L75) a failed handshake sends nothing and leaves no subscription; the source keeps running", async () => {
    const { mic, source, provider, channel } = await channelSetup();
    const mark = source.mark();
    mic.speak(tagged(21));
    provider.beforeConnect = () => {
      throw new Error("handshake refused");
    };
    await expect(
      channel.startSession("room-1", "me", { connection: null, metadata: { captureSince: mark } }),
    ).rejects.toThrow("handshake refused");
    mic.speak(tagged(22));
    expect(provider.sentAudio).toEqual([]);
    expect(source.subscriberCount).toBe(0);
    expect(source.running).toBe(true);
  });
});
