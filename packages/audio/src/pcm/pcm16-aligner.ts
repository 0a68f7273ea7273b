/**
 * Keeps a stream of PCM16 chunks sample-aligned. Providers do not promise even-length chunks, and passing an odd one
 * on would shift every later sample by a byte (loud noise): the dangling byte is held and put in front of the next
 * chunk. A chunk with another `key` (say, the next response item) drops a held byte instead, as does `reset()`
 * (a turn boundary, an interruption, a lost connection).
 *
 * Allocates only when a byte is carried in; otherwise returns the chunk itself or a view of it. The result may keep
 * the chunk's odd `byteOffset`: `pcm16View` copies such a view before reading samples.
 */
export class Pcm16Aligner {
  #carry = -1;
  #carryKey: string | undefined;

  /** True while a dangling byte is held for the next chunk. */
  get holdingByte(): boolean {
    return this.#carry >= 0;
  }

  /** The even-length part of the stream so far, in order; holds the odd byte, if any, for the next call. */
  align(chunk: Uint8Array, key?: string): Uint8Array {
    if (this.#carry < 0 && (chunk.byteLength & 1) === 0) return chunk;
    const carried = this.#carry >= 0 && key === this.#carryKey ? this.#carry : -1;
    const total = chunk.byteLength + (carried >= 0 ? 1 : 0);
    const usable = total & ~1;
    if (usable === total) this.#carry = -1;
    else if (chunk.byteLength > 0) this.#carry = chunk[chunk.byteLength - 1]!;
    this.#carryKey = key;
    if (carried < 0) return chunk.subarray(0, usable);
    if (usable === 0) return chunk.subarray(0, 0);
    const out = new Uint8Array(usable);
    out[0] = carried;
    out.set(usable - 1 === chunk.byteLength ? chunk : chunk.subarray(0, usable - 1), 1);
    return out;
  }

  /** Drops a held byte (a stream boundary). */
  reset(): void {
    this.#carry = -1;
    this.#carryKey = undefined;
  }
}
