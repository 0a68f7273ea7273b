import { expect, test } from "bun:test";
import { encodeMulaw, generateTone } from "@roomkit/audio";
import { opusscriptCodec } from "../codecs/opus-codec.ts";
import { zeroCrossingHz } from "../test-support/werift-client.ts";
import { codecNameOf, InboundAudioDecoder } from "./inbound-audio.ts";

const frame8k = encodeMulaw(generateTone({ frequency: 500, durationMs: 20, sampleRate: 8000, amplitude: 0.3 }));

test("codec names from negotiated MIME types; others are unknown", () => {
  expect(codecNameOf("audio/OPUS")).toBe("opus");
  expect(codecNameOf("audio/PCMU")).toBe("pcmu");
  expect(codecNameOf("audio/pcma")).toBe("pcma");
  expect(codecNameOf("audio/telephone-event")).toBeUndefined();
});

test("duplicates and late packets are dropped (also across the 16-bit wrap); in-order ones decode", () => {
  const decoder = new InboundAudioDecoder(16000, opusscriptCodec);
  expect(decoder.decode("pcmu", 65534, frame8k)!.byteLength).toBeGreaterThan(0);
  expect(decoder.decode("pcmu", 65534, frame8k)).toBeUndefined();
  expect(decoder.decode("pcmu", 65535, frame8k)).toBeDefined();
  expect(decoder.decode("pcmu", 0, frame8k)).toBeDefined(); // wrapped: newer
  expect(decoder.decode("pcmu", 65533, frame8k)).toBeUndefined(); // older
  expect(decoder.dropped).toBe(2);
});

test("a sequence gap is filled with silence for the lost frames, at most 200 ms", () => {
  const decoder = new InboundAudioDecoder(16000, opusscriptCodec);
  const first = decoder.decode("pcmu", 10, frame8k)!;
  const afterTwoLost = decoder.decode("pcmu", 13, frame8k)!;
  expect(afterTwoLost.byteLength).toBe(first.byteLength * 3);
  expect(afterTwoLost.subarray(0, first.byteLength * 2).every((byte) => byte === 0)).toBe(true);
  const afterMany = decoder.decode("pcmu", 1013, frame8k)!;
  expect(afterMany.byteLength).toBe(16000 * 2 * 0.2 + first.byteLength);
  expect(decoder.lost).toBe(2 + 999);
});

test("Opus decodes straight to the rate (24 kHz) or through 48 kHz + resampler (22.05 kHz); garbage is counted", () => {
  const encoder = opusscriptCodec.createEncoder(48000);
  for (const rate of [24000, 22050]) {
    const decoder = new InboundAudioDecoder(rate, opusscriptCodec);
    const tone = generateTone({ frequency: 440, durationMs: 500, sampleRate: 48000, amplitude: 0.3 });
    const chunks: Uint8Array[] = [];
    for (let index = 0; index < 25; index++) {
      const frame = tone.subarray(index * 1920, (index + 1) * 1920);
      chunks.push(decoder.decode("opus", index, encoder.encode(frame))!);
    }
    const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const all = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    expect(Math.abs(total / 2 - rate * 0.5)).toBeLessThan(rate * 0.02);
    expect(Math.abs(zeroCrossingHz(all.subarray((all.byteLength / 2) & ~1), rate) - 440)).toBeLessThanOrEqual(5);
    expect(decoder.decode("opus", 100, new Uint8Array([0xff, 0xff, 0xff]))).toBeUndefined();
    expect(decoder.invalid).toBe(1);
    decoder.free();
  }
  encoder.free();
});
