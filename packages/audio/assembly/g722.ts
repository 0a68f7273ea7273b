// G.722 64 kbit/s encoder and decoder kernels in AssemblyScript, compiled to WebAssembly by scripts/build-wasm.ts
// (the same arithmetic as src/codecs/g722.ts and g722-band.ts, which stay as the JavaScript fallback; both are checked
// bit-exact against ffmpeg). The JavaScript side copies one codec's state in, runs a block, and copies the state out:
// nothing in this module's memory belongs to a codec between calls.

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

/**
 * The 24-tap QMF over the window at `s` (ITU Table 11 coefficients in window order), four taps per SIMD multiply: the
 * lanes hold positions 0, 1, 2, 3 mod 4, so lanes 0 + 2 sum the even positions and lanes 1 + 3 the odd ones.
 */
@inline function qmf(s: i32): v128 {
  const at = WINDOW + (<usize>s << 2);
  let sum = i32x4.mul(v128.load(at), i32x4(3, -11, -11, 53));
  sum = i32x4.add(sum, i32x4.mul(v128.load(at, 16), i32x4(12, -156, 32, 362)));
  sum = i32x4.add(sum, i32x4.mul(v128.load(at, 32), i32x4(-210, -805, 951, 3876)));
  sum = i32x4.add(sum, i32x4.mul(v128.load(at, 48), i32x4(3876, 951, -805, -210)));
  sum = i32x4.add(sum, i32x4.mul(v128.load(at, 64), i32x4(362, 32, -156, 12)));
  return i32x4.add(sum, i32x4.mul(v128.load(at, 80), i32x4(53, -11, -11, 3)));
}

@inline function loadWindow(): void {
  memory.copy(WINDOW, STATE + (<usize>QMF_PREVIOUS << 2), 22 * 4);
}
@inline function saveWindow(pairs: i32): void {
  memory.copy(STATE + (<usize>QMF_PREVIOUS << 2), WINDOW + (<usize>(2 * pairs) << 2), 22 * 4);
}

