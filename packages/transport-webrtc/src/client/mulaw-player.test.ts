import { describe, expect, test } from "bun:test";
import { encodeBase64, encodeMulaw, generateTone } from "@roomkit/audio";
import { MulawPlayer } from "./mulaw-player.ts";

// A stand-in for the parts of Web Audio the player uses, with a clock the test moves.
class FakeSource {
  buffer: { duration: number } | undefined;
  startedAt = -1;
  stopped = false;
  onended: (() => void) | null = null;
  connect(): void {}
  disconnect(): void {}
  start(at: number): void {
    this.startedAt = at;
  }
  stop(): void {
    this.stopped = true;
  }
}

function fakeContext() {
  const sources: FakeSource[] = [];
  const context = {
    currentTime: 10,
    createBuffer: (_channels: number, length: number, rate: number) => {
      const data = new Float32Array(length);
      return { duration: length / rate, getChannelData: () => data, data };
    },
    createBufferSource: () => {
      const source = new FakeSource();
      sources.push(source);
      return source;
    },
  };
  return { context, sources };
}

const chunk = (ms: number) =>
  encodeBase64(encodeMulaw(generateTone({ frequency: 1000, durationMs: ms, sampleRate: 24000, amplitude: 0.5 })));

describe("MulawPlayer", () => {
  test("chunks play back to back after a 60 ms lead; position, buffer and clear follow the clock", () => {
    const { context, sources } = fakeContext();
    const player = new MulawPlayer({ context: context as never, output: {} as never, sampleRate: 24000 });
    expect(player.pushPayload(chunk(20))).toBe(true);
    expect(player.pushPayload(chunk(20))).toBe(true);
    expect(sources.map((source) => source.startedAt)).toEqual([10.06, 10.08]);
    expect(player.bufferedMs).toBeCloseTo(100, 5);
    context.currentTime = 10.09;
    expect(player.playedMs).toBeCloseTo(30, 5);
    expect(player.bufferedMs).toBeCloseTo(10, 5);
    expect(player.clear()).toBeCloseTo(10, 5);
    expect(sources.every((source) => source.stopped)).toBe(true);
    expect(player.playedMs).toBe(0);
    // After a clear the next chunk starts with a fresh lead.
    player.pushPayload(chunk(20));
    expect(sources[2]!.startedAt).toBeCloseTo(10.15, 5);
  });

  test("decodes μ-law to the tone's samples; a payload that is not base64 is refused", () => {
    const { context } = fakeContext();
    const player = new MulawPlayer({ context: context as never, output: {} as never, sampleRate: 24000 });
    let captured: Float32Array | undefined;
    const create = context.createBuffer;
    context.createBuffer = (channels, length, rate) => {
      const buffer = create(channels, length, rate);
      captured = buffer.data;
      return buffer;
    };
    player.pushPayload(chunk(20));
    expect(captured!.length).toBe(480);
    const peak = captured!.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.55);
    expect(player.pushPayload("%%% not base64")).toBe(false);
  });
});
