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

/** The low band quantiser's decision levels (ITU Q6, positive half), padded to 32 with copies of the last. */
const LOW_LEVELS: StaticArray<i32> = [
  35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 2919, 2919, 2919,
];
/**
 * Step sizes by log step size >> 6 (linearScale depends on nothing else; the log step size is at most 18432 in the
 * low band and 22528 in the high band), and the low band's 32 levels times each low band step size. A codec's step
 * size always equals the table's entry for its log step size (both start at 0 and 8 or 2, and change together).
 */
const LOW_SCALE = memory.data((18432 / 64 + 1) * 4, 16);
const HIGH_SCALE = memory.data((22528 / 64 + 1) * 4, 16);
const LOW_SCALED_LEVELS = memory.data((18432 / 64 + 1) * 32 * 4, 16);
for (let index = 0; index <= 18432 / 64; index++) {
  const scale = linearScale(index << 6, 8);
  store<i32>(LOW_SCALE + (<usize>index << 2), scale);
  for (let level = 0; level < 32; level++) {
    store<i32>(LOW_SCALED_LEVELS + (<usize>(index * 32 + level) << 2), scale * unchecked(LOW_LEVELS[level]));
  }
}
for (let index = 0; index <= 22528 / 64; index++) store<i32>(HIGH_SCALE + (<usize>index << 2), linearScale(index << 6, 10));

/** Sample pairs (encoder) or bytes (decoder) per call. */
export const BLOCK: i32 = 2048;
/**
 * A codec's state, STATE_SLOTS int32 (the JavaScript side keeps it between calls): per band, as in g722-band.ts (low
 * band from slot 0, high band from 21): 0 predicted, 1 zero-section output, 2 step size, 3 log step size, 4 and 5 the
 * previous two signs, 6 previous reconstructed value, 7 and 8 pole coefficients, 9..14 differences, 15..20 zero
 * coefficients; then from slot 42 the 22 previous QMF inputs. encode and decode hold it in locals during a block.
 */
const QMF_PREVIOUS: i32 = 42;
export const STATE_SLOTS: i32 = 64;

const STATE = memory.data(STATE_SLOTS * 4, 16);
const INPUT = memory.data(BLOCK * 4 + 16, 16);
const OUTPUT = memory.data(BLOCK * 4 + 16, 16);
/** The QMF window as int16 (every value fits: PCM16 in the encoder, low ± high band outputs in the decoder). */
const WINDOW = memory.data((22 + 2 * BLOCK) * 2 + 16, 16);
/** The encoder's band inputs per pair (low, high), from the QMF pass before the ADPCM pass. */
const BANDS = memory.data(BLOCK * 8 + 16, 16);

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

/**
 * The 24-tap QMF (ITU Table 11 coefficients in window order) over the int16 window from position `s`, eight taps per
 * dot product: returns partial sums (even, even, odd, odd), each pair adding up to the even- or odd-position sum.
 */
@inline function qmf(s: i32): v128 {
  const at = WINDOW + (<usize>s << 1);
  const x0 = v128.load(at);
  const x1 = v128.load(at, 16);
  const x2 = v128.load(at, 32);
  const even = i32x4.add(
    i32x4.add(
      i32x4.dot_i16x8_s(x0, i16x8(3, 0, -11, 0, 12, 0, 32, 0)),
      i32x4.dot_i16x8_s(x1, i16x8(-210, 0, 951, 0, 3876, 0, -805, 0)),
    ),
    i32x4.dot_i16x8_s(x2, i16x8(362, 0, -156, 0, 53, 0, -11, 0)),
  );
  const odd = i32x4.add(
    i32x4.add(
      i32x4.dot_i16x8_s(x0, i16x8(0, -11, 0, 53, 0, -156, 0, 362)),
      i32x4.dot_i16x8_s(x1, i16x8(0, -805, 0, 3876, 0, 951, 0, -210)),
    ),
    i32x4.dot_i16x8_s(x2, i16x8(0, 32, 0, 12, 0, -11, 0, 3)),
  );
  // (e0 + e2, e1 + e3, o0 + o2, o1 + o3)
  const halves = i32x4.add(
    i8x16.shuffle(even, odd, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23),
    i8x16.shuffle(even, odd, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31),
  );
  return halves;
}

