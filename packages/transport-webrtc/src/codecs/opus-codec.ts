import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The Opus rates libopus decodes to and encodes from directly (anything else goes through 48 kHz + a resampler). */
export const OPUS_NATIVE_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];

/** One Opus stream's decoder: RTP payload in, mono PCM16 LE at `sampleRate` out. `free()` releases its memory. */
export interface OpusDecoder {
  readonly sampleRate: number;
  decode(packet: Uint8Array): Uint8Array;
  free(): void;
}

/** One Opus stream's encoder: exactly one frame (`sampleRate / 50` samples of mono PCM16 LE) in, one packet out. */
export interface OpusEncoder {
  readonly sampleRate: number;
  encode(frame: Uint8Array): Uint8Array;
  free(): void;
}

/** Makes Opus coders (swap in another library by implementing this). */
export interface OpusCodecFactory {
  createDecoder(sampleRate: number): OpusDecoder;
  createEncoder(sampleRate: number): OpusEncoder;
}

/** The emscripten module inside `opusscript` (one WASM instance with a fixed heap). */
interface OpusNativeModule {
  OpusScriptHandler: {
    new (sampleRate: number, channels: number, application: number): OpusNativeHandler;
    destroy_handler(handler: OpusNativeHandler): void;
  };
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPU16: Uint16Array;
}

interface OpusNativeHandler {
  _encode(pcmPointer: number, pcmBytes: number, packetPointer: number, frameSamples: number): number;
  _decode(packetPointer: number, packetBytes: number, pcmPointer: number): number;
}

const VOIP = 2048;
const MAX_PACKET_BYTES = 1276 * 3;
/** The largest PCM frame libopus decodes (120 ms at 48 kHz), in bytes. */
const MAX_FRAME_BYTES = 5760 * 2;
/**
 * opusscript's handler takes PCM with one byte per 16-bit element (and returns it so), and its encoder's in-place
 * repacking reads up to twice that far: the PCM area holds 2 × 2 × MAX_FRAME_BYTES bytes.
 */
const PCM_AREA_BYTES = MAX_FRAME_BYTES * 4;
/**
 * Coders per WASM instance. opusscript's heap is fixed; measured: the 79th coder of one instance fails ("Out of
 * bounds memory access"). `opusscript`'s own class shares ONE instance per process, so it caps a server at ~78
 * streams; this pool starts another instance (about 1 MB) every 48 coders instead.
 */
const CODERS_PER_INSTANCE = 48;

const require = createRequire(import.meta.url);
let nativeFactory: (() => OpusNativeModule) | undefined;

interface PoolInstance {
  native: OpusNativeModule;
  coders: number;
}
const pool: PoolInstance[] = [];

function acquireInstance(): PoolInstance {
  let instance = pool.find((candidate) => candidate.coders < CODERS_PER_INSTANCE);
  if (!instance) {
    nativeFactory ??= require(join(dirname(require.resolve("opusscript")), "build/opusscript_native_wasm.js"));
    instance = { native: nativeFactory!(), coders: 0 };
    pool.push(instance);
  }
  instance.coders++;
  return instance;
}

function nativeRate(sampleRate: number): number {
  if (!OPUS_NATIVE_RATES.includes(sampleRate)) throw new RangeError(`Opus cannot run at ${sampleRate} Hz`);
  return sampleRate;
}

/** One libopus encoder+decoder pair (opusscript's handler) with its buffers in a pooled WASM instance. */
class NativeCoder {
  readonly #instance: PoolInstance;
  #handler: OpusNativeHandler | undefined;
  readonly #pcmPointer: number;
  readonly #packetPointer: number;

  constructor(sampleRate: number) {
    this.#instance = acquireInstance();
    const native = this.#instance.native;
    try {
      this.#handler = new native.OpusScriptHandler(nativeRate(sampleRate), 1, VOIP);
    } catch (error) {
      this.#instance.coders--;
      throw error;
    }
    this.#pcmPointer = native._malloc(PCM_AREA_BYTES);
    // The packet area is read and written as 16-bit elements too (one byte each).
    this.#packetPointer = native._malloc(MAX_PACKET_BYTES * 2);
  }

  decode(packet: Uint8Array): Uint8Array {
    const handler = this.#live();
    if (packet.byteLength > MAX_PACKET_BYTES) throw new RangeError("Opus packet too large");
    const native = this.#instance.native;
    // The packet goes in as bytes (the handler reads unsigned chars).
    new Uint8Array(native.HEAPU16.buffer, this.#packetPointer, packet.byteLength).set(packet);
    const samples = handler._decode(this.#packetPointer, packet.byteLength, this.#pcmPointer);
    if (samples < 0) throw new Error(`Opus decode error ${samples}`);
    const start = this.#pcmPointer >> 1;
    return Uint8Array.from(native.HEAPU16.subarray(start, start + samples * 2));
  }

  encode(frame: Uint8Array, frameSamples: number): Uint8Array {
    const handler = this.#live();
    if (frame.byteLength > MAX_FRAME_BYTES) throw new RangeError("PCM frame too large");
    const native = this.#instance.native;
    native.HEAPU16.set(frame, this.#pcmPointer >> 1);
    const bytes = handler._encode(this.#pcmPointer, frame.byteLength, this.#packetPointer, frameSamples);
    if (bytes < 0) throw new Error(`Opus encode error ${bytes}`);
    return new Uint8Array(native.HEAPU16.buffer, this.#packetPointer, bytes).slice();
  }

  free(): void {
    const handler = this.#handler;
    if (!handler) return;
    this.#handler = undefined;
    const native = this.#instance.native;
    native.OpusScriptHandler.destroy_handler(handler);
    native._free(this.#pcmPointer);
    native._free(this.#packetPointer);
    this.#instance.coders--;
  }

  #live(): OpusNativeHandler {
    if (!this.#handler) throw new Error("Opus coder freed");
    return this.#handler;
  }
}

/**
 * libopus 1.4 from `opusscript` (compiled to WASM: no native build, same behaviour under Bun and Node), driven
 * directly so that coders are spread over several WASM instances (see `CODERS_PER_INSTANCE`).
 */
export const opusscriptCodec: OpusCodecFactory = {
  createDecoder(sampleRate) {
    const coder = new NativeCoder(sampleRate);
    return { sampleRate, decode: (packet) => coder.decode(packet), free: () => coder.free() };
  },
  createEncoder(sampleRate) {
    const coder = new NativeCoder(sampleRate);
    const frameSamples = sampleRate / 50;
    return { sampleRate, encode: (frame) => coder.encode(frame, frameSamples), free: () => coder.free() };
  },
};

/** WASM instances started so far (diagnostics and tests). */
export function opusInstanceCount(): number {
  return pool.length;
}
