import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { generateNoise } from "../../pcm/generators.ts";
import { SUPPORTED_SAMPLE_RATES } from "../../validate.ts";
import { createResampler } from "../streaming-resampler.ts";
import { wasmKernelAvailable } from "./wasm-polyphase-kernel.ts";

const samples = (bytes: Uint8Array) => new Int16Array(bytes.slice().buffer);

describe("wasm resampler kernel", () => {
  test("Bun runs the wasm kernel by default; kernel: javascript forces the fallback; bad kernels throw", () => {
    expect(wasmKernelAvailable()).toBe(true);
    expect(createResampler({ fromRate: 24000, toRate: 16000 }).kernel).toBe("wasm");
    expect(createResampler({ fromRate: 24000, toRate: 16000, kernel: "javascript" }).kernel).toBe("javascript");
    expect(createResampler({ fromRate: 16000, toRate: 16000 }).kernel).toBe("none");
    expect(() => createResampler({ fromRate: 8000, toRate: 16000, kernel: "gpu" as "wasm" })).toThrow(
      InvalidArgumentError,
    );
  });

  test("every rate pair: wasm (float32) and javascript (float64) outputs differ by at most 1 LSB", () => {
    for (const fromRate of SUPPORTED_SAMPLE_RATES) {
      for (const toRate of SUPPORTED_SAMPLE_RATES) {
        if (fromRate === toRate) continue;
        const input = generateNoise({ sampleRate: fromRate, durationMs: 70, amplitude: 0.9, seed: fromRate ^ toRate });
        const wasm = createResampler({ fromRate, toRate, kernel: "wasm" });
        const javascript = createResampler({ fromRate, toRate, kernel: "javascript" });
        const a = samples(wasm.process(input));
        const b = samples(javascript.process(input));
        expect(a.length).toBe(b.length);
        let worst = 0;
        let differing = 0;
        for (let i = 0; i < a.length; i++) {
          worst = Math.max(worst, Math.abs(a[i] - b[i]));
          if (a[i] !== b[i]) differing++;
        }
        expect(worst).toBeLessThanOrEqual(1);
        expect(differing).toBeLessThan(a.length * 0.1);
      }
    }
  });
});

describe("processInto", () => {
  for (const kernel of ["wasm", "javascript"] as const) {
    test(`${kernel}: writes the bytes process returns, into one reused buffer, at any chunking`, () => {
      for (const [fromRate, toRate] of [
        [24000, 16000],
        [8000, 16000],
        [44100, 16000],
        [16000, 16000],
      ]) {
        const input = generateNoise({ sampleRate: fromRate, durationMs: 200, seed: 4 });
        const reference = createResampler({ fromRate, toRate, kernel });
        const reused = createResampler({ fromRate, toRate, kernel });
        const out = new Uint8Array(reused.maxOutputBytes(fromRate / 25));
        for (let offset = 0, i = 0; offset < input.byteLength; i++) {
          const size = Math.min([fromRate / 25, 2, 318, 0][i % 4], input.byteLength - offset);
          const chunk = input.subarray(offset, offset + size);
          offset += size;
          const expected = reference.process(chunk);
          const written = reused.processInto(chunk, out);
          expect(written).toBe(expected.byteLength);
          expect(out.subarray(0, written) as Uint8Array).toEqual(expected);
        }
      }
    });
  }

  test("an odd-offset out works, a short or non-Uint8Array out throws and leaves the stream intact", () => {
    const input = generateNoise({ sampleRate: 24000, durationMs: 20, seed: 8 });
    const reference = createResampler({ fromRate: 24000, toRate: 16000 });
    const expected = [reference.process(input), reference.process(input)];
    const resampler = createResampler({ fromRate: 24000, toRate: 16000 });
    expect(resampler.maxOutputBytes(960)).toBe(640);
    expect(() => resampler.processInto(input, new Uint8Array(639))).toThrow(InvalidArgumentError);
    expect(() => resampler.processInto(input, [] as unknown as Uint8Array)).toThrow(InvalidArgumentError);
    const backing = new Uint8Array(641);
    const odd = backing.subarray(1);
    expect(resampler.processInto(input, odd)).toBe(640);
    expect(odd as Uint8Array).toEqual(expected[0]);
    expect(resampler.processInto(input, odd)).toBe(640);
    expect(odd as Uint8Array).toEqual(expected[1]);
  });
});
