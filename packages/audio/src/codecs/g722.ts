import { InvalidArgumentError } from "@roomkit/spec";
import { assertBytes, assertPcm16 } from "../validate.ts";
import { type G722WasmKernel, g722WasmKernel, WASM_STATE_SLOTS } from "./wasm/g722-wasm-kernel.ts";
import {
  clamp,
  createBandState,
  HIGH_BAND,
  HIGH_INVERSE,
  LOW_BAND,
  LOW_INVERSE_6,
  PREDICTED,
  qmfEven,
  qmfOdd,
  resetBandState,
  SCALE,
  updateHigh,
  updateLow,
} from "./g722-band.ts";

/** Low band quantiser decision levels (ITU Q6, positive half), compared against |e| scaled by the step size. */
const LOW_DECISION = new Int32Array([
  35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458,
  1612, 1765, 1980, 2195, 2557, 2919,
]);

const HISTORY_FRAMES = 256;
const WINDOW = 24;
/** QMF history: 22 previous samples + room for new pairs; slides back when full (no per-call allocation). */
const HISTORY_LENGTH = WINDOW + 2 * HISTORY_FRAMES;

/** Which implementation runs the codec: "auto" (WebAssembly where available, else JavaScript) or one of them. */
export type G722Kernel = "auto" | "wasm" | "javascript";

export interface G722Options {
  /** Defaults to "auto". "wasm" throws `InvalidArgumentError` where WebAssembly is unavailable. */
  kernel?: G722Kernel;
}

function pickKernel(options: G722Options | undefined): G722WasmKernel | null {
  const kernel = options?.kernel ?? "auto";
  if (kernel !== "auto" && kernel !== "wasm" && kernel !== "javascript") {
    throw new InvalidArgumentError(`kernel must be "auto", "wasm" or "javascript", got ${String(kernel)}`);
  }
  if (kernel === "javascript") return null;
  const wasm = g722WasmKernel();
  if (!wasm && kernel === "wasm") throw new InvalidArgumentError("kernel: WebAssembly is not available here");
  return wasm;
}

function checkOut(out: unknown, needed: number): asserts out is Uint8Array {
  if (!(out instanceof Uint8Array)) throw new InvalidArgumentError("out must be a Uint8Array");
  if (out.byteLength < needed) {
    throw new InvalidArgumentError(`out holds ${out.byteLength} bytes; this chunk needs ${needed}`);
  }
}

/**
 * G.722 encoder, 64 kbit/s: 16 kHz PCM16 little-endian in, one byte per two samples out ((high 2 bits << 6) | low 6 bits).
 * Stateful: encode a call frame by frame with one instance; any chunking gives the same bytes as one call. An odd
 * sample at the end of a chunk is held until the next call (dropped by `reset`).
 */
export class G722Encoder {
  /** Which implementation this codec runs. */
  readonly kernel: "wasm" | "javascript";
  readonly #wasm: G722WasmKernel | null;
  readonly #bands = createBandState(WASM_STATE_SLOTS);
  readonly #history = new Int32Array(HISTORY_LENGTH);
  #position = WINDOW - 2;
  #pending = 0;
  #hasPending = false;

  constructor(options?: G722Options) {
    this.#wasm = pickKernel(options);
    this.kernel = this.#wasm ? "wasm" : "javascript";
  }

  /** Encodes PCM16 (16 kHz mono). Odd byte length ⇒ `InvalidArgumentError`, state untouched. */
  encode(pcm16k: Uint8Array): Uint8Array {
    assertPcm16(pcm16k, "pcm16k");
    const out = new Uint8Array(this.encodedLength(pcm16k.byteLength));
    this.#encode(pcm16k, out);
    return out;
  }

  /**
   * `encode` into `out` from byte 0, without allocating; returns the bytes written (`encodedLength(pcm16k.byteLength)`).
   * A short `out` ⇒ `InvalidArgumentError`, state untouched.
   */
  encodeInto(pcm16k: Uint8Array, out: Uint8Array): number {
    assertPcm16(pcm16k, "pcm16k");
    const length = this.encodedLength(pcm16k.byteLength);
    checkOut(out, length);
    this.#encode(pcm16k, out);
    return length;
  }

