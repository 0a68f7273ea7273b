import { describe, expect, test } from "bun:test";
import { createRecordingLogger, RoomKitConfigError, VoiceSession } from "@roomkit/spec";
import { FakeAudioDriver } from "./drivers/fake-driver.ts";
import { LocalAudioBackend } from "./local-audio-transport.ts";
import type { TransportAec } from "./transport-aec.ts";

/** Records every call; `failActivations` makes that many setStreamActive(…, true) calls throw. */
class RecordingAec implements TransportAec {
  readonly calls: Array<{ name: string; streamId?: string; active?: boolean; bytes?: Uint8Array; ms?: number }> = [];
  streamDelayMs = 0;
  failActivations = 0;
  process(block: Uint8Array, streamId: string): Uint8Array {
    this.calls.push({ name: "process", streamId, bytes: block });
    return new Uint8Array(block.byteLength).fill(9); // "cleaned"
  }
  feedReference(block: Uint8Array, streamId: string): void {
    this.calls.push({ name: "feedReference", streamId, bytes: block.slice() });
  }
  setStreamActive(streamId: string, active: boolean): void {
    this.calls.push({ name: "setStreamActive", streamId, active });
    if (active && this.failActivations > 0) {
      this.failActivations--;
      throw new Error("not ready");
    }
  }
  setStreamDelayMs(ms: number): void {
    this.streamDelayMs = ms;
    this.calls.push({ name: "setStreamDelayMs", ms });
  }
  reset(streamId: string): void {
    this.calls.push({ name: "reset", streamId });
  }
  named(name: string) {
    return this.calls.filter((call) => call.name === name);
  }
}

let counter = 0;
async function setup(options: ConstructorParameters<typeof LocalAudioBackend>[0] = {}, aec = new RecordingAec()) {
  const driver = new FakeAudioDriver();
  const transport = new LocalAudioBackend({
    sampleRate: 24000,
    driver,
    aec,
    muteMicDuringPlayback: false,
    rtPrebufferMs: 0,
    logger: createRecordingLogger(),
    ...options,
  });
  counter++;
  const session = new VoiceSession({ id: `aec${counter}`, roomId: "room", participantId: "me", channelId: "voice" });
  await transport.accept(session, null);
  return { driver, transport, session, aec };
}
const ones = (bytes: number) => new Uint8Array(bytes).fill(1);

describe("LocalAudioBackend with a transport-level AEC (fake driver)", () => {
  test("(§L67) feedsAecReference is true only with an aec; a non-AEC object is refused", async () => {
    expect(new LocalAudioBackend({ driver: new FakeAudioDriver() }).feedsAecReference).toBe(false);
    expect((await setup()).transport.feedsAecReference).toBe(true);
    expect(() => new LocalAudioBackend({ aec: { process: () => undefined } as never })).toThrow(RoomKitConfigError);
  });

  test("(§L52) idle silence feeds nothing; the first audio block activates and feeds; an underrun block feeds zeros; the drained end deactivates; reset never", async () => {
    const { driver, transport, session, aec } = await setup({ rtPrebufferMs: 20 });
    driver.tick(2);
    expect(aec.named("feedReference")).toEqual([]);
    transport.sendAudio(session, ones(960));
    driver.tick(1);
    expect(aec.named("setStreamActive")).toEqual([{ name: "setStreamActive", streamId: session.id, active: true }]);
    expect(aec.named("feedReference").length).toBe(1);
    driver.tick(1); // starved mid-response: an underrun, still fed (silence)
    expect(transport.rtUnderruns).toBe(1);
    const feeds = aec.named("feedReference");
    expect(feeds.length).toBe(2);
    expect(feeds[1]!.bytes!.every((byte) => byte === 0)).toBe(true);
    transport.sendAudio(session, ones(960));
    transport.endOfResponse(session);
    driver.tick(2);
    const last = aec.calls.filter((call) => call.name === "setStreamActive").at(-1)!;
    expect(last).toEqual({ name: "setStreamActive", streamId: session.id, active: false });
    expect(aec.named("reset")).toEqual([]);
    const fedAfterEnd = aec.named("feedReference").length;
    driver.tick(3);
    expect(aec.named("feedReference").length).toBe(fedAfterEnd);
  });

  test("(§L47) an activation that threw is retried on the next audio block and ends up active", async () => {
    const aec = new RecordingAec();
    aec.failActivations = 1;
    const { driver, transport, session } = await setup({}, aec);
    transport.sendAudio(session, ones(960 * 3));
    driver.tick(1);
    expect(aec.named("feedReference")).toEqual([]);
    driver.tick(1);
    expect(aec.named("setStreamActive").map((call) => call.active)).toEqual([true, true]);
    expect(aec.named("feedReference").length).toBe(1);
  });

  test("(§L40) interrupt after playback started ends AEC playback; reset is never called", async () => {
    const { driver, transport, session, aec } = await setup();
    transport.sendAudio(session, ones(960 * 10));
    driver.tick(2);
    transport.interrupt(session);
    expect(aec.named("setStreamActive").at(-1)).toEqual({
      name: "setStreamActive",
      streamId: session.id,
      active: false,
    });
    expect(aec.named("reset")).toEqual([]);
  });

  test("(§L58) every mic block goes through process once per session, and the cleaned block is delivered", async () => {
    const { driver, transport, session, aec } = await setup();
    const heard: Uint8Array[] = [];
    transport.onAudioReceived((_s, audio) => void heard.push(audio instanceof Uint8Array ? audio : audio.data));
    driver.speak(ones(960));
    driver.speak(ones(960));
    expect(aec.named("process").map((call) => call.streamId)).toEqual([session.id, session.id]);
    expect(heard.length).toBe(2);
    expect(heard[0]!.every((byte) => byte === 9)).toBe(true);
  });

  test("(§L72, §L73, §L74) the delay is set from the latencies when unset, kept when set, capped at 500 ms", async () => {
    // capture 20 + (lead 40 + device 20) = 80 ms.
    expect((await setup()).aec.streamDelayMs).toBe(80);
    const preset = new RecordingAec();
    preset.streamDelayMs = 120;
    await setup({}, preset);
    expect(preset.named("setStreamDelayMs")).toEqual([]);
    expect(preset.streamDelayMs).toBe(120);
    expect((await setup({ outputLeadMs: 400, deviceLatencyMs: 300 })).aec.streamDelayMs).toBe(500);
  });

  test("disconnect resets the session's stream in the AEC; a throwing AEC is logged, never fatal", async () => {
    const aec = new RecordingAec();
    aec.process = () => {
      throw new Error("boom");
    };
    const { driver, transport, session } = await setup({}, aec);
    const heard: Uint8Array[] = [];
    transport.onAudioReceived((_s, audio) => void heard.push(audio instanceof Uint8Array ? audio : audio.data));
    driver.speak(ones(960));
    expect(heard[0]!.every((byte) => byte === 1)).toBe(true);
    await transport.disconnect(session);
    expect(aec.named("reset")).toEqual([{ name: "reset", streamId: session.id }]);
  });
});
