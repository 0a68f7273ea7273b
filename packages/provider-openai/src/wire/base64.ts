/**
 * Base64 for audio payloads. Uses the native `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64`
 * (3× faster than `Buffer` on Bun) when the runtime has them, and `Buffer` otherwise.
 */
type NativeBase64 = {
  toBase64?: (this: Uint8Array) => string;
};
type NativeFromBase64 = { fromBase64?: (text: string) => Uint8Array };

const nativeEncode = (Uint8Array.prototype as unknown as NativeBase64).toBase64;
const nativeDecode = (Uint8Array as unknown as NativeFromBase64).fromBase64;

export function encodeBase64(bytes: Uint8Array): string {
  if (nativeEncode) return nativeEncode.call(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Decodes base64; returns `undefined` for text that is not valid base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (nativeDecode) {
    try {
      return nativeDecode(text);
    } catch {
      return undefined;
    }
  }
  const buffer = Buffer.from(text, "base64");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** One base64 string holding the bytes of several (base64 chunks do not concatenate unless 3-byte aligned). */
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
