import { describe, expect, test } from "bun:test";
import { createRecordingLogger, RoomKitConfigError, TransportError, VoiceSession } from "@roomkit/spec";
import { FakeAudioDriver } from "./drivers/fake-driver.ts";
import { LocalAudioBackend, type LocalPlayedAudio } from "./local-audio-transport.ts";
import { ManualClock, waitFor } from "@roomkit/testing";

let counter = 0;
function session(roomId = "room") {
  counter++;
  return new VoiceSession({ id: `s${counter}`, roomId, participantId: "me", channelId: "voice" });
}
function setup(options: ConstructorParameters<typeof LocalAudioBackend>[0] = {}, driver = new FakeAudioDriver()) {
  const clock = new ManualClock();
  const logger = createRecordingLogger();
  const transport = new LocalAudioBackend({ sampleRate: 24000, driver, clock, logger, ...options });
  const played: Array<{ id: string; played: LocalPlayedAudio }> = [];
  transport.onAudioPlayed((s, block) => void played.push({ id: s.id, played: block as LocalPlayedAudio }));
  const heard: Array<{ id: string; bytes: Uint8Array }> = [];
  transport.onAudioReceived(
    (s, audio) => void heard.push({ id: s.id, bytes: audio instanceof Uint8Array ? audio : audio.data }),
  );
  return { driver, clock, transport, played, heard, logger };
}
const ones = (bytes: number) => new Uint8Array(bytes).fill(1);
const loud = (bytes: number) => new Uint8Array(bytes).fill(0x40);

