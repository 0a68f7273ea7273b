// The worklet processors run here in Bun with a stubbed AudioWorkletGlobalScope (deterministic, no browser).
import { describe, expect, test } from "bun:test";
import { CAPTURE_WORKLET_SOURCE } from "./capture-worklet-source.ts";
import { PLAYBACK_WORKLET_SOURCE } from "./playback-worklet-source.ts";

interface StubPort {
  posted: Array<Record<string, unknown>>;
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: Record<string, unknown>): void;
}

interface StubProcessor {
  port: StubPort;
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}

function load(source: string, contextRate: number, processorOptions: Record<string, unknown>): StubProcessor {
  class AudioWorkletProcessor {
    port: StubPort = {
      posted: [],
      onmessage: null,
      postMessage(message) {
        this.posted.push(message);
      },
    };
  }
  let registered: (new (options: unknown) => StubProcessor) | undefined;
  const registerProcessor = (_name: string, processor: new (options: unknown) => StubProcessor) => {
    registered = processor;
  };
  new Function("AudioWorkletProcessor", "registerProcessor", "sampleRate", source)(
    AudioWorkletProcessor,
    registerProcessor,
    contextRate,
  );
  return new registered!({ processorOptions });
}

function send(processor: StubProcessor, data: unknown): void {
  processor.port.onmessage?.({ data });
}

describe("capture worklet", () => {
  test("48 kHz mic → 16 kHz PCM16 frames of 20 ms, tone frequency and level preserved across blocks", () => {
    const processor = load(CAPTURE_WORKLET_SOURCE, 48000, { targetRate: 16000, frameMs: 20 });
    const block = new Float32Array(128);
    let phase = 0;
    for (let index = 0; index < 375 * 2; index++) {
      // 2 s of a 440 Hz tone at amplitude 0.5
      for (let sample = 0; sample < 128; sample++) {
        block[sample] = 0.5 * Math.sin(phase);
        phase += (2 * Math.PI * 440) / 48000;
      }
      processor.process([[block]], [[new Float32Array(128)]]);
    }
    const frames = processor.port.posted.filter((message) => message.type === "frame");
    expect(frames.length).toBe(100); // 2 s / 20 ms
    const samples = frames.flatMap((frame) => Array.from(new Int16Array(frame.pcm as ArrayBuffer)));
    expect(new Int16Array(frames[0]!.pcm as ArrayBuffer).length).toBe(320);
    // Zero crossings over the last second: 440 Hz → ~880 crossings.
    const tail = samples.slice(16000);
    let crossings = 0;
    for (let index = 1; index < tail.length; index++) if (tail[index - 1]! < 0 !== tail[index]! < 0) crossings++;
    expect(Math.abs(crossings - 880)).toBeLessThanOrEqual(4);
    const peak = Math.max(...tail.map(Math.abs)) / 32768;
    expect(peak).toBeGreaterThan(0.45);
    expect(peak).toBeLessThan(0.55);
    // No discontinuity: the largest step between samples stays near a sine's (2π·440/16000·0.5 ≈ 0.086).
    let largestStep = 0;
    for (let index = 1; index < tail.length; index++)
      largestStep = Math.max(largestStep, Math.abs(tail[index]! - tail[index - 1]!));
    expect(largestStep / 32768).toBeLessThan(0.1);
    const rms = frames.at(-1)!.rms as number;
    expect(rms).toBeGreaterThan(0.3);
    expect(rms).toBeLessThan(0.4);
  });

  test("muted capture sends silent frames (time keeps flowing for the server's VAD)", () => {
    const processor = load(CAPTURE_WORKLET_SOURCE, 48000, { targetRate: 24000 });
    send(processor, { type: "mute", muted: true });
    const block = new Float32Array(128).fill(0.7);
    for (let index = 0; index < 20; index++) processor.process([[block]], [[new Float32Array(128)]]);
    const frames = processor.port.posted.filter((message) => message.type === "frame");
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames)
      expect(new Int16Array(frame.pcm as ArrayBuffer).every((value) => value === 0)).toBe(true);
  });
});

describe("playback worklet", () => {
  function pcm(samples: number, value: number): ArrayBuffer {
    return new Int16Array(samples).fill(value).buffer;
  }

  test("waits for the jitter buffer, plays, reports position, and goes idle when drained", () => {
    const processor = load(PLAYBACK_WORKLET_SOURCE, 48000, { sourceRate: 24000, jitterMs: 60, reportMs: 100 });
    const output = [new Float32Array(128)];
    send(processor, { type: "push", pcm: pcm(480, 8192) }); // 20 ms < 60 ms jitter buffer
    processor.process([], [output]);
    expect(output[0]!.every((value) => value === 0)).toBe(true);
    send(processor, { type: "push", pcm: pcm(2400, 8192) }); // now 120 ms buffered
    processor.process([], [output]);
    expect(output[0]![64]).toBeCloseTo(0.25, 2);
    for (let index = 0; index < 60; index++) processor.process([], [output]); // drain the rest
    const statuses = processor.port.posted.filter((message) => message.type === "status");
    const last = statuses.at(-1)!;
    expect(last.bufferedMs).toBe(0);
    expect(last.playing).toBe(false);
    expect(last.playedMs as number).toBeGreaterThan(115);
    expect(last.playedMs as number).toBeLessThan(125);
  });

  test("clear empties the buffer at once, acknowledges with what it discarded, and restarts the position", () => {
    const processor = load(PLAYBACK_WORKLET_SOURCE, 48000, { sourceRate: 24000, jitterMs: 60 });
    const output = [new Float32Array(128)];
    send(processor, { type: "push", pcm: pcm(24000, 8192) }); // 1 s
    for (let index = 0; index < 10; index++) processor.process([], [output]);
    send(processor, { type: "clear", id: 7 });
    const cleared = processor.port.posted.find((message) => message.type === "cleared")!;
    expect(cleared.id).toBe(7);
    expect(cleared.buffered).toBe(0);
    expect(cleared.discarded as number).toBeGreaterThan(48000 - 10 * 128 - 10);
    processor.process([], [output]);
    expect(output[0]!.every((value) => value === 0)).toBe(true);
    const status = processor.port.posted.filter((message) => message.type === "status").at(-1)!;
    expect(status.playedMs).toBe(0);
    expect(status.bufferedMs).toBe(0);
  });

  test("end of response plays a tail shorter than the jitter buffer; the ring is bounded (oldest dropped)", () => {
    const processor = load(PLAYBACK_WORKLET_SOURCE, 48000, { sourceRate: 24000, jitterMs: 60, maxBufferSeconds: 1 });
    const output = [new Float32Array(128)];
    send(processor, { type: "push", pcm: pcm(240, 8192) }); // 10 ms
    send(processor, { type: "end" });
    processor.process([], [output]);
    expect(output[0]![0]).toBeCloseTo(0.25, 2);
    send(processor, { type: "push", pcm: pcm(48000, 8192) }); // 2 s into a 1 s ring
    for (let index = 0; index < 50; index++) processor.process([], [output]); // > 100 ms: a status report
    const status = processor.port.posted.filter((message) => message.type === "status").at(-1)!;
    expect(status.dropped as number).toBeGreaterThan(0);
    expect(status.bufferedMs as number).toBeLessThanOrEqual(1000);
  });
});
