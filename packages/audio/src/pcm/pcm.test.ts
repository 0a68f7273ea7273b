import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { generateNoise, generateSilence, generateSweep, generateTone } from "./generators.ts";
import { durationMs, int16ToBytes, monoToStereo, pcm16View, sampleCount, stereoToMono } from "./pcm16.ts";
import { readWav, writeWav } from "./wav.ts";

describe("PCM16 views", () => {
  test("pcm16View shares memory when aligned", () => {
    const bytes = new Uint8Array([1, 0, 0xff, 0xff, 0, 0x80]);
    const view = pcm16View(bytes);
    expect(Array.from(view)).toEqual([1, -1, -32768]);
    view[0] = 2;
    expect(bytes[0]).toBe(2);
    expect(view.buffer).toBe(bytes.buffer);
  });
  test("pcm16View copies an odd-offset view and reads it correctly", () => {
    const backing = new Uint8Array([9, 1, 0, 2, 0]);
    const view = pcm16View(backing.subarray(1));
    expect(Array.from(view)).toEqual([1, 2]);
    expect(view.buffer).not.toBe(backing.buffer);
  });
  test("int16ToBytes shares memory", () => {
    const samples = new Int16Array([256, -2]);
    const bytes = int16ToBytes(samples);
    expect(Array.from(bytes)).toEqual([0, 1, 0xfe, 0xff]);
    expect(bytes.buffer).toBe(samples.buffer);
  });
  test("odd byte length and wrong types throw InvalidArgumentError", () => {
    expect(() => pcm16View(new Uint8Array(3))).toThrow(InvalidArgumentError);
    expect(() => pcm16View([1, 2] as unknown as Uint8Array)).toThrow(InvalidArgumentError);
    expect(() => int16ToBytes(new Uint8Array(2) as unknown as Int16Array)).toThrow(InvalidArgumentError);
  });
  test("stereo ⇄ mono", () => {
    const stereo = int16ToBytes(new Int16Array([100, 200, -100, -300, 32767, 32767]));
    expect(Array.from(pcm16View(stereoToMono(stereo)))).toEqual([150, -200, 32767]);
    const mono = int16ToBytes(new Int16Array([5, -6]));
    expect(Array.from(pcm16View(monoToStereo(mono)))).toEqual([5, 5, -6, -6]);
    expect(() => stereoToMono(new Uint8Array(6))).toThrow(InvalidArgumentError);
    expect(stereoToMono(new Uint8Array(0)).byteLength).toBe(0);
  });
  test("sampleCount and durationMs", () => {
    expect(sampleCount(new Uint8Array(640))).toBe(320);
    expect(sampleCount(new Uint8Array(640), 2)).toBe(160);
    expect(() => sampleCount(new Uint8Array(4), 3)).toThrow(InvalidArgumentError);
    expect(durationMs(new Uint8Array(640), 16000)).toBe(20);
    expect(() => durationMs(new Uint8Array(2), Number.NaN)).toThrow(InvalidArgumentError);
  });
});