describe("LocalAudioBackend on the fake driver", () => {
  test("(§L1, §L2) name, capabilities as implemented, seed construction", () => {
    const transport = new LocalAudioBackend({ sampleRate: 16000, channels: 1, driver: new FakeAudioDriver() });
    expect(transport.name).toBe("LocalAudio");
    expect(transport.capabilities).toEqual({
      playbackCallback: true,
      playbackPosition: false,
      interrupt: true,
      inputMute: true,
      dtmf: false,
    });
    expect(transport.options.sampleRate).toBe(16000);
  });

  test("(§L3, §L4, §L5) custom rate, block duration and devices are stored and reach the driver", async () => {
    const { driver, transport } = setup({
      sampleRate: 48000,
      blockDurationMs: 40,
      inputDevice: 1,
      outputDevice: "speakers",
    });
    expect(await transport.accept(session(), null)).toEqual({ sampleRate: 48000 });
    const output = driver.streams.find((stream) => stream.kind === "output")!;
    const input = driver.streams.find((stream) => stream.kind === "input")!;
    expect(output.options.device).toBe("speakers");
    expect(input.options.device).toBe(1);
    expect(input.options.blockFrames).toBe(1920);
    expect(output.options.sampleRate).toBe(48000);
  });

  test("(§L6) bad options throw RoomKitConfigError naming the field", () => {
    for (const [field, value] of [
      ["sampleRate", 0],
      ["channels", 0],
      ["blockDurationMs", 0],
      ["rtPrebufferMs", -1],
      ["driver", "oss"],
      ["logger", { info: () => undefined }],
      ["logger", "console"],
      ["clock", { now: () => 0 }],
    ] as const) {
      let error: unknown;
      try {
        new LocalAudioBackend({ [field]: value } as never);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RoomKitConfigError);
      expect((error as Error).message).toContain(field);
    }
    expect(() => new LocalAudioBackend({ sampleRate: 16000, unknown: 1 } as never)).toThrow(RoomKitConfigError);
    // A whole Logger is accepted.
    expect(() => new LocalAudioBackend({ logger: createRecordingLogger(), clock: new ManualClock() })).not.toThrow();
  });

  test("(§L11, §L12, §L13) sessions are found by id and listed by room", async () => {
    const { transport } = setup();
    const a = session("r1");
    const b = session("r1");
    const c = session("r2");
    for (const s of [a, b, c]) await transport.accept(s, null);
    expect(transport.getSession(a.id)).toBe(a);
    expect(transport.getSession("nope")).toBeUndefined();
    expect(transport.listSessions("r1").length).toBe(2);
    expect(transport.listSessions("r2").length).toBe(1);
  });

  test("(§L10, §L14, §L23) disconnect forgets the session; close ends every session and closes both streams", async () => {
    const { driver, transport } = setup();
    const a = session();
    await transport.accept(a, null);
    await transport.accept(session(), null);
    await transport.disconnect(a);
    expect(transport.getSession(a.id)).toBeUndefined();
    expect(driver.outputOpen && driver.inputOpen).toBe(true);
    await transport.close();
    expect(transport.listSessions().length).toBe(0);
    expect(driver.streams.every((stream) => stream.closed)).toBe(true);
  });

  test("(§L18) the input stream gets the rate, channels, block size and device asked for", async () => {
    const { driver, transport } = setup({ sampleRate: 48000, channels: 2, blockDurationMs: 40, inputDevice: 3 });
    await transport.accept(session(), null);
    const input = driver.streams.find((stream) => stream.kind === "input")!;
    expect(input.options).toMatchObject({ sampleRate: 48000, channels: 2, blockFrames: 1920, device: 3 });
  });

  test("(§L8, §L9) accept adds the stream format and backend to the session metadata, under the caller's keys", async () => {
    const { transport } = setup({ sampleRate: 48000 });
    const s = new VoiceSession({
      id: "meta",
      roomId: "room",
      participantId: "me",
      channelId: "voice",
      metadata: { lang: "fr", backend: "mine" },
    });
    await transport.accept(s, null);
    expect(s.metadata).toEqual({
      lang: "fr",
      backend: "mine",
      inputSampleRate: 48000,
      outputSampleRate: 48000,
    });
    const plain = session();
    await transport.accept(plain, null);
    expect(plain.metadata.backend).toBe("local_audio");
  });

  test("(§L15) onAudioReceived registers a callback; the returned function removes it", async () => {
    const { driver, transport, heard } = setup();
    const extra: number[] = [];
    const remove = transport.onAudioReceived(() => void extra.push(1));
    await transport.accept(session(), null);
    driver.speak(loud(960));
    remove();
    driver.speak(loud(960));
    expect(extra.length).toBe(1);
    expect(heard.length).toBe(2);
  });

  test("(§L19, §L20) the last disconnect closes and forgets the streams; disconnect/close again or unknown never throw", async () => {
    const { driver, transport } = setup();
    const a = session();
    await transport.accept(a, null);
    await transport.disconnect(a);
    expect(driver.streams.every((stream) => stream.closed)).toBe(true);
    await transport.disconnect(a);
    await transport.disconnect(session());
    await transport.close();
    await transport.close();
    // Forgotten: the next accept opens fresh streams.
    await transport.accept(session(), null);
    expect(driver.streams.length).toBe(4);
    expect(driver.outputOpen && driver.inputOpen).toBe(true);
  });

  test("(§L22) a stream whose close fails: the other one is still closed, close() resolves and logs it", async () => {
    const { driver, transport, logger } = setup();
    await transport.accept(session(), null);
    driver.failOutputClose(new TransportError("pacat would not die"));
    await transport.close();
    expect(driver.streams.every((stream) => stream.closed)).toBe(true);
    expect(driver.inputOpen).toBe(false);
    expect(logger.entries.some((entry) => entry.level === "warn" && entry.message.includes("would not die"))).toBe(
      true,
    );
  });

  test("(§L31, §L32) control messages are ignored; constructing spawns nothing (tools are needed only at accept)", async () => {
    const { transport } = setup();
    const a = session();
    await transport.accept(a, null);
    expect(() =>
      transport.sendMessage(a, { type: "transcription", text: "hi", role: "user", is_final: true }),
    ).not.toThrow();
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const lazy = new LocalAudioBackend({ driver: "auto" });
      expect(lazy.helperPids).toEqual([]);
      await expect(lazy.accept(session(), null)).rejects.toThrow(/pulseaudio-utils/);
    } finally {
      process.env.PATH = saved;
    }
  });

  test("(§L17, §L21) one input and one output stream however many sessions accept", async () => {
    const { driver, transport } = setup();
    const a = session();
    await transport.accept(a, null);
    await transport.accept(a, null);
    await transport.accept(session(), null);
    expect(driver.streams.map((stream) => stream.kind).sort()).toEqual(["input", "output"]);
  });

  test("(§L24, §L62) mic blocks reach every session byte-identical at the stream rate", async () => {
    const { driver, transport, heard } = setup({ sampleRate: 16000 });
    const a = session();
    const b = session();
    await transport.accept(a, null);
    await transport.accept(b, null);
    const block = loud(640);
    driver.speak(block);
    expect(heard.map((entry) => entry.id)).toEqual([a.id, b.id]);
    expect(heard[0]!.bytes).toEqual(block);
  });

  test("(§L56, §L57) mute and gate apply per session; after unmute frames flow again", async () => {
    const { driver, transport, heard } = setup();
    const a = session();
    const b = session();
    await transport.accept(a, null);
    await transport.accept(b, null);
    transport.setInputMuted(a, true);
    transport.setInputGated(b, true);
    driver.speak(loud(960));
    expect(heard).toEqual([]);
    transport.setInputMuted(a, false);
    transport.setInputGated(b, false);
    driver.speak(loud(960));
    expect(heard.length).toBe(2);
  });

  test("(§L43) accept after disconnect plays again", async () => {
    const { driver, transport } = setup({ rtPrebufferMs: 0 });
    const a = session();
    await transport.accept(a, null);
    await transport.disconnect(a);
    const b = session();
    await transport.accept(b, null);
    transport.sendAudio(b, ones(960));
    expect(transport.bufferedBytes).toBe(960);
    expect(driver.tick(1)[0]!.every((byte) => byte === 1)).toBe(true);
  });

  test("disconnecting one session keeps the others' speaker stream playing", async () => {
    const { driver, transport } = setup({ rtPrebufferMs: 0 });
    const a = session();
    const b = session();
    await transport.accept(a, null);
    await transport.accept(b, null);
    transport.sendAudio(b, ones(1920));
    await transport.disconnect(a);
    expect(driver.outputOpen).toBe(true);
    expect(driver.tick(2).every((block) => block.every((byte) => byte === 1))).toBe(true);
  });

  test("(§L48, §L49, §L50) a played callback per block, silence included, with playedBytes", async () => {
    const { driver, transport, played } = setup({ rtPrebufferMs: 0 });
    const a = session();
    await transport.accept(a, null);
    driver.tick(1);
    expect(played.length).toBe(1);
    expect(played[0]!.played.audio.every((byte) => byte === 0)).toBe(true);
    expect(played[0]!.played.audio.byteLength).toBe(960);
    transport.sendAudio(a, ones(200));
    driver.tick(1);
    expect(played[1]!.played.playedBytes).toBe(200);
    expect(played[1]!.played.audio.subarray(200).every((byte) => byte === 0)).toBe(true);
    transport.interrupt(a);
    driver.tick(1);
    expect(played.length).toBe(3);
    expect(played.every((entry) => entry.id === a.id && entry.played.sampleRate === 24000)).toBe(true);
  });

  test("(§L51) endOfResponse with no audio reports playbackEnded on the next block", async () => {
    const { driver, transport, played } = setup();
    const a = session();
    await transport.accept(a, null);
    transport.endOfResponse(a);
    driver.tick(2);
    expect(played.map((entry) => entry.played.playbackEnded)).toEqual([true, false]);
  });

  test("(§L44) half-duplex: the mic is muted while playing and released only after the physical end", async () => {
    const { driver, transport, heard, played } = setup({ playbackTailMs: 30 });
    driver.queuedAheadMs = 40;
    const a = session();
    await transport.accept(a, null);
    transport.sendAudio(a, ones(5760));
    transport.endOfResponse(a);
    driver.speak(loud(960));
    expect(heard).toEqual([]);
    driver.tick(6);
    expect(played.at(-1)!.played.playbackEnded).toBe(false);
    driver.tick(1);
    expect(played.at(-1)!.played.playbackEnded).toBe(true);
    expect(transport.isPlaying()).toBe(true);
    driver.tick(1);
    expect(played.at(-1)!.played.capturePaused).toBe(true);
    // The hold runs on the mic's clock: 40 ms still ahead of the device + 20 ms device latency + a 20 ms block
    // being assembled + the 30 ms tail = 110 ms: the six 20 ms mic blocks starting before it are still dropped.
    for (let block = 0; block < 6; block++) driver.speak(loud(960));
    expect(heard).toEqual([]);
    driver.speak(loud(960));
    expect(heard.length).toBe(1);
    expect(transport.isPlaying()).toBe(false);
  });

  test("muteMicDuringPlayback: false lets the mic through while playing", async () => {
    const { driver, transport, heard } = setup({ muteMicDuringPlayback: false });
    const a = session();
    await transport.accept(a, null);
    transport.sendAudio(a, ones(5760));
    driver.speak(loud(960));
    expect(heard.length).toBe(1);
  });

  test("interrupt while playing flushes the device: the mute is held only for the tail; idle, nothing is flushed", async () => {
    const { driver, transport, heard } = setup({ playbackTailMs: 30 });
    driver.queuedAheadMs = 40;
    const a = session();
    await transport.accept(a, null);
    transport.interrupt(a);
    expect(driver.flushes).toBe(0);
    transport.sendAudio(a, ones(5760 * 2));
    driver.tick(2);
    transport.interrupt(a);
    expect(driver.flushes).toBe(1);
    expect(driver.tick(1)[0]!.every((byte) => byte === 0)).toBe(true);
    // Flushed: nothing ahead of the device; 20 ms latency + a 20 ms block + the 30 ms tail = four mic blocks.
    for (let block = 0; block < 4; block++) driver.speak(loud(960));
    expect(heard).toEqual([]);
    driver.speak(loud(960));
    expect(heard.length).toBe(1);
  });

  test("a driver without flush: interrupt holds the mute until the audio already handed to the device is heard", async () => {
    const { driver, transport, heard } = setup({ playbackTailMs: 0 }, new FakeAudioDriver({ flush: false }));
    driver.queuedAheadMs = 40;
    const a = session();
    await transport.accept(a, null);
    transport.sendAudio(a, ones(5760 * 2));
    driver.tick(2);
    transport.interrupt(a);
    expect(transport.bufferedBytes).toBe(0);
    expect(driver.tick(1)[0]!.every((byte) => byte === 0)).toBe(true);
    // 40 ms still ahead + 20 ms latency + a 20 ms block = 80 ms: the four blocks starting before it are dropped.
    for (let block = 0; block < 4; block++) driver.speak(loud(960));
    expect(heard).toEqual([]);
    driver.speak(loud(960));
    expect(heard.length).toBe(1);
  });

  test("stereo devices: speaker blocks are upmixed, mic blocks downmixed to mono", async () => {
    const { driver, transport, heard } = setup({ channels: 2, rtPrebufferMs: 0, muteMicDuringPlayback: false });
    const a = session();
    await transport.accept(a, null);
    transport.sendAudio(a, new Uint8Array(new Int16Array([100, 200]).buffer));
    const block = new Int16Array(driver.tick(1)[0]!.buffer);
    expect([...block.subarray(0, 4)]).toEqual([100, 100, 200, 200]);
    driver.speak(new Uint8Array(new Int16Array([10, 30, -10, -30]).buffer));
    expect([...new Int16Array(heard[0]!.bytes.slice().buffer)]).toEqual([20, -20]);
  });

  test("a driver that cannot open rejects accept with a TransportError and leaves no session or stream", async () => {
    const { driver, transport } = setup();
    driver.failNextOpen(new TransportError("pacat is not installed: install the Debian package pulseaudio-utils"));
    const a = session();
    await expect(transport.accept(a, null)).rejects.toThrow(/pulseaudio-utils/);
    expect(transport.getSession(a.id)).toBeUndefined();
    expect(driver.outputOpen || driver.inputOpen).toBe(false);
  });

  test("an aborted accept rejects and leaves no session or stream", async () => {
    const { driver, transport } = setup();
    const controller = new AbortController();
    const pending = transport.accept(session(), null, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(driver.outputOpen || driver.inputOpen).toBe(false);
  });

  test("a device lost mid-call ends every session (onClientDisconnected) and closes the streams", async () => {
    const { driver, transport } = setup();
    const gone: string[] = [];
    transport.onClientDisconnected((s) => void gone.push(s.id));
    const a = session();
    await transport.accept(a, null);
    driver.unplug();
    await waitFor(() => gone.length > 0, { timeoutMs: 2000 });
    expect(gone).toEqual([a.id]);
    expect(driver.outputOpen || driver.inputOpen).toBe(false);
    expect(transport.listSessions()).toEqual([]);
  });

  test('onDeviceLost "wait": the session stays, audio is dropped while the device is gone, and it reopens', async () => {
    const { driver, clock, transport, heard, logger } = setup({
      onDeviceLost: "wait",
      deviceRetryMs: 500,
      rtPrebufferMs: 0,
    });
    const gone: string[] = [];
    transport.onClientDisconnected((s) => void gone.push(s.id));
    const a = session();
    await transport.accept(a, null);
    driver.failNextOpen(new TransportError("still unplugged"));
    driver.unplug();
    await waitFor(() => !driver.outputOpen && !driver.inputOpen, { timeoutMs: 2000 });
    expect(transport.waitingForDevice).toBe(true);
    expect(transport.getSession(a.id)).toBe(a);
    transport.sendAudio(a, ones(960));
    expect(transport.bufferedBytes).toBe(0);
    // First retry fails (still unplugged), the second reopens both streams.
    await clock.advanceAsync(499);
    expect(driver.streams.length).toBe(2);
    await clock.advanceAsync(1);
    await waitFor(() => logger.entries.some((entry) => entry.message.includes("still unavailable: still unplugged")), {
      timeoutMs: 2000,
    });
    expect(driver.outputOpen || driver.inputOpen).toBe(false);
    expect(logger.entries.find((entry) => entry.level === "error")!.message).toMatch(
      /unplugged; waiting for the device/,
    );
    await clock.advanceAsync(500);
    await waitFor(() => driver.outputOpen && driver.inputOpen, { timeoutMs: 2000 });
    expect(transport.waitingForDevice).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    driver.speak(loud(960));
    expect(heard.length).toBe(1);
    transport.sendAudio(a, ones(960));
    expect(driver.tick(1)[0]!.every((byte) => byte === 1)).toBe(true);
    expect(gone).toEqual([]);
  });

  test('onDeviceLost "wait": close while waiting cancels the retry and opens nothing', async () => {
    const { driver, clock, transport } = setup({ onDeviceLost: "wait" });
    await transport.accept(session(), null);
    driver.unplug();
    await waitFor(() => clock.pendingTimers === 1, { timeoutMs: 2000 });
    await transport.close();
    expect(clock.pendingTimers).toBe(0);
    await clock.advanceAsync(5000);
    expect(driver.streams.length).toBe(2);
    expect(driver.outputOpen || driver.inputOpen).toBe(false);
    expect(transport.waitingForDevice).toBe(false);
  });

  test("the bound drops and counts audio beyond maxBufferSeconds", async () => {
    const { transport } = setup({ maxBufferSeconds: 0.01 });
    const a = session();
    await transport.accept(a, null);
    transport.sendAudio(a, ones(1000));
    expect(transport.bufferedBytes).toBe(480);
    expect(transport.droppedBytes).toBe(520);
  });

  test("(§L37) underruns are counted across a response", async () => {
    const { driver, transport } = setup({ rtPrebufferMs: 20 });
    const a = session();
    await transport.accept(a, null);
    transport.sendAudio(a, ones(960));
    driver.tick(2);
    expect(transport.rtUnderruns).toBe(1);
  });
});
