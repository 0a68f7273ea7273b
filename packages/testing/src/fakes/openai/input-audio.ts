/**
 * The fake's input audio buffer and energy VAD. Audio arrives as PCM16 (already decoded from G.711) at the session
 * input rate; offsets are ms of audio since the connection started. Speech starts after 60 ms above an RMS gate derived
 * from `threshold`; it stops after `silenceMs` below it.
 */
export interface VadSettings {
  threshold: number;
  prefixPaddingMs: number;
  silenceMs: number;
}

export type VadEvent =
  | { kind: "speech_started"; audioStartMs: number }
  | { kind: "speech_stopped"; audioEndMs: number };

const FRAME_MS = 20;
const ONSET_MS = 60;
const MAX_BUFFER_MS = 15 * 60_000;

export class InputAudioBuffer {
  #sampleRate = 24000;
  /** Buffered PCM16 sample chunks since the last commit/clear. */
  #chunks: Int16Array[] = [];
  #bufferedSamples = 0;
  #pending: Int16Array = new Int16Array(0);
  #streamMs = 0;
  #speaking = false;
  #aboveMs = 0;
  #belowMs = 0;
  #lastVoicedMs = 0;
  #speechSquares = 0;
  #speechSamples = 0;
  #speechStartMs = 0;

  get streamMs(): number {
    return this.#streamMs;
  }
  get speaking(): boolean {
    return this.#speaking;
  }
  get bufferedMs(): number {
    return (this.#bufferedSamples * 1000) / this.#sampleRate;
  }
  get sampleRate(): number {
    return this.#sampleRate;
  }

  setSampleRate(sampleRate: number): void {
    if (sampleRate !== this.#sampleRate) {
      this.clear();
      this.#sampleRate = sampleRate;
    }
  }

  /** Appends audio; with `vad` set, runs detection per 20 ms frame and returns the transitions, in order. */
  append(samples: Int16Array, vad: VadSettings | undefined): VadEvent[] {
    this.#chunks.push(samples);
    this.#bufferedSamples += samples.length;
    const events: VadEvent[] = [];
    if (vad === undefined) {
      this.#streamMs += (samples.length * 1000) / this.#sampleRate;
      this.#trim(MAX_BUFFER_MS);
      return events;
    }
    const frame = Math.round((this.#sampleRate * FRAME_MS) / 1000);
    let buffer = samples;
    if (this.#pending.length > 0) {
      buffer = new Int16Array(this.#pending.length + samples.length);
      buffer.set(this.#pending);
      buffer.set(samples, this.#pending.length);
    }
    // threshold 0..1 → RMS gate 1 %..11 % of full scale (0.5 → −24 dBFS): a −12 dBFS tone is speech, zeros are not.
    const gate = (0.01 + 0.1 * vad.threshold) * 32768;
    let offset = 0;
    for (; offset + frame <= buffer.length; offset += frame) {
      let sum = 0;
      for (let index = offset; index < offset + frame; index++) sum += buffer[index]! * buffer[index]!;
      const rms = Math.sqrt(sum / frame);
      this.#streamMs += FRAME_MS;
      if (rms >= gate) {
        this.#aboveMs += FRAME_MS;
        this.#belowMs = 0;
        this.#lastVoicedMs = this.#streamMs;
        this.#speechSquares += sum;
        this.#speechSamples += frame;
        if (!this.#speaking && this.#aboveMs >= ONSET_MS) {
          this.#speaking = true;
          const onset = this.#streamMs - this.#aboveMs;
          this.#speechStartMs = Math.max(0, onset - vad.prefixPaddingMs);
          events.push({ kind: "speech_started", audioStartMs: this.#speechStartMs });
        }
      } else {
        this.#aboveMs = 0;
        if (!this.#speaking) {
          this.#speechSquares = 0;
          this.#speechSamples = 0;
          continue;
        }
        this.#belowMs += FRAME_MS;
        if (this.#belowMs >= vad.silenceMs) {
          this.#speaking = false;
          this.#belowMs = 0;
          events.push({ kind: "speech_stopped", audioEndMs: this.#streamMs });
        }
      }
    }
    this.#pending = buffer.slice(offset);
    if (!this.#speaking && events.length === 0) this.#trim(vad.prefixPaddingMs + ONSET_MS);
    return events;
  }

  /** Ms of speech and RMS (0..1) of the last detected utterance. */
  get utterance(): { audioStartMs: number; lastVoicedMs: number; rms: number } {
    const rms = this.#speechSamples === 0 ? 0 : Math.sqrt(this.#speechSquares / this.#speechSamples) / 32768;
    return { audioStartMs: this.#speechStartMs, lastVoicedMs: this.#lastVoicedMs, rms };
  }

  /** Takes the buffered audio (for a commit) and empties the buffer. */
  take(): { samples: Int16Array; rms: number } {
    const samples = new Int16Array(this.#bufferedSamples);
    let offset = 0;
    for (const chunk of this.#chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    let sum = 0;
    for (let index = 0; index < samples.length; index++) sum += samples[index]! * samples[index]!;
    const rms = samples.length === 0 ? 0 : Math.sqrt(sum / samples.length) / 32768;
    this.#chunks = [];
    this.#bufferedSamples = 0;
    this.#speechSquares = 0;
    this.#speechSamples = 0;
    return { samples, rms };
  }

  clear(): void {
    this.#chunks = [];
    this.#bufferedSamples = 0;
    this.#speaking = false;
    this.#aboveMs = 0;
    this.#belowMs = 0;
  }

  #trim(keepMs: number): void {
    const keep = Math.round((keepMs * this.#sampleRate) / 1000);
    while (this.#chunks.length > 1 && this.#bufferedSamples - this.#chunks[0]!.length >= keep) {
      this.#bufferedSamples -= this.#chunks.shift()!.length;
    }
  }
}

/** The VAD settings of a session: `server_vad` fields, or `semantic_vad` eagerness mapped to a silence window. */
export function vadSettings(
  session: Record<string, any>,
  options: { semanticSilenceMs?: { low?: number; medium?: number; high?: number } },
): VadSettings | undefined {
  const detection = session.audio?.input?.turn_detection;
  if (!detection) return undefined;
  if (detection.type === "semantic_vad") {
    const table = options.semanticSilenceMs ?? {};
    const eagerness = detection.eagerness ?? "auto";
    const silenceMs =
      eagerness === "low" ? (table.low ?? 800) : eagerness === "high" ? (table.high ?? 250) : (table.medium ?? 500);
    return { threshold: 0.5, prefixPaddingMs: 300, silenceMs };
  }
  return {
    threshold: detection.threshold ?? 0.5,
    prefixPaddingMs: detection.prefix_padding_ms ?? 300,
    silenceMs: detection.silence_duration_ms ?? 500,
  };
}
