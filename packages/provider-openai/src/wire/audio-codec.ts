import { decodeAlaw, decodeBase64, decodeMulaw, encodeAlaw, encodeBase64, encodeMulaw } from "@roomkit/audio";
import type { OpenAIAudioEncoding } from "./build-session-config.ts";

/** PCM16 (caller audio) → base64 wire audio in the session's input encoding. */
export function encodeWireAudio(pcm: Uint8Array, encoding: OpenAIAudioEncoding): string {
  if (encoding === "pcm") return encodeBase64(pcm);
  return encodeBase64(encoding === "pcmu" ? encodeMulaw(pcm) : encodeAlaw(pcm));
}

/** Base64 wire audio in the session's output encoding → PCM16. `undefined` when the base64 is broken. */
export function decodeWireAudio(base64: string, encoding: OpenAIAudioEncoding): Uint8Array | undefined {
  const bytes = decodeBase64(base64);
  if (bytes === undefined || encoding === "pcm") return bytes;
  return encoding === "pcmu" ? decodeMulaw(bytes) : decodeAlaw(bytes);
}