  /** Bytes the next `encode` of `inputBytes` PCM16 bytes returns (one per sample pair, counting a held sample). */
  encodedLength(inputBytes: number): number {
    return ((inputBytes >> 1) + (this.#hasPending ? 1 : 0)) >> 1;
  }

  reset(): void {
    resetBandState(this.#bands);
    this.#history.fill(0);
    this.#position = WINDOW - 2;
    this.#hasPending = false;
    this.#pending = 0;
  }

  #encode(pcm: Uint8Array, out: Uint8Array): void {
    const count = pcm.byteLength >> 1;
    if (count === 0) return;
    if (this.#wasm) {
      const held = this.#wasm.encode(this.#bands, this.#pending, this.#hasPending, pcm, out);
      this.#hasPending = held !== undefined;
      this.#pending = held ?? 0;
      return;
    }
    const bands = this.#bands;
    const history = this.#history;
    let position = this.#position;
    let read = 0;
    let written = 0;
    let first = this.#pending;
    let haveFirst = this.#hasPending;
    while (read < count) {
      const sample = ((pcm[2 * read] | (pcm[2 * read + 1] << 8)) << 16) >> 16;
      read++;
      if (!haveFirst) {
        first = sample;
        haveFirst = true;
        continue;
      }
      haveFirst = false;
      if (position + 2 > HISTORY_LENGTH) {
        history.copyWithin(0, position - (WINDOW - 2), position);
        position = WINDOW - 2;
      }
      history[position] = first;
      history[position + 1] = sample;
      position += 2;
      const start = position - WINDOW;
      const odd = qmfOdd(history, start);
      const even = qmfEven(history, start);
      const lowInput = (odd + even) >> 14;
      const highInput = (odd - even) >> 14;

      // High band: 2-bit quantiser with a single decision level 564/4096 · det.
      let highError = highInput - bands[HIGH_BAND + PREDICTED];
      highError = clamp(highError, -32768, 32767);
      const highMagnitude = highError < 0 ? -highError - 1 : highError;
      const highScale = bands[HIGH_BAND + SCALE];
      const highCode = (highMagnitude < (141 * highScale) >> 8 ? 1 : 0) + (highError >= 0 ? 2 : 0);

      // Low band: 6-bit quantiser over 30 decision intervals; the levels increase, so the interval index is the count
      // of levels below |e| (a binary search).
      let lowError = lowInput - bands[LOW_BAND + PREDICTED];
      lowError = clamp(lowError, -32768, 32767);
      const lowMagnitude = ((lowError < 0 ? -lowError - 1 : lowError) + 1) << 10;
      const lowScale = bands[LOW_BAND + SCALE];
      let below = 0;
      let above = 29;
      while (below < above) {
        const middle = (below + above) >> 1;
        if (lowMagnitude > LOW_DECISION[middle] * lowScale) below = middle + 1;
        else above = middle;
      }
      const lowCode = (lowError < 0 ? (below < 2 ? 63 : 33) : 61) - below;

      updateHigh(bands, (highScale * HIGH_INVERSE[highCode]) >> 10, highCode);
      updateLow(bands, lowCode >> 2);
      out[written++] = (highCode << 6) | lowCode;
    }
    this.#position = position;
    this.#pending = haveFirst ? first : 0;
    this.#hasPending = haveFirst;
  }
}

/**
 * G.722 decoder, 64 kbit/s: one byte in, two 16 kHz PCM16 samples out. Stateful across calls; keep one instance per
 * direction per call.
 */
export class G722Decoder {
  /** Which implementation this codec runs. */
  readonly kernel: "wasm" | "javascript";
  readonly #wasm: G722WasmKernel | null;
  readonly #bands = createBandState(WASM_STATE_SLOTS);
  readonly #history = new Int32Array(HISTORY_LENGTH);
  #position = WINDOW - 2;
  /** `decodeInto`'s last `out` and its int16 view (remade only when the caller passes another buffer). */
  #lastOut: Uint8Array | undefined;
  #lastOutView: Int16Array | undefined;

  constructor(options?: G722Options) {
    this.#wasm = pickKernel(options);
    this.kernel = this.#wasm ? "wasm" : "javascript";
  }

  decode(bytes: Uint8Array): Uint8Array {
    assertBytes(bytes, "bytes");
    if (this.#wasm) {
      const out = new Uint8Array(bytes.byteLength * 4);
      this.#wasm.decode(this.#bands, bytes, out);
      return out;
    }
    const samples = new Int16Array(bytes.byteLength * 2);
    this.#decode(bytes, samples);
    return new Uint8Array(samples.buffer);
  }

  /**
   * `decode` into `out` from byte 0 (4 bytes per input byte), without allocating when `out` is reused and starts at
   * an even byte offset; returns the bytes written. A short `out` ⇒ `InvalidArgumentError`, state untouched.
   */
  decodeInto(bytes: Uint8Array, out: Uint8Array): number {
    assertBytes(bytes, "bytes");
    const length = bytes.byteLength * 4;
    checkOut(out, length);
    if (this.#wasm) {
      this.#wasm.decode(this.#bands, bytes, out);
      return length;
    }
    if (out !== this.#lastOut) {
      this.#lastOut = out;
      this.#lastOutView =
        (out.byteOffset & 1) === 0 ? new Int16Array(out.buffer, out.byteOffset, out.byteLength >> 1) : undefined;
    }
    const view = this.#lastOutView;
    if (view) this.#decode(bytes, view);
    else out.set(this.decode(bytes));
    return length;
  }

  reset(): void {
    resetBandState(this.#bands);
    this.#history.fill(0);
    this.#position = WINDOW - 2;
  }

  /** The JavaScript kernel (the WebAssembly one writes bytes, see decode and decodeInto). */
  #decode(bytes: Uint8Array, samples: Int16Array): void {
    const bands = this.#bands;
    const history = this.#history;
    let position = this.#position;
    for (let i = 0, j = 0; i < bytes.byteLength; i++, j += 2) {
      const code = bytes[i];
      const lowCode = code & 0x3f;
      const highCode = code >> 6;
      let lowOut = ((bands[LOW_BAND + SCALE] * LOW_INVERSE_6[lowCode]) >> 10) + bands[LOW_BAND + PREDICTED];
      lowOut = clamp(lowOut, -16384, 16383);
      updateLow(bands, lowCode >> 2);
      const highDifference = (bands[HIGH_BAND + SCALE] * HIGH_INVERSE[highCode]) >> 10;
      let highOut = highDifference + bands[HIGH_BAND + PREDICTED];
      highOut = clamp(highOut, -16384, 16383);
      updateHigh(bands, highDifference, highCode);
      if (position + 2 > HISTORY_LENGTH) {
        history.copyWithin(0, position - (WINDOW - 2), position);
        position = WINDOW - 2;
      }
      history[position] = lowOut + highOut;
      history[position + 1] = lowOut - highOut;
      position += 2;
      const start = position - WINDOW;
      const odd = qmfOdd(history, start) >> 11;
      const even = qmfEven(history, start) >> 11;
      samples[j] = clamp(odd, -32768, 32767);
      samples[j + 1] = clamp(even, -32768, 32767);
    }
    this.#position = position;
  }
}
