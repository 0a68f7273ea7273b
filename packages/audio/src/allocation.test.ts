import { describe, expect, test } from "bun:test";
import { G722Decoder, G722Encoder } from "./codecs/g722.ts";
import { decodeAlawInto, decodeMulawInto, encodeAlawInto, encodeMulawInto } from "./codecs/g711.ts";
import { generateNoise } from "./pcm/generators.ts";
import { Pcm16Aligner } from "./pcm/pcm16-aligner.ts";
import { createResampler } from "./resampler/streaming-resampler.ts";
import { totalObjectsPerCall } from "@roomkit/test-support/allocation";

// The hot paths' buffer-reusing APIs allocate nothing per 20 ms frame. Counted with JSC heap statistics over a fixed
// 2,000 frames (no timing): at most 0.1 objects per frame, where one allocation per frame reads >= 1 (the control).
const FRAMES = 2000;
const BOUND = 0.1;

const frame8k = generateNoise({ sampleRate: 8000, durationMs: 20, seed: 1 });
const frame16k = generateNoise({ sampleRate: 16000, durationMs: 20, seed: 2 });
const frame24k = generateNoise({ sampleRate: 24000, durationMs: 20, seed: 3 });
const out = new Uint8Array(4096);
const codes = new Uint8Array(640);

describe("allocation per frame (fixed frame count, heap object counts)", () => {
  test("control: the allocating process() shows at least one object per frame", () => {
    const resampler = createResampler({ fromRate: 24000, toRate: 16000 });
    expect(totalObjectsPerCall(() => resampler.process(frame24k), FRAMES)).toBeGreaterThanOrEqual(1);
  });

  for (const kernel of ["wasm", "javascript"] as const) {
    test(`${kernel} resampler processInto, 24k->16k, 16k->24k, 8k->16k, 24k->8k: none`, () => {
      for (const [fromRate, toRate, frame] of [
        [24000, 16000, frame24k],
        [16000, 24000, frame16k],
        [8000, 16000, frame8k],
        [24000, 8000, frame24k],
      ] as const) {
        const resampler = createResampler({ fromRate, toRate, kernel });
        expect(totalObjectsPerCall(() => resampler.processInto(frame, out), FRAMES)).toBeLessThanOrEqual(BOUND);
      }
    });

    test(`${kernel} G.722 encodeInto and decodeInto: none`, () => {
      const encoder = new G722Encoder({ kernel });
      const decoder = new G722Decoder({ kernel });
      const encoded = new G722Encoder({ kernel }).encode(frame16k);
      expect(totalObjectsPerCall(() => encoder.encodeInto(frame16k, codes), FRAMES)).toBeLessThanOrEqual(BOUND);
      expect(totalObjectsPerCall(() => decoder.decodeInto(encoded, out), FRAMES)).toBeLessThanOrEqual(BOUND);
    });
  }

  test("G.711 *Into and Pcm16Aligner on even chunks: none", () => {
    expect(totalObjectsPerCall(() => encodeMulawInto(frame8k, codes), FRAMES)).toBeLessThanOrEqual(BOUND);
    const codeFrame = codes.slice(0, 160);
    expect(totalObjectsPerCall(() => decodeMulawInto(codeFrame, out), FRAMES)).toBeLessThanOrEqual(BOUND);
    expect(totalObjectsPerCall(() => encodeAlawInto(frame8k, codes), FRAMES)).toBeLessThanOrEqual(BOUND);
    expect(totalObjectsPerCall(() => decodeAlawInto(codeFrame, out), FRAMES)).toBeLessThanOrEqual(BOUND);
    const aligner = new Pcm16Aligner();
    expect(totalObjectsPerCall(() => aligner.align(frame16k), FRAMES)).toBeLessThanOrEqual(BOUND);
  });
});
