import {
  createResampler,
  encodeBase64,
  encodeMulaw,
  OutboundAudioPacer,
  type StreamingResampler,
} from "@roomkit/audio";
import type { Clock, Logger } from "@roomkit/spec";
import { OPUS_NATIVE_RATES, type OpusCodecFactory, type OpusEncoder } from "../codecs/opus-codec.ts";

/** Where the assistant's audio goes: the `"text"` DataChannel as μ-law JSON (RoomKit), an Opus track, or both. */
export type OutboundAudioMode = "datachannel" | "track" | "both";

/** μ-law bytes per DataChannel message at most (about 32 KiB of JSON, well under any max-message-size). */
export const MAX_MULAW_BYTES_PER_MESSAGE = 24 * 1024;

/** The RTP side of the Opus track: one packet per 20 ms frame (timestamp units of the 48 kHz Opus clock). */
export interface OpusRtpSink {
  writeOpus(payload: Uint8Array, timestamp: number, marker: boolean): void;
}

export interface OutboundAudioOptions {
  mode: OutboundAudioMode;
  sampleRate: number;
  prebufferMs: number;
  jitterHeadroomMs: number;
  opus: OpusCodecFactory;
  /** Sends one text message on the DataChannel; false when it is not open. */
  sendText: (text: string) => boolean;
  /** The Opus track (set once the browser's audio transceiver is known). */
  rtp: () => OpusRtpSink | undefined;
  /** The pacer's sent position of the current response, in ms. */
  onSentPosition: (responseSentMs: number) => void;
  clock: Clock;
  logger: Logger;
}

const OPUS_FRAME_TICKS = 960;

/** Builds the `{"event":"media",...}` messages for PCM16: μ-law, base64, split so no message is too large. */
export function mediaMessages(pcm: Uint8Array): string[] {
  const mulaw = encodeMulaw(pcm);
  const messages: string[] = [];
  for (let offset = 0; offset < mulaw.byteLength; offset += MAX_MULAW_BYTES_PER_MESSAGE) {
    const payload = encodeBase64(mulaw.subarray(offset, offset + MAX_MULAW_BYTES_PER_MESSAGE));
    messages.push(`{"event":"media","media":{"payload":"${payload}"}}`);
  }
  return messages;
}

/**
 * The assistant's audio for one peer, paced at real time (80 ms pre-buffer, 60 ms ahead) so `interrupt()` cuts it
 * within a frame: μ-law JSON on the DataChannel and/or Opus on the media track (the browser's echo canceller only
 * works on audio it receives as a track).
 */
export class OutboundAudio {
  readonly pacer: OutboundAudioPacer;
  readonly #options: OutboundAudioOptions;
  #encoder: OpusEncoder | undefined;
  #resampler: StreamingResampler | undefined;
  #pending = new Uint8Array(0);
  #frameBytes = 0;
  #timestamp = Math.floor(Math.random() * 0xffffffff);
  #lastPacketAt = -1;
  /** DataChannel messages that could not be sent (channel not open or send threw). */
  dataChannelDrops = 0;
  /** Opus packets written to the track. */
  packetsSent = 0;
  /** DataChannel media messages sent. */
  mediaMessagesSent = 0;

  constructor(options: OutboundAudioOptions) {
    this.#options = options;
    this.pacer = new OutboundAudioPacer({
      send: (pcm) => this.#deliver(pcm),
      sampleRate: options.sampleRate,
      prebufferMs: options.prebufferMs,
      jitterHeadroomMs: options.jitterHeadroomMs,
      clock: options.clock,
      logger: options.logger,
    });
  }

  get toDataChannel(): boolean {
    return this.#options.mode !== "track";
  }
  get toTrack(): boolean {
    return this.#options.mode !== "datachannel";
  }

  push(pcm: Uint8Array): void {
    this.pacer.start();
    this.pacer.push(pcm);
  }

  endOfResponse(): void {
    this.pacer.endOfResponse();
  }

  /** Drops everything not yet sent (and the partial Opus frame). */
  interrupt(): void {
    this.pacer.interrupt();
    this.#pending = new Uint8Array(0);
  }

  async close(): Promise<void> {
    this.pacer.interrupt();
    await this.pacer.stop();
    this.#encoder?.free();
    this.#encoder = undefined;
  }

  #deliver(pcm: Uint8Array): void {
    if (this.toDataChannel) {
      for (const message of mediaMessages(pcm)) {
        if (this.#options.sendText(message)) this.mediaMessagesSent++;
        else this.dataChannelDrops++;
      }
    }
    if (this.toTrack) this.#toTrack(pcm);
    this.#options.onSentPosition(this.pacer.responseSentMs);
  }

  #toTrack(pcm: Uint8Array): void {
    const sink = this.#options.rtp();
    if (!sink) return;
    if (!this.#encoder) {
      const direct = OPUS_NATIVE_RATES.includes(this.#options.sampleRate);
      const rate = direct ? this.#options.sampleRate : 48000;
      this.#encoder = this.#options.opus.createEncoder(rate);
      if (!direct) this.#resampler = createResampler({ fromRate: this.#options.sampleRate, toRate: 48000 });
      this.#frameBytes = (rate / 50) * 2;
    }
    const audio = this.#resampler ? this.#resampler.process(pcm) : pcm;
    let buffer = audio;
    if (this.#pending.byteLength > 0) {
      buffer = new Uint8Array(this.#pending.byteLength + audio.byteLength);
      buffer.set(this.#pending);
      buffer.set(audio, this.#pending.byteLength);
    }
    let offset = 0;
    for (; offset + this.#frameBytes <= buffer.byteLength; offset += this.#frameBytes) {
      this.#sendFrame(sink, buffer.subarray(offset, offset + this.#frameBytes));
    }
    this.#pending = buffer.slice(offset);
  }

  #sendFrame(sink: OpusRtpSink, frame: Uint8Array): void {
    const now = this.#options.clock.now();
    let marker = false;
    if (this.#lastPacketAt < 0) marker = true;
    else {
      // After a pause the RTP clock follows the wall clock (whole frames), so the receiver sees the gap.
      const gapMs = now - this.#lastPacketAt;
      const frames = gapMs > 60 ? Math.round(gapMs / 20) : 1;
      marker = frames > 1;
      this.#timestamp = (this.#timestamp + frames * OPUS_FRAME_TICKS) >>> 0;
    }
    this.#lastPacketAt = now;
    try {
      sink.writeOpus(this.#encoder!.encode(frame), this.#timestamp, marker);
      this.packetsSent++;
    } catch (error) {
      this.#options.logger.debug("Opus track write failed", { error: String(error) });
    }
  }
}
