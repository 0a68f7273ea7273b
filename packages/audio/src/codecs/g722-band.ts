// ITU-T G.722 sub-band ADPCM: the per-band state shared by encoder and decoder (blocks INVQAL/INVQAH, LOGSCL/LOGSCH,
// SCALEL/SCALEH and the adaptive predictor "block 4"), plus the QMF. Written from the ITU-T G.722 algorithm; the integer
// arithmetic follows the standard so the output is bit-exact with other conforming implementations (ffmpeg, spandsp).

/** Antilog table for the scale factor (ITU ILB): 2^(i/32) in Q11. */
const SCALE_ANTILOG = new Int16Array([
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025,
  3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
]);

/** Low band: log scale-factor increment for each 4-bit code (ITU WL indexed through RIL4). */
const LOW_LOG_STEP = new Int16Array([-60, 3042, 1198, 538, 334, 172, 58, -30, 3042, 1198, 538, 334, 172, 58, -30, -60]);
/** High band: log scale-factor increment for the 2-bit code's magnitude bit (ITU WH). */
const HIGH_LOG_STEP = new Int16Array([798, -214]);

/** Low band inverse quantiser on the 4-bit truncated code (ITU QM4, signed). */
export const LOW_INVERSE_4 = new Int16Array([
  0, -2557, -1612, -1121, -786, -530, -323, -150, 2557, 1612, 1121, 786, 530, 323, 150, 0,
]);
/** Low band inverse quantiser on the full 6-bit code (ITU QM6, signed), used for the decoder output. */
export const LOW_INVERSE_6 = new Int16Array([
  -17, -17, -17, -17, -3101, -2738, -2376, -2088, -1873, -1689, -1535, -1399, -1279, -1170, -1072, -982, -899, -822,
  -750, -682, -618, -558, -501, -447, -396, -347, -300, -254, -211, -170, -130, -91, 3101, 2738, 2376, 2088, 1873, 1689,
  1535, 1399, 1279, 1170, 1072, 982, 899, 822, 750, 682, 618, 558, 501, 447, 396, 347, 300, 254, 211, 170, 130, 91, 54,
  17, -54, -17,
]);
/** High band inverse quantiser (ITU QM2, signed). */
export const HIGH_INVERSE = new Int16Array([-926, -202, 926, 202]);

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

function clampInt16(value: number): number {
  return Math.min(Math.max(value, -32768), 32767);
}

/** Converts the log-domain scale factor to linear (SCALEL/SCALEH); `offset` is 8 (low) or 10 (high) in Q11 units. */
function linearScale(logFactor: number, offset: number): number {
  const adjusted = logFactor - (offset << 11);
  const mantissa = SCALE_ANTILOG[(adjusted >> 6) & 31];
  const exponent = adjusted >> 11;
  return exponent < 0 ? mantissa >> -exponent : mantissa << exponent;
}

/** State of one sub-band's ADPCM: predictor, zero/pole coefficients and the adaptive quantiser scale. */
export class G722Band {
  /** Predictor output s (signal estimate). */
  predicted = 0;
  /** Zero-section output sz. */
  zeroSection = 0;
  /** Linear quantiser step size: the ITU det / 4 (8 for the low band and 2 for the high band at reset). */
  scale: number;
  private logScale = 0;
  private signPrevious = 0;
  private signPrevious2 = 0;
  private reconstructedPrevious = 0;
  private pole1 = 0;
  private pole2 = 0;
  private readonly differences = new Int32Array(6);
  private readonly zeroCoefficients = new Int32Array(6);

  private readonly initialScale: number;

  constructor(initialScale: number) {
    this.initialScale = initialScale;
    this.scale = initialScale;
  }

  reset(): void {
    this.predicted = 0;
    this.zeroSection = 0;
    this.scale = this.initialScale;
    this.logScale = 0;
    this.signPrevious = 0;
    this.signPrevious2 = 0;
    this.reconstructedPrevious = 0;
    this.pole1 = 0;
    this.pole2 = 0;
    this.differences.fill(0);
    this.zeroCoefficients.fill(0);
  }

