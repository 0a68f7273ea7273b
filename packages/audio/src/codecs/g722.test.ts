import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { generateNoise, generateTone } from "../pcm/generators.ts";
import { readFixture } from "../test-support/fixtures.ts";
import { G722Decoder, G722Encoder } from "./g722.ts";

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function countDifferences(a: Uint8Array, b: Uint8Array): number {
  let differences = Math.abs(a.byteLength - b.byteLength);
  for (let i = 0; i < Math.min(a.byteLength, b.byteLength); i++) if (a[i] !== b[i]) differences++;
  return differences;
}

for (const kernel of ["wasm", "javascript"] as const) {
  describe(`${kernel}: G.722 against ffmpeg 5.1 (committed fixtures)`, () => {
    for (const name of ["speech", "noise"]) {
      test(`${name}: encoder byte-for-byte identical`, () => {
        const pcm = readFixture(`g722-${name}.s16`);
        const expected = readFixture(`g722-${name}.ffmpeg.g722`);
        const ours = new G722Encoder({ kernel }).encode(pcm);
        expect(ours.byteLength).toBe(expected.byteLength);
        expect(countDifferences(ours, expected)).toBe(0);
      });
    }
    for (const name of ["speech", "noise", "random"]) {
      test(`${name}: decoder sample-for-sample identical`, () => {
        const bitstream = readFixture(name === "random" ? "g722-random.g722" : `g722-${name}.ffmpeg.g722`);
        const expected = readFixture(`g722-${name}.ffmpeg-decoded.s16`);
        const ours = new G722Decoder({ kernel }).decode(bitstream);
        expect(ours.byteLength).toBe(expected.byteLength);
        expect(countDifferences(ours, expected)).toBe(0);
      });
    }
  });

  describe(`${kernel}: G.722 streaming state`, () => {
    const pcm = readFixture("g722-speech.s16");

    test("20 ms frames and ragged chunks (odd sample counts) encode to the same bytes as one call", () => {
      const whole = new G722Encoder({ kernel }).encode(pcm);
      const framed = new G722Encoder({ kernel });
      const frames: Uint8Array[] = [];
      for (let offset = 0; offset < pcm.byteLength; offset += 640)
        frames.push(framed.encode(pcm.subarray(offset, offset + 640)));
      expect(concat(frames)).toEqual(whole);
      const ragged = new G722Encoder({ kernel });
      const parts: Uint8Array[] = [];
      const sizes = [2, 6, 0, 1002, 14, 2, 318];
      for (let offset = 0, i = 0; offset < pcm.byteLength; i++) {
        const size = sizes[i % sizes.length];
        parts.push(ragged.encode(pcm.subarray(offset, offset + size)));
        offset += size;
      }
      expect(concat(parts)).toEqual(whole);
    });

    test("frame-by-frame decoding equals whole decoding", () => {
      const bitstream = readFixture("g722-speech.ffmpeg.g722");
      const whole = new G722Decoder({ kernel }).decode(bitstream);
      const decoder = new G722Decoder({ kernel });
      const parts: Uint8Array[] = [];
      for (let offset = 0; offset < bitstream.byteLength; offset += 160) {
        parts.push(decoder.decode(bitstream.subarray(offset, offset + 160)));
      }
      expect(concat(parts)).toEqual(whole);
    });

    test("reset() returns both to the initial state", () => {
      const encoder = new G722Encoder({ kernel });
      const first = encoder.encode(pcm.subarray(0, 640));
      encoder.encode(pcm.subarray(640, 1282)); // leaves one sample pending
      encoder.reset();
      expect(encoder.encode(pcm.subarray(0, 640))).toEqual(first);
      const decoder = new G722Decoder({ kernel });
      const decoded = decoder.decode(first);
      decoder.decode(first);
      decoder.reset();
      expect(decoder.decode(first)).toEqual(decoded);
    });

    test("round trip of the speech-like fixture: 22-sample codec delay; a 1 kHz tone: SNR > 30 dB", () => {
      const tone = pcm;
      const decoded = new G722Decoder({ kernel }).decode(new G722Encoder({ kernel }).encode(tone));
      const input = new Int16Array(tone.slice().buffer);
      const output = new Int16Array(decoded.slice().buffer);
      let bestDelay = -1;
      let bestSnr = -Infinity;
      for (let delay = 0; delay < 40; delay++) {
        let signal = 0;
        let error = 0;
        for (let i = 800; i < input.length - 40; i++) {
          signal += input[i] * input[i];
          error += (input[i] - output[i + delay]) ** 2;
        }
        const snr = 10 * Math.log10(signal / error);
        if (snr > bestSnr) {
          bestSnr = snr;
          bestDelay = delay;
        }
      }
      expect(bestDelay).toBe(22);
      expect(bestSnr).toBeGreaterThan(15);
      const sine = generateTone({ frequency: 1000, sampleRate: 16000, durationMs: 500, amplitude: 0.5 });
      const sineIn = new Int16Array(sine.slice().buffer);
      const sineOut = new Int16Array(
        new G722Decoder({ kernel }).decode(new G722Encoder({ kernel }).encode(sine)).slice().buffer,
      );
      let signal = 0;
      let error = 0;
      for (let i = 800; i < sineIn.length - 40; i++) {
        signal += sineIn[i] * sineIn[i];
        error += (sineIn[i] - sineOut[i + 22]) ** 2;
      }
      expect(10 * Math.log10(signal / error)).toBeGreaterThan(30);
    });
  });

  describe(`${kernel}: G.722 bad input`, () => {
    test("odd byte length throws InvalidArgumentError and leaves the encoder state intact", () => {
      const pcm = generateNoise({ sampleRate: 16000, durationMs: 40, seed: 4 });
      const expected = new G722Encoder({ kernel }).encode(pcm);
      const encoder = new G722Encoder({ kernel });
      const first = encoder.encode(pcm.subarray(0, 640));
      expect(() => encoder.encode(new Uint8Array(5))).toThrow(InvalidArgumentError);
      expect(() => encoder.encode(null as unknown as Uint8Array)).toThrow(InvalidArgumentError);
      expect(concat([first, encoder.encode(pcm.subarray(640))])).toEqual(expected);
    });

    test("empty input gives empty output; a non-Uint8Array bitstream throws", () => {
      expect(new G722Encoder({ kernel }).encode(new Uint8Array(0)).byteLength).toBe(0);
      expect(new G722Decoder({ kernel }).decode(new Uint8Array(0)).byteLength).toBe(0);
      expect(() => new G722Decoder({ kernel }).decode([1, 2] as unknown as Uint8Array)).toThrow(InvalidArgumentError);
    });

    test("full-scale square waves and all-ones bitstreams stay within int16 and do not throw", () => {
      const square = new Int16Array(3200);
      for (let i = 0; i < square.length; i++) square[i] = i % 4 < 2 ? 32767 : -32768;
      const encoded = new G722Encoder({ kernel }).encode(new Uint8Array(square.buffer));
      expect(encoded.byteLength).toBe(1600);
      const decoded = new G722Decoder({ kernel }).decode(new Uint8Array(4000).fill(0xff));
      expect(decoded.byteLength).toBe(16000);
    });
  });
}
