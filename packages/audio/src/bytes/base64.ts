/**
 * Base64 for audio payloads, one implementation for servers and browsers. Uses the standard
 * `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64` where the runtime has them (Bun, current browsers and
 * Node: the fastest, and decoding validates), else Node's `Buffer` when there is one, else `btoa`/`atob`. The choice
 * is made once, when the module loads, so the hot function is the native call alone. `Buffer` is looked up on
 * `globalThis`, so a browser bundle never references or polyfills it.
 */
interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string;
}
interface NativeFromBase64 {
  fromBase64?: (text: string) => Uint8Array<ArrayBuffer>;
}
interface NodeBuffer {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): { toString(encoding: "base64"): string };
  from(text: string, encoding: "base64"): Uint8Array;
}

const nativeEncode = (Uint8Array.prototype as unknown as NativeBase64).toBase64;
const nativeDecode = (Uint8Array as unknown as NativeFromBase64).fromBase64;
const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Encodes bytes (any view, any offset) as standard base64 with padding. */
export const encodeBase64: (bytes: Uint8Array) => string =
  nativeEncode !== undefined
    ? (bytes) => nativeEncode.call(bytes)
    : nodeBuffer !== undefined
      ? (bytes) => nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")
      : encodeWithBtoa;

/**
 * Decodes standard base64 into fresh bytes; `undefined` when the text is not valid base64. Fresh means the result
 * owns its buffer from offset 0 (PCM16 can be viewed in place) and later changes to it touch nothing else.
 */
export const decodeBase64: (text: string) => Uint8Array<ArrayBuffer> | undefined =
  nativeDecode !== undefined
    ? (text) => {
        try {
          return nativeDecode(text);
        } catch {
          return undefined;
        }
      }
    : decodeWithoutNative;

/** One base64 string holding the bytes of several (base64 chunks only concatenate as text when 3-byte aligned). */
export function joinBase64(chunks: readonly string[]): string {
  if (chunks.length === 1) return chunks[0]!;
  const parts = chunks.map((chunk) => decodeBase64(chunk) ?? new Uint8Array(0));
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return encodeBase64(joined);
}

function encodeWithBtoa(bytes: Uint8Array): string {
  let binary = "";
  for (let offset = 0; offset < bytes.byteLength; offset += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(offset, offset + 0x8000) as unknown as number[]);
  }
  return btoa(binary);
}

function decodeWithoutNative(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 === 1 || !STRICT_BASE64.test(text)) return undefined;
  if (nodeBuffer !== undefined) {
    const decoded = nodeBuffer.from(text, "base64");
    const bytes = new Uint8Array(decoded.byteLength);
    bytes.set(decoded);
    return bytes;
  }
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return bytes;
  } catch {
    return undefined;
  }
}
