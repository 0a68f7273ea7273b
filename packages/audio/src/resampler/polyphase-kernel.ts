import type { PolyphaseFilter } from "./filter-design.ts";

/**
 * The inner loop of the polyphase resampler for one stream: keeps the last `taps - 1` inputs, the phase of the next
 * output and the index of its first input, and computes outputs block by block.
 */
export interface PolyphaseKernel {
  /** Largest `count` one `block` call takes (bounds the kernel's buffers); a block makes at most 6 outputs per input. */
  readonly blockSamples: number;
  /**
   * Takes `count` new inputs from `pcm` (PCM16 little-endian, starting at sample `first`) and computes the next
   * `outputs` samples into `samples()` from index `start()` on. `outputs` never asks for an input past the block.
   */
  block(pcm: Uint8Array, first: number, count: number, outputs: number): void;
  /** The array holding the last block's outputs (valid until the next block of any stream). */
  samples(): Int16Array;
  /** The same memory as bytes. */
  bytes(): Uint8Array;
  /** Index in `samples()` of the last block's first output. */
  start(): number;
  /** Forgets the history (silence) and starts at phase 0. */
  reset(): void;
}

/** Inputs per block for the JavaScript kernel; bounds its history buffer (taps - 1 + BLOCK_SAMPLES doubles). */
const BLOCK_SAMPLES = 2048;

/** The portable kernel: float64 dot products in plain JavaScript, four accumulators. */
export class JavaScriptPolyphaseKernel implements PolyphaseKernel {
  readonly blockSamples = BLOCK_SAMPLES;
  readonly #filter: PolyphaseFilter;
  readonly #stepWhole: number;
  readonly #stepFraction: number;
  /** The last `taps - 1` inputs of the previous block, followed by the current block. */
  readonly #history: Float64Array;
  readonly #out = new Int16Array(BLOCK_SAMPLES * 6 + 8);
  readonly #outBytes = new Uint8Array(this.#out.buffer);
  #newest = 0;
  #phase = 0;

  constructor(filter: PolyphaseFilter) {
    this.#filter = filter;
    this.#stepWhole = Math.floor(filter.down / filter.up);
    this.#stepFraction = filter.down % filter.up;
    this.#history = new Float64Array(filter.taps - 1 + BLOCK_SAMPLES);
  }

  samples(): Int16Array {
    return this.#out;
  }

  bytes(): Uint8Array {
    return this.#outBytes;
  }

  start(): number {
    return 0;
  }

  block(pcm: Uint8Array, first: number, count: number, outputs: number): void {
    const out = this.#out;
    const history = this.#history;
    const coefficients = this.#filter.coefficients;
    const taps = this.#filter.taps;
    const up = this.#filter.up;
    const keep = taps - 1;
    for (let i = 0, j = 2 * first; i < count; i++, j += 2)
      history[keep + i] = ((pcm[j] | (pcm[j + 1] << 8)) << 16) >> 16;
    const unrolledEnd = taps - 3;
    const stepWhole = this.#stepWhole;
    const stepFraction = this.#stepFraction;
    let newest = this.#newest;
    let phase = this.#phase;
    for (let k = 0; k < outputs; k++) {
      // history[newest .. newest + taps - 1] are the inputs of output k, oldest first.
      const base = phase * taps;
      let start = newest;
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
      out[k] = Math.min(Math.max(value, -32768), 32767);
      phase += stepFraction;
      newest += stepWhole;
      if (phase >= up) {
        phase -= up;
        newest++;
      }
    }
    this.#newest = newest - count;
    this.#phase = phase;
    history.copyWithin(0, count, count + keep);
  }

  reset(): void {
    this.#history.fill(0);
    this.#newest = 0;
    this.#phase = 0;
  }
}
