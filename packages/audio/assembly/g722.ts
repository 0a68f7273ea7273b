// G.722 64 kbit/s encoder and decoder kernels in AssemblyScript, compiled to WebAssembly by scripts/build-wasm.ts
// (the same arithmetic as src/codecs/g722.ts and g722-band.ts, which stay as the JavaScript fallback; both are checked
// bit-exact against ffmpeg). The JavaScript side copies one codec's state in, runs a block, and copies the state out:
// nothing in this module's memory belongs to a codec between calls.

const LOW_DECISION: StaticArray<i32> = [
  35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458,
  1612, 1765, 1980, 2195, 2557, 2919, 2919, 2919, 2919,
];
const SCALE_ANTILOG: StaticArray<i32> = [
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896, 2960, 3025,
  3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
];
const LOW_LOG_STEP: StaticArray<i32> = [-60, 3042, 1198, 538, 334, 172, 58, -30, 3042, 1198, 538, 334, 172, 58, -30, -60];
const HIGH_LOG_STEP: StaticArray<i32> = [798, -214];
const LOW_INVERSE_4: StaticArray<i32> = [0, -2557, -1612, -1121, -786, -530, -323, -150, 2557, 1612, 1121, 786, 530, 323, 150, 0];
const LOW_INVERSE_6: StaticArray<i32> = [
  -17, -17, -17, -17, -3101, -2738, -2376, -2088, -1873, -1689, -1535, -1399, -1279, -1170, -1072, -982, -899, -822,
  -750, -682, -618, -558, -501, -447, -396, -347, -300, -254, -211, -170, -130, -91, 3101, 2738, 2376, 2088, 1873, 1689,
  1535, 1399, 1279, 1170, 1072, 982, 899, 822, 750, 682, 618, 558, 501, 447, 396, 347, 300, 254, 211, 170, 130, 91, 54,
  17, -54, -17,
];
const HIGH_INVERSE: StaticArray<i32> = [-926, -202, 926, 202];

/** Sample pairs (encoder) or bytes (decoder) per call. */
export const BLOCK: i32 = 2048;
/** Band state slots, as in g722-band.ts (low band at 0, high band at 21), then the 22 previous QMF inputs. */
const PREDICTED: i32 = 0;
const ZERO_SECTION: i32 = 1;
const SCALE: i32 = 2;
const LOG_SCALE: i32 = 3;
const SIGN_PREVIOUS: i32 = 4;
const SIGN_PREVIOUS_2: i32 = 5;
const RECONSTRUCTED_PREVIOUS: i32 = 6;
const POLE_1: i32 = 7;
const POLE_2: i32 = 8;
const DIFFERENCES: i32 = 9;
const ZERO_COEFFICIENTS: i32 = 15;
const HIGH_BAND: i32 = 21;
const QMF_PREVIOUS: i32 = 42;
export const STATE_SLOTS: i32 = 64;

const STATE = memory.data(STATE_SLOTS * 4, 16);
const INPUT = memory.data(BLOCK * 4 + 16, 16);
const OUTPUT = memory.data(BLOCK * 4 + 16, 16);
const WINDOW = memory.data((22 + 2 * BLOCK) * 4, 16);

export function statePointer(): usize {
  return STATE;
}
export function inputPointer(): usize {
  return INPUT;
}
export function outputPointer(): usize {
  return OUTPUT;
}

@inline function get(slot: i32): i32 {
  return load<i32>(STATE + (<usize>slot << 2));
}
@inline function set(slot: i32, value: i32): void {
  store<i32>(STATE + (<usize>slot << 2), value);
}
@inline function clamp(value: i32, low: i32, high: i32): i32 {
  return min(max(value, low), high);
}
@inline function windowAt(index: i32): i32 {
  return load<i32>(WINDOW + (<usize>index << 2));
}

function linearScale(logFactor: i32, offset: i32): i32 {
  const adjusted = logFactor - (offset << 11);
  const mantissa = unchecked(SCALE_ANTILOG[(adjusted >> 6) & 31]);
  const exponent = adjusted >> 11;
  return exponent < 0 ? mantissa >> -exponent : mantissa << exponent;
}

