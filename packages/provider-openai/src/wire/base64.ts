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
