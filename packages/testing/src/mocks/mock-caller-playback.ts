/** What the mock caller's device holds and has played, in bytes of PCM16. */
export interface MockCallerPlaybackState {
  /** Audio queued for the caller and not played yet. */
  queuedBytes: number;
  /** Audio the caller's device played (`MockRealtimeTransport.playToCaller`). */
  playedBytes: number;
  /** Queued audio dropped by `interrupt()` (only with `capabilities.interrupt`). */
  droppedBytes: number;
}

/**
 * The caller's side of one mock session: the audio the channel sent waits here until the test lets the device
 * play it. Chunks are kept by reference (like `sentAudio`); playing copies only the block it plays.
 */
export class MockCallerPlayback implements MockCallerPlaybackState {
  queuedBytes = 0;
  playedBytes = 0;
  droppedBytes = 0;
  /** Bytes played since the last `drop()` (the position within the current response). */
  playedSinceDrop = 0;
  #chunks: Uint8Array[] = [];
  #offset = 0;

  push(audio: Uint8Array): void {
    if (audio.byteLength === 0) return;
    this.#chunks.push(audio);
    this.queuedBytes += audio.byteLength;
  }

  /** Drops everything queued (a barge-in). */
  drop(): void {
    this.droppedBytes += this.queuedBytes;
    this.queuedBytes = 0;
    this.playedSinceDrop = 0;
    this.#chunks = [];
    this.#offset = 0;
  }

  /** Plays up to `bytes` (even) of what is queued; returns the played block (possibly empty). */
  play(bytes: number): Uint8Array {
    const size = Math.min(bytes & ~1, this.queuedBytes);
    const block = new Uint8Array(size);
    let written = 0;
    while (written < size) {
      const chunk = this.#chunks[0]!;
      const take = Math.min(size - written, chunk.byteLength - this.#offset);
      block.set(chunk.subarray(this.#offset, this.#offset + take), written);
      written += take;
      this.#offset += take;
      if (this.#offset === chunk.byteLength) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    this.queuedBytes -= size;
    this.playedBytes += size;
    this.playedSinceDrop += size;
    return block;
  }

  snapshot(): MockCallerPlaybackState {
    return { queuedBytes: this.queuedBytes, playedBytes: this.playedBytes, droppedBytes: this.droppedBytes };
  }
}
