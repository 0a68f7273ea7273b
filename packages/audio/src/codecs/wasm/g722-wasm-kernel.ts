// The WebAssembly G.722 kernel (assembly/g722.ts, built by scripts/build-wasm.ts). One module instance serves every
// codec: a call copies the codec's state (both bands and the QMF history, STATE_SLOTS int32) into the module, runs
// blocks of at most BLOCK pairs or bytes, and copies the state back, so nothing in wasm memory belongs to a codec.
import { decodeBase64 } from "../../bytes/base64.ts";
import { G722_KERNEL_BASE64 } from "./g722-wasm.ts";

/** Int32 slots of a codec's state: 21 per band (g722-band.ts layout) and the 22 previous QMF inputs. */
export const WASM_STATE_SLOTS = 64;

interface G722Exports {
  readonly memory: WebAssembly.Memory;
  readonly BLOCK: WebAssembly.Global;
  readonly STATE_SLOTS: WebAssembly.Global;
  encode(pairs: number): void;
  decode(count: number): void;
  statePointer(): number;
  inputPointer(): number;
  outputPointer(): number;
}

export class G722WasmKernel {
  readonly #exports: G722Exports;
  readonly #heap8: Uint8Array;
  readonly #heap16: Int16Array;
  /** The module's state slots (a codec's state is copied in and out through this view). */
  readonly #stateView: Int32Array;
  readonly #input: number;
  readonly #output: number;
  readonly #block: number;
  /** The last view of the module's output bytes and its length (remade only when a call's length differs). */
  #outputView: Uint8Array;
  #outputViewLength = 0;

  constructor(exports: G722Exports) {
    this.#exports = exports;
    this.#heap8 = new Uint8Array(exports.memory.buffer);
    this.#heap16 = new Int16Array(exports.memory.buffer);
    const state = exports.statePointer() >> 2;
    this.#stateView = new Int32Array(exports.memory.buffer).subarray(state, state + WASM_STATE_SLOTS);
    this.#input = exports.inputPointer();
    this.#output = exports.outputPointer();
    this.#outputView = this.#heap8.subarray(this.#output, this.#output);
    this.#block = exports.BLOCK.value as number;
    if ((exports.STATE_SLOTS.value as number) !== WASM_STATE_SLOTS) throw new Error("G.722 kernel state layout");
  }

  /**
   * Encodes `pcm` (PCM16 bytes) preceded by `pending` (a held sample, or none when `hasPending` is false) into `out`;
   * returns the sample held for the next call, or undefined when the input ended on a whole pair.
   */
  encode(
    state: Int32Array,
    pending: number,
    hasPending: boolean,
    pcm: Uint8Array,
    out: Uint8Array,
  ): number | undefined {
    const heap8 = this.#heap8;
    const count = pcm.byteLength >> 1;
    const input = this.#input;
    this.#stateView.set(state);
    let read = 0;
    let written = 0;
    let held = hasPending;
    for (;;) {
      const pairs = Math.min(((held ? 1 : 0) + count - read) >> 1, this.#block);
      if (pairs === 0) break;
      let at = input;
      if (held) {
        this.#heap16[input >> 1] = pending;
        at += 2;
        held = false;
      }
      const take = 2 * pairs - (at - input) / 2;
      if (read === 0 && take === count) heap8.set(pcm, at);
      else heap8.set(pcm.subarray(2 * read, 2 * (read + take)), at);
      read += take;
      this.#exports.encode(pairs);
      out.set(this.#outputBytes(pairs), written);
      written += pairs;
    }
    this.#saveState(state);
    if (held) return pending;
    if (read < count) return ((pcm[2 * read] | (pcm[2 * read + 1] << 8)) << 16) >> 16;
    return undefined;
  }

  /** Decodes `bytes` into `out` (PCM16 little-endian, four bytes per input byte) from byte 0. */
  decode(state: Int32Array, bytes: Uint8Array, out: Uint8Array): void {
    const count = bytes.byteLength;
    this.#stateView.set(state);
    for (let read = 0; read < count; ) {
      const block = Math.min(count - read, this.#block);
      if (read === 0 && block === count) this.#heap8.set(bytes, this.#input);
      else this.#heap8.set(bytes.subarray(read, read + block), this.#input);
      this.#exports.decode(block);
      out.set(this.#outputBytes(4 * block), 4 * read);
      read += block;
    }
    this.#saveState(state);
  }

  /** The first `length` bytes of the module's output. */
  #outputBytes(length: number): Uint8Array {
    if (length !== this.#outputViewLength) {
      this.#outputView = this.#heap8.subarray(this.#output, this.#output + length);
      this.#outputViewLength = length;
    }
    return this.#outputView;
  }

  #saveState(state: Int32Array): void {
    state.set(this.#stateView);
  }
}

let kernel: G722WasmKernel | null | undefined;

/** The shared G.722 kernel, or null where WebAssembly is unavailable. */
export function g722WasmKernel(): G722WasmKernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const bytes = decodeBase64(G722_KERNEL_BASE64);
    if (bytes && typeof WebAssembly === "object" && WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      kernel = new G722WasmKernel(instance.exports as unknown as G722Exports);
    }
  } catch {
    kernel = null;
  }
  return kernel;
}