/** Encodes `pairs` (<= BLOCK) int16 sample pairs at INPUT into bytes at OUTPUT. State lives in locals meanwhile. */
export function encode(pairs: i32): void {
  loadWindow();
  let PL = get(0);
  let ZL = get(1);
  let SCL = get(2);
  let LGL = get(3);
  let S1L = get(4);
  let S2L = get(5);
  let RL = get(6);
  let A1L = get(7);
  let A2L = get(8);
  let D0L = get(9);
  let D1L = get(10);
  let D2L = get(11);
  let D3L = get(12);
  let D4L = get(13);
  let D5L = get(14);
  let B0L = get(15);
  let B1L = get(16);
  let B2L = get(17);
  let B3L = get(18);
  let B4L = get(19);
  let B5L = get(20);
  let PH = get(21);
  let ZH = get(22);
  let SCH = get(23);
  let LGH = get(24);
  let S1H = get(25);
  let S2H = get(26);
  let RH = get(27);
  let A1H = get(28);
  let A2H = get(29);
  let D0H = get(30);
  let D1H = get(31);
  let D2H = get(32);
  let D3H = get(33);
  let D4H = get(34);
  let D5H = get(35);
  let B0H = get(36);
  let B1H = get(37);
  let B2H = get(38);
  let B3H = get(39);
  let B4H = get(40);
  let B5H = get(41);
  for (let i = 0; i < pairs; i++) {
    const at = INPUT + (<usize>i << 2);
    store<i32>(WINDOW + (<usize>(22 + 2 * i) << 2), <i32>load<i16>(at));
    store<i32>(WINDOW + (<usize>(23 + 2 * i) << 2), <i32>load<i16>(at, 2));
    const sums = qmf(2 * i);
    const even = i32x4.extract_lane(sums, 0) + i32x4.extract_lane(sums, 2);
    const odd = i32x4.extract_lane(sums, 1) + i32x4.extract_lane(sums, 3);
    const lowInput = (odd + even) >> 14;
    const highInput = (odd - even) >> 14;

    const highError = clamp(highInput - PH, -32768, 32767);
    const highMagnitude = highError < 0 ? -highError - 1 : highError;
    const highCode = (highMagnitude < (141 * SCH) >> 8 ? 1 : 0) + (highError >= 0 ? 2 : 0);

    const lowError = clamp(lowInput - PL, -32768, 32767);
    const lowMagnitude = ((lowError < 0 ? -lowError - 1 : lowError) + 1) << 10;
    // The interval index is the count of decision levels below |e|: all 29 compared at once (padded to 32 with
    // copies of the last level, so the count is capped at 29). The scaled levels do not depend on |e|.
    const scale = i32x4.splat(SCL);
    const magnitude = i32x4.splat(lowMagnitude);
    let below4 = i32x4.add(
      i32x4.gt_s(magnitude, i32x4.mul(scale, i32x4(35, 72, 110, 150))),
      i32x4.gt_s(magnitude, i32x4.mul(scale, i32x4(190, 233, 276, 323))),
    );
    below4 = i32x4.add(below4, i32x4.gt_s(magnitude, i32x4.mul(scale, i32x4(370, 422, 473, 530))));
    below4 = i32x4.add(below4, i32x4.gt_s(magnitude, i32x4.mul(scale, i32x4(587, 650, 714, 786))));
    below4 = i32x4.add(below4, i32x4.gt_s(magnitude, i32x4.mul(scale, i32x4(858, 940, 1023, 1121))));
    below4 = i32x4.add(below4, i32x4.gt_s(magnitude, i32x4.mul(scale, i32x4(1219, 1339, 1458, 1612))));
    below4 = i32x4.add(below4, i32x4.gt_s(magnitude, i32x4.mul(scale, i32x4(1765, 1980, 2195, 2557))));
    below4 = i32x4.add(below4, i32x4.gt_s(magnitude, i32x4.mul(scale, i32x4(2919, 2919, 2919, 2919))));
    const below = min(
      -(i32x4.extract_lane(below4, 0) + i32x4.extract_lane(below4, 1) + i32x4.extract_lane(below4, 2) +
        i32x4.extract_lane(below4, 3)),
      29,
    );
    const lowCode = (lowError < 0 ? (below < 2 ? 63 : 33) : 61) - below;

    const dHigh = (SCH * unchecked(HIGH_INVERSE[highCode])) >> 10;
    // -- adaptive predictor (ITU block 4) of the high band, difference dHigh
    {
      const sign = (ZH + dHigh) >>> 31;
      const p1 = ((sign ^ S1H) << 1) - 1;
      const p2 = 1 - ((sign ^ S2H) << 1);
      S2H = S1H;
      S1H = sign;
      const pole2 = clamp(((p1 * clamp(A1H, -8191, 8191)) >> 5) + p2 * 128 + ((A2H * 127) >> 7), -12288, 12288);
      const limit = 15360 - pole2;
      A1H = clamp(-192 * p1 + ((A1H * 255) >> 8), -limit, limit);
      A2H = pole2;
      const step = dHigh == 0 ? 0 : 128;
      const incoming = dHigh * 2;
      let m = (D5H ^ dHigh) >> 31;
      B5H = ((B5H * 255) >> 8) + ((step ^ m) - m);
      m = (D4H ^ dHigh) >> 31;
      B4H = ((B4H * 255) >> 8) + ((step ^ m) - m);
      m = (D3H ^ dHigh) >> 31;
      B3H = ((B3H * 255) >> 8) + ((step ^ m) - m);
      m = (D2H ^ dHigh) >> 31;
      B2H = ((B2H * 255) >> 8) + ((step ^ m) - m);
      m = (D1H ^ dHigh) >> 31;
      B1H = ((B1H * 255) >> 8) + ((step ^ m) - m);
      m = (D0H ^ dHigh) >> 31;
      B0H = ((B0H * 255) >> 8) + ((step ^ m) - m);
      D5H = D4H;
      D4H = D3H;
      D3H = D2H;
      D2H = D1H;
      D1H = D0H;
      D0H = incoming;
      ZH = ((D0H * B0H) >> 15) + ((D1H * B1H) >> 15) + ((D2H * B2H) >> 15) + ((D3H * B3H) >> 15) +
        ((D4H * B4H) >> 15) + ((D5H * B5H) >> 15);
      const reconstructed = clamp((PH + dHigh) * 2, -32768, 32767);
      PH = clamp(ZH + ((A1H * reconstructed) >> 15) + ((A2H * RH) >> 15), -32768, 32767);
      RH = reconstructed;
    }
    LGH = clamp(((LGH * 127) >> 7) + unchecked(HIGH_LOG_STEP[highCode & 1]), 0, 22528);
    SCH = linearScale(LGH, 10);
    const code4 = lowCode >> 2;
    const dLow = (SCL * unchecked(LOW_INVERSE_4[code4])) >> 10;
    // -- adaptive predictor (ITU block 4) of the low band, difference dLow
    {
      const sign = (ZL + dLow) >>> 31;
      const p1 = ((sign ^ S1L) << 1) - 1;
      const p2 = 1 - ((sign ^ S2L) << 1);
      S2L = S1L;
      S1L = sign;
      const pole2 = clamp(((p1 * clamp(A1L, -8191, 8191)) >> 5) + p2 * 128 + ((A2L * 127) >> 7), -12288, 12288);
      const limit = 15360 - pole2;
      A1L = clamp(-192 * p1 + ((A1L * 255) >> 8), -limit, limit);
      A2L = pole2;
      const step = dLow == 0 ? 0 : 128;
      const incoming = dLow * 2;
      let m = (D5L ^ dLow) >> 31;
      B5L = ((B5L * 255) >> 8) + ((step ^ m) - m);
      m = (D4L ^ dLow) >> 31;
      B4L = ((B4L * 255) >> 8) + ((step ^ m) - m);
      m = (D3L ^ dLow) >> 31;
      B3L = ((B3L * 255) >> 8) + ((step ^ m) - m);
      m = (D2L ^ dLow) >> 31;
      B2L = ((B2L * 255) >> 8) + ((step ^ m) - m);
      m = (D1L ^ dLow) >> 31;
      B1L = ((B1L * 255) >> 8) + ((step ^ m) - m);
      m = (D0L ^ dLow) >> 31;
      B0L = ((B0L * 255) >> 8) + ((step ^ m) - m);
      D5L = D4L;
      D4L = D3L;
      D3L = D2L;
      D2L = D1L;
      D1L = D0L;
      D0L = incoming;
      ZL = ((D0L * B0L) >> 15) + ((D1L * B1L) >> 15) + ((D2L * B2L) >> 15) + ((D3L * B3L) >> 15) +
        ((D4L * B4L) >> 15) + ((D5L * B5L) >> 15);
      const reconstructed = clamp((PL + dLow) * 2, -32768, 32767);
      PL = clamp(ZL + ((A1L * reconstructed) >> 15) + ((A2L * RL) >> 15), -32768, 32767);
      RL = reconstructed;
    }
    LGL = clamp(((LGL * 127) >> 7) + unchecked(LOW_LOG_STEP[code4]), 0, 18432);
    SCL = linearScale(LGL, 8);
    store<u8>(OUTPUT + <usize>i, <u8>((highCode << 6) | lowCode));
  }
  set(0, PL);
  set(1, ZL);
  set(2, SCL);
  set(3, LGL);
  set(4, S1L);
  set(5, S2L);
  set(6, RL);
  set(7, A1L);
  set(8, A2L);
  set(9, D0L);
  set(10, D1L);
  set(11, D2L);
  set(12, D3L);
  set(13, D4L);
  set(14, D5L);
  set(15, B0L);
  set(16, B1L);
  set(17, B2L);
  set(18, B3L);
  set(19, B4L);
  set(20, B5L);
  set(21, PH);
  set(22, ZH);
  set(23, SCH);
  set(24, LGH);
  set(25, S1H);
  set(26, S2H);
  set(27, RH);
  set(28, A1H);
  set(29, A2H);
  set(30, D0H);
  set(31, D1H);
  set(32, D2H);
  set(33, D3H);
  set(34, D4H);
  set(35, D5H);
  set(36, B0H);
  set(37, B1H);
  set(38, B2H);
  set(39, B3H);
  set(40, B4H);
  set(41, B5H);
  saveWindow(pairs);
}

