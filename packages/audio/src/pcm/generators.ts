import { assertFiniteInRange, assertSampleRate } from "../validate.ts";
import { int16ToBytes } from "./pcm16.ts";

/** Longest signal a generator produces (10 minutes); larger requests are rejected as oversized. */
export const MAX_GENERATED_DURATION_MS = 600_000;

export interface ToneOptions {
  frequency: number;
  sampleRate: number;
  durationMs: number;
  /** Peak amplitude as a fraction of full scale, 0..1 (default 0.5). */
  amplitude?: number;
  /** Start phase in radians (default 0). */
  phase?: number;
}

export interface SilenceOptions {
  sampleRate: number;
  durationMs: number;
}

export interface SweepOptions {
  startFrequency: number;
  endFrequency: number;
  sampleRate: number;
  durationMs: number;
  amplitude?: number;
  /** Exponential (log-frequency) sweep instead of linear (default false). */
  logarithmic?: boolean;
}

export interface NoiseOptions {
  sampleRate: number;
  durationMs: number;
  amplitude?: number;
  /** Seed of the deterministic generator (default 1). */
  seed?: number;
}

function samplesFor(sampleRate: number, durationMs: number): number {
  assertSampleRate(sampleRate, "sampleRate");
  assertFiniteInRange(durationMs, "durationMs", 0, MAX_GENERATED_DURATION_MS);
  return Math.round((durationMs * sampleRate) / 1000);
}

function toSample(value: number): number {
  const scaled = Math.round(value * 32767);
  return Math.min(Math.max(scaled, -32768), 32767);
}

/** A sine tone as PCM16 little-endian mono bytes. */
export function generateTone(options: ToneOptions): Uint8Array {
  const count = samplesFor(options.sampleRate, options.durationMs);
  assertFiniteInRange(options.frequency, "frequency", 0, options.sampleRate / 2);
  const amplitude = options.amplitude ?? 0.5;
  assertFiniteInRange(amplitude, "amplitude", 0, 1);
  const phase = options.phase ?? 0;
  assertFiniteInRange(phase, "phase", -1e6, 1e6);
  const step = (2 * Math.PI * options.frequency) / options.sampleRate;
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) samples[i] = toSample(amplitude * Math.sin(phase + step * i));
  return int16ToBytes(samples);
}

/** Digital silence (all zeros) as PCM16 bytes. */
export function generateSilence(options: SilenceOptions): Uint8Array {
  return new Uint8Array(samplesFor(options.sampleRate, options.durationMs) * 2);
}

/** A sine sweep from `startFrequency` to `endFrequency`, linear or logarithmic, as PCM16 bytes. */
export function generateSweep(options: SweepOptions): Uint8Array {
  const count = samplesFor(options.sampleRate, options.durationMs);
  const nyquist = options.sampleRate / 2;
  assertFiniteInRange(options.startFrequency, "startFrequency", options.logarithmic ? 1e-3 : 0, nyquist);
  assertFiniteInRange(options.endFrequency, "endFrequency", options.logarithmic ? 1e-3 : 0, nyquist);
  const amplitude = options.amplitude ?? 0.5;
  assertFiniteInRange(amplitude, "amplitude", 0, 1);
  const samples = new Int16Array(count);
  const duration = count / options.sampleRate;
  const f0 = options.startFrequency;
  const f1 = options.endFrequency;
  const logRatio = options.logarithmic ? Math.log(f1 / f0) : 0;
  for (let i = 0; i < count; i++) {
    const t = i / options.sampleRate;
    let phase: number;
    if (!options.logarithmic || logRatio === 0 || duration === 0) {
      phase = 2 * Math.PI * (f0 * t + (duration === 0 ? 0 : ((f1 - f0) * t * t) / (2 * duration)));
    } else {
      phase = ((2 * Math.PI * f0 * duration) / logRatio) * (Math.exp((t / duration) * logRatio) - 1);
    }
    samples[i] = toSample(amplitude * Math.sin(phase));
  }
  return int16ToBytes(samples);
}

/** Deterministic white noise (uniform, xorshift32) as PCM16 bytes. */
export function generateNoise(options: NoiseOptions): Uint8Array {
  const count = samplesFor(options.sampleRate, options.durationMs);
  const amplitude = options.amplitude ?? 0.5;
  assertFiniteInRange(amplitude, "amplitude", 0, 1);
  const seed = options.seed ?? 1;
  assertFiniteInRange(seed, "seed", 1, 0xffffffff);
  let state = seed >>> 0 || 1;
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    samples[i] = toSample(amplitude * (state / 0x80000000 - 1));
  }
  return int16ToBytes(samples);
}
