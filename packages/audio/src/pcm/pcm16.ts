import { InvalidArgumentError } from "@roomkit/spec";
import { assertPcm16 } from "../validate.ts";

/**
 * Views PCM16 little-endian bytes as an `Int16Array`. No copy when `bytes.byteOffset` is even (the usual case);
 * an odd offset cannot be viewed, so the samples are copied. Throws `InvalidArgumentError` on an odd byte length.
 * (Every platform Bun runs on is little-endian, so the view reads the samples correctly.)
 */
export function pcm16View(bytes: Uint8Array): Int16Array {
  assertPcm16(bytes);
  if ((bytes.byteOffset & 1) === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Int16Array(copy.buffer, 0, bytes.byteLength >> 1);
}

/** The bytes of `samples` as PCM16 little-endian, without copying. */
export function int16ToBytes(samples: Int16Array): Uint8Array {
  if (!(samples instanceof Int16Array)) throw new InvalidArgumentError("samples must be an Int16Array");
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** Interleaved stereo PCM16 → mono (the average of left and right, rounded toward −∞). */
export function stereoToMono(pcm: Uint8Array): Uint8Array {
  assertPcm16(pcm);
  if ((pcm.byteLength & 3) !== 0) {
    throw new InvalidArgumentError(`stereo pcm must be a multiple of 4 bytes, got ${pcm.byteLength}`);
  }
  const input = pcm16View(pcm);
  const output = new Int16Array(input.length >> 1);
  for (let i = 0, j = 0; i < output.length; i++, j += 2) output[i] = (input[j] + input[j + 1]) >> 1;
  return int16ToBytes(output);
}

/** Mono PCM16 → interleaved stereo (each sample duplicated). */
export function monoToStereo(pcm: Uint8Array): Uint8Array {
  assertPcm16(pcm);
  const input = pcm16View(pcm);
  const output = new Int16Array(input.length * 2);
  for (let i = 0, j = 0; i < input.length; i++, j += 2) {
    const sample = input[i];
    output[j] = sample;
    output[j + 1] = sample;
  }
  return int16ToBytes(output);
}

/** Number of samples (per channel) in a PCM16 buffer. */
export function sampleCount(pcm: Uint8Array, channels = 1): number {
  assertPcm16(pcm);
  if (channels !== 1 && channels !== 2) throw new InvalidArgumentError(`channels must be 1 or 2, got ${channels}`);
  return Math.floor(pcm.byteLength / (2 * channels));
}

/** Duration in milliseconds of a mono PCM16 buffer at `sampleRate`. */
export function durationMs(pcm: Uint8Array, sampleRate: number): number {
  assertPcm16(pcm);
  if (!Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new InvalidArgumentError(`sampleRate must be positive, got ${sampleRate}`);
  }
  return ((pcm.byteLength >> 1) * 1000) / sampleRate;
}
