// MockRealtimeTransport behaves as its capabilities say (the contract suite checks it too, in mocks-contract.test.ts).
import { describe, expect, test } from "bun:test";
import { type PlaybackPosition, type PlayedAudio, VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider } from "./mock-realtime-provider.ts";
import { MockRealtimeTransport } from "./mock-realtime-transport.ts";

const session = () => new VoiceSession({ id: "s1", roomId: "r", participantId: "p", channelId: "c" });

describe("MockRealtimeTransport capabilities", () => {
  test("default: declares nothing; interrupt keeps the caller's audio, muting changes nothing", async () => {
    const transport = new MockRealtimeTransport();
    expect(Object.values(transport.capabilities).every((flag) => flag === false)).toBe(true);
    const voice = session();
    await transport.accept(voice, "c");
    const heard: number[] = [];
    transport.onAudioReceived((_s, audio) => void heard.push((audio as Uint8Array).byteLength));
    transport.sendAudio(voice, new Uint8Array(960));
    transport.interrupt(voice);
    expect(transport.callerPlayback(voice)).toEqual({ queuedBytes: 960, playedBytes: 0, droppedBytes: 0 });
    transport.setInputMuted(voice, true);
    await transport.simulateClientAudio(voice, new Uint8Array(4));
    expect(heard).toEqual([4]);
  });

  test("interrupt: drops what the caller has not played yet; later audio queues again", async () => {
    const transport = new MockRealtimeTransport({ capabilities: { interrupt: true } });
    const voice = session();
    await transport.accept(voice, "c");
    transport.sendAudio(voice, new Uint8Array(960));
    await transport.playToCaller(voice, 10); // 480 bytes at 24 kHz
    transport.interrupt(voice);
    transport.sendAudio(voice, new Uint8Array(100));
    expect(transport.callerPlayback(voice)).toEqual({ queuedBytes: 100, playedBytes: 480, droppedBytes: 480 });
    expect(transport.sentAudio).toHaveLength(2);
  });

  test("inputMute: caller audio is dropped (counted) while muted", async () => {
    const transport = new MockRealtimeTransport({ capabilities: { inputMute: true } });
    const voice = session();
    await transport.accept(voice, "c");
    const heard: number[] = [];
    transport.onAudioReceived((_s, audio) => void heard.push((audio as Uint8Array).byteLength));
    transport.setInputMuted(voice, true);
    await transport.simulateClientAudio(voice, new Uint8Array(4));
    transport.setInputMuted(voice, false);
    await transport.simulateClientAudio(voice, new Uint8Array(6));
    expect(heard).toEqual([6]);
    expect(transport.inputMutedDropped).toBe(1);
  });

  test("playbackCallback and playbackPosition: playToCaller reports blocks at the accepted rate and the position", async () => {
    const transport = new MockRealtimeTransport({
      capabilities: { playbackCallback: true, playbackPosition: true, interrupt: true },
      acceptResult: { sampleRate: 8000 },
    });
    const voice = session();
    await transport.accept(voice, "c");
    const played: PlayedAudio[] = [];
    const positions: PlaybackPosition[] = [];
    transport.onAudioPlayed((_s, block) => void played.push(block));
    transport.onPlaybackPosition((_s, position) => void positions.push(position));
    transport.sendAudio(voice, new Uint8Array(320).fill(1)); // 20 ms at 8 kHz
    await transport.playToCaller(voice, 10);
    await transport.playToCaller(voice, 50);
    expect(played.map((block) => [block.audio.byteLength, block.sampleRate, block.playbackEnded])).toEqual([
      [160, 8000, false],
      [160, 8000, true],
    ]);
    expect(positions).toEqual([
      { playedMs: 10, source: "device" },
      { playedMs: 20, source: "device" },
    ]);
    transport.interrupt(voice);
    transport.sendAudio(voice, new Uint8Array(160));
    await transport.playToCaller(voice, 10);
    expect(positions.at(-1)).toEqual({ playedMs: 10, source: "device" });
  });

  test("without playback flags, playToCaller plays silently", async () => {
    const transport = new MockRealtimeTransport();
    const voice = session();
    await transport.accept(voice, "c");
    let fired = 0;
    transport.onAudioPlayed(() => void fired++);
    transport.onPlaybackPosition(() => void fired++);
    transport.sendAudio(voice, new Uint8Array(960));
    expect((await transport.playToCaller(voice, 20)).byteLength).toBe(960);
    expect(fired).toBe(0);
  });
});

test("MockRealtimeProvider: capabilities override the defaults, the rest kept", () => {
  const provider = new MockRealtimeProvider({ capabilities: { truncation: false, outputSampleRates: [24000] } });
  expect(provider.capabilities).toEqual({
    midSessionReconfigure: true,
    truncation: false,
    imageInput: false,
    inputSampleRates: [],
    outputSampleRates: [24000],
  });
});