/** Adaptive predictor (ITU block 4) of the band at `band`. */
@inline function predict(band: i32, difference: i32): void {
  const sign = (get(band + ZERO_SECTION) + difference) >>> 31;
  const signPrevious = get(band + SIGN_PREVIOUS);
  const p1 = ((sign ^ signPrevious) << 1) - 1;
  const p2 = 1 - ((sign ^ get(band + SIGN_PREVIOUS_2)) << 1);
  set(band + SIGN_PREVIOUS_2, signPrevious);
  set(band + SIGN_PREVIOUS, sign);
  const pole1 = get(band + POLE_1);
  const pole2 = clamp(((p1 * clamp(pole1, -8191, 8191)) >> 5) + p2 * 128 + ((get(band + POLE_2) * 127) >> 7), -12288, 12288);
  const limit = 15360 - pole2;
  const nextPole1 = clamp(-192 * p1 + ((pole1 * 255) >> 8), -limit, limit);
  set(band + POLE_2, pole2);
  set(band + POLE_1, nextPole1);
  const step = difference == 0 ? 0 : 128;
  let zeroSection = 0;
  for (let k = 5; k >= 0; k--) {
    const d = band + DIFFERENCES + k;
    const b = band + ZERO_COEFFICIENTS + k;
    const incoming = k == 0 ? difference * 2 : get(d - 1);
    const disagree = (get(d) ^ difference) >> 31;
    const coefficient = ((get(b) * 255) >> 8) + ((step ^ disagree) - disagree);
    set(b, coefficient);
    set(d, incoming);
    zeroSection += (incoming * coefficient) >> 15;
  }
  set(band + ZERO_SECTION, zeroSection);
  const reconstructed = clamp((get(band + PREDICTED) + difference) * 2, -32768, 32767);
  set(
    band + PREDICTED,
    clamp(zeroSection + ((nextPole1 * reconstructed) >> 15) + ((pole2 * get(band + RECONSTRUCTED_PREVIOUS)) >> 15), -32768, 32767),
  );
  set(band + RECONSTRUCTED_PREVIOUS, reconstructed);
}

@inline function updateLow(code4: i32): void {
  predict(0, (get(SCALE) * unchecked(LOW_INVERSE_4[code4])) >> 10);
  const logScale = clamp(((get(LOG_SCALE) * 127) >> 7) + unchecked(LOW_LOG_STEP[code4]), 0, 18432);
  set(LOG_SCALE, logScale);
  set(SCALE, linearScale(logScale, 8));
}

@inline function updateHigh(difference: i32, code2: i32): void {
  predict(HIGH_BAND, difference);
  const logScale = clamp(((get(HIGH_BAND + LOG_SCALE) * 127) >> 7) + unchecked(HIGH_LOG_STEP[code2 & 1]), 0, 22528);
  set(HIGH_BAND + LOG_SCALE, logScale);
  set(HIGH_BAND + SCALE, linearScale(logScale, 10));
}

@inline function qmfEven(s: i32): i32 {
  return 3 * windowAt(s) - 11 * windowAt(s + 2) + 12 * windowAt(s + 4) + 32 * windowAt(s + 6) - 210 * windowAt(s + 8) +
    951 * windowAt(s + 10) + 3876 * windowAt(s + 12) - 805 * windowAt(s + 14) + 362 * windowAt(s + 16) -
    156 * windowAt(s + 18) + 53 * windowAt(s + 20) - 11 * windowAt(s + 22);
}

@inline function qmfOdd(s: i32): i32 {
  return -11 * windowAt(s + 1) + 53 * windowAt(s + 3) - 156 * windowAt(s + 5) + 362 * windowAt(s + 7) -
    805 * windowAt(s + 9) + 3876 * windowAt(s + 11) + 951 * windowAt(s + 13) - 210 * windowAt(s + 15) +
    32 * windowAt(s + 17) + 12 * windowAt(s + 19) - 11 * windowAt(s + 21) + 3 * windowAt(s + 23);
}

