import { describe, expect, test } from "bun:test";
import { Pcm16Aligner } from "./pcm16-aligner.ts";

function stream(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 7 + 3) & 0xff;
  return bytes;
}

/** Splits `bytes` at the given cut points into views of the same buffer (odd offsets included). */
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const edges = [0, ...cuts, bytes.byteLength];
  return edges.slice(1).map((end, index) => bytes.subarray(edges[index]!, end));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

describe("Pcm16Aligner", () => {
  test("any chunking (odd sizes, empty chunks, odd offsets) yields the stream's even prefix, every chunk even", () => {
    const source = stream(1001);
    let seed = 12345;
    for (let round = 0; round < 200; round++) {
      const cuts: number[] = [];
      for (let at = 0; ; ) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        at += seed % 9; // 0..8: empty and one-byte chunks too
        if (at >= source.byteLength) break;
        cuts.push(at);
      }
      const aligner = new Pcm16Aligner();
      const out = split(source, cuts).map((chunk) => aligner.align(chunk));
      for (const chunk of out) expect(chunk.byteLength & 1).toBe(0);
      expect(concat(out)).toEqual(source.subarray(0, 1000));
      expect(aligner.holdingByte).toBe(true);
    }
  });

  test("an even chunk with nothing held comes back as the same object (no copy)", () => {
    const aligner = new Pcm16Aligner();
    const chunk = stream(640);
    expect(aligner.align(chunk)).toBe(chunk);
    const odd = stream(641);
    const view = aligner.align(odd);
    expect(view.buffer).toBe(odd.buffer);
    expect(view.byteLength).toBe(640);
  });

  test("a held byte is put in front of the next chunk of the same key; another key drops it", () => {
    const aligner = new Pcm16Aligner();
    expect([...aligner.align(Uint8Array.of(1, 2, 3), "item-1")]).toEqual([1, 2]);
    expect([...aligner.align(Uint8Array.of(4, 5, 6), "item-1")]).toEqual([3, 4, 5, 6]);
    expect(aligner.holdingByte).toBe(false);
    expect([...aligner.align(Uint8Array.of(7, 8, 9), "item-1")]).toEqual([7, 8]);
    expect([...aligner.align(Uint8Array.of(10, 11), "item-2")]).toEqual([10, 11]);
    expect(aligner.holdingByte).toBe(false);
  });

  test("an empty chunk keeps the held byte; reset() drops it", () => {
    const aligner = new Pcm16Aligner();
    aligner.align(Uint8Array.of(1, 2, 3));
    expect(aligner.align(new Uint8Array(0)).byteLength).toBe(0);
    expect(aligner.holdingByte).toBe(true);
    expect([...aligner.align(Uint8Array.of(4))]).toEqual([3, 4]);
    aligner.align(Uint8Array.of(5));
    aligner.reset();
    expect(aligner.holdingByte).toBe(false);
    expect([...aligner.align(Uint8Array.of(6, 7))]).toEqual([6, 7]);
  });

  test("output with an odd byteOffset reads the right samples through pcm16View", async () => {
    const { pcm16View } = await import("./pcm16.ts");
    const backing = new Uint8Array(9);
    new DataView(backing.buffer).setInt16(1, -1234, true);
    new DataView(backing.buffer).setInt16(3, 4321, true);
    const aligned = new Pcm16Aligner().align(backing.subarray(1, 6));
    expect(aligned.byteOffset).toBe(1);
    expect([...pcm16View(aligned)]).toEqual([-1234, 4321]);
  });
});
