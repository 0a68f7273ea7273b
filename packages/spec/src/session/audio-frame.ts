/**
 * Audio travels as PCM16 little-endian mono bytes (`Uint8Array`) on every hot path. `AudioFrame` wraps bytes with
 * their format where the rate is not implied by the session (transports with a negotiated codec rate).
 */
export interface AudioFrame {
  /** PCM16 little-endian samples, interleaved if `channels > 1`. */
  readonly data: Uint8Array;
  readonly sampleRate: number;
  readonly channels?: number;
  /** Capture or playback time of the first sample, in milliseconds, when the transport knows it. */
  readonly timestampMs?: number;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Bytes or a frame: what a transport hands to the channel. */
export type InboundAudio = Uint8Array | AudioFrame;

export function isAudioFrame(value: InboundAudio): value is AudioFrame {
  return !(value instanceof Uint8Array);
}
