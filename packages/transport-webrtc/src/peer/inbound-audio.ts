import { createResampler, decodeAlaw, decodeMulaw, type StreamingResampler } from "@roomkit/audio";
import { OPUS_NATIVE_RATES, type OpusCodecFactory, type OpusDecoder } from "../codecs/opus-codec.ts";

/** The audio codecs the server offers in its answer (browser order of preference wins). */
export type AudioCodecName = "opus" | "pcmu" | "pcma";

export function codecNameOf(mimeType: string): AudioCodecName | undefined {
  const name = mimeType.toLowerCase();
  if (name === "audio/opus") return "opus";
  if (name === "audio/pcmu") return "pcmu";
  if (name === "audio/pcma") return "pcma";
  return undefined;
}

const SEQUENCE_WINDOW = 0x8000;
/** Lost packets are replaced by silence up to this much (so the provider's VAD timing stays honest), ms. */
const MAX_GAP_FILL_MS = 200;

/**
 * One inbound RTP audio stream → mono PCM16 at `sampleRate`. Opus decodes straight to the rate when libopus can
 * (8/12/16/24/48 kHz), else at 48 kHz and resamples; G.711 decodes at 8 kHz and resamples. Duplicates and packets
 * older than the newest one are dropped (counted), so a reordered stream never plays backwards; a sequence gap (lost
 * packets) is filled with as many frames of silence as were lost, at most 200 ms (neither WASM Opus build exposes
 * packet-loss concealment).
 */
export class InboundAudioDecoder {
  readonly sampleRate: number;
  readonly #opusFactory: OpusCodecFactory;
  #opus: OpusDecoder | undefined;
  #opusResampler: StreamingResampler | undefined;
  #g711Resampler: StreamingResampler | undefined;
  #lastSequence = -1;
  #lastFrameBytes = 0;
  /** Packets dropped as duplicates or late. */
  dropped = 0;
  /** Packets whose payload did not decode. */
  invalid = 0;
  /** Packets missing from the sequence (replaced by silence up to 200 ms per gap). */
  lost = 0;

  /** RTP sequence number of the newest packet accepted (-1 before any). */
  get lastSequenceNumber(): number {
    return this.#lastSequence;
  }

  constructor(sampleRate: number, opusFactory: OpusCodecFactory) {
    this.sampleRate = sampleRate;
    this.#opusFactory = opusFactory;
  }

  /** Decodes one packet; undefined when it was dropped (late, duplicate, empty, undecodable). */
  decode(codec: AudioCodecName, sequenceNumber: number, payload: Uint8Array): Uint8Array | undefined {
    let missing = 0;
    if (this.#lastSequence >= 0) {
      const delta = (sequenceNumber - this.#lastSequence) & 0xffff;
      if (delta === 0 || delta >= SEQUENCE_WINDOW) {
        this.dropped++;
        return undefined;
      }
      missing = delta - 1;
    }
    this.#lastSequence = sequenceNumber;
    this.lost += missing;
    if (payload.byteLength === 0) return undefined;
    let pcm: Uint8Array;
    try {
      if (codec === "opus") pcm = this.#decodeOpus(payload);
      else {
        const pcm8k = codec === "pcmu" ? decodeMulaw(payload) : decodeAlaw(payload);
        this.#g711Resampler ??= createResampler({ fromRate: 8000, toRate: this.sampleRate });
        pcm = this.#g711Resampler.process(pcm8k);
      }
    } catch {
      this.invalid++;
      return undefined;
    }
    if (missing > 0 && this.#lastFrameBytes > 0) pcm = this.#withSilence(pcm, missing * this.#lastFrameBytes);
    else this.#lastFrameBytes = pcm.byteLength;
    return pcm;
  }

  #withSilence(pcm: Uint8Array, silenceBytes: number): Uint8Array {
    const cap = Math.floor((this.sampleRate * MAX_GAP_FILL_MS) / 1000) * 2;
    const silence = Math.min(silenceBytes, cap);
    const out = new Uint8Array(silence + pcm.byteLength);
    out.set(pcm, silence);
    return out;
  }

  #decodeOpus(payload: Uint8Array): Uint8Array {
    if (!this.#opus) {
      const direct = OPUS_NATIVE_RATES.includes(this.sampleRate);
      this.#opus = this.#opusFactory.createDecoder(direct ? this.sampleRate : 48000);
      if (!direct) this.#opusResampler = createResampler({ fromRate: 48000, toRate: this.sampleRate });
    }
    const pcm = this.#opus.decode(payload);
    return this.#opusResampler ? this.#opusResampler.process(pcm) : pcm;
  }

  free(): void {
    this.#opus?.free();
    this.#opus = undefined;
  }
}
