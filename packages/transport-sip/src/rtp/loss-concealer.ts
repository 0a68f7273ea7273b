const FADE_MS = 60;

/**
 * Packet-loss concealment for codecs without their own: a lost frame repeats the last decoded frame with a linear
 * fade that reaches zero 60 ms into the loss, then silence. `remember` each good frame; `reset` on a new stream.
 */
export class LossConcealer {
  private last: Int16Array | undefined;
  private concealedSamples = 0;
  private readonly defaultFrameBytes: number;
  private readonly fadeSamples: number;

  /** `frameBytes` is a 20 ms frame at the codec rate (used before any frame was seen). */
  constructor(frameBytes: number) {
    this.defaultFrameBytes = frameBytes;
    this.fadeSamples = (frameBytes / 2) * (FADE_MS / 20);
  }

  remember(pcm: Uint8Array): void {
    const copy = new Int16Array(pcm.byteLength >> 1);
    new Uint8Array(copy.buffer).set(pcm.subarray(0, copy.byteLength * 2));
    this.last = copy;
    this.concealedSamples = 0;
  }

  reset(): void {
    this.last = undefined;
    this.concealedSamples = 0;
  }

  /** One concealment frame (PCM16 LE), the length of the last good frame. */
  conceal(): Uint8Array {
    const last = this.last;
    if (!last) return new Uint8Array(this.defaultFrameBytes);
    const out = new Int16Array(last.length);
    for (let index = 0; index < last.length; index++) {
      const position = this.concealedSamples + index;
      const gain = position >= this.fadeSamples ? 0 : 1 - position / this.fadeSamples;
      out[index] = Math.round(last[index]! * gain);
    }
    this.concealedSamples += last.length;
    return new Uint8Array(out.buffer);
  }
}
