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

/**
 * Layout of one band's state in an `Int32Array` (the encoder and decoder keep both bands in one array, the low band at
 * LOW_BAND and the high band at HIGH_BAND, so the per-sample code reads and writes typed-array slots, not objects).
 */
export const PREDICTED = 0; // predictor output s (signal estimate)
export const ZERO_SECTION = 1; // zero-section output sz
export const SCALE = 2; // linear quantiser step size: the ITU det / 4 (8 low, 2 high at reset)
const LOG_SCALE = 3;
const SIGN_PREVIOUS = 4;
const SIGN_PREVIOUS_2 = 5;
const RECONSTRUCTED_PREVIOUS = 6;
const POLE_1 = 7;
const POLE_2 = 8;
const DIFFERENCES = 9; // 6 slots: d1 .. d6 (stored doubled)
const ZERO_COEFFICIENTS = 15; // 6 slots: b1 .. b6
const BAND_SLOTS = 21;
export const LOW_BAND = 0;
export const HIGH_BAND = BAND_SLOTS;

/** Both bands' state at reset, in an array of `slots` (>= 42; the wasm kernel keeps its QMF history after them). */
export function createBandState(slots = 2 * BAND_SLOTS): Int32Array {
  const state = new Int32Array(slots);
  resetBandState(state);
  return state;
}

/** Zeroes every slot and sets both bands' initial step sizes. */
export function resetBandState(state: Int32Array): void {
  state.fill(0);
  state[LOW_BAND + SCALE] = 8;
  state[HIGH_BAND + SCALE] = 2;
}

/** `value` limited to [low, high]. */
export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** Converts the log-domain scale factor to linear (SCALEL/SCALEH); `offset` is 8 (low) or 10 (high) in Q11 units. */
function linearScale(logFactor: number, offset: number): number {
  const adjusted = logFactor - (offset << 11);
  const mantissa = SCALE_ANTILOG[(adjusted >> 6) & 31];
  const exponent = adjusted >> 11;
  return exponent < 0 ? mantissa >> -exponent : mantissa << exponent;
}

/** Low band: adapt to the 4-bit truncated code `code4` (0..15). */
export function updateLow(state: Int32Array, code4: number): void {
  predict(state, LOW_BAND, (state[LOW_BAND + SCALE] * LOW_INVERSE_4[code4]) >> 10);
  let logScale = ((state[LOW_BAND + LOG_SCALE] * 127) >> 7) + LOW_LOG_STEP[code4];
  logScale = clamp(logScale, 0, 18432);
  state[LOW_BAND + LOG_SCALE] = logScale;
  state[LOW_BAND + SCALE] = linearScale(logScale, 8);
}

/** High band: adapt to the quantised difference `difference` of the 2-bit code `code2`. */
export function updateHigh(state: Int32Array, difference: number, code2: number): void {
  predict(state, HIGH_BAND, difference);
  let logScale = ((state[HIGH_BAND + LOG_SCALE] * 127) >> 7) + HIGH_LOG_STEP[code2 & 1];
  logScale = clamp(logScale, 0, 22528);
  state[HIGH_BAND + LOG_SCALE] = logScale;
  state[HIGH_BAND + SCALE] = linearScale(logScale, 10);
}

