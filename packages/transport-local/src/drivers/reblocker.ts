/** Turns chunks of any size into exact `blockBytes` blocks, carrying the remainder over; no byte is lost. */
export class Reblocker {
  private pending: Uint8Array;
  private filled = 0;

  private readonly blockBytes: number;
  private readonly onBlock: (block: Uint8Array) => void;

  constructor(blockBytes: number, onBlock: (block: Uint8Array) => void) {
    this.blockBytes = blockBytes;
    this.onBlock = onBlock;
    this.pending = new Uint8Array(blockBytes);
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(this.blockBytes - this.filled, chunk.byteLength - offset);
      this.pending.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.blockBytes) {
        const block = this.pending;
        this.pending = new Uint8Array(this.blockBytes);
        this.filled = 0;
        this.onBlock(block);
      }
    }
  }
}