describe("generators", () => {
  test("tone has the requested length, peak and frequency", () => {
    const tone = pcm16View(generateTone({ frequency: 1000, sampleRate: 16000, durationMs: 100, amplitude: 0.5 }));
    expect(tone.length).toBe(1600);
    expect(Math.max(...tone)).toBe(16384);
    expect(tone[0]).toBe(0);
    expect(tone[4]).toBe(16384); // a quarter period of 1 kHz at 16 kHz
    let crossings = 0;
    for (let i = 1; i < tone.length; i++) if (tone[i - 1] < 0 && tone[i] >= 0) crossings++;
    expect(crossings).toBe(99);
  });
  test("silence is zeros", () => {
    const silence = generateSilence({ sampleRate: 8000, durationMs: 20 });
    expect(silence.byteLength).toBe(320);
    expect(silence.every((b) => b === 0)).toBe(true);
  });
  test("sweep and noise are deterministic and bounded", () => {
    const sweep = pcm16View(
      generateSweep({ startFrequency: 100, endFrequency: 4000, sampleRate: 8000, durationMs: 500 }),
    );
    expect(sweep.length).toBe(4000);
    expect(Math.max(...sweep)).toBeLessThanOrEqual(16384);
    const a = generateNoise({ sampleRate: 8000, durationMs: 50, seed: 7 });
    const b = generateNoise({ sampleRate: 8000, durationMs: 50, seed: 7 });
    expect(Array.from(a)).toEqual(Array.from(b));
    const log = generateSweep({
      startFrequency: 50,
      endFrequency: 5000,
      sampleRate: 16000,
      durationMs: 10,
      logarithmic: true,
    });
    expect(log.byteLength).toBe(320);
  });
  test("NaN, negative or oversized parameters throw InvalidArgumentError", () => {
    expect(() => generateTone({ frequency: Number.NaN, sampleRate: 8000, durationMs: 10 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => generateTone({ frequency: 5000, sampleRate: 8000, durationMs: 10 })).toThrow(InvalidArgumentError);
    expect(() => generateTone({ frequency: 440, sampleRate: 8000, durationMs: 10, amplitude: 2 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => generateSilence({ sampleRate: 8000, durationMs: 1e12 })).toThrow(InvalidArgumentError);
    expect(() => generateSilence({ sampleRate: -1, durationMs: 10 })).toThrow(InvalidArgumentError);
    expect(() => generateNoise({ sampleRate: 8000, durationMs: 10, seed: 0 })).toThrow(InvalidArgumentError);
  });
});

describe("WAV", () => {
  test("write then read round-trips mono and stereo", () => {
    const data = generateTone({ frequency: 440, sampleRate: 16000, durationMs: 20 });
    const wav = writeWav({ data, sampleRate: 16000 });
    expect(wav.byteLength).toBe(44 + data.byteLength);
    const parsed = readWav(wav);
    expect(parsed.sampleRate).toBe(16000);
    expect(parsed.channels).toBe(1);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
    const stereo = readWav(writeWav({ data: monoToStereo(data), sampleRate: 48000, channels: 2 }));
    expect(stereo.channels).toBe(2);
    expect(stereo.data.byteLength).toBe(data.byteLength * 2);
  });
  test("skips unknown chunks and tolerates a truncated data chunk", () => {
    const data = new Uint8Array([1, 0, 2, 0, 3, 0]);
    const wav = writeWav({ data, sampleRate: 8000 });
    const withList = new Uint8Array(wav.byteLength + 10);
    withList.set(wav.subarray(0, 36));
    withList.set([0x4c, 0x49, 0x53, 0x54, 1, 0, 0, 0, 0x41, 0], 36); // "LIST", size 1, body + pad byte
    withList.set(wav.subarray(36), 46);
    expect(Array.from(readWav(withList).data)).toEqual(Array.from(data));
    expect(readWav(wav.subarray(0, wav.byteLength - 3)).data.byteLength).toBe(2);
  });
  test("rejects garbage, non-PCM16 and bad channel counts", () => {
    expect(() => readWav(new Uint8Array(5))).toThrow(InvalidArgumentError);
    expect(() => readWav(new TextEncoder().encode("RIFF....WAVEjunk"))).toThrow(InvalidArgumentError);
    const wav = writeWav({ data: new Uint8Array(4), sampleRate: 8000 });
    const eightBit = new Uint8Array(wav);
    eightBit[34] = 8;
    expect(() => readWav(eightBit)).toThrow(InvalidArgumentError);
    const sixChannels = new Uint8Array(wav);
    sixChannels[22] = 6;
    expect(() => readWav(sixChannels)).toThrow(InvalidArgumentError);
    expect(() => writeWav({ data: new Uint8Array(3), sampleRate: 8000 })).toThrow(InvalidArgumentError);
    expect(() => writeWav({ data: new Uint8Array(4), sampleRate: 8000, channels: 3 })).toThrow(InvalidArgumentError);
    expect(() => writeWav({ data: new Uint8Array(6), sampleRate: 8000, channels: 2 })).toThrow(InvalidArgumentError);
  });
});
