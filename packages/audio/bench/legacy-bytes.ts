// The copies that @roomkit/audio's bytes/base64.ts and pcm/pcm16-aligner.ts replaced, kept verbatim (only renamed)
// so the bench can show the shared versions are no slower. Not shipped (bench/ is outside `files`).

// provider-openai/src/wire/base64.ts (transport-ws/src/protocol.ts had the same native-first code)
type NativeBase64 = { toBase64?: (this: Uint8Array) => string };
type NativeFromBase64 = { fromBase64?: (text: string) => Uint8Array };
const nativeEncode = (Uint8Array.prototype as unknown as NativeBase64).toBase64;
const nativeDecode = (Uint8Array as unknown as NativeFromBase64).fromBase64;

export function openaiEncodeBase64(bytes: Uint8Array): string {
  if (nativeEncode) return nativeEncode.call(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function openaiDecodeBase64(text: string): Uint8Array | undefined {
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

// provider-gemini/src/gemini-live-session.ts and server-event-handler.ts
export const geminiEncodeBase64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

export function geminiDecodeBase64(base64: string): Uint8Array {
  const decoded = Buffer.from(base64, "base64");
  return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
}

// transport-ws/src/client/base64.ts (the browser client)
export function clientBytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(offset, offset + chunk) as unknown as number[]);
  }
  return btoa(binary);
}

export function clientBase64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

// provider-openai/src/pcm16-aligner.ts
export class OpenAIPcm16Aligner {
  #carry = -1;
  #carryKey = "";

  align(key: string, bytes: Uint8Array): Uint8Array {
    if (this.#carry < 0 && (bytes.byteLength & 1) === 0) return bytes;
    let aligned = bytes;
    if (this.#carry >= 0) {
      if (this.#carryKey === key) {
        aligned = new Uint8Array(bytes.byteLength + 1);
        aligned[0] = this.#carry;
        aligned.set(bytes, 1);
      }
      this.#carry = -1;
    }
    if ((aligned.byteLength & 1) === 1) {
      this.#carry = aligned[aligned.byteLength - 1]!;
      this.#carryKey = key;
      aligned = aligned.subarray(0, aligned.byteLength - 1);
    }
    return aligned;
  }
}

// provider-gemini/src/server-event-handler.ts (#alignPcm16) has the same body without the key.

// realtime-channel/src/audio/pcm16-carry.ts (state reduced to the one field it reads)
export function channelAlignProviderAudio(state: { outboundCarry: number }, audio: Uint8Array): Uint8Array {
  const carried = state.outboundCarry;
  const length = audio.byteLength + (carried >= 0 ? 1 : 0);
  const usable = length & ~1;
  state.outboundCarry = usable === length ? -1 : audio[audio.byteLength - 1]!;
  if (carried < 0) return audio.subarray(0, usable);
  const out = new Uint8Array(usable);
  if (usable > 0) {
    out[0] = carried;
    out.set(audio.subarray(0, usable - 1), 1);
  }
  return out;
}
