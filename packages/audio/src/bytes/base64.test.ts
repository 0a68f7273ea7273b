import { describe, expect, test } from "bun:test";
import * as native from "./base64.ts";

type Base64Module = typeof native;

/** Loads a fresh copy of base64.ts while the runtime lacks the native methods (and, optionally, `Buffer`). */
async function loadWithout(options: { buffer: boolean }, tag: string): Promise<Base64Module> {
  const prototype = Uint8Array.prototype as unknown as Record<string, unknown>;
  const statics = Uint8Array as unknown as Record<string, unknown>;
  const global = globalThis as unknown as Record<string, unknown>;
  const saved = { toBase64: prototype.toBase64, fromBase64: statics.fromBase64, Buffer: global.Buffer };
  delete prototype.toBase64;
  delete statics.fromBase64;
  if (!options.buffer) delete global.Buffer;
  try {
    return (await import(`./base64.ts?${tag}`)) as Base64Module;
  } finally {
    prototype.toBase64 = saved.toBase64;
    statics.fromBase64 = saved.fromBase64;
    global.Buffer = saved.Buffer;
  }
}

test("without the native methods or Buffer, the btoa path runs (the native copy never calls btoa)", async () => {
  const fallback = await loadWithout({ buffer: false }, "proof");
  const saved = globalThis.btoa;
  let calls = 0;
  globalThis.btoa = (text: string) => {
    calls++;
    return saved(text);
  };
  try {
    expect(fallback.encodeBase64(Uint8Array.of(1, 2, 3))).toBe("AQID");
    expect(calls).toBe(1);
    expect(native.encodeBase64(Uint8Array.of(1, 2, 3))).toBe("AQID");
    expect(calls).toBe(1);
  } finally {
    globalThis.btoa = saved;
  }
});

const variants: Array<[string, () => Promise<Base64Module>]> = [
  ["native toBase64/fromBase64", async () => native],
  ["Buffer fallback", () => loadWithout({ buffer: true }, "buffer")],
  ["btoa/atob fallback (browser without the native methods)", () => loadWithout({ buffer: false }, "browser")],
];

function pattern(length: number, seed = 7): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 31 + seed * 17) & 0xff;
  return bytes;
}

describe.each(variants)("base64 (%s)", (_name, load) => {
  test("round-trips every length 0..64, a 100 kB frame (above the 32 kB btoa chunk) and all 256 byte values", async () => {
    const { decodeBase64, encodeBase64 } = await load();
    const inputs = [...Array.from({ length: 65 }, (_, length) => pattern(length)), pattern(100_003), pattern(256, 0)];
    for (const bytes of inputs) {
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64"));
      expect(decodeBase64(text)).toEqual(bytes);
    }
  });

  test("encodes exactly the bytes of a view with an odd offset, not the rest of its buffer", async () => {
    const { encodeBase64 } = await load();
    const backing = pattern(1001);
    const view = backing.subarray(3, 3 + 641);
    expect(view.byteOffset & 1).toBe(1);
    expect(encodeBase64(view)).toBe(Buffer.from(backing.slice(3, 644)).toString("base64"));
    expect(encodeBase64(backing.subarray(5, 5))).toBe("");
  });

  test("decodes into fresh bytes at offset 0 that PCM16 can view in place", async () => {
    const { decodeBase64 } = await load();
    const decoded = decodeBase64(Buffer.from(pattern(960)).toString("base64"))!;
    expect(decoded.byteOffset).toBe(0);
    expect(decoded.buffer.byteLength).toBe(960);
    expect(new Int16Array(decoded.buffer).length).toBe(480);
  });

  test("returns undefined for text that is not base64", async () => {
    const { decodeBase64 } = await load();
    for (const text of ["a", "abcde", "ab$d", "%%%%", "abc=d", "A==="]) expect(decodeBase64(text)).toBeUndefined();
    expect(decodeBase64("")).toEqual(new Uint8Array(0));
  });

  test("joinBase64: chunks that are not 3-byte aligned join into the base64 of their concatenated bytes", async () => {
    const { encodeBase64, joinBase64 } = await load();
    const whole = pattern(20);
    const chunks = [whole.subarray(0, 4), whole.subarray(4, 11), whole.subarray(11, 20)].map((part) =>
      encodeBase64(part),
    );
    expect(chunks.join("")).not.toBe(encodeBase64(whole));
    expect(joinBase64(chunks)).toBe(encodeBase64(whole));
    expect(joinBase64([chunks[1]!])).toBe(chunks[1]!);
  });
});
