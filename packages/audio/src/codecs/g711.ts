import { InvalidArgumentError } from "@roomkit/spec";
import { assertBytes, assertPcm16 } from "../validate.ts";

// G.711 μ-law and A-law, table-driven. The tables are computed once at load from the classic Sun/CCITT algorithm
// (μ-law: arithmetic >>2 before the sign split, bias 33 in 14-bit units, clip 8159; A-law: >>3, 13-bit, even-bit
// inversion 0x55). Encoding indexes a 65,536-entry table by the raw 16-bit sample; decoding a 256-entry table.

const MULAW_SEGMENT_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const ALAW_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segmentOf(value: number, ends: readonly number[]): number {
  for (let segment = 0; segment < 8; segment++) if (value <= ends[segment]) return segment;
  return 8;
}

function computeMulaw(sample: number): number {
  let value = sample >> 2;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  if (value > 8159) value = 8159;
  value += 33;
  const segment = segmentOf(value, MULAW_SEGMENT_END);
  if (segment >= 8) return 0x7f ^ mask;
  return ((segment << 4) | ((value >> (segment + 1)) & 0x0f)) ^ mask;
}

function computeAlaw(sample: number): number {
  let value = sample >> 3;
  let mask = 0xd5;
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  const segment = segmentOf(value, ALAW_SEGMENT_END);
  if (segment >= 8) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}

function expandMulaw(code: number): number {
  const inverted = ~code & 0xff;
  const magnitude = ((((inverted & 0x0f) << 3) + 0x84) << ((inverted & 0x70) >> 4)) - 0x84;
  return inverted & 0x80 ? -magnitude : magnitude;
}

function expandAlaw(code: number): number {
  const value = code ^ 0x55;
  const segment = (value & 0x70) >> 4;
  let magnitude = (value & 0x0f) << 4;
  if (segment === 0) magnitude += 8;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return value & 0x80 ? magnitude : -magnitude;
}

function buildEncodeTable(compute: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let index = 0; index < 65536; index++) table[index] = compute((index << 16) >> 16);
  return table;
}

function buildDecodeTable(expand: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = expand(code);
  return table;
}

/** Low and high bytes of each decoded sample (256 + 256), so decoding writes bytes with one output allocation. */
function buildByteTable(samples: Int16Array): Uint8Array {
  const table = new Uint8Array(512);
  for (let code = 0; code < 256; code++) {
    table[code] = samples[code] & 0xff;
    table[256 + code] = (samples[code] >> 8) & 0xff;
  }
  return table;
}

const MULAW_ENCODE = buildEncodeTable(computeMulaw);
const ALAW_ENCODE = buildEncodeTable(computeAlaw);
const MULAW_DECODE = buildDecodeTable(expandMulaw);
const ALAW_DECODE = buildDecodeTable(expandAlaw);
const MULAW_DECODE_BYTES = buildByteTable(MULAW_DECODE);
const ALAW_DECODE_BYTES = buildByteTable(ALAW_DECODE);

/** One PCM16 sample (−32768..32767) → μ-law code. */
export function linearToMulaw(sample: number): number {
  return MULAW_ENCODE[sample & 0xffff];
}
/** One PCM16 sample → A-law code. */
export function linearToAlaw(sample: number): number {
  return ALAW_ENCODE[sample & 0xffff];
}
/** μ-law code (0..255) → PCM16 sample. */
export function mulawToLinear(code: number): number {
  return MULAW_DECODE[code & 0xff];
}
/** A-law code (0..255) → PCM16 sample. */
export function alawToLinear(code: number): number {
  return ALAW_DECODE[code & 0xff];
}

function checkOut(out: unknown, needed: number): asserts out is Uint8Array {
  if (!(out instanceof Uint8Array)) throw new InvalidArgumentError("out must be a Uint8Array");
  if (out.byteLength < needed) {
    throw new InvalidArgumentError(`out holds ${out.byteLength} bytes; this input needs ${needed}`);
  }
}

function encodeWith(table: Uint8Array, pcm: Uint8Array, out: Uint8Array): void {
  const count = pcm.byteLength >> 1;
  for (let i = 0, j = 0; i < count; i++, j += 2) out[i] = table[pcm[j] | (pcm[j + 1] << 8)];
}

function decodeWith(table: Uint8Array, codes: Uint8Array, out: Uint8Array): void {
  for (let i = 0, j = 0; i < codes.byteLength; i++, j += 2) {
    const code = codes[i];
    out[j] = table[code];
    out[j + 1] = table[256 + code];
  }
}

function encodeNew(table: Uint8Array, pcm: Uint8Array): Uint8Array {
  assertPcm16(pcm);
  const codes = new Uint8Array(pcm.byteLength >> 1);
  encodeWith(table, pcm, codes);
  return codes;
}

function decodeNew(table: Uint8Array, codes: Uint8Array): Uint8Array {
  assertBytes(codes, "codes");
  const pcm = new Uint8Array(codes.byteLength * 2);
  decodeWith(table, codes, pcm);
  return pcm;
}

function encodeInto(table: Uint8Array, pcm: Uint8Array, out: Uint8Array): number {
  assertPcm16(pcm);
  checkOut(out, pcm.byteLength >> 1);
  encodeWith(table, pcm, out);
  return pcm.byteLength >> 1;
}

function decodeInto(table: Uint8Array, codes: Uint8Array, out: Uint8Array): number {
  assertBytes(codes, "codes");
  checkOut(out, codes.byteLength * 2);
  decodeWith(table, codes, out);
  return codes.byteLength * 2;
}

/** PCM16 little-endian bytes → μ-law codes (one byte per sample). Odd byte length ⇒ `InvalidArgumentError`. */
export function encodeMulaw(pcm: Uint8Array): Uint8Array {
  return encodeNew(MULAW_ENCODE, pcm);
}
/** μ-law codes → PCM16 little-endian bytes. */
export function decodeMulaw(codes: Uint8Array): Uint8Array {
  return decodeNew(MULAW_DECODE_BYTES, codes);
}
/** PCM16 little-endian bytes → A-law codes. Odd byte length ⇒ `InvalidArgumentError`. */
export function encodeAlaw(pcm: Uint8Array): Uint8Array {
  return encodeNew(ALAW_ENCODE, pcm);
}
/** A-law codes → PCM16 little-endian bytes. */
export function decodeAlaw(codes: Uint8Array): Uint8Array {
  return decodeNew(ALAW_DECODE_BYTES, codes);
}

/** `encodeMulaw` into `out` from byte 0, without allocating; returns the bytes written. Short `out` ⇒ `InvalidArgumentError`. */
export function encodeMulawInto(pcm: Uint8Array, out: Uint8Array): number {
  return encodeInto(MULAW_ENCODE, pcm, out);
}
/** `decodeMulaw` into `out` from byte 0 (2 bytes per code), without allocating; returns the bytes written. */
export function decodeMulawInto(codes: Uint8Array, out: Uint8Array): number {
  return decodeInto(MULAW_DECODE_BYTES, codes, out);
}
/** `encodeAlaw` into `out` from byte 0, without allocating; returns the bytes written. */
export function encodeAlawInto(pcm: Uint8Array, out: Uint8Array): number {
  return encodeInto(ALAW_ENCODE, pcm, out);
}
/** `decodeAlaw` into `out` from byte 0 (2 bytes per code), without allocating; returns the bytes written. */
export function decodeAlawInto(codes: Uint8Array, out: Uint8Array): number {
  return decodeInto(ALAW_DECODE_BYTES, codes, out);
}
