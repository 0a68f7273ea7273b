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
/** Never written: zeros, read (times zero coefficients) when a grouped window starts up to 2 inputs early. */
const GUARD_BYTES = 64;
const HISTORY32 = align16(HISTORY16 + (MAX_KEEP + BLOCK_SAMPLES + 32) * 2 + GUARD_BYTES);
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
  runGroupSingles(...args: number[]): number;
  runPairs(...args: number[]): void;
  runTriples(...args: number[]): void;
}

/**
 * A filter's float32 table in wasm memory. Ungrouped (group 1): `up` rows of `taps` (padded to 8) coefficients.
 * Grouped (group = up = 2 or 3 outputs per period): every output's row shifted to the period's window start, the rows
 * interleaved by 8 taps over `taps` (padded) taps (see polyphase-kernel.wat).
 */
interface Table {
  readonly address: number;
  readonly taps: number;
  readonly group: number;
  /** Grouped: window offset of each output of the period from the period's window start. */
  readonly offsets: readonly number[];
  /** Grouped: position in the period of the output with each phase. */
  readonly positionOfPhase: readonly number[];
}

class WasmRuntime {
  readonly exports: KernelExports;
  heap8: Uint8Array;
  heap16: Int16Array;
  #next = TABLES;
  readonly #tables = new Map<PolyphaseFilter, Table>();

  constructor(exports: KernelExports) {
    this.exports = exports;
    this.heap8 = new Uint8Array(exports.memory.buffer);
    this.heap16 = new Int16Array(exports.memory.buffer);
  }

  /** The table of `filter`, made on first use: grouped when a period has 2 or 3 outputs. */
  table(filter: PolyphaseFilter): Table {
    const cached = this.#tables.get(filter);
    if (cached) return cached;
    const group = filter.up === 2 || filter.up === 3 ? filter.up : 1;
    const offsets: number[] = [];
    const positionOfPhase: number[] = [];
    for (let j = 0; j < group; j++) {
      offsets.push(Math.floor((j * filter.down) / filter.up));
      positionOfPhase[(j * filter.down) % filter.up] = j;
    }
    const taps = (filter.taps + (group > 1 ? offsets[group - 1] : 0) + 7) & ~7;
    const values = new Float32Array(filter.up * taps);
    for (let phase = 0; phase < filter.up; phase++) {
      const row = filter.coefficients.subarray(phase * filter.taps, (phase + 1) * filter.taps);
      if (group === 1) {
        values.set(row, phase * taps);
        continue;
      }
      const j = positionOfPhase[phase];
      for (let t = 0; t < filter.taps; t++) {
        const at = t + offsets[j];
        values[((at >> 3) * group + j) * 8 + (at & 7)] = row[t];
      }
    }
    const address = this.#next;
    this.#reserve(address + values.byteLength);
    this.heap8.set(new Uint8Array(values.buffer), address);
    this.#next = align16(address + values.byteLength);
    const made = { address, taps, group, offsets, positionOfPhase };
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
  return new WasmPolyphaseKernel(loaded, filter, loaded.table(filter));
}

class WasmPolyphaseKernel implements PolyphaseKernel {
  readonly blockSamples = BLOCK_SAMPLES;
  readonly #runtime: WasmRuntime;
  readonly #filter: PolyphaseFilter;
  readonly #table: Table;
  readonly #stepWhole: number;
  readonly #stepFraction: number;
  /** The last `taps - 1` inputs. */
  readonly #history: Int16Array;
  /** Window start (index in the block's history) and phase of the next output. */
  #newest = 0;
  #phase = 0;

  constructor(loaded: WasmRuntime, filter: PolyphaseFilter, table: Table) {
    this.#runtime = loaded;
    this.#filter = filter;
    this.#table = table;
    this.#stepWhole = Math.floor(filter.down / filter.up);
    this.#stepFraction = filter.down % filter.up;
    this.#history = new Int16Array(filter.taps - 1);
  }

  samples(): Int16Array {
    return this.#runtime.heap16;
  }

  bytes(): Uint8Array {
    return this.#runtime.heap8;
  }

  start(): number {
    return OUT >> 1;
  }

  block(pcm: Uint8Array, first: number, count: number, outputs: number): void {
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
    exports.widen(HISTORY16, HISTORY32, keep + count);
    if (this.#table.group === 1) this.#runSingles(outputs);
    else this.#runGrouped(outputs);
    this.#newest -= count;
    const tail = base + count;
    for (let i = 0; i < keep; i++) history[i] = heap16[tail + i];
  }

  #runSingles(outputs: number): void {
    const exports = this.#runtime.exports;
    const table = this.#table;
    this.#phase = exports.runFloat(
      table.address,
      table.taps,
      this.#filter.up,
      HISTORY32,
      OUT,
      outputs,
      this.#newest,
      this.#phase,
      this.#stepWhole,
      this.#stepFraction,
    );
    this.#newest = exports.newest.value as number;
  }

  /** Outputs up to the next period start one by one, then whole periods, then the rest one by one. */
  #runGrouped(outputs: number): void {
    const exports = this.#runtime.exports;
    const table = this.#table;
    const group = table.group;
    const down = this.#filter.down;
    let position = table.positionOfPhase[this.#phase];
    let periodNewest = this.#newest - table.offsets[position];
    const lead = position === 0 ? 0 : Math.min(outputs, group - position);
    if (lead > 0) {
      position = exports.runGroupSingles(
        table.address,
        table.taps,
        group,
        HISTORY32,
        OUT,
        lead,
        position,
        periodNewest,
        down,
      );
      periodNewest = exports.newest.value as number;
    }
    const periods = Math.floor((outputs - lead) / group);
    const out = OUT + 2 * lead;
    if (periods > 0) {
      if (group === 2) exports.runPairs(table.address, table.taps, HISTORY32, out, periods, periodNewest, down);
      else exports.runTriples(table.address, table.taps, HISTORY32, out, periods, periodNewest, down);
      periodNewest = exports.newest.value as number;
    }
    const rest = outputs - lead - group * periods;
    if (rest > 0) {
      const at = out + 2 * group * periods;
      position = exports.runGroupSingles(
        table.address,
        table.taps,
        group,
        HISTORY32,
        at,
        rest,
        position,
        periodNewest,
        down,
      );
      periodNewest = exports.newest.value as number;
    }
    this.#phase = (position * down) % this.#filter.up;
    this.#newest = periodNewest + table.offsets[position];
  }

  reset(): void {
    this.#history.fill(0);
    this.#newest = 0;
    this.#phase = 0;
  }
}
