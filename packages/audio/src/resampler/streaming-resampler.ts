import { InvalidArgumentError } from "@roomkit/spec";
import { assertPcm16, assertSupportedRate } from "../validate.ts";
import { designPolyphaseFilter, type PolyphaseFilter } from "./filter-design.ts";
import { JavaScriptPolyphaseKernel, type PolyphaseKernel } from "./polyphase-kernel.ts";
import { createWasmKernel } from "./wasm/wasm-polyphase-kernel.ts";

/** Which inner loop runs the filter: "auto" (WebAssembly SIMD where available, else JavaScript) or one of them. */
export type ResamplerKernel = "auto" | "wasm" | "javascript";

export interface ResamplerOptions {
  fromRate: number;
  toRate: number;
  /** Defaults to "auto". "wasm" throws `InvalidArgumentError` where WebAssembly SIMD is unavailable. */
  kernel?: ResamplerKernel;
}

/** Mono PCM16 little-endian sample-rate converter that keeps state across calls. */
export interface StreamingResampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Group delay in output-rate samples: output sample k + delaySamples lines up with input time k. 0 for pass-through. */
  readonly delaySamples: number;
  /** The inner loop in use: "wasm", "javascript", or "none" for pass-through. */
  readonly kernel: "wasm" | "javascript" | "none";
  /**
   * Converts the next chunk. Feeding a signal in chunks gives exactly the bytes of feeding it whole. An empty chunk
   * returns an empty result; an odd byte length throws `InvalidArgumentError` and leaves the state untouched.
   * Pass-through (equal rates) returns the input array itself. Allocates the result; see `processInto`.
   */
  process(pcm: Uint8Array): Uint8Array;
  /**
   * `process` without allocating: writes the converted chunk to `out` from byte 0 and returns the number of bytes
   * written. `out` must hold `maxOutputBytes(pcm.byteLength)` bytes, else `InvalidArgumentError` (state untouched).
   * Reusing one `out` per stream allocates nothing per call; pass-through copies the input.
   */
  processInto(pcm: Uint8Array, out: Uint8Array): number;
  /** Most bytes one `processInto` call can write for an input of `inputBytes` bytes (whatever the stream state). */
  maxOutputBytes(inputBytes: number): number;
  /** Emits the delayed tail (`delaySamples` samples, the filter run out against silence) and resets the stream. */
  flush(): Uint8Array;
  /** Forgets all history: the next `process` starts a new stream. */
  reset(): void;
}

const EMPTY = new Uint8Array(0);

function checkOutput(out: unknown, needed: number): asserts out is Uint8Array {
  if (!(out instanceof Uint8Array)) throw new InvalidArgumentError("out must be a Uint8Array");
  if (out.byteLength < needed) {
    throw new InvalidArgumentError(`out holds ${out.byteLength} bytes; this chunk needs up to ${needed}`);
  }
}

class PassThroughResampler implements StreamingResampler {
  readonly delaySamples = 0;
  readonly kernel = "none";
  readonly fromRate: number;
  readonly toRate: number;
  constructor(fromRate: number, toRate: number) {
    this.fromRate = fromRate;
    this.toRate = toRate;
  }
  process(pcm: Uint8Array): Uint8Array {
    assertPcm16(pcm);
    return pcm;
  }
  processInto(pcm: Uint8Array, out: Uint8Array): number {
    assertPcm16(pcm);
    checkOutput(out, pcm.byteLength);
    out.set(pcm);
    return pcm.byteLength;
  }
  maxOutputBytes(inputBytes: number): number {
    return inputBytes & ~1;
  }
  flush(): Uint8Array {
    return EMPTY;
  }
  reset(): void {}
}

/** Polyphase windowed-sinc resampler (see filter-design.ts for the filter, polyphase-kernel.ts for the loop). */
class PolyphaseResampler implements StreamingResampler {
  readonly delaySamples: number;
  readonly kernel: "wasm" | "javascript";
  readonly fromRate: number;
  readonly toRate: number;
  readonly #filter: PolyphaseFilter;
  readonly #loop: PolyphaseKernel;
  /** Totals since the last reset, used to size outputs and the flushed tail. */
  #inputTotal = 0;
  #outputTotal = 0;
  /** `processInto`'s last `out` and its int16 view (remade only when the caller passes another buffer). */
  #lastOut: Uint8Array | undefined;
  #lastOutView: Int16Array | undefined;

