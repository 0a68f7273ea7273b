// Polyphase Kaiser-windowed-sinc design for a rational rate change L/M (L = up factor, M = down factor).
// The prototype low-pass runs at the virtual rate W = fromRate * L. Its cutoff sits at half the lower rate and its
// transition band spans 0.45 .. 0.55 x the lower rate: everything that images or aliases into 0 .. 0.45 x lower rate
// comes from >= 0.55 x lower rate and is attenuated by the stopband. That narrowish band is what keeps the filter short
// (<= 2 ms delay at 16 kHz <-> 24 kHz); the price is that 0.45 .. 0.5 x lower rate is a transition region.

/** Stopband attenuation the Kaiser window is designed for (dB); the sweep test measures >= 70 dB. */
export const DESIGN_ATTENUATION_DB = 76;
/** Passband edge and stopband start as fractions of the lower of the two rates. */
export const PASSBAND_EDGE = 0.45;
export const STOPBAND_EDGE = 0.55;

export interface PolyphaseFilter {
  readonly up: number;
  readonly down: number;
  /** Taps per phase. */
  readonly taps: number;
  /** `up * taps` coefficients; phase p occupies [p*taps, (p+1)*taps), stored time-reversed for a forward dot product. */
  readonly coefficients: Float64Array;
  /** Group delay in output samples (an integer by construction). */
  readonly delay: number;
}

function greatestCommonDivisor(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

const cache = new Map<string, PolyphaseFilter>();

/** Designs (once per rate pair, then cached and shared) the polyphase filter for `fromRate` → `toRate`. */
export function designPolyphaseFilter(fromRate: number, toRate: number): PolyphaseFilter {
  const key = `${fromRate}:${toRate}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const divisor = greatestCommonDivisor(fromRate, toRate);
  const up = toRate / divisor;
  const down = fromRate / divisor;
  const virtualRate = fromRate * up;
  const lowerRate = Math.min(fromRate, toRate);
  const transitionRadians = (2 * Math.PI * (STOPBAND_EDGE - PASSBAND_EDGE) * lowerRate) / virtualRate;
  const requiredLength = Math.ceil((DESIGN_ATTENUATION_DB - 8) / (2.285 * transitionRadians)) + 1;
  // Length 2*down*delay + 1 puts the filter centre on an output instant: the delay is a whole number of outputs.
  const delay = Math.ceil((requiredLength - 1) / (2 * down));
  const length = 2 * down * delay + 1;
  const centre = (length - 1) / 2;
  const cutoff = (0.5 * lowerRate) / virtualRate; // cycles per virtual sample
  const beta = kaiserBeta(DESIGN_ATTENUATION_DB);
  const windowNorm = besselI0(beta);
  const prototype = new Float64Array(length);
  for (let n = 0; n < length; n++) {
    const offset = n - centre;
    const sinc = offset === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * offset) / (Math.PI * offset);
    const ratio = offset / centre;
    prototype[n] = sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / windowNorm);
  }
  const taps = Math.ceil(length / up);
  const coefficients = new Float64Array(up * taps);
  for (let phase = 0; phase < up; phase++) {
    let sum = 0;
    for (let i = 0; i < taps; i++) {
      const n = phase + i * up;
      if (n < length) sum += prototype[n];
    }
    // Each phase gets exactly unity DC gain (removes the small phase-to-phase gain error of a truncated sinc).
    for (let i = 0; i < taps; i++) {
      const n = phase + i * up;
      coefficients[phase * taps + (taps - 1 - i)] = n < length ? prototype[n] / sum : 0;
    }
  }
  const filter: PolyphaseFilter = { up, down, taps, coefficients, delay };
  cache.set(key, filter);
  return filter;
}
