import { expect, test } from "bun:test";
import { generateTone } from "@roomkit/audio";
import { concatPcm, zeroCrossingHz } from "../test-support/werift-client.ts";
import { type OpusDecoder, opusInstanceCount, opusscriptCodec } from "./opus-codec.ts";

test("encode at 48 kHz, decode at 16 kHz: the tone survives, one 20 ms frame per packet", () => {
  const encoder = opusscriptCodec.createEncoder(48000);
  const decoder = opusscriptCodec.createDecoder(16000);
  const tone = generateTone({ frequency: 440, durationMs: 400, sampleRate: 48000, amplitude: 0.4 });
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < tone.byteLength; offset += 1920) {
    const pcm = decoder.decode(encoder.encode(tone.subarray(offset, offset + 1920)));
    expect(pcm.byteLength).toBe(640);
    out.push(pcm);
  }
  expect(Math.abs(zeroCrossingHz(concatPcm(out).subarray(3200), 16000) - 440)).toBeLessThanOrEqual(5);
  expect(() => decoder.decode(new Uint8Array(5000))).toThrow(RangeError);
  encoder.free();
  decoder.free();
  expect(() => decoder.decode(new Uint8Array(10))).toThrow(/freed/);
  expect(() => opusscriptCodec.createDecoder(44100)).toThrow(RangeError);
});

test("200 live decoders at once (one opusscript instance stops at ~78): all decode; freed slots are reused", () => {
  const packet = opusscriptCodec.createEncoder(48000).encode(new Uint8Array(1920));
  const decoders: OpusDecoder[] = [];
  for (let index = 0; index < 200; index++) {
    const decoder = opusscriptCodec.createDecoder(16000);
    expect(decoder.decode(packet).byteLength).toBe(640);
    decoders.push(decoder);
  }
  const instances = opusInstanceCount();
  expect(instances).toBeGreaterThanOrEqual(5);
  for (const decoder of decoders) decoder.free();
  for (let index = 0; index < 200; index++) decoders[index] = opusscriptCodec.createDecoder(24000);
  expect(opusInstanceCount()).toBe(instances);
  for (const decoder of decoders) decoder.free();
});
