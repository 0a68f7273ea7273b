import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "@roomkit/spec";
import { readFixture, readPcmFixture } from "../test-support/fixtures.ts";
import {
  decodeAlaw,
  decodeAlawInto,
  decodeMulaw,
  decodeMulawInto,
  encodeAlaw,
  encodeAlawInto,
  encodeMulaw,
  encodeMulawInto,
  linearToMulaw,
  mulawToLinear,
} from "./g711.ts";

// An independent literal transcription of the Sun/CCITT g711.c reference (search loop, no tables).
function search(value: number, table: number[]): number {
  for (let i = 0; i < table.length; i++) if (value <= table[i]) return i;
  return table.length;
}
function sunLinearToUlaw(pcm: number): number {
  let value = pcm >> 2;
  let mask: number;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  } else mask = 0xff;
  if (value > 8159) value = 8159;
  value += 0x84 >> 2;
  const seg = search(value, [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff]);
  if (seg >= 8) return (0x7f ^ mask) & 0xff;
  return (((seg << 4) | ((value >> (seg + 1)) & 0xf)) ^ mask) & 0xff;
}
function sunLinearToAlaw(pcm: number): number {
  let value = pcm >> 3;
  let mask: number;
  if (value >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    value = -value - 1;
  }
  const seg = search(value, [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff]);
  if (seg >= 8) return (0x7f ^ mask) & 0xff;
  let aval = seg << 4;
  aval |= seg < 2 ? (value >> 1) & 0xf : (value >> seg) & 0xf;
  return (aval ^ mask) & 0xff;
}
function sunUlawToLinear(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0xf) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}
function sunAlawToLinear(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0xf) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function allInputs(): Uint8Array {
  const samples = new Int16Array(65536);
  for (let i = 0; i < 65536; i++) samples[i] = i - 32768;
  return new Uint8Array(samples.buffer);
}

function decodedSamples(bytes: Uint8Array): Int16Array {
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
}

describe("G.711 against the Sun/CCITT reference", () => {
  test("μ-law encode is bit-exact on all 65,536 inputs", () => {
    const codes = encodeMulaw(allInputs());
    let mismatches = 0;
    for (let i = 0; i < 65536; i++) if (codes[i] !== sunLinearToUlaw(i - 32768)) mismatches++;
    expect(mismatches).toBe(0);
  });
  test("A-law encode is bit-exact on all 65,536 inputs", () => {
    const codes = encodeAlaw(allInputs());
    let mismatches = 0;
    for (let i = 0; i < 65536; i++) if (codes[i] !== sunLinearToAlaw(i - 32768)) mismatches++;
    expect(mismatches).toBe(0);
  });
  test("decode tables equal the reference on all 256 codes", () => {
    const codes = new Uint8Array(256).map((_, i) => i);
    const mu = decodedSamples(decodeMulaw(codes));
    const a = decodedSamples(decodeAlaw(codes));
    for (let c = 0; c < 256; c++) {
      expect(mu[c]).toBe(sunUlawToLinear(c));
      expect(a[c]).toBe(sunAlawToLinear(c));
    }
  });
  test("sample-level helpers agree with the buffer functions", () => {
    expect(linearToMulaw(0)).toBe(0xff);
    expect(linearToMulaw(-32768)).toBe(sunLinearToUlaw(-32768));
    expect(mulawToLinear(0)).toBe(-32124);
  });
});

