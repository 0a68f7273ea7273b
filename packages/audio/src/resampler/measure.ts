// Test-and-bench helpers: measure a resampler's response to steady sine tones (a stepped sine sweep).
import { createResampler } from "./streaming-resampler.ts";

export interface ToneResponse {
  frequency: number;
  /** Output amplitude of the tone relative to the input, in dB (only meaningful in the passband). */
  gainDb: number;
  /** Everything in the output that is not the input tone (images, aliases, rounding), relative to the input, in dB. */
  residualDb: number;
  /** Total output power relative to the input, in dB (the stopband measure: an aliased tone lands anywhere). */
  outputDb: number;
}

/** Feeds a pure tone at `frequency` (amplitude 0.9 FS) and fits the output tone by least squares. */
export function measureTone(fromRate: number, toRate: number, frequency: number, durationMs = 150): ToneResponse {
  const resampler = createResampler({ fromRate, toRate });
  const inputCount = Math.round((fromRate * durationMs) / 1000);
  const amplitude = 0.9 * 32767;
  const input = new Int16Array(inputCount);
  for (let i = 0; i < inputCount; i++)
    input[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / fromRate));
  const output = new Int16Array(resampler.process(new Uint8Array(input.buffer)).slice().buffer);
  const delay = resampler.delaySamples;
  // Skip the start-up (two filter lengths) and the last samples, which the filter has not fully covered.
  const first = 4 * delay + 8;
  const last = output.length - 2;
  const omega = (2 * Math.PI * frequency) / toRate;
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let ys = 0;
  let yc = 0;
  for (let k = first; k < last; k++) {
    const s = Math.sin(omega * (k - delay));
    const c = Math.cos(omega * (k - delay));
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
    const fitted = a * Math.sin(omega * (k - delay)) + b * Math.cos(omega * (k - delay));
    residual += (output[k] - fitted) ** 2;
    total += output[k] * output[k];
  }
  const count = last - first;
  const inputRms = amplitude / Math.SQRT2;
  return {
    frequency,
    gainDb: 20 * Math.log10(Math.hypot(a, b) / amplitude),
    residualDb: 20 * Math.log10(Math.sqrt(residual / count) / inputRms + 1e-12),
    outputDb: 20 * Math.log10(Math.sqrt(total / count) / inputRms + 1e-12),
  };
}
