import { assertBytes, assertPcm16 } from "../validate.ts";
import { applyQmf, G722Band, HIGH_INVERSE, LOW_INVERSE_6 } from "./g722-band.ts";

/** Low band quantiser decision levels (ITU Q6, positive half), compared against |e| scaled by the step size. */
const LOW_DECISION = new Int16Array([
  35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458,
  1612, 1765, 1980, 2195, 2557, 2919,
]);

const HISTORY_FRAMES = 256;
const WINDOW = 24;

/** A sliding QMF history: 22 previous samples + room for new pairs; slides back when full (no per-call allocation). */
class QmfHistory {
  readonly samples = new Int32Array(WINDOW + 2 * HISTORY_FRAMES);
  position = WINDOW - 2;

  push(first: number, second: number): number {
    if (this.position + 2 > this.samples.length) {
      this.samples.copyWithin(0, this.position - (WINDOW - 2), this.position);
      this.position = WINDOW - 2;
    }
    this.samples[this.position++] = first;
    this.samples[this.position++] = second;
    return this.position - WINDOW;
  }

  reset(): void {
    this.samples.fill(0);
    this.position = WINDOW - 2;
  }
}

function readSample(pcm: Uint8Array, index: number): number {
  return ((pcm[2 * index] | (pcm[2 * index + 1] << 8)) << 16) >> 16;
}

function clampInt16(value: number): number {
  return Math.min(Math.max(value, -32768), 32767);
}

/**
 * G.722 encoder, 64 kbit/s: 16 kHz PCM16 little-endian in, one byte per two samples out ((high 2 bits << 6) | low 6 bits).
 * Stateful: encode a call frame by frame with one instance; any chunking gives the same bytes as one call. An odd
 * sample at the end of a chunk is held until the next call (dropped by `reset`).
 */
export class G722Encoder {
  private readonly low = new G722Band(8);
  private readonly high = new G722Band(2);
  private readonly history = new QmfHistory();
  private readonly qmf = new Int32Array(2);
  private pending: number | undefined;

  /** Encodes PCM16 (16 kHz mono). Odd byte length ⇒ `InvalidArgumentError`, state untouched. */
  encode(pcm16k: Uint8Array): Uint8Array {
    assertPcm16(pcm16k, "pcm16k");
    const count = pcm16k.byteLength >> 1;
    const hasPending = this.pending !== undefined;
    const out = new Uint8Array((count + (hasPending ? 1 : 0)) >> 1);
    let read = 0;
    let written = 0;
    if (hasPending && count > 0) {
      out[written++] = this.encodePair(this.pending as number, readSample(pcm16k, 0));
      this.pending = undefined;
      read = 1;
    }
    for (; read + 1 < count; read += 2) {
      out[written++] = this.encodePair(readSample(pcm16k, read), readSample(pcm16k, read + 1));
    }
    if (read < count) this.pending = readSample(pcm16k, read);
    return out;
  }

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.history.reset();
    this.pending = undefined;
  }

  private encodePair(first: number, second: number): number {
    const start = this.history.push(first, second);
    applyQmf(this.history.samples, start, this.qmf);
    const lowInput = (this.qmf[0] + this.qmf[1]) >> 14;
    const highInput = (this.qmf[0] - this.qmf[1]) >> 14;
    const high = this.high;
    const low = this.low;

    // High band: 2-bit quantiser with a single decision level 564/4096 · det.
    const highError = clampInt16(highInput - high.predicted);
    const highMagnitude = highError < 0 ? -highError - 1 : highError;
    const highLevel = (141 * high.scale) >> 8;
    const highCode = (highMagnitude < highLevel ? 1 : 0) + (highError >= 0 ? 2 : 0);

    // Low band: 6-bit quantiser over 30 decision intervals.
    const lowError = clampInt16(lowInput - low.predicted);
    const lowMagnitude = ((lowError < 0 ? -lowError - 1 : lowError) + 1) << 10;
    // The decision levels increase, so the interval index is the count of levels below |e|: a binary search.
    const lowScale = low.scale;
    let below = 0;
    let above = 29;
    while (below < above) {
      const middle = (below + above) >> 1;
      if (lowMagnitude > LOW_DECISION[middle] * lowScale) below = middle + 1;
      else above = middle;
    }
    const interval = below;
    const lowCode = (lowError < 0 ? (interval < 2 ? 63 : 33) : 61) - interval;

    high.updateHigh((high.scale * HIGH_INVERSE[highCode]) >> 10, highCode);
    low.updateLow(lowCode >> 2);
    return (highCode << 6) | lowCode;
  }
}

/**
 * G.722 decoder, 64 kbit/s: one byte in, two 16 kHz PCM16 samples out. Stateful across calls; keep one instance per
 * direction per call.
 */
export class G722Decoder {
  private readonly low = new G722Band(8);
  private readonly high = new G722Band(2);
  private readonly history = new QmfHistory();
  private readonly qmf = new Int32Array(2);

  decode(bytes: Uint8Array): Uint8Array {
    assertBytes(bytes, "bytes");
    const samples = new Int16Array(bytes.byteLength * 2);
    const low = this.low;
    const high = this.high;
    for (let i = 0, j = 0; i < bytes.byteLength; i++, j += 2) {
      const code = bytes[i];
      const lowCode = code & 0x3f;
      const highCode = code >> 6;
      const lowOut = Math.min(Math.max(((low.scale * LOW_INVERSE_6[lowCode]) >> 10) + low.predicted, -16384), 16383);
      low.updateLow(lowCode >> 2);
      const highDifference = (high.scale * HIGH_INVERSE[highCode]) >> 10;
      const highOut = Math.min(Math.max(highDifference + high.predicted, -16384), 16383);
      high.updateHigh(highDifference, highCode);
      const start = this.history.push(lowOut + highOut, lowOut - highOut);
      applyQmf(this.history.samples, start, this.qmf);
      samples[j] = clampInt16(this.qmf[0] >> 11);
      samples[j + 1] = clampInt16(this.qmf[1] >> 11);
    }
    return new Uint8Array(samples.buffer);
  }

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.history.reset();
  }
}
