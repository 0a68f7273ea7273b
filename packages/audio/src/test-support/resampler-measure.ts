// Test-and-bench helpers: measure a sample-rate converter's response to steady sine tones (a stepped sine sweep).
import { createResampler } from "../resampler/streaming-resampler.ts";

export interface ToneResponse {
  frequency: number;
  /** Output amplitude of the tone relative to the input, in dB (only meaningful in the passband). */
  gainDb: number;
  /** Everything in the output that is not the input tone (images, aliases, rounding), relative to the input, in dB. */
  residualDb: number;
  /** Total output power relative to the input, in dB (the stopband measure: an aliased tone lands anywhere). */
  outputDb: number;
}

/** Converts a whole PCM16 signal (any internal chunking) and returns the output samples. */
export type Convert = (input: Int16Array) => Int16Array;

const AMPLITUDE = 0.9 * 32767;

/**
 * Feeds a pure tone at `frequency` (0.9 FS) through `convert`, skips `skipOutput` start-up samples, and fits the
 * output tone (any phase, so any delay) by least squares.
 */
export function measureToneWith(
  convert: Convert,
  fromRate: number,
  toRate: number,
  frequency: number,
  durationMs: number,
  skipOutput: number,
): ToneResponse {
  const inputCount = Math.round((fromRate * durationMs) / 1000);
  const input = new Int16Array(inputCount);
  for (let i = 0; i < inputCount; i++)
    input[i] = Math.round(AMPLITUDE * Math.sin((2 * Math.PI * frequency * i) / fromRate));
  const output = convert(input);
  const first = skipOutput;
  const last = output.length - 2;
  const omega = (2 * Math.PI * frequency) / toRate;
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let ys = 0;
  let yc = 0;
  for (let k = first; k < last; k++) {
    const s = Math.sin(omega * k);
    const c = Math.cos(omega * k);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += output[k] * s;
    yc += output[k] * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let residual = 0;
  let total = 0;
  for (let k = first; k < last; k++) {
    const fitted = a * Math.sin(omega * k) + b * Math.cos(omega * k);
    residual += (output[k] - fitted) ** 2;
    total += output[k] * output[k];
  }
  const count = last - first;
  const inputRms = AMPLITUDE / Math.SQRT2;
  return {
    frequency,
    gainDb: 20 * Math.log10(Math.hypot(a, b) / AMPLITUDE),
    residualDb: 20 * Math.log10(Math.sqrt(residual / count) / inputRms + 1e-12),
    outputDb: 20 * Math.log10(Math.sqrt(total / count) / inputRms + 1e-12),
  };
}

/** `measureToneWith` for our streaming resampler, fed in one call; skips four group delays of start-up. */
export function measureTone(fromRate: number, toRate: number, frequency: number, durationMs = 150): ToneResponse {
  const resampler = createResampler({ fromRate, toRate });
  const convert: Convert = (input) =>
    new Int16Array(resampler.process(new Uint8Array(input.buffer, input.byteOffset, input.byteLength)).slice().buffer);
  return measureToneWith(convert, fromRate, toRate, frequency, durationMs, 4 * resampler.delaySamples + 8);
}

export interface SweepSummary {
  /** Largest |gain| in dB over tones up to 0.45 x the lower rate. */
  passbandRippleDb: number;
  /** Worst (highest) level in dB of anything that images/aliases from >= 0.55 x lower rate (negative = attenuation). */
  stopbandDb: number;
}

/** A stepped sine sweep: `steps` tones in the passband and, when down-sampling, `steps` tones in the stopband. */
export function sweep(
  measure: (frequency: number) => ToneResponse,
  fromRate: number,
  toRate: number,
  steps: number,
): SweepSummary {
  const lower = Math.min(fromRate, toRate);
  let ripple = 0;
  let stop = -Infinity;
  for (let i = 1; i <= steps; i++) {
    const response = measure((0.45 * lower * i) / steps);
    ripple = Math.max(ripple, Math.abs(response.gainDb));
    if (toRate > fromRate) stop = Math.max(stop, response.residualDb);
  }
  if (fromRate > toRate) {
    const start = 0.55 * lower;
    for (let i = 0; i <= steps; i++) {
      const frequency = start + ((fromRate / 2 - start) * 0.999 * i) / steps;
      if (frequency < fromRate / 2) stop = Math.max(stop, measure(frequency).outputDb);
    }
  }
  return { passbandRippleDb: ripple, stopbandDb: stop };
}
