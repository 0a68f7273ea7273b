import { parseOptions, TransportError } from "@roomkit/spec";
import { z } from "zod";
import type { AudioDriver, AudioInput } from "./drivers/audio-driver.ts";
import { resolveDriver } from "./drivers/detect-driver.ts";

/** A position in a capture source's audio (from `mark()`); pass it as `metadata.captureSince` to replay from it. */
export interface CaptureMark {
  readonly kind: "roomkit.capture-mark";
  /** Frames the source had delivered when the mark was taken. */
  readonly frame: number;
  readonly source: LocalCaptureSource;
}

const schema = z.strictObject({
  /** PCM16 rate. Default 24000. */
  sampleRate: z.number().int().positive().optional(),
  channels: z.union([z.literal(1), z.literal(2)]).optional(),
  /** Block size, ms. Default 20. */
  blockDurationMs: z.number().positive().max(200).optional(),
  device: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
  driver: z
    .union([
      z.enum(["auto", "pulse", "alsa"]),
      z.custom<AudioDriver>((value) => typeof (value as AudioDriver | undefined)?.openInput === "function"),
    ])
    .optional(),
  pulseServer: z.string().min(1).optional(),
  /** Device buffer asked of the tool, ms. Default 20. */
  deviceLatencyMs: z.number().positive().max(1000).optional(),
  /** How much recent audio is kept for `captureSince` replay, seconds. Default 10. */
  historySeconds: z.number().nonnegative().max(600).optional(),
});

export type LocalCaptureSourceOptions = z.input<typeof schema>;

type Subscriber = { onBlock: (block: Uint8Array) => void; onError: (error: Error) => void };

/**
 * One microphone shared by several consumers (a wake-word detector and the voice session it starts): it runs until
 * `close()`, whoever subscribes or leaves. It keeps the last `historySeconds` of audio, so speech captured before a
 * session started (from a `mark()`) can be replayed to it: `LocalAudioBackend({ source })` does that when the session
 * has `metadata.captureSince`. The source owns the format: the transport takes its rate, channels and block size.
 */
export class LocalCaptureSource {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly blockDurationMs: number;
  private readonly options: z.output<typeof schema>;
  private readonly subscribers = new Set<Subscriber>();
  private readonly history: Array<{ frame: number; block: Uint8Array }> = [];
  private readonly historyFrames: number;
  private frames = 0;
  private input: AudioInput | undefined;
  private starting: Promise<void> | undefined;

  constructor(options: LocalCaptureSourceOptions = {}) {
    this.options = parseOptions("LocalCaptureSource", schema, options ?? {});
    this.sampleRate = this.options.sampleRate ?? 24000;
    this.channels = this.options.channels ?? 1;
    this.blockDurationMs = this.options.blockDurationMs ?? 20;
    this.historyFrames = Math.round((this.options.historySeconds ?? 10) * this.sampleRate);
  }

  get running(): boolean {
    return this.input !== undefined;
  }
  get subscriberCount(): number {
    return this.subscribers.size;
  }
  /** The helper process ids (for leak checks). */
  get helperPids(): readonly number[] {
    return this.input?.pids ?? [];
  }

  /** Opens the microphone (idempotent); rejects with a TransportError naming the fix. */
  start(): Promise<void> {
    if (this.input) return Promise.resolve();
    this.starting ??= this.open().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** The current position, for a later `captureSince` replay. */
  mark(): CaptureMark {
    return { kind: "roomkit.capture-mark", frame: this.frames, source: this };
  }

  /** The blocks captured since `mark` that are still kept, oldest first. */
  since(mark: CaptureMark): Uint8Array[] {
    return this.history.filter((entry) => entry.frame >= mark.frame).map((entry) => entry.block);
  }

  /** Live blocks from now on; `onError` if the microphone goes away. Returns the unsubscribe function. */
  subscribe(onBlock: (block: Uint8Array) => void, onError: (error: Error) => void = () => undefined): () => void {
    const subscriber = { onBlock, onError };
    this.subscribers.add(subscriber);
    return () => void this.subscribers.delete(subscriber);
  }

  /** Stops the microphone; subscribers stay registered but get nothing more. Idempotent. */
  async close(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const input = this.input;
    this.input = undefined;
    await input?.close();
  }

  private async open(): Promise<void> {
    const choice = this.options.driver ?? "auto";
    const driver =
      typeof choice === "string" ? resolveDriver(choice, { pulseServer: this.options.pulseServer }) : choice;
    const blockFrames = Math.max(1, Math.round((this.sampleRate * this.blockDurationMs) / 1000));
    try {
      this.input = await driver.openInput(
        {
          sampleRate: this.sampleRate,
          channels: this.channels,
          blockFrames,
          device: this.options.device,
          latencyMs: this.options.deviceLatencyMs ?? 20,
          leadMs: 0,
        },
        (block) => this.deliver(block),
        (error) => this.lost(error),
      );
    } catch (error) {
      throw TransportError.isInstance(error)
        ? error
        : new TransportError({ message: `LocalCaptureSource: ${(error as Error).message}`, cause: error });
    }
  }

  private deliver(block: Uint8Array): void {
    this.history.push({ frame: this.frames, block });
    this.frames += block.byteLength / (2 * this.channels);
    while (this.history.length > 0 && this.history[0]!.frame < this.frames - this.historyFrames) this.history.shift();
    for (const subscriber of [...this.subscribers]) subscriber.onBlock(block);
  }

  private lost(error: Error): void {
    this.input = undefined;
    for (const subscriber of [...this.subscribers]) subscriber.onError(error);
  }
}

/** Whether `value` is a mark taken from `source`. */
export function isCaptureMark(value: unknown, source: LocalCaptureSource): value is CaptureMark {
  const mark = value as CaptureMark | undefined;
  return mark?.kind === "roomkit.capture-mark" && mark.source === source && Number.isFinite(mark.frame);
}
