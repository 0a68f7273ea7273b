import type { Logger } from "@roomkit/spec";

/**
 * A transport-level echo canceller (the original's `AECProvider`, duck-typed): the speaker's blocks are its
 * reference and every mic block goes through `process` before the session sees it. Mic and speaker blocks have the
 * same rate and size here, so references need no re-blocking or resampling.
 */
export interface TransportAec {
  /** Removes the echo from one mic block of `streamId` (the session id); returns the block to deliver. */
  process(block: Uint8Array, streamId: string): Uint8Array;
  /** One speaker block about to be heard (silence included while playback is active). */
  feedReference(block: Uint8Array, streamId: string): void;
  /** Playback started (true) or ended (false): the learned filter is kept either way. */
  setStreamActive(streamId: string, active: boolean): void;
  /** Delay from reference to echo, ms; 0 = unknown (the transport then sets it from its latencies). */
  readonly streamDelayMs?: number;
  setStreamDelayMs?(ms: number): void;
  /** Forget the stream (called when its session disconnects). */
  reset?(streamId: string): void;
  close?(): void | Promise<void>;
}

/** The most the auto-configured delay may be, ms. */
export const MAX_AEC_DELAY_MS = 500;

/**
 * Drives a `TransportAec` from the speaker and the mic: playback becomes active at the first block with audio (retried
 * on the next one if `setStreamActive` threw), every block is fed as reference while active, and playback ends when
 * the response has drained, on `interrupt`, or when the session goes. A misbehaving AEC is logged, never fatal.
 */
export class AecLink {
  private readonly aec: TransportAec;
  private readonly logger: Logger;
  private activeStream: string | undefined;

  constructor(aec: TransportAec, logger: Logger) {
    this.aec = aec;
    this.logger = logger;
  }

  /** Sets the delay from the stream latencies unless the AEC has one: capture + everything ahead of the speaker. */
  configureDelay(inputLatencyMs: number, outputLatencyMs: number): void {
    if ((this.aec.streamDelayMs ?? 0) !== 0 || !this.aec.setStreamDelayMs) return;
    const delay = Math.min(MAX_AEC_DELAY_MS, Math.round(inputLatencyMs + outputLatencyMs));
    if (delay > 0) this.aec.setStreamDelayMs(delay);
  }

  /** One rendered speaker block; `paused`: the mic is not delivering (nothing to cancel), so nothing is fed. */
  speakerBlock(block: Uint8Array, streamId: string, written: number, playbackEnded: boolean, paused: boolean): void {
    if (paused) return;
    if (written > 0 && this.activeStream === undefined) {
      try {
        this.aec.setStreamActive(streamId, true);
        this.activeStream = streamId;
      } catch (error) {
        this.logger.warn(`LocalAudioBackend: AEC setStreamActive failed, retrying: ${(error as Error).message}`);
      }
    }
    if (this.activeStream === undefined) return;
    this.guard("feedReference", () => this.aec.feedReference(block, streamId));
    if (playbackEnded) this.end();
  }

  micBlock(block: Uint8Array, streamId: string): Uint8Array {
    try {
      return this.aec.process(block, streamId);
    } catch (error) {
      this.logger.warn(`LocalAudioBackend: AEC process failed, passing the block through: ${(error as Error).message}`);
      return block;
    }
  }

  /** Playback ended (drained, interrupted, stream closed): the filter is kept. */
  end(): void {
    const stream = this.activeStream;
    if (stream === undefined) return;
    this.activeStream = undefined;
    this.guard("setStreamActive", () => this.aec.setStreamActive(stream, false));
  }

  forget(streamId: string): void {
    if (this.activeStream === streamId) this.end();
    this.guard("reset", () => this.aec.reset?.(streamId));
  }

  async close(): Promise<void> {
    this.end();
    try {
      await this.aec.close?.();
    } catch (error) {
      this.logger.warn(`LocalAudioBackend: AEC close failed: ${(error as Error).message}`);
    }
  }

  private guard(what: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.warn(`LocalAudioBackend: AEC ${what} failed: ${(error as Error).message}`);
    }
  }
}