describe("G.711 against ffmpeg (committed fixtures)", () => {
  test("μ-law and A-law decoding equals ffmpeg on all 256 codes", () => {
    const codes = new Uint8Array(256).map((_, i) => i);
    expect(Array.from(decodedSamples(decodeMulaw(codes)))).toEqual(
      Array.from(readPcmFixture("g711-all-codes.ffmpeg-ulaw.s16")),
    );
    expect(Array.from(decodedSamples(decodeAlaw(codes)))).toEqual(
      Array.from(readPcmFixture("g711-all-codes.ffmpeg-alaw.s16")),
    );
  });

  for (const law of ["ulaw", "alaw"] as const) {
    test(`${law} encoding is within one quantiser step of ffmpeg on all 65,536 inputs`, () => {
      const ours = law === "ulaw" ? encodeMulaw(allInputs()) : encodeAlaw(allInputs());
      const theirs = readFixture(`g711-all-inputs.ffmpeg.${law}`);
      const decode = law === "ulaw" ? sunUlawToLinear : sunAlawToLinear;
      // Sort the 256 reconstruction levels so "one quantiser step" means adjacent levels.
      const levels = Array.from(new Set(Array.from({ length: 256 }, (_, c) => decode(c)))).sort((x, y) => x - y);
      const rank = new Map(levels.map((level, index) => [level, index]));
      let differing = 0;
      let worst = 0;
      for (let i = 0; i < 65536; i++) {
        if (ours[i] === theirs[i]) continue;
        differing++;
        worst = Math.max(worst, Math.abs(rank.get(decode(ours[i]))! - rank.get(decode(theirs[i]))!));
      }
      expect(worst).toBeLessThanOrEqual(1);
      // Measured: the Sun encoder differs from ffmpeg on 512 μ-law inputs (as sip.md reports) and 964 A-law inputs,
      // all one-step rounding differences.
      expect(differing).toBe(law === "ulaw" ? 512 : 964);
    });
  }
});

describe("G.711 bad input", () => {
  test("odd byte length throws InvalidArgumentError", () => {
    expect(() => encodeMulaw(new Uint8Array(3))).toThrow(InvalidArgumentError);
    expect(() => encodeAlaw(new Uint8Array(1))).toThrow(InvalidArgumentError);
  });
  test("empty input gives empty output", () => {
    expect(encodeMulaw(new Uint8Array(0)).byteLength).toBe(0);
    expect(decodeAlaw(new Uint8Array(0)).byteLength).toBe(0);
  });
  test("non-Uint8Array input throws InvalidArgumentError", () => {
    expect(() => decodeMulaw("abc" as unknown as Uint8Array)).toThrow(InvalidArgumentError);
  });
  test("unaligned views encode the same as aligned ones", () => {
    const backing = new Uint8Array(11);
    backing.set([1, 0x10, 0xff, 0x7f, 0x00, 0x80, 0x34, 0x12, 0, 0], 1);
    const unaligned = backing.subarray(1, 9);
    const aligned = new Uint8Array(unaligned);
    expect(Array.from(encodeMulaw(unaligned))).toEqual(Array.from(encodeMulaw(aligned)));
  });
});

describe("G.711 into caller buffers", () => {
  test("the *Into functions write what the allocating ones return, into one reused buffer", () => {
    const pcm = new Uint8Array(new Int16Array(Array.from({ length: 4000 }, (_, i) => (i * 977) % 65536)).buffer);
    const codes = new Uint8Array(2000);
    const samples = new Uint8Array(4000);
    for (const [encode, encodeInto, decode, decodeInto] of [
      [encodeMulaw, encodeMulawInto, decodeMulaw, decodeMulawInto],
      [encodeAlaw, encodeAlawInto, decodeAlaw, decodeAlawInto],
    ] as const) {
      for (let offset = 0; offset < pcm.byteLength; offset += 320) {
        const frame = pcm.subarray(offset, offset + 320);
        expect(encodeInto(frame, codes)).toBe(160);
        expect(codes.subarray(0, 160) as Uint8Array).toEqual(encode(frame));
        expect(decodeInto(codes.subarray(0, 160), samples)).toBe(320);
        expect(samples.subarray(0, 320) as Uint8Array).toEqual(decode(codes.subarray(0, 160)));
      }
    }
  });

  test("a short or non-Uint8Array out and an odd PCM length throw InvalidArgumentError", () => {
    expect(() => encodeMulawInto(new Uint8Array(8), new Uint8Array(3))).toThrow(InvalidArgumentError);
    expect(() => decodeAlawInto(new Uint8Array(4), new Uint8Array(7))).toThrow(InvalidArgumentError);
    expect(() => encodeAlawInto(new Uint8Array(3), new Uint8Array(8))).toThrow(InvalidArgumentError);
    expect(() => decodeMulawInto(new Uint8Array(4), [] as unknown as Uint8Array)).toThrow(InvalidArgumentError);
  });
});