/**
 * The QMF sums of the two sample pairs whose windows start at `s` and `s + 2`: (even, odd, next even, next odd). The
 * window must hold two values beyond the second pair's (they only reach the last two lanes).
 */
@inline function qmfTwo(s: i32): v128 {
  const first = qmf(s);
  const second = qmf(s + 2);
  return i32x4.add(
    i8x16.shuffle(first, second, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27),
    i8x16.shuffle(first, second, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31),
  );
}

/** The sum of the four lanes. */
@inline function laneSum(value: v128): i32 {
  const halves = i32x4.add(value, i8x16.shuffle(value, value, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  return i32x4.extract_lane(i32x4.add(halves, i8x16.shuffle(halves, halves, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3)), 0);
}

@inline function loadWindow(): void {
  for (let k = 0; k < 22; k++) store<i16>(WINDOW + (<usize>k << 1), <i16>get(QMF_PREVIOUS + k));
}
@inline function saveWindow(pairs: i32): void {
  const from = WINDOW + (<usize>(2 * pairs) << 1);
  for (let k = 0; k < 22; k++) set(QMF_PREVIOUS + k, <i32>load<i16>(from + (<usize>k << 1)));
}

/** Encodes `pairs` (<= BLOCK) int16 sample pairs at INPUT into bytes at OUTPUT. State lives in locals meanwhile. */
export function encode(pairs: i32): void {
  loadWindow();
  memory.copy(WINDOW + 44, INPUT, <usize>pairs << 2);
  // Two pairs at a time (an odd last pair also writes a spare one); per pair (low, high) = (odd + even, odd - even) >> 14.
  for (let i = 0; i < pairs; i += 2) {
    const sums = qmfTwo(2 * i);
    const swapped = i8x16.shuffle(sums, sums, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    const total = i32x4.add(sums, swapped);
    const difference = i32x4.sub(swapped, sums);
    const bands = i8x16.shuffle(total, difference, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    v128.store(BANDS + (<usize>i << 3), i32x4.shr_s(bands, 14));
  }
  let PL = get(0);
  let ZL = get(1);
  let SCL = get(2);
  let LGL = get(3);
  let S1L = get(4);
  let S2L = get(5);
  let RL = get(6);
  let A1L = get(7);
  let A2L = get(8);
  let DAL = v128.load(STATE + (9 << 2));
  let DBL = v128.and(v128.load(STATE + (13 << 2)), i32x4(-1, -1, 0, 0));
  let BAL = v128.load(STATE + (15 << 2));
  let BBL = v128.load(STATE + (19 << 2));
  let PH = get(21);
  let ZH = get(22);
  let SCH = get(23);
  let LGH = get(24);
  let S1H = get(25);
  let S2H = get(26);
  let RH = get(27);
  let A1H = get(28);
  let A2H = get(29);
  let DAH = v128.load(STATE + (30 << 2));
  let DBH = v128.and(v128.load(STATE + (34 << 2)), i32x4(-1, -1, 0, 0));
  let BAH = v128.load(STATE + (36 << 2));
  let BBH = v128.load(STATE + (40 << 2));
  for (let i = 0; i < pairs; i++) {
    const lowInput = load<i32>(BANDS + (<usize>i << 3));
    const highInput = load<i32>(BANDS + (<usize>i << 3), 4);

    const highError = clamp(highInput - PH, -32768, 32767);
    const highMagnitude = highError < 0 ? -highError - 1 : highError;
    const highCode = (highMagnitude < (141 * SCH) >> 8 ? 1 : 0) + (highError >= 0 ? 2 : 0);

    const lowError = clamp(lowInput - PL, -32768, 32767);
    const lowMagnitude = ((lowError < 0 ? -lowError - 1 : lowError) + 1) << 10;
    // The interval index is the count of decision levels below |e|: all 29 compared at once (padded to 32 with
    // copies of the last level, so the count is capped at 29), scaled by the step size from the table.
    const levels = LOW_SCALED_LEVELS + (<usize>(LGL >> 6) << 7);
    const magnitude = i32x4.splat(lowMagnitude);
    const below4 = i32x4.add(
      i32x4.add(
        i32x4.add(
          i32x4.gt_s(magnitude, v128.load(levels)),
          i32x4.gt_s(magnitude, v128.load(levels, 16)),
        ),
        i32x4.add(
          i32x4.gt_s(magnitude, v128.load(levels, 32)),
          i32x4.gt_s(magnitude, v128.load(levels, 48)),
        ),
      ),
      i32x4.add(
        i32x4.add(
          i32x4.gt_s(magnitude, v128.load(levels, 64)),
          i32x4.gt_s(magnitude, v128.load(levels, 80)),
        ),
        i32x4.add(
          i32x4.gt_s(magnitude, v128.load(levels, 96)),
          i32x4.gt_s(magnitude, v128.load(levels, 112)),
        ),
      ),
    );
    const below = min(-laneSum(below4), 29);
    const lowCode = (lowError < 0 ? (below < 2 ? 63 : 33) : 61) - below;

    const dHigh = (SCH * unchecked(HIGH_INVERSE[highCode])) >> 10;
    // -- adaptive predictor (ITU block 4) of the high band, difference dHigh
    {
      const sign = (ZH + dHigh) >>> 31;
      // p1 = +1 when the sign differs from the previous one, else -1; p2 = +1 when it equals the one before that.
      const differs1 = sign != S1H;
      const differs2 = sign != S2H;
      S2H = S1H;
      S1H = sign;
      const limited1 = clamp(A1H, -8191, 8191);
      const pole2 = clamp(
        (select<i32>(limited1, -limited1, differs1) >> 5) + select<i32>(-128, 128, differs2) + (((A2H << 7) - A2H) >> 7),
        -12288,
        12288,
      );
      const limit = 15360 - pole2;
      A1H = clamp(select<i32>(-192, 192, differs1) + (((A1H << 8) - A1H) >> 8), -limit, limit);
      A2H = pole2;
      const step = dHigh == 0 ? 0 : 128;
      // Zero section, six taps in two i32x4 (lanes 2 and 3 of the second: D zero, B unused): sign-sign update
      // with leakage against the old differences, then the difference history shifts in the new one.
      const difference = i32x4.splat(dHigh);
      const stepVector = i32x4.splat(step);
      const disagreeA = i32x4.shr_s(v128.xor(DAH, difference), 31);
      const disagreeB = i32x4.shr_s(v128.xor(DBH, difference), 31);
      BAH = i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.shl(BAH, 8), BAH), 8), i32x4.sub(v128.xor(stepVector, disagreeA), disagreeA));
      BBH = i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.shl(BBH, 8), BBH), 8), i32x4.sub(v128.xor(stepVector, disagreeB), disagreeB));
      DBH = i8x16.shuffle(DAH, DBH, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 29, 30, 31);
      DAH = i8x16.shuffle(i32x4.splat(dHigh * 2), DAH, 0, 1, 2, 3, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
      const products = i32x4.add(
        i32x4.shr_s(i32x4.mul(DAH, BAH), 15),
        i32x4.shr_s(i32x4.mul(DBH, BBH), 15),
      );
      ZH = laneSum(products);
      const reconstructed = clamp((PH + dHigh) * 2, -32768, 32767);
      PH = clamp(ZH + ((A1H * reconstructed) >> 15) + ((A2H * RH) >> 15), -32768, 32767);
      RH = reconstructed;
    }
    LGH = clamp((((LGH << 7) - LGH) >> 7) + unchecked(HIGH_LOG_STEP[highCode & 1]), 0, 22528);
    SCH = load<i32>(HIGH_SCALE + (<usize>(LGH >> 6) << 2));
    const code4 = lowCode >> 2;
    const dLow = (SCL * unchecked(LOW_INVERSE_4[code4])) >> 10;
    // -- adaptive predictor (ITU block 4) of the low band, difference dLow
    {
      const sign = (ZL + dLow) >>> 31;
      // p1 = +1 when the sign differs from the previous one, else -1; p2 = +1 when it equals the one before that.
      const differs1 = sign != S1L;
      const differs2 = sign != S2L;
      S2L = S1L;
      S1L = sign;
      const limited1 = clamp(A1L, -8191, 8191);
      const pole2 = clamp(
        (select<i32>(limited1, -limited1, differs1) >> 5) + select<i32>(-128, 128, differs2) + (((A2L << 7) - A2L) >> 7),
        -12288,
        12288,
      );
      const limit = 15360 - pole2;
      A1L = clamp(select<i32>(-192, 192, differs1) + (((A1L << 8) - A1L) >> 8), -limit, limit);
      A2L = pole2;
      const step = dLow == 0 ? 0 : 128;
      // Zero section, six taps in two i32x4 (lanes 2 and 3 of the second: D zero, B unused): sign-sign update
      // with leakage against the old differences, then the difference history shifts in the new one.
      const difference = i32x4.splat(dLow);
      const stepVector = i32x4.splat(step);
      const disagreeA = i32x4.shr_s(v128.xor(DAL, difference), 31);
      const disagreeB = i32x4.shr_s(v128.xor(DBL, difference), 31);
      BAL = i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.shl(BAL, 8), BAL), 8), i32x4.sub(v128.xor(stepVector, disagreeA), disagreeA));
      BBL = i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.shl(BBL, 8), BBL), 8), i32x4.sub(v128.xor(stepVector, disagreeB), disagreeB));
      DBL = i8x16.shuffle(DAL, DBL, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 29, 30, 31);
      DAL = i8x16.shuffle(i32x4.splat(dLow * 2), DAL, 0, 1, 2, 3, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
      const products = i32x4.add(
        i32x4.shr_s(i32x4.mul(DAL, BAL), 15),
        i32x4.shr_s(i32x4.mul(DBL, BBL), 15),
      );
      ZL = laneSum(products);
      const reconstructed = clamp((PL + dLow) * 2, -32768, 32767);
      PL = clamp(ZL + ((A1L * reconstructed) >> 15) + ((A2L * RL) >> 15), -32768, 32767);
      RL = reconstructed;
    }
    LGL = clamp((((LGL << 7) - LGL) >> 7) + unchecked(LOW_LOG_STEP[code4]), 0, 18432);
    SCL = load<i32>(LOW_SCALE + (<usize>(LGL >> 6) << 2));
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
  v128.store(STATE + (9 << 2), DAL);
  set(13, i32x4.extract_lane(DBL, 0));
  set(14, i32x4.extract_lane(DBL, 1));
  set(15, i32x4.extract_lane(BAL, 0));
  set(16, i32x4.extract_lane(BAL, 1));
  set(17, i32x4.extract_lane(BAL, 2));
  set(18, i32x4.extract_lane(BAL, 3));
  set(19, i32x4.extract_lane(BBL, 0));
  set(20, i32x4.extract_lane(BBL, 1));
  set(21, PH);
  set(22, ZH);
  set(23, SCH);
  set(24, LGH);
  set(25, S1H);
  set(26, S2H);
  set(27, RH);
  set(28, A1H);
  set(29, A2H);
  v128.store(STATE + (30 << 2), DAH);
  set(34, i32x4.extract_lane(DBH, 0));
  set(35, i32x4.extract_lane(DBH, 1));
  set(36, i32x4.extract_lane(BAH, 0));
  set(37, i32x4.extract_lane(BAH, 1));
  set(38, i32x4.extract_lane(BAH, 2));
  set(39, i32x4.extract_lane(BAH, 3));
  set(40, i32x4.extract_lane(BBH, 0));
  set(41, i32x4.extract_lane(BBH, 1));
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
  let DAL = v128.load(STATE + (9 << 2));
  let DBL = v128.and(v128.load(STATE + (13 << 2)), i32x4(-1, -1, 0, 0));
  let BAL = v128.load(STATE + (15 << 2));
  let BBL = v128.load(STATE + (19 << 2));
  let PH = get(21);
  let ZH = get(22);
  let SCH = get(23);
  let LGH = get(24);
  let S1H = get(25);
  let S2H = get(26);
  let RH = get(27);
  let A1H = get(28);
  let A2H = get(29);
  let DAH = v128.load(STATE + (30 << 2));
  let DBH = v128.and(v128.load(STATE + (34 << 2)), i32x4(-1, -1, 0, 0));
  let BAH = v128.load(STATE + (36 << 2));
  let BBH = v128.load(STATE + (40 << 2));
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
      // p1 = +1 when the sign differs from the previous one, else -1; p2 = +1 when it equals the one before that.
      const differs1 = sign != S1L;
      const differs2 = sign != S2L;
      S2L = S1L;
      S1L = sign;
      const limited1 = clamp(A1L, -8191, 8191);
      const pole2 = clamp(
        (select<i32>(limited1, -limited1, differs1) >> 5) + select<i32>(-128, 128, differs2) + (((A2L << 7) - A2L) >> 7),
        -12288,
        12288,
      );
      const limit = 15360 - pole2;
      A1L = clamp(select<i32>(-192, 192, differs1) + (((A1L << 8) - A1L) >> 8), -limit, limit);
      A2L = pole2;
      const step = dLow == 0 ? 0 : 128;
      // Zero section, six taps in two i32x4 (lanes 2 and 3 of the second: D zero, B unused): sign-sign update
      // with leakage against the old differences, then the difference history shifts in the new one.
      const difference = i32x4.splat(dLow);
      const stepVector = i32x4.splat(step);
      const disagreeA = i32x4.shr_s(v128.xor(DAL, difference), 31);
      const disagreeB = i32x4.shr_s(v128.xor(DBL, difference), 31);
      BAL = i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.shl(BAL, 8), BAL), 8), i32x4.sub(v128.xor(stepVector, disagreeA), disagreeA));
      BBL = i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.shl(BBL, 8), BBL), 8), i32x4.sub(v128.xor(stepVector, disagreeB), disagreeB));
      DBL = i8x16.shuffle(DAL, DBL, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 29, 30, 31);
      DAL = i8x16.shuffle(i32x4.splat(dLow * 2), DAL, 0, 1, 2, 3, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
      const products = i32x4.add(
        i32x4.shr_s(i32x4.mul(DAL, BAL), 15),
        i32x4.shr_s(i32x4.mul(DBL, BBL), 15),
      );
      ZL = laneSum(products);
      const reconstructed = clamp((PL + dLow) * 2, -32768, 32767);
      PL = clamp(ZL + ((A1L * reconstructed) >> 15) + ((A2L * RL) >> 15), -32768, 32767);
      RL = reconstructed;
    }
    LGL = clamp((((LGL << 7) - LGL) >> 7) + unchecked(LOW_LOG_STEP[code4]), 0, 18432);
    SCL = load<i32>(LOW_SCALE + (<usize>(LGL >> 6) << 2));
    const dHigh = (SCH * unchecked(HIGH_INVERSE[highCode])) >> 10;
    const highOut = clamp(dHigh + PH, -16384, 16383);
    // -- adaptive predictor (ITU block 4) of the high band, difference dHigh
    {
      const sign = (ZH + dHigh) >>> 31;
      // p1 = +1 when the sign differs from the previous one, else -1; p2 = +1 when it equals the one before that.
      const differs1 = sign != S1H;
      const differs2 = sign != S2H;
      S2H = S1H;
      S1H = sign;
      const limited1 = clamp(A1H, -8191, 8191);
      const pole2 = clamp(
        (select<i32>(limited1, -limited1, differs1) >> 5) + select<i32>(-128, 128, differs2) + (((A2H << 7) - A2H) >> 7),
        -12288,
        12288,
      );
      const limit = 15360 - pole2;
      A1H = clamp(select<i32>(-192, 192, differs1) + (((A1H << 8) - A1H) >> 8), -limit, limit);
      A2H = pole2;
      const step = dHigh == 0 ? 0 : 128;
      // Zero section, six taps in two i32x4 (lanes 2 and 3 of the second: D zero, B unused): sign-sign update
      // with leakage against the old differences, then the difference history shifts in the new one.
      const difference = i32x4.splat(dHigh);
      const stepVector = i32x4.splat(step);
      const disagreeA = i32x4.shr_s(v128.xor(DAH, difference), 31);
      const disagreeB = i32x4.shr_s(v128.xor(DBH, difference), 31);
      BAH = i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.shl(BAH, 8), BAH), 8), i32x4.sub(v128.xor(stepVector, disagreeA), disagreeA));
      BBH = i32x4.add(i32x4.shr_s(i32x4.sub(i32x4.shl(BBH, 8), BBH), 8), i32x4.sub(v128.xor(stepVector, disagreeB), disagreeB));
      DBH = i8x16.shuffle(DAH, DBH, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 29, 30, 31);
      DAH = i8x16.shuffle(i32x4.splat(dHigh * 2), DAH, 0, 1, 2, 3, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
      const products = i32x4.add(
        i32x4.shr_s(i32x4.mul(DAH, BAH), 15),
        i32x4.shr_s(i32x4.mul(DBH, BBH), 15),
      );
      ZH = laneSum(products);
      const reconstructed = clamp((PH + dHigh) * 2, -32768, 32767);
      PH = clamp(ZH + ((A1H * reconstructed) >> 15) + ((A2H * RH) >> 15), -32768, 32767);
      RH = reconstructed;
    }
    LGH = clamp((((LGH << 7) - LGH) >> 7) + unchecked(HIGH_LOG_STEP[highCode & 1]), 0, 22528);
    SCH = load<i32>(HIGH_SCALE + (<usize>(LGH >> 6) << 2));
    store<i16>(WINDOW + (<usize>(22 + 2 * i) << 1), <i16>(lowOut + highOut));
    store<i16>(WINDOW + (<usize>(23 + 2 * i) << 1), <i16>(lowOut - highOut));
  }
  // Two pairs at a time (an odd last pair also writes a spare one): (odd, even) >> 11, saturated to int16.
  for (let i = 0; i < count; i += 2) {
    const sums = i32x4.shr_s(qmfTwo(2 * i), 11);
    const samples = i8x16.shuffle(sums, sums, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    store<i64>(OUTPUT + (<usize>i << 2), i64x2.extract_lane(i16x8.narrow_i32x4_s(samples, samples), 0));
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
  v128.store(STATE + (9 << 2), DAL);
  set(13, i32x4.extract_lane(DBL, 0));
  set(14, i32x4.extract_lane(DBL, 1));
  set(15, i32x4.extract_lane(BAL, 0));
  set(16, i32x4.extract_lane(BAL, 1));
  set(17, i32x4.extract_lane(BAL, 2));
  set(18, i32x4.extract_lane(BAL, 3));
  set(19, i32x4.extract_lane(BBL, 0));
  set(20, i32x4.extract_lane(BBL, 1));
  set(21, PH);
  set(22, ZH);
  set(23, SCH);
  set(24, LGH);
  set(25, S1H);
  set(26, S2H);
  set(27, RH);
  set(28, A1H);
  set(29, A2H);
  v128.store(STATE + (30 << 2), DAH);
  set(34, i32x4.extract_lane(DBH, 0));
  set(35, i32x4.extract_lane(DBH, 1));
  set(36, i32x4.extract_lane(BAH, 0));
  set(37, i32x4.extract_lane(BAH, 1));
  set(38, i32x4.extract_lane(BAH, 2));
  set(39, i32x4.extract_lane(BAH, 3));
  set(40, i32x4.extract_lane(BBH, 0));
  set(41, i32x4.extract_lane(BBH, 1));
  saveWindow(count);
}