@inline function loadWindow(): void {
  memory.copy(WINDOW, STATE + (<usize>QMF_PREVIOUS << 2), 22 * 4);
}
@inline function saveWindow(pairs: i32): void {
  memory.copy(STATE + (<usize>QMF_PREVIOUS << 2), WINDOW + (<usize>(2 * pairs) << 2), 22 * 4);
}

/** Encodes `pairs` (<= BLOCK) int16 sample pairs at INPUT into bytes at OUTPUT. */
export function encode(pairs: i32): void {
  loadWindow();
  for (let i = 0; i < pairs; i++) {
    const at = INPUT + (<usize>i << 2);
    store<i32>(WINDOW + (<usize>(22 + 2 * i) << 2), <i32>load<i16>(at));
    store<i32>(WINDOW + (<usize>(23 + 2 * i) << 2), <i32>load<i16>(at, 2));
    const odd = qmfOdd(2 * i);
    const even = qmfEven(2 * i);
    const lowInput = (odd + even) >> 14;
    const highInput = (odd - even) >> 14;

    const highError = clamp(highInput - get(HIGH_BAND + PREDICTED), -32768, 32767);
    const highMagnitude = highError < 0 ? -highError - 1 : highError;
    const highScale = get(HIGH_BAND + SCALE);
    const highCode = (highMagnitude < (141 * highScale) >> 8 ? 1 : 0) + (highError >= 0 ? 2 : 0);

    const lowError = clamp(lowInput - get(PREDICTED), -32768, 32767);
    const lowMagnitude = ((lowError < 0 ? -lowError - 1 : lowError) + 1) << 10;
    const lowScale = get(SCALE);
    // Branch-free binary search over the 29 levels (padded to 32 with copies of the last): the count of levels below.
    let below = select<i32>(16, 0, lowMagnitude > unchecked(LOW_DECISION[15]) * lowScale);
    below += select<i32>(8, 0, lowMagnitude > unchecked(LOW_DECISION[below + 7]) * lowScale);
    below += select<i32>(4, 0, lowMagnitude > unchecked(LOW_DECISION[below + 3]) * lowScale);
    below += select<i32>(2, 0, lowMagnitude > unchecked(LOW_DECISION[below + 1]) * lowScale);
    below = min(below + select<i32>(1, 0, lowMagnitude > unchecked(LOW_DECISION[below]) * lowScale), 29);
    const lowCode = (lowError < 0 ? (below < 2 ? 63 : 33) : 61) - below;

    updateHigh((highScale * unchecked(HIGH_INVERSE[highCode])) >> 10, highCode);
    updateLow(lowCode >> 2);
    store<u8>(OUTPUT + <usize>i, <u8>((highCode << 6) | lowCode));
  }
  saveWindow(pairs);
}

/** Decodes `count` (<= BLOCK) bytes at INPUT into int16 sample pairs at OUTPUT. */
export function decode(count: i32): void {
  loadWindow();
  for (let i = 0; i < count; i++) {
    const code = <i32>load<u8>(INPUT + <usize>i);
    const lowCode = code & 0x3f;
    const highCode = code >> 6;
    const lowOut = clamp(((get(SCALE) * unchecked(LOW_INVERSE_6[lowCode])) >> 10) + get(PREDICTED), -16384, 16383);
    updateLow(lowCode >> 2);
    const highDifference = (get(HIGH_BAND + SCALE) * unchecked(HIGH_INVERSE[highCode])) >> 10;
    const highOut = clamp(highDifference + get(HIGH_BAND + PREDICTED), -16384, 16383);
    updateHigh(highDifference, highCode);
    store<i32>(WINDOW + (<usize>(22 + 2 * i) << 2), lowOut + highOut);
    store<i32>(WINDOW + (<usize>(23 + 2 * i) << 2), lowOut - highOut);
    const at = OUTPUT + (<usize>i << 2);
    store<i16>(at, <i16>clamp(qmfOdd(2 * i) >> 11, -32768, 32767));
    store<i16>(at, <i16>clamp(qmfEven(2 * i) >> 11, -32768, 32767), 2);
  }
  saveWindow(count);
}
