import { TransportError } from "@roomkit/spec";
import type {
  AudioDriver,
  AudioInput,
  AudioOutput,
  AudioStreamErrorHandler,
  AudioStreamOptions,
} from "./audio-driver.ts";

/** One stream the fake driver opened (for assertions). */
export interface FakeStreamRecord {
  kind: "output" | "input";
  options: AudioStreamOptions;
  closed: boolean;
}

export interface FakeAudioDriverOptions {
  /** The output supports `flush` (as the pulse driver's does): it zeroes `queuedAheadMs` and counts. Default true. */
  flush?: boolean;
}

/**
 * A driver with a manual clock for unit tests: `tick(n)` renders n speaker blocks (what a device callback does),
 * `speak(pcm)` delivers microphone audio, `played` keeps every rendered block. `failNextOpen` and `unplug` simulate
 * a missing tool and a device lost mid-call.
 */
export class FakeAudioDriver implements AudioDriver {
  readonly name = "fake";
  /** How many times the output was flushed (barge-in while playing). */
  flushes = 0;
  private readonly canFlush: boolean;
  readonly streams: FakeStreamRecord[] = [];
  /** Every rendered speaker block, in order. */
  readonly played: Uint8Array[] = [];
  /** Reported by the output as audio written but not yet heard. */
  queuedAheadMs = 0;
  private render: ((block: Uint8Array) => void) | undefined;
  private outputOptions: AudioStreamOptions | undefined;
  private onMic: ((block: Uint8Array) => void) | undefined;
  private errorHandlers = new Set<AudioStreamErrorHandler>();
  private nextOpenError: Error | undefined;
  private outputCloseError: Error | undefined;

  constructor(options: FakeAudioDriverOptions = {}) {
    this.canFlush = options.flush ?? true;
  }

  /** Closing the output stream rejects with this error (the stream is closed all the same). */
  failOutputClose(error: Error = new TransportError("fake close failed")): void {
    this.outputCloseError = error;
  }

  /** The next `openOutput`/`openInput` rejects with this error. */
  failNextOpen(error: Error = new TransportError("fake device missing")): void {
    this.nextOpenError = error;
  }

  get outputOpen(): boolean {
    return this.render !== undefined;
  }
  get inputOpen(): boolean {
    return this.onMic !== undefined;
  }

  async openOutput(
    options: AudioStreamOptions,
    render: (block: Uint8Array) => void,
    onError: AudioStreamErrorHandler,
  ): Promise<AudioOutput> {
    this.throwIfFailing();
    const record: FakeStreamRecord = { kind: "output", options, closed: false };
    this.streams.push(record);
    this.render = render;
    this.outputOptions = options;
    this.errorHandlers.add(onError);
    const flush = () => {
      this.flushes++;
      this.queuedAheadMs = 0;
    };
    return {
      pids: [],
      queuedAheadMs: () => this.queuedAheadMs,
      ...(this.canFlush ? { flush } : {}),
      close: async () => {
        record.closed = true;
        this.render = undefined;
        this.errorHandlers.delete(onError);
        if (this.outputCloseError) throw this.outputCloseError;
      },
    };
  }

  async openInput(
    options: AudioStreamOptions,
    onBlock: (block: Uint8Array) => void,
    onError: AudioStreamErrorHandler,
  ): Promise<AudioInput> {
    this.throwIfFailing();
    const record: FakeStreamRecord = { kind: "input", options, closed: false };
    this.streams.push(record);
    this.onMic = onBlock;
    this.errorHandlers.add(onError);
    return {
      pids: [],
      close: async () => {
        record.closed = true;
        this.onMic = undefined;
        this.errorHandlers.delete(onError);
      },
    };
  }

  /** Renders `blocks` speaker blocks; returns them. */
  tick(blocks = 1): Uint8Array[] {
    const out: Uint8Array[] = [];
    const options = this.outputOptions;
    if (!this.render || !options) return out;
    for (let index = 0; index < blocks && this.render; index++) {
      const block = new Uint8Array(options.blockFrames * options.channels * 2);
      this.render(block);
      this.played.push(block);
      out.push(block);
    }
    return out;
  }

  /** Delivers one microphone block. */
  speak(pcm: Uint8Array): void {
    this.onMic?.(pcm);
  }

  /** Every open stream fails as if its helper process exited. */
  unplug(error: Error = new TransportError("fake device unplugged")): void {
    for (const handler of [...this.errorHandlers]) handler(error);
  }

  private throwIfFailing(): void {
    const error = this.nextOpenError;
    this.nextOpenError = undefined;
    if (error) throw error;
  }
}
