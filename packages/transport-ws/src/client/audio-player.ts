import { PLAYBACK_PROCESSOR_NAME, PLAYBACK_WORKLET_SOURCE } from "./worklets/playback-worklet-source.ts";
import { loadWorkletSource } from "./worklet-loader.ts";

export interface PlayerStatus {
  /** Played since the last reset (clear or new response), in ms. */
  playedMs: number;
  bufferedMs: number;
  playing: boolean;
  /** RMS of what played since the previous status (0..1). */
  level: number;
  underruns: number;
  dropped: number;
}

export interface ClearResult {
  /** From `clear()` to the worklet confirming an empty buffer. */
  latencyMs: number;
  /** Samples (context rate) that were discarded. */
  discarded: number;
}

export interface AudioPlayerOptions {
  context: AudioContext;
  /** Rate of the PCM16 the server sends (the session's output rate). */
  sourceRate: number;
  /** Buffered audio before playback starts (and after an underrun). Default 60 ms. */
  jitterMs?: number;
  onStatus?: (status: PlayerStatus) => void;
}

/** Server audio → jitter buffer in an AudioWorklet → speakers. `clear()` empties it at once (barge-in). */
export class AudioPlayer {
  status: PlayerStatus = { playedMs: 0, bufferedMs: 0, playing: false, level: 0, underruns: 0, dropped: 0 };
  readonly #node: AudioWorkletNode;
  readonly #pendingClears = new Map<number, { startedAt: number; resolve: (result: ClearResult) => void }>();
  #nextClearId = 0;

  private constructor(node: AudioWorkletNode, onStatus: ((status: PlayerStatus) => void) | undefined) {
    this.#node = node;
    node.port.onmessage = (event: MessageEvent) => {
      const data = event.data as { type: string } & Record<string, unknown>;
      if (data.type === "status") {
        this.status = data as unknown as PlayerStatus;
        onStatus?.(this.status);
      } else if (data.type === "cleared") {
        const pending = this.#pendingClears.get(data.id as number);
        if (pending === undefined) return;
        this.#pendingClears.delete(data.id as number);
        pending.resolve({ latencyMs: performance.now() - pending.startedAt, discarded: data.discarded as number });
      }
    };
  }

  static async create(options: AudioPlayerOptions): Promise<AudioPlayer> {
    await loadWorkletSource(options.context, PLAYBACK_PROCESSOR_NAME, PLAYBACK_WORKLET_SOURCE);
    const node = new AudioWorkletNode(options.context, PLAYBACK_PROCESSOR_NAME, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { sourceRate: options.sourceRate, jitterMs: options.jitterMs ?? 60, reportMs: 100 },
    });
    node.connect(options.context.destination);
    return new AudioPlayer(node, options.onStatus);
  }

  /** Queues PCM16 LE mono at the source rate. The bytes are copied. */
  push(pcm: Uint8Array): void {
    const samples = new Int16Array(pcm.byteLength >> 1);
    new Uint8Array(samples.buffer).set(pcm.subarray(0, samples.length * 2));
    this.#node.port.postMessage({ type: "push", pcm: samples.buffer }, [samples.buffer]);
  }

  /** Empties the buffer now; resolves when the worklet confirms. */
  clear(): Promise<ClearResult> {
    const id = ++this.#nextClearId;
    return new Promise((resolve) => {
      this.#pendingClears.set(id, { startedAt: performance.now(), resolve });
      this.#node.port.postMessage({ type: "clear", id });
    });
  }

  /** Lets the tail play even if it is shorter than the jitter buffer. */
  endOfResponse(): void {
    this.#node.port.postMessage({ type: "end" });
  }

  /** Restarts the played position (a new response). */
  resetPosition(): void {
    this.#node.port.postMessage({ type: "resetPosition" });
  }

  stop(): void {
    this.#node.port.onmessage = null;
    this.#node.disconnect();
  }
}