  constructor(fromRate: number, toRate: number, kernel: ResamplerKernel) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.#filter = designPolyphaseFilter(fromRate, toRate);
    this.delaySamples = this.#filter.delay;
    const wasm = kernel === "javascript" ? undefined : createWasmKernel(this.#filter);
    if (kernel === "wasm" && !wasm) {
      throw new InvalidArgumentError("kernel: WebAssembly SIMD is not available in this runtime");
    }
    this.kernel = wasm ? "wasm" : "javascript";
    this.#loop = wasm ?? new JavaScriptPolyphaseKernel(this.#filter);
  }

  process(pcm: Uint8Array): Uint8Array {
    assertPcm16(pcm);
    const count = pcm.byteLength >> 1;
    if (count === 0) return EMPTY;
    const result = new Uint8Array(2 * this.#pending(count));
    this.#run(pcm, count, result, undefined);
    return result;
  }

  processInto(pcm: Uint8Array, out: Uint8Array): number {
    assertPcm16(pcm);
    checkOutput(out, this.maxOutputBytes(pcm.byteLength));
    const count = pcm.byteLength >> 1;
    if (count === 0) return 0;
    if (out !== this.#lastOut) {
      this.#lastOut = out;
      this.#lastOutView =
        (out.byteOffset & 1) === 0 ? new Int16Array(out.buffer, out.byteOffset, out.byteLength >> 1) : undefined;
    }
    return this.#run(pcm, count, out, this.#lastOutView) * 2;
  }

  maxOutputBytes(inputBytes: number): number {
    return 2 * Math.ceil(((inputBytes >> 1) * this.#filter.up) / this.#filter.down);
  }

  /** Outputs the next `count` inputs complete. */
  #pending(count: number): number {
    const { up, down } = this.#filter;
    return Math.max(Math.ceil(((this.#inputTotal + count) * up) / down) - this.#outputTotal, 0);
  }

  /**
   * Runs `count` inputs through the kernel in bounded blocks and copies the outputs to `out` from byte 0: through
   * `view` (an int16 view of `out`) when given, else byte-wise (no allocation either way; `process` passes a fresh
   * `out` and no view, and copies with `set`). Returns the samples written.
   */
  #run(pcm: Uint8Array, count: number, out: Uint8Array, view: Int16Array | undefined): number {
    const { up, down } = this.#filter;
    const loop = this.#loop;
    const blockSamples = loop.blockSamples;
    const reused = out === this.#lastOut;
    let written = 0;
    for (let offset = 0; offset < count; offset += blockSamples) {
      const blockCount = Math.min(blockSamples, count - offset);
      this.#inputTotal += blockCount;
      const outputs = Math.ceil((this.#inputTotal * up) / down) - this.#outputTotal;
      loop.block(pcm, offset, blockCount, outputs);
      const start = loop.start();
      if (view) {
        const samples = loop.samples();
        for (let i = 0; i < outputs; i++) view[written + i] = samples[start + i];
      } else if (reused) {
        const bytes = loop.bytes();
        for (let i = 0, j = 2 * start, k = 2 * written; i < 2 * outputs; i++) out[k + i] = bytes[j + i];
      } else {
        out.set(loop.bytes().subarray(2 * start, 2 * (start + outputs)), 2 * written);
      }
      written += outputs;
      this.#outputTotal += outputs;
    }
    return written;
  }

  flush(): Uint8Array {
    const { up, down } = this.#filter;
    const wanted = Math.ceil((this.#inputTotal * up) / down) + this.delaySamples - this.#outputTotal;
    if (this.#inputTotal === 0 || wanted <= 0) {
      this.reset();
      return EMPTY;
    }
    const zeros = Math.ceil((wanted * down) / up) + 1;
    const tail = this.process(new Uint8Array(zeros * 2));
    this.reset();
    return tail.subarray(0, wanted * 2);
  }

  reset(): void {
    this.#loop.reset();
    this.#inputTotal = 0;
    this.#outputTotal = 0;
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
  const kernel = options.kernel ?? "auto";
  if (kernel !== "auto" && kernel !== "wasm" && kernel !== "javascript") {
    throw new InvalidArgumentError(`kernel must be "auto", "wasm" or "javascript", got ${String(kernel)}`);
  }
  if (options.fromRate === options.toRate) return new PassThroughResampler(options.fromRate, options.toRate);
  return new PolyphaseResampler(options.fromRate, options.toRate, kernel);
}
