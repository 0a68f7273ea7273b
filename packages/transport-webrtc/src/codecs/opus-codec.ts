import OpusScript from "opusscript";

/** The Opus rates libopus decodes to and encodes from directly (anything else goes through 48 kHz + a resampler). */
export const OPUS_NATIVE_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];

/** One Opus stream's decoder: RTP payload in, mono PCM16 LE at `sampleRate` out. `free()` releases the WASM heap. */
export interface OpusDecoder {
  readonly sampleRate: number;
  decode(packet: Uint8Array): Uint8Array;
  free(): void;
}

/** One Opus stream's encoder: exactly one frame (`sampleRate / 50` samples of mono PCM16 LE) in, one packet out. */
export interface OpusEncoder {
  readonly sampleRate: number;
  encode(frame: Uint8Array): Uint8Array;
  free(): void;
}

/** Makes Opus coders (swap in another library by implementing this). */
export interface OpusCodecFactory {
  createDecoder(sampleRate: number): OpusDecoder;
  createEncoder(sampleRate: number): OpusEncoder;
}

type NativeRate = 8000 | 12000 | 16000 | 24000 | 48000;

function nativeRate(sampleRate: number): NativeRate {
  if (!OPUS_NATIVE_RATES.includes(sampleRate)) throw new RangeError(`Opus cannot run at ${sampleRate} Hz`);
  return sampleRate as NativeRate;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `opusscript` (libopus 1.4 compiled to WASM): no native build, same behaviour under Bun and Node. */
export const opusscriptCodec: OpusCodecFactory = {
  createDecoder(sampleRate) {
    const rate = nativeRate(sampleRate);
    let native: OpusScript | undefined = new OpusScript(rate, 1, OpusScript.Application.VOIP);
    return {
      sampleRate: rate,
      decode(packet) {
        if (!native) throw new Error("Opus decoder freed");
        const pcm = native.decode(asBuffer(packet));
        return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      },
      free() {
        native?.delete();
        native = undefined;
      },
    };
  },
  createEncoder(sampleRate) {
    const rate = nativeRate(sampleRate);
    let native: OpusScript | undefined = new OpusScript(rate, 1, OpusScript.Application.VOIP);
    const frameSamples = rate / 50;
    return {
      sampleRate: rate,
      encode(frame) {
        if (!native) throw new Error("Opus encoder freed");
        const packet = native.encode(asBuffer(frame), frameSamples);
        return new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength).slice();
      },
      free() {
        native?.delete();
        native = undefined;
      },
    };
  },
};