/** Adaptive predictor (ITU block 4) of the band at `band`: pole and zero coefficient updates, then the next estimate. */
function predict(state: Int32Array, band: number, difference: number): void {
  // Sign of the partially reconstructed signal p = sz + d, compared with its two previous values.
  const sign = (state[band + ZERO_SECTION] + difference) >>> 31; // 1 when negative
  const signPrevious = state[band + SIGN_PREVIOUS];
  const p1 = ((sign ^ signPrevious) << 1) - 1; // +1 when the sign differs from the previous one, else -1
  const p2 = 1 - ((sign ^ state[band + SIGN_PREVIOUS_2]) << 1); // +1 when it equals the one before that, else -1
  state[band + SIGN_PREVIOUS_2] = signPrevious;
  state[band + SIGN_PREVIOUS] = sign;

  const pole1 = state[band + POLE_1];
  const limited1 = clamp(pole1, -8191, 8191);
  let pole2 = ((p1 * limited1) >> 5) + p2 * 128 + ((state[band + POLE_2] * 127) >> 7);
  pole2 = clamp(pole2, -12288, 12288);
  const limit = 15360 - pole2;
  let nextPole1 = -192 * p1 + ((pole1 * 255) >> 8);
  nextPole1 = clamp(nextPole1, -limit, limit);
  state[band + POLE_2] = pole2;
  state[band + POLE_1] = nextPole1;

  // Zero section: sign-sign update with leakage, shifting the difference history (d6 first, reading old values).
  const step = difference === 0 ? 0 : 128;
  const d = band + DIFFERENCES;
  const b = band + ZERO_COEFFICIENTS;
  const d0 = state[d];
  const d1 = state[d + 1];
  const d2 = state[d + 2];
  const d3 = state[d + 3];
  const d4 = state[d + 4];
  const d5 = state[d + 5];
  let m = (d5 ^ difference) >> 31;
  const b5 = ((state[b + 5] * 255) >> 8) + ((step ^ m) - m);
  m = (d4 ^ difference) >> 31;
  const b4 = ((state[b + 4] * 255) >> 8) + ((step ^ m) - m);
  m = (d3 ^ difference) >> 31;
  const b3 = ((state[b + 3] * 255) >> 8) + ((step ^ m) - m);
  m = (d2 ^ difference) >> 31;
  const b2 = ((state[b + 2] * 255) >> 8) + ((step ^ m) - m);
  m = (d1 ^ difference) >> 31;
  const b1 = ((state[b + 1] * 255) >> 8) + ((step ^ m) - m);
  m = (d0 ^ difference) >> 31;
  const b0 = ((state[b] * 255) >> 8) + ((step ^ m) - m);
  const incoming = difference * 2;
  state[b] = b0;
  state[b + 1] = b1;
  state[b + 2] = b2;
  state[b + 3] = b3;
  state[b + 4] = b4;
  state[b + 5] = b5;
  state[d] = incoming;
  state[d + 1] = d0;
  state[d + 2] = d1;
  state[d + 3] = d2;
  state[d + 4] = d3;
  state[d + 5] = d4;
  const zeroSection =
    ((incoming * b0) >> 15) +
    ((d0 * b1) >> 15) +
    ((d1 * b2) >> 15) +
    ((d2 * b3) >> 15) +
    ((d3 * b4) >> 15) +
    ((d4 * b5) >> 15);
  state[band + ZERO_SECTION] = zeroSection;

  let reconstructed = (state[band + PREDICTED] + difference) * 2;
  reconstructed = clamp(reconstructed, -32768, 32767);
  let predicted =
    zeroSection + ((nextPole1 * reconstructed) >> 15) + ((pole2 * state[band + RECONSTRUCTED_PREVIOUS]) >> 15);
  predicted = clamp(predicted, -32768, 32767);
  state[band + PREDICTED] = predicted;
  state[band + RECONSTRUCTED_PREVIOUS] = reconstructed;
}

/**
 * The 24-tap QMF over a window of 24 samples (oldest first) starting at `s`: the sum over the even positions.
 * Coefficients (ITU Table 11): 3, −11, −11, 53, 12, −156, 32, 362, −210, −805, 951, 3876, 3876, 951, −805, −210, 362,
 * 32, −156, 12, 53, −11, −11, 3.
 */
export function qmfEven(w: Int32Array, s: number): number {
  return (
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
    11 * w[s + 22]
  );
}

/** The QMF sum over the odd positions of the window at `s` (see qmfEven). */
export function qmfOdd(w: Int32Array, s: number): number {
  return (
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
    3 * w[s + 23]
  );
}
