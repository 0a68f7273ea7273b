/** What one `render` call did. */
export interface RenderResult {
  /** Bytes of queued audio copied into the block (the rest is silence). */
  written: number;
  /** This block ends the response: everything queued was played (also for a response with no audio). */
  playbackEnded: boolean;
}

export interface SpeakerBufferOptions {
  /** Bytes per sample frame (2 × channels); appends are cut to whole frames at the bound. */
  frameBytes: number;
  /** Audio held back at the start and after an underrun before playing (0 = play from the first byte). */
  prebufferBytes: number;
  /** The bound: audio beyond it is dropped and counted. */
  maxBytes: number;
  /** Duration of one rendered block, for the idle valve (counted in ms, not in calls). */
  blockMs: number;
  /** Priming is released after this long without new audio even below the pre-buffer. */
  primeMaxIdleMs: number;
}

/**
 * The speaker's realtime state machine, pure: `enqueue` from the channel, `render` once per device block. Audio is
 * held until the pre-buffer fills (or the response ends, or no audio came for `primeMaxIdleMs`), drained block by
 * block, and re-primed after an underrun. `interrupt` flushes at once and plays silence until the next `enqueue`.
 */
export class SpeakerBuffer {
  private chunks: Uint8Array[] = [];
  private head = 0;
  private offset = 0;
  private bufferedBytes = 0;
  private priming = true;
  private complete = false;
  private idleMs = 0;
  private interrupted = false;
  /** Mid-response starvations (the buffer ran dry before the response ended). */
  underruns = 0;
  /** Bytes refused by the bound since the last reset. */
  droppedBytes = 0;

  private readonly options: SpeakerBufferOptions;

  constructor(options: SpeakerBufferOptions) {
    this.options = options;
  }

  get buffered(): number {
    return this.bufferedBytes;
  }
  get isPriming(): boolean {
    return this.priming;
  }
  get isInterrupted(): boolean {
    return this.interrupted;
  }
  get responseComplete(): boolean {
    return this.complete;
  }

  /** Queues audio (copied); returns how many bytes the bound dropped. Clears the interrupted state. */
  enqueue(audio: Uint8Array): number {
    if (audio.byteLength === 0) return 0;
    this.interrupted = false;
    const room = Math.max(0, this.options.maxBytes - this.bufferedBytes);
    const frame = this.options.frameBytes;
    const accepted = Math.min(audio.byteLength, room - (room % frame));
    if (accepted > 0) {
      this.chunks.push(audio.slice(0, accepted));
      this.bufferedBytes += accepted;
    }
    const dropped = audio.byteLength - accepted;
    this.droppedBytes += dropped;
    // New audio means a response is in flight: a stale end-of-response must not release priming early.
    this.complete = false;
    this.idleMs = 0;
    return dropped;
  }

  /** Barge-in: drops everything queued; silence until the next `enqueue`, which primes from zero. */
  interrupt(): number {
    const flushed = this.bufferedBytes;
    this.reset();
    this.interrupted = true;
    return flushed;
  }

  /** The response's audio is complete: release priming and end cleanly when drained. Ignored while interrupted. */
  endOfResponse(): void {
    if (this.interrupted) return;
    this.complete = true;
  }

  /** Clears everything (a new output stream). */
  reset(): void {
    this.chunks = [];
    this.head = 0;
    this.offset = 0;
    this.bufferedBytes = 0;
    this.droppedBytes = 0;
    this.priming = true;
    this.complete = false;
    this.idleMs = 0;
    this.interrupted = false;
  }

  /** Fills `out` (one device block) with queued audio or silence. */
  render(out: Uint8Array): RenderResult {
    let playbackEnded = false;
    let draining = !this.interrupted;
    if (draining && this.priming) {
      if (this.complete && this.bufferedBytes === 0) {
        this.complete = false;
        playbackEnded = true;
      }
      const release =
        this.bufferedBytes >= Math.max(this.options.prebufferBytes, 1) ||
        (this.complete && this.bufferedBytes > 0) ||
        (this.bufferedBytes > 0 && this.idleMs >= this.options.primeMaxIdleMs);
      if (release) {
        this.priming = false;
        this.idleMs = 0;
      } else {
        this.idleMs += this.options.blockMs;
        draining = false;
      }
    }
    let written = 0;
    if (draining) {
      written = this.copyInto(out);
      if (written < out.byteLength) {
        this.priming = true;
        this.idleMs = 0;
        if (this.complete) {
          this.complete = false;
          playbackEnded = true;
        } else this.underruns++;
      }
    }
    out.fill(0, written);
    return { written, playbackEnded };
  }

  private copyInto(out: Uint8Array): number {
    let written = 0;
    while (written < out.byteLength && this.head < this.chunks.length) {
      const chunk = this.chunks[this.head]!;
      const take = Math.min(chunk.byteLength - this.offset, out.byteLength - written);
      out.set(chunk.subarray(this.offset, this.offset + take), written);
      written += take;
      this.offset += take;
      if (this.offset === chunk.byteLength) {
        this.head++;
        this.offset = 0;
      }
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    this.bufferedBytes -= written;
    return written;
  }
}