/** Decodes `count` (<= BLOCK) bytes at INPUT into int16 sample pairs at OUTPUT. State lives in locals meanwhile. */
export function decode(count: i32): void {
  loadWindow();
  let PL = get(0);
  let ZL = get(1);
  let SCL = get(2);
  let LGL = get(3);
  let S1L = get(4);
  let S2L = get(5);
  let RL = get(6);
  let A1L = get(7);
  let A2L = get(8);
  let D0L = get(9);
  let D1L = get(10);
  let D2L = get(11);
  let D3L = get(12);
  let D4L = get(13);
  let D5L = get(14);
  let B0L = get(15);
  let B1L = get(16);
  let B2L = get(17);
  let B3L = get(18);
  let B4L = get(19);
  let B5L = get(20);
  let PH = get(21);
  let ZH = get(22);
  let SCH = get(23);
  let LGH = get(24);
  let S1H = get(25);
  let S2H = get(26);
  let RH = get(27);
  let A1H = get(28);
  let A2H = get(29);
  let D0H = get(30);
  let D1H = get(31);
  let D2H = get(32);
  let D3H = get(33);
  let D4H = get(34);
  let D5H = get(35);
  let B0H = get(36);
  let B1H = get(37);
  let B2H = get(38);
  let B3H = get(39);
  let B4H = get(40);
  let B5H = get(41);
  for (let i = 0; i < count; i++) {
    const code = <i32>load<u8>(INPUT + <usize>i);
    const lowCode = code & 0x3f;
    const highCode = code >> 6;
    const lowOut = clamp(((SCL * unchecked(LOW_INVERSE_6[lowCode])) >> 10) + PL, -16384, 16383);
    const code4 = lowCode >> 2;
    const dLow = (SCL * unchecked(LOW_INVERSE_4[code4])) >> 10;
    // -- adaptive predictor (ITU block 4) of the low band, difference dLow
    {
      const sign = (ZL + dLow) >>> 31;
      const p1 = ((sign ^ S1L) << 1) - 1;
      const p2 = 1 - ((sign ^ S2L) << 1);
      S2L = S1L;
      S1L = sign;
      const pole2 = clamp(((p1 * clamp(A1L, -8191, 8191)) >> 5) + p2 * 128 + ((A2L * 127) >> 7), -12288, 12288);
      const limit = 15360 - pole2;
      A1L = clamp(-192 * p1 + ((A1L * 255) >> 8), -limit, limit);
      A2L = pole2;
      const step = dLow == 0 ? 0 : 128;
      const incoming = dLow * 2;
      let m = (D5L ^ dLow) >> 31;
      B5L = ((B5L * 255) >> 8) + ((step ^ m) - m);
      m = (D4L ^ dLow) >> 31;
      B4L = ((B4L * 255) >> 8) + ((step ^ m) - m);
      m = (D3L ^ dLow) >> 31;
      B3L = ((B3L * 255) >> 8) + ((step ^ m) - m);
      m = (D2L ^ dLow) >> 31;
      B2L = ((B2L * 255) >> 8) + ((step ^ m) - m);
      m = (D1L ^ dLow) >> 31;
      B1L = ((B1L * 255) >> 8) + ((step ^ m) - m);
      m = (D0L ^ dLow) >> 31;
      B0L = ((B0L * 255) >> 8) + ((step ^ m) - m);
      D5L = D4L;
      D4L = D3L;
      D3L = D2L;
      D2L = D1L;
      D1L = D0L;
      D0L = incoming;
      ZL = ((D0L * B0L) >> 15) + ((D1L * B1L) >> 15) + ((D2L * B2L) >> 15) + ((D3L * B3L) >> 15) +
        ((D4L * B4L) >> 15) + ((D5L * B5L) >> 15);
      const reconstructed = clamp((PL + dLow) * 2, -32768, 32767);
      PL = clamp(ZL + ((A1L * reconstructed) >> 15) + ((A2L * RL) >> 15), -32768, 32767);
      RL = reconstructed;
    }
    LGL = clamp(((LGL * 127) >> 7) + unchecked(LOW_LOG_STEP[code4]), 0, 18432);
    SCL = linearScale(LGL, 8);
    const dHigh = (SCH * unchecked(HIGH_INVERSE[highCode])) >> 10;
    const highOut = clamp(dHigh + PH, -16384, 16383);
    // -- adaptive predictor (ITU block 4) of the high band, difference dHigh
    {
      const sign = (ZH + dHigh) >>> 31;
      const p1 = ((sign ^ S1H) << 1) - 1;
      const p2 = 1 - ((sign ^ S2H) << 1);
      S2H = S1H;
      S1H = sign;
      const pole2 = clamp(((p1 * clamp(A1H, -8191, 8191)) >> 5) + p2 * 128 + ((A2H * 127) >> 7), -12288, 12288);
      const limit = 15360 - pole2;
      A1H = clamp(-192 * p1 + ((A1H * 255) >> 8), -limit, limit);
      A2H = pole2;
      const step = dHigh == 0 ? 0 : 128;
      const incoming = dHigh * 2;
      let m = (D5H ^ dHigh) >> 31;
      B5H = ((B5H * 255) >> 8) + ((step ^ m) - m);
      m = (D4H ^ dHigh) >> 31;
      B4H = ((B4H * 255) >> 8) + ((step ^ m) - m);
      m = (D3H ^ dHigh) >> 31;
      B3H = ((B3H * 255) >> 8) + ((step ^ m) - m);
      m = (D2H ^ dHigh) >> 31;
      B2H = ((B2H * 255) >> 8) + ((step ^ m) - m);
      m = (D1H ^ dHigh) >> 31;
      B1H = ((B1H * 255) >> 8) + ((step ^ m) - m);
      m = (D0H ^ dHigh) >> 31;
      B0H = ((B0H * 255) >> 8) + ((step ^ m) - m);
      D5H = D4H;
      D4H = D3H;
      D3H = D2H;
      D2H = D1H;
      D1H = D0H;
      D0H = incoming;
      ZH = ((D0H * B0H) >> 15) + ((D1H * B1H) >> 15) + ((D2H * B2H) >> 15) + ((D3H * B3H) >> 15) +
        ((D4H * B4H) >> 15) + ((D5H * B5H) >> 15);
      const reconstructed = clamp((PH + dHigh) * 2, -32768, 32767);
      PH = clamp(ZH + ((A1H * reconstructed) >> 15) + ((A2H * RH) >> 15), -32768, 32767);
      RH = reconstructed;
    }
    LGH = clamp(((LGH * 127) >> 7) + unchecked(HIGH_LOG_STEP[highCode & 1]), 0, 22528);
    SCH = linearScale(LGH, 10);
    store<i32>(WINDOW + (<usize>(22 + 2 * i) << 2), lowOut + highOut);
    store<i32>(WINDOW + (<usize>(23 + 2 * i) << 2), lowOut - highOut);
    const at = OUTPUT + (<usize>i << 2);
    const sums = qmf(2 * i);
    const even = i32x4.extract_lane(sums, 0) + i32x4.extract_lane(sums, 2);
    const odd = i32x4.extract_lane(sums, 1) + i32x4.extract_lane(sums, 3);
    store<i16>(at, <i16>clamp(odd >> 11, -32768, 32767));
    store<i16>(at, <i16>clamp(even >> 11, -32768, 32767), 2);
  }
  set(0, PL);
  set(1, ZL);
  set(2, SCL);
  set(3, LGL);
  set(4, S1L);
  set(5, S2L);
  set(6, RL);
  set(7, A1L);
  set(8, A2L);
  set(9, D0L);
  set(10, D1L);
  set(11, D2L);
  set(12, D3L);
  set(13, D4L);
  set(14, D5L);
  set(15, B0L);
  set(16, B1L);
  set(17, B2L);
  set(18, B3L);
  set(19, B4L);
  set(20, B5L);
  set(21, PH);
  set(22, ZH);
  set(23, SCH);
  set(24, LGH);
  set(25, S1H);
  set(26, S2H);
  set(27, RH);
  set(28, A1H);
  set(29, A2H);
  set(30, D0H);
  set(31, D1H);
  set(32, D2H);
  set(33, D3H);
  set(34, D4H);
  set(35, D5H);
  set(36, B0H);
  set(37, B1H);
  set(38, B2H);
  set(39, B3H);
  set(40, B4H);
  set(41, B5H);
  saveWindow(count);
}