  /** Low band: adapt to the 4-bit truncated code `code4` (0..15). */
  updateLow(code4: number): void {
    this.predict((this.scale * LOW_INVERSE_4[code4]) >> 10);
    this.logScale = clamp(((this.logScale * 127) >> 7) + LOW_LOG_STEP[code4], 0, 18432);
    this.scale = linearScale(this.logScale, 8);
  }

  /** High band: adapt to the quantised difference `difference` of the 2-bit code `code2`. */
  updateHigh(difference: number, code2: number): void {
    this.predict(difference);
    this.logScale = clamp(((this.logScale * 127) >> 7) + HIGH_LOG_STEP[code2 & 1], 0, 22528);
    this.scale = linearScale(this.logScale, 10);
  }

  /** Adaptive predictor (ITU block 4): pole and zero coefficient updates, then the next estimate. */
  private predict(difference: number): void {
    // Sign of the partially reconstructed signal p = sz + d, compared with its two previous values.
    const sign = (this.zeroSection + difference) >>> 31; // 1 when negative
    const p1 = ((sign ^ this.signPrevious) << 1) - 1; // +1 when the sign differs from the previous one, else -1
    const p2 = 1 - ((sign ^ this.signPrevious2) << 1); // +1 when it equals the one before that, else -1
    this.signPrevious2 = this.signPrevious;
    this.signPrevious = sign;

    this.pole2 = clamp(
      ((p1 * clamp(this.pole1, -8191, 8191)) >> 5) + p2 * 128 + ((this.pole2 * 127) >> 7),
      -12288,
      12288,
    );
    const limit = 15360 - this.pole2;
    this.pole1 = clamp(-192 * p1 + ((this.pole1 * 255) >> 8), -limit, limit);

    // Zero section: sign-sign update with leakage, shifting the difference history.
    const differences = this.differences;
    const coefficients = this.zeroCoefficients;
    const step = difference === 0 ? 0 : 128;
    let zeroSection = 0;
    for (let k = 5; k >= 0; k--) {
      const incoming = k === 0 ? difference * 2 : differences[k - 1];
      const disagree = (differences[k] ^ difference) >> 31; // -1 when the signs differ, else 0 (branch-free)
      coefficients[k] = ((coefficients[k] * 255) >> 8) + ((step ^ disagree) - disagree);
      differences[k] = incoming;
      zeroSection += (incoming * coefficients[k]) >> 15;
    }
    this.zeroSection = zeroSection;

    const reconstructed = clampInt16((this.predicted + difference) * 2);
    this.predicted = clampInt16(
      zeroSection + ((this.pole1 * reconstructed) >> 15) + ((this.pole2 * this.reconstructedPrevious) >> 15),
    );
    this.reconstructedPrevious = reconstructed;
  }
}

/**
 * The 24-tap QMF over a window of 24 samples (oldest first) starting at `start`. Writes the sums over the odd and even
 * positions to `out[0]` and `out[1]`. Coefficients (ITU Table 11): 3, −11, −11, 53, 12, −156, 32, 362, −210, −805, 951,
 * 3876, 3876, 951, −805, −210, 362, 32, −156, 12, 53, −11, −11, 3.
 */
export function applyQmf(window: Int32Array, start: number, out: Int32Array): void {
  const w = window;
  const s = start;
  out[1] =
    3 * w[s] -
    11 * w[s + 2] +
    12 * w[s + 4] +
    32 * w[s + 6] -
    210 * w[s + 8] +
    951 * w[s + 10] +
    3876 * w[s + 12] -
    805 * w[s + 14] +
    362 * w[s + 16] -
    156 * w[s + 18] +
    53 * w[s + 20] -
    11 * w[s + 22];
  out[0] =
    -11 * w[s + 1] +
    53 * w[s + 3] -
    156 * w[s + 5] +
    362 * w[s + 7] -
    805 * w[s + 9] +
    3876 * w[s + 11] +
    951 * w[s + 13] -
    210 * w[s + 15] +
    32 * w[s + 17] +
    12 * w[s + 19] -
    11 * w[s + 21] +
    3 * w[s + 23];
}
