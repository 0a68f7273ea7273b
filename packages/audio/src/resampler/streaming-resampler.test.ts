import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { generateNoise, generateSweep } from "../pcm/generators.ts";
import { readFixture, readPcmFixture } from "../test-support/fixtures.ts";
import { SUPPORTED_SAMPLE_RATES } from "../validate.ts";
import { PASSBAND_EDGE, STOPBAND_EDGE } from "./filter-design.ts";
import { measureTone } from "../test-support/resampler-measure.ts";
import { createResampler } from "./streaming-resampler.ts";

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function samples(bytes: Uint8Array): Int16Array {
  return new Int16Array(bytes.slice().buffer);
}

const ALL_PAIRS: Array<[number, number]> = [];
for (const from of SUPPORTED_SAMPLE_RATES)
  for (const to of SUPPORTED_SAMPLE_RATES) if (from !== to) ALL_PAIRS.push([from, to]);

describe("streaming resampler: streaming behaviour (all 42 rate pairs)", () => {
  test("20 ms chunks, odd-sized chunks and the whole signal give identical bytes; flush adds delaySamples", () => {
    for (const [fromRate, toRate, kernel] of ALL_PAIRS.flatMap(([f, t]) => [
      [f, t, "wasm"] as const,
      [f, t, "javascript"] as const,
    ])) {
      const input = generateNoise({ sampleRate: fromRate, durationMs: 130, amplitude: 0.8, seed: fromRate + toRate });
      const whole = createResampler({ fromRate, toRate, kernel });
      const expected = concat([whole.process(input), whole.flush()]);
      const frameBytes = (fromRate / 50) * 2;
      const framed = createResampler({ fromRate, toRate, kernel });
      const parts: Uint8Array[] = [];
      for (let offset = 0; offset < input.byteLength; offset += frameBytes) {
        parts.push(framed.process(input.subarray(offset, offset + frameBytes)));
      }
      parts.push(framed.flush());
      expect(concat(parts)).toEqual(expected);
      const ragged = createResampler({ fromRate, toRate, kernel });
      const raggedParts: Uint8Array[] = [];
      const sizes = [2, 14, 2, 0, 998, 6, 130];
      for (let offset = 0, i = 0; offset < input.byteLength; i++) {
        const size = sizes[i % sizes.length];
        raggedParts.push(ragged.process(input.subarray(offset, offset + size)));
        offset += size;
      }
      raggedParts.push(ragged.flush());
      expect(concat(raggedParts)).toEqual(expected);
      const inputSamples = input.byteLength / 2;
      expect(expected.byteLength / 2).toBe(Math.ceil((inputSamples * toRate) / fromRate) + whole.delaySamples);
    }
  });

  test("a 10 s chunk (processed internally in bounded blocks) equals 20 ms frames", () => {
    const input = generateNoise({ sampleRate: 48000, durationMs: 10_000, amplitude: 0.5, seed: 21 });
    const whole = createResampler({ fromRate: 48000, toRate: 16000 }).process(input);
    const framed = createResampler({ fromRate: 48000, toRate: 16000 });
    const parts: Uint8Array[] = [];
    for (let offset = 0; offset < input.byteLength; offset += 1920)
      parts.push(framed.process(input.subarray(offset, offset + 1920)));
    expect(whole.byteLength).toBe(320_000);
    expect(concat(parts)).toEqual(whole);
  });

  test("reset() and flush() start a fresh stream", () => {
    const input = generateNoise({ sampleRate: 24000, durationMs: 40, seed: 3 });
    const resampler = createResampler({ fromRate: 24000, toRate: 16000 });
    const first = resampler.process(input);
    resampler.process(generateNoise({ sampleRate: 24000, durationMs: 20, seed: 9 }));
    resampler.reset();
    expect(resampler.process(input)).toEqual(first);
    resampler.flush();
    expect(resampler.process(input)).toEqual(first);
    expect(resampler.flush().byteLength).toBe(resampler.delaySamples * 2);
    expect(resampler.flush().byteLength).toBe(0);
  });

  test("group delay is at most 2 ms at 16 kHz <-> 24 kHz and a sweep lines up after delaySamples", () => {
    for (const [fromRate, toRate] of [
      [16000, 24000],
      [24000, 16000],
    ]) {
      const resampler = createResampler({ fromRate, toRate });
      expect((resampler.delaySamples / toRate) * 1000).toBeLessThanOrEqual(2);
      expect(Number.isInteger(resampler.delaySamples)).toBe(true);
    }
  });

  test("equal rates pass through unchanged with zero delay", () => {
    const resampler = createResampler({ fromRate: 16000, toRate: 16000 });
    const input = generateNoise({ sampleRate: 16000, durationMs: 20 });
    expect(resampler.process(input)).toBe(input);
    expect(resampler.delaySamples).toBe(0);
    expect(resampler.flush().byteLength).toBe(0);
  });
});

