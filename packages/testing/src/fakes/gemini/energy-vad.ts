/** Settings of the fake's energy VAD, taken from `realtimeInputConfig.automaticActivityDetection`. */
export interface EnergyVadSettings {
  startSensitivity?: string;
  endSensitivity?: string;
  prefixPaddingMs?: number;
  silenceDurationMs?: number;
}

export type VadTransition = "speech_start" | "speech_end" | undefined;

const FRAME_MS = 20;

/**
 * Energy-based voice activity detection on 20 ms PCM16 frames: tone is speech, zeros are silence. HIGH start
 * sensitivity uses a lower gate; LOW end sensitivity waits 1.5× longer before ending the turn.
 */
export class EnergyVad {
  readonly #gate: number;
  readonly #startFrames: number;
  readonly #endFrames: number;
  #sampleRate = 16000;
  #pending = new Int16Array(0);
  #above = 0;
  #below = 0;
  #speaking = false;
  #speechMs = 0;
  #sumSquares = 0;
  #samples = 0;

  constructor(settings: EnergyVadSettings = {}) {
    this.#gate = settings.startSensitivity === "START_SENSITIVITY_LOW" ? 0.08 : 0.02;
    const prefix = Math.max(FRAME_MS, settings.prefixPaddingMs ?? 20);
    this.#startFrames = Math.ceil(prefix / FRAME_MS);
    const silence = (settings.silenceDurationMs ?? 500) * (settings.endSensitivity === "END_SENSITIVITY_LOW" ? 1.5 : 1);
    this.#endFrames = Math.max(1, Math.ceil(silence / FRAME_MS));
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  /** Speech duration (ms) and RMS (0..1) of the current or last turn. */
  get speechMs(): number {
    return this.#speechMs;
  }
  get rms(): number {
    return this.#samples === 0 ? 0 : Math.sqrt(this.#sumSquares / this.#samples) / 32768;
  }

  /** Feeds PCM16 samples; calls `onTransition` for each start or end, in order. */
  push(samples: Int16Array, sampleRate: number, onTransition: (transition: VadTransition) => void): void {
    this.#sampleRate = sampleRate;
    const frame = Math.max(1, Math.round((sampleRate * FRAME_MS) / 1000));
    let buffer = samples;
    if (this.#pending.length > 0) {
      buffer = new Int16Array(this.#pending.length + samples.length);
      buffer.set(this.#pending);
      buffer.set(samples, this.#pending.length);
    }
    let offset = 0;
    for (; offset + frame <= buffer.length; offset += frame) {
      const transition = this.#frame(buffer.subarray(offset, offset + frame));
      if (transition) onTransition(transition);
    }
    this.#pending = buffer.slice(offset);
  }

  /** Ends an open turn at once (`audioStreamEnd`). */
  forceEnd(): boolean {
    const wasSpeaking = this.#speaking;
    this.#speaking = false;
    this.#above = 0;
    this.#below = 0;
    return wasSpeaking;
  }

  #frame(frame: Int16Array): VadTransition {
    let sum = 0;
    for (let index = 0; index < frame.length; index++) sum += frame[index]! * frame[index]!;
    const rms = Math.sqrt(sum / frame.length) / 32768;
    const frameMs = (frame.length * 1000) / this.#sampleRate;
    if (rms >= this.#gate) {
      this.#above++;
      this.#below = 0;
      if (this.#speaking) {
        this.#speechMs += frameMs;
        this.#sumSquares += sum;
        this.#samples += frame.length;
      } else if (this.#above >= this.#startFrames) {
        this.#speaking = true;
        this.#speechMs = this.#above * frameMs;
        this.#sumSquares = sum;
        this.#samples = frame.length;
        return "speech_start";
      }
      return undefined;
    }
    this.#above = 0;
    if (!this.#speaking) return undefined;
    this.#below++;
    if (this.#below >= this.#endFrames) {
      this.#speaking = false;
      this.#below = 0;
      return "speech_end";
    }
    return undefined;
  }
}
