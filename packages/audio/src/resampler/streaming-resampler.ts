import { InvalidArgumentError } from "@roomkit/spec";
import { assertPcm16, assertSupportedRate } from "../validate.ts";
import { designPolyphaseFilter, type PolyphaseFilter } from "./filter-design.ts";

export interface ResamplerOptions {
  fromRate: number;
  toRate: number;
}

/** Mono PCM16 little-endian sample-rate converter that keeps state across calls. */
export interface StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Group delay in output-rate samples: output sample k + delaySamples lines up with input time k. 0 for pass-through. */
  readonly delaySamples: number;
  /**
   * Converts the next chunk. Feeding a signal in chunks gives exactly the bytes of feeding it whole. An empty chunk
   * returns an empty result; an odd byte length throws `InvalidArgumentError` and leaves the state untouched.
   * Pass-through (equal rates) returns the input array itself.
   */
  process(pcm: Uint8Array): Uint8Array;
  /** Emits the delayed tail (`delaySamples` samples, the filter run out against silence) and resets the stream. */
  flush(): Uint8Array;
  /** Forgets all history: the next `process` starts a new stream. */
  reset(): void;
}

const EMPTY = new Uint8Array(0);
/** Inputs handled per inner block; bounds the history buffer (taps - 1 + BLOCK_SAMPLES doubles). */
const BLOCK_SAMPLES = 2048;

class PassThroughResampler implements StreamingResampler {
  readonly delaySamples = 0;
  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {}
  process(pcm: Uint8Array): Uint8Array {
    assertPcm16(pcm);
    return pcm;
  }
  flush(): Uint8Array {
    return EMPTY;
  }
  reset(): void {}
}

/** Polyphase windowed-sinc resampler (see filter-design.ts for the filter). */
class PolyphaseResampler implements StreamingResampler {
  readonly delaySamples: number;
  private readonly filter: PolyphaseFilter;
  private readonly stepWhole: number;
  private readonly stepFraction: number;
  /** The last `taps - 1` inputs of the previous call, followed by the current chunk (as float). */
  private readonly history: Float64Array;
  /** Index in `history` (relative to the current chunk's first sample) of the newest input the next output needs. */
  private newestInput = 0;
  /** Phase (0..up-1) of the next output. */
  private phase = 0;
  /** Totals since the last reset, used to size outputs and the flushed tail. */
  private inputTotal = 0;
  private outputTotal = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    this.filter = designPolyphaseFilter(fromRate, toRate);
    this.delaySamples = this.filter.delay;
    this.stepWhole = Math.floor(this.filter.down / this.filter.up);
    this.stepFraction = this.filter.down % this.filter.up;
    this.history = new Float64Array(this.filter.taps - 1 + BLOCK_SAMPLES);
  }

  process(pcm: Uint8Array): Uint8Array {
    assertPcm16(pcm);
    const count = pcm.byteLength >> 1;
    if (count === 0) return EMPTY;
    const { up, down } = this.filter;
    const keep = this.filter.taps - 1;
    const history = this.history;
    const result = new Int16Array(Math.max(Math.ceil(((this.inputTotal + count) * up) / down) - this.outputTotal, 0));
    // Work through the chunk in blocks of at most BLOCK_SAMPLES so the history buffer never grows.
    let written = 0;
    for (let offset = 0; offset < count; offset += BLOCK_SAMPLES) {
      const blockCount = Math.min(BLOCK_SAMPLES, count - offset);
      for (let i = 0, j = 2 * offset; i < blockCount; i++, j += 2) {
        history[keep + i] = ((pcm[j] | (pcm[j + 1] << 8)) << 16) >> 16;
      }
      this.inputTotal += blockCount;
      const outputs = Math.ceil((this.inputTotal * up) / down) - this.outputTotal;
      this.run(result, written, outputs, blockCount);
      written += outputs;
      this.outputTotal += outputs;
      history.copyWithin(0, blockCount, blockCount + keep);
    }
    return new Uint8Array(result.buffer);
  }

  /** Computes `outputs` samples into `result` from `written` on, from a history block holding `count` new inputs. */
  private run(result: Int16Array, written: number, outputs: number, count: number): void {
    const history = this.history;
    const coefficients = this.filter.coefficients;
    const taps = this.filter.taps;
    const up = this.filter.up;
    const unrolledEnd = taps - 3;
    const stepWhole = this.stepWhole;
    const stepFraction = this.stepFraction;
    let newest = this.newestInput;
    let phase = this.phase;
    const end = written + outputs;
    for (let k = written; k < end; k++) {
      // newest < count holds for every output counted by `process`.
      const base = phase * taps;
      let start = newest; // history[newest .. newest + taps - 1] are inputs newest-taps+1 .. newest (shifted by keep)
      let acc0 = 0;
      let acc1 = 0;
      let acc2 = 0;
      let acc3 = 0;
      let t = 0;
      // Four independent accumulators let the JIT overlap the multiply-adds.
      for (; t < unrolledEnd; t += 4, start += 4) {
        acc0 += coefficients[base + t] * history[start];
        acc1 += coefficients[base + t + 1] * history[start + 1];
        acc2 += coefficients[base + t + 2] * history[start + 2];
        acc3 += coefficients[base + t + 3] * history[start + 3];
      }
      for (; t < taps; t++, start++) acc0 += coefficients[base + t] * history[start];
      const value = Math.round(acc0 + acc1 + acc2 + acc3);
      result[k] = Math.min(Math.max(value, -32768), 32767);
      phase += stepFraction;
      newest += stepWhole;
      if (phase >= up) {
        phase -= up;
        newest++;
      }
    }
    this.newestInput = newest - count;
    this.phase = phase;
  }

  flush(): Uint8Array {
    const { up, down } = this.filter;
    const wanted = Math.ceil((this.inputTotal * up) / down) + this.delaySamples - this.outputTotal;
    if (this.inputTotal === 0 || wanted <= 0) {
      this.reset();
      return EMPTY;
    }
    const zeros = Math.ceil((wanted * down) / up) + 1;
    const tail = this.process(new Uint8Array(zeros * 2));
    this.reset();
    return tail.subarray(0, wanted * 2);
  }

  reset(): void {
    this.history.fill(0);
    this.newestInput = 0;
    this.phase = 0;
    this.inputTotal = 0;
    this.outputTotal = 0;
  }
}

/**
 * Creates a streaming resampler for mono PCM16 between any two of 8000, 16000, 22050, 24000, 32000, 44100 and
 * 48000 Hz. Equal rates give a pass-through. Unsupported rates throw `InvalidArgumentError`.
 */
export function createResampler(options: ResamplerOptions): StreamingResampler {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("createResampler needs { fromRate, toRate }");
  }
  assertSupportedRate(options.fromRate, "fromRate");
  assertSupportedRate(options.toRate, "toRate");
  if (options.fromRate === options.toRate) return new PassThroughResampler(options.fromRate, options.toRate);
  return new PolyphaseResampler(options.fromRate, options.toRate);
}