describe("streaming resampler: quality by stepped sine sweep", () => {
  const MAIN_PAIRS: Array<[number, number]> = [
    [24000, 16000],
    [16000, 24000],
    [24000, 8000],
    [8000, 24000],
    [16000, 8000],
    [8000, 16000],
    [48000, 16000],
    [16000, 48000],
    [44100, 16000],
    [22050, 24000],
  ];
  for (const [fromRate, toRate] of MAIN_PAIRS) {
    test(`${fromRate} -> ${toRate}: ripple <= 0.1 dB to 0.45 x lower rate, stopband >= 70 dB`, () => {
      const lower = Math.min(fromRate, toRate);
      for (let i = 1; i <= 36; i++) {
        const response = measureTone(fromRate, toRate, (PASSBAND_EDGE * lower * i) / 36);
        expect(Math.abs(response.gainDb)).toBeLessThanOrEqual(0.1);
        // For up-sampling the residual is the images (>= 0.55 x lower rate): the stopband. For down-sampling it is
        // what the filter adds besides the tone.
        expect(response.residualDb).toBeLessThanOrEqual(-70);
      }
      if (fromRate > toRate) {
        const start = STOPBAND_EDGE * lower;
        for (let i = 0; i <= 36; i++) {
          const frequency = start + ((fromRate / 2 - start) * 0.999 * i) / 36;
          expect(measureTone(fromRate, toRate, frequency).outputDb).toBeLessThanOrEqual(-70);
        }
      }
    });
  }

  test("every other pair: passband and stopband spot checks", () => {
    for (const [fromRate, toRate] of ALL_PAIRS) {
      const lower = Math.min(fromRate, toRate);
      for (const fraction of [0.05, 0.3, 0.45]) {
        const response = measureTone(fromRate, toRate, fraction * lower, 60);
        expect(Math.abs(response.gainDb)).toBeLessThanOrEqual(0.1);
        expect(response.residualDb).toBeLessThanOrEqual(-70);
      }
      if (fromRate > toRate) {
        // Only input frequencies in the stopband (>= 0.55 x lower rate) and below the input Nyquist; 24000 -> 22050 and
        // 48000 -> 44100 have none.
        for (const frequency of [0.56 * lower, 0.49 * fromRate]) {
          if (frequency < STOPBAND_EDGE * lower || frequency >= fromRate / 2) continue;
          expect(measureTone(fromRate, toRate, frequency, 60).outputDb).toBeLessThanOrEqual(-70);
        }
      }
    }
  });
});

describe("streaming resampler against sox rate -v (committed fixtures)", () => {
  const SOX_PAIRS: Array<[number, number]> = [
    [24000, 16000],
    [24000, 8000],
    [16000, 24000],
    [16000, 8000],
    [8000, 16000],
    [48000, 16000],
    [44100, 16000],
    [22050, 24000],
  ];
  for (const [fromRate, toRate] of SOX_PAIRS) {
    test(`${fromRate} -> ${toRate}: SNR >= 60 dB (steady state, 20 ms trimmed at both ends)`, () => {
      const resampler = createResampler({ fromRate, toRate });
      const source = readFixture(`resample-src-${fromRate}.s16`);
      const ours = samples(concat([resampler.process(source), resampler.flush()]));
      const sox = readPcmFixture(`resample-${fromRate}-to-${toRate}.sox.s16`);
      const delay = resampler.delaySamples;
      const edge = toRate / 50;
      let signal = 0;
      let error = 0;
      for (let i = edge; i < sox.length - edge; i++) {
        signal += sox[i] * sox[i];
        error += (sox[i] - ours[i + delay]) ** 2;
      }
      expect(10 * Math.log10(signal / error)).toBeGreaterThanOrEqual(60);
    });
  }
});

describe("streaming resampler: bad input", () => {
  test("unsupported or malformed rates throw InvalidArgumentError", () => {
    for (const options of [
      { fromRate: 11025, toRate: 16000 },
      { fromRate: 16000, toRate: 0 },
      { fromRate: Number.NaN, toRate: 16000 },
      { fromRate: "16000", toRate: 8000 },
      { fromRate: 16000.5, toRate: 8000 },
    ]) {
      expect(() => createResampler(options as { fromRate: number; toRate: number })).toThrow(InvalidArgumentError);
    }
    expect(() => createResampler(undefined as unknown as { fromRate: number; toRate: number })).toThrow(
      InvalidArgumentError,
    );
  });

  test("an odd byte length throws and leaves the stream state intact; empty input is a no-op", () => {
    const input = generateSweep({ startFrequency: 100, endFrequency: 7000, sampleRate: 24000, durationMs: 60 });
    const clean = createResampler({ fromRate: 24000, toRate: 16000 });
    const expected = concat([clean.process(input.subarray(0, 960)), clean.process(input.subarray(960))]);
    const disturbed = createResampler({ fromRate: 24000, toRate: 16000 });
    const first = disturbed.process(input.subarray(0, 960));
    expect(() => disturbed.process(new Uint8Array(7))).toThrow(InvalidArgumentError);
    expect(disturbed.process(new Uint8Array(0)).byteLength).toBe(0);
    expect(() => disturbed.process("x" as unknown as Uint8Array)).toThrow(InvalidArgumentError);
    expect(concat([first, disturbed.process(input.subarray(960))])).toEqual(expected);
    const passThrough = createResampler({ fromRate: 8000, toRate: 8000 });
    expect(() => passThrough.process(new Uint8Array(3))).toThrow(InvalidArgumentError);
  });

  test("unaligned input views give the same output as aligned ones", () => {
    const input = generateNoise({ sampleRate: 16000, durationMs: 20, seed: 5 });
    const backing = new Uint8Array(input.byteLength + 1);
    backing.set(input, 1);
    const a = createResampler({ fromRate: 16000, toRate: 24000 }).process(input);
    const b = createResampler({ fromRate: 16000, toRate: 24000 }).process(backing.subarray(1));
    expect(b).toEqual(a);
  });

  test("full-scale input clips instead of wrapping", () => {
    const square = new Int16Array(4800);
    for (let i = 0; i < square.length; i++) square[i] = Math.floor(i / 24) % 2 === 0 ? 32767 : -32768;
    const out = samples(createResampler({ fromRate: 48000, toRate: 16000 }).process(new Uint8Array(square.buffer)));
    let jumps = 0;
    for (let i = 1; i < out.length; i++) if (Math.abs(out[i] - out[i - 1]) > 40000) jumps++;
    expect(jumps).toBeLessThan(out.length / 4);
    expect(Math.max(...out)).toBeLessThanOrEqual(32767);
  });
});
