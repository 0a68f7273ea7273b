// The WebAssembly SIMD kernel of the resampler (polyphase-kernel.wat). One module instance serves every stream: its
// memory holds the coefficient tables (one per rate pair, made on first use) and a scratch area that each block call
// fills with the stream's history and new inputs, runs, and copies back out. Streams keep their own history in
// JavaScript, so nothing in wasm memory belongs to a stream and nothing there needs freeing.
import { decodeBase64 } from "../../bytes/base64.ts";
import type { PolyphaseFilter } from "../filter-design.ts";
import type { PolyphaseKernel } from "../polyphase-kernel.ts";
import { POLYPHASE_KERNEL_BASE64 } from "./polyphase-kernel-wasm.ts";

const BLOCK_SAMPLES = 2048;
/** Largest `taps - 1` the scratch area holds (the longest filter, 48 kHz -> 8 kHz, keeps 288). */
const MAX_KEEP = 504;
/** Largest up/down ratio (8 kHz -> 48 kHz). */
const MAX_RATIO = 6;
const OUT = 0;
const HISTORY16 = align16(OUT + (BLOCK_SAMPLES * MAX_RATIO + 16) * 2);
const HISTORY32 = align16(HISTORY16 + (MAX_KEEP + BLOCK_SAMPLES + 32) * 2);
const TABLES = align16(HISTORY32 + (MAX_KEEP + BLOCK_SAMPLES + 32) * 4);
const PAGE = 65536;

function align16(value: number): number {
  return (value + 15) & ~15;
}

interface KernelExports {
  readonly memory: WebAssembly.Memory;
  readonly newest: WebAssembly.Global;
  widen(source: number, target: number, count: number): void;
  runFloat(...args: number[]): number;
}

interface Tables {
  /** Byte address of the table; rows are `paddedTaps * 4` bytes. */
  readonly address: number;
  readonly paddedTaps: number;
}

class WasmRuntime {
  readonly exports: KernelExports;
  heap8: Uint8Array;
  heap16: Int16Array;
  #next = TABLES;
  readonly #tables = new Map<PolyphaseFilter, Tables>();

  constructor(exports: KernelExports) {
    this.exports = exports;
    this.heap8 = new Uint8Array(exports.memory.buffer);
    this.heap16 = new Int16Array(exports.memory.buffer);
  }

  /** The float32 coefficient table of `filter` (rows padded with zeros to a multiple of 8), made on first use. */
  tables(filter: PolyphaseFilter): Tables {
    const cached = this.#tables.get(filter);
    if (cached) return cached;
    const paddedTaps = (filter.taps + 7) & ~7;
    const table = new Float32Array(filter.up * paddedTaps);
    for (let phase = 0; phase < filter.up; phase++) {
      for (let t = 0; t < filter.taps; t++)
        table[phase * paddedTaps + t] = filter.coefficients[phase * filter.taps + t];
    }
    const address = this.#next;
    this.#reserve(address + table.byteLength);
    this.heap8.set(new Uint8Array(table.buffer), address);
    this.#next = align16(address + table.byteLength);
    const made = { address, paddedTaps };
    this.#tables.set(filter, made);
    return made;
  }

  #reserve(end: number): void {
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    if (this.heap8.buffer !== memory.buffer) {
      this.heap8 = new Uint8Array(memory.buffer);
      this.heap16 = new Int16Array(memory.buffer);
    }
  }
}

let runtime: WasmRuntime | null | undefined;

/** The shared module instance, or null where WebAssembly (or its SIMD) is unavailable. */
function loadRuntime(): WasmRuntime | null {
  if (runtime !== undefined) return runtime;
  runtime = null;
  try {
    const bytes = decodeBase64(POLYPHASE_KERNEL_BASE64);
    if (bytes && typeof WebAssembly === "object" && WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      runtime = new WasmRuntime(instance.exports as unknown as KernelExports);
    }
  } catch {
    runtime = null;
  }
  return runtime;
}

/** True when the wasm kernel can run here (WebAssembly with 128-bit SIMD). */
export function wasmKernelAvailable(): boolean {
  return loadRuntime() !== null;
}

/** A wasm kernel for `filter`, or undefined when wasm is unavailable or the filter does not fit the kernel. */
export function createWasmKernel(filter: PolyphaseFilter): PolyphaseKernel | undefined {
  const loaded = loadRuntime();
  if (!loaded || filter.taps - 1 > MAX_KEEP || filter.up > MAX_RATIO * filter.down) return undefined;
  return new WasmPolyphaseKernel(loaded, filter, loaded.tables(filter));
}

class WasmPolyphaseKernel implements PolyphaseKernel {
  readonly blockSamples = BLOCK_SAMPLES;
  readonly #runtime: WasmRuntime;
  readonly #filter: PolyphaseFilter;
  readonly #tables: Tables;
  readonly #stepWhole: number;
  readonly #stepFraction: number;
  /** The last `taps - 1` inputs. */
  readonly #history: Int16Array;
  #newest = 0;
  #phase = 0;

  constructor(loaded: WasmRuntime, filter: PolyphaseFilter, tables: Tables) {
    this.#runtime = loaded;
    this.#filter = filter;
    this.#tables = tables;
    this.#stepWhole = Math.floor(filter.down / filter.up);
    this.#stepFraction = filter.down % filter.up;
    this.#history = new Int16Array(filter.taps - 1);
  }

  block(pcm: Uint8Array, first: number, count: number, out: Int16Array, at: number, outputs: number): void {
    const loaded = this.#runtime;
    const exports = loaded.exports;
    const heap16 = loaded.heap16;
    const history = this.#history;
    const keep = history.length;
    const base = HISTORY16 >> 1;
    for (let i = 0; i < keep; i++) heap16[base + i] = history[i];
    const bytes = count * 2;
    if (first === 0 && bytes === pcm.byteLength) loaded.heap8.set(pcm, HISTORY16 + keep * 2);
    else loaded.heap8.set(pcm.subarray(first * 2, first * 2 + bytes), HISTORY16 + keep * 2);
    const tables = this.#tables;
    const up = this.#filter.up;
    exports.widen(HISTORY16, HISTORY32, keep + count);
    this.#phase = exports.runFloat(
      tables.address,
      tables.paddedTaps,
      up,
      HISTORY32,
      OUT,
      outputs,
      this.#newest,
      this.#phase,
      this.#stepWhole,
      this.#stepFraction,
    );
    this.#newest = (exports.newest.value as number) - count;
    const from = OUT >> 1;
    for (let i = 0; i < outputs; i++) out[at + i] = heap16[from + i];
    const tail = base + count;
    for (let i = 0; i < keep; i++) history[i] = heap16[tail + i];
  }

  reset(): void {
    this.#history.fill(0);
    this.#newest = 0;
    this.#phase = 0;
  }
}
