/** How a driver opens the speaker or the microphone: raw PCM16 LE, interleaved. */
export interface AudioStreamOptions {
  sampleRate: number;
  channels: number;
  /** Frames per block handed to `render` / `onBlock`. */
  blockFrames: number;
  /** Device name or index as the tool understands it; undefined = the system default. */
  device?: string | number;
  /** The device buffer the tool asks for (`--latency-msec`, `--buffer-time`). */
  latencyMs: number;
  /** Output only: how far ahead of the device clock to keep written audio. */
  leadMs: number;
}

/** An open speaker stream. `render` is called once per block with a full buffer to fill. */
export interface AudioOutput {
  /** Audio written but not yet heard (ms): frames are reported when handed over, this long before they are heard. */
  queuedAheadMs(): number;
  /** Child process ids (empty for the fake driver), for tests that assert none is left. */
  readonly pids: readonly number[];
  /**
   * Barge-in: drop what was handed to the device and is not heard yet (`interrupt` calls it while playing). Blocks
   * rendered from now on are played as usual. Optional: without it the queued tail plays out.
   */
  flush?(): void;
  /** Times the device ran dry (the tool reported an underrun): the pacing fell behind. Optional. */
  readonly deviceUnderruns?: number;
  close(): Promise<void>;
}

export interface AudioInput {
  readonly pids: readonly number[];
  close(): Promise<void>;
}

/** Called when a stream dies (the helper process exited, the device went away). */
export type AudioStreamErrorHandler = (error: Error) => void;

/** A way to reach the machine's speaker and microphone. */
export interface AudioDriver {
  readonly name: string;
  openOutput(
    options: AudioStreamOptions,
    render: (block: Uint8Array) => void,
    onError: AudioStreamErrorHandler,
  ): Promise<AudioOutput>;
  openInput(
    options: AudioStreamOptions,
    onBlock: (block: Uint8Array) => void,
    onError: AudioStreamErrorHandler,
  ): Promise<AudioInput>;
}
