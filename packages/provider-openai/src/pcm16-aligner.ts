/**
 * Keeps PCM16 deltas sample-aligned. The API does not promise even-length deltas; passing an odd one on would
 * shift every later sample by a byte (loud noise). The dangling byte is held and prefixed to the next delta of the
 * same item; a delta of another item drops it.
 */
export class Pcm16Aligner {
  #carry = -1;
  #carryKey = "";

  /** Returns `bytes` itself when already aligned and nothing is held (the common case: no copy). */
  align(key: string, bytes: Uint8Array): Uint8Array {
    if (this.#carry < 0 && (bytes.byteLength & 1) === 0) return bytes;
    let aligned = bytes;
    if (this.#carry >= 0) {
      if (this.#carryKey === key) {
        aligned = new Uint8Array(bytes.byteLength + 1);
        aligned[0] = this.#carry;
        aligned.set(bytes, 1);
      }
      this.#carry = -1;
    }
    if ((aligned.byteLength & 1) === 1) {
      this.#carry = aligned[aligned.byteLength - 1]!;
      this.#carryKey = key;
      aligned = aligned.subarray(0, aligned.byteLength - 1);
    }
    return aligned;
  }

  reset(): void {
    this.#carry = -1;
  }
}
