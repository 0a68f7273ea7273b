import { decodeBase64, encodeBase64 } from "@roomkit/audio";
import { type Logger, type ProviderConnectOptions, ProviderConnectionError } from "@roomkit/spec";
import type { ConnectionEvents, GeminiSessionStats } from "./connection-events.ts";
import type { LiveSessionLike } from "./live-connector.ts";
import { PreRoll, ReplayBuffer } from "./replay-buffer.ts";

/** Manual VAD: caller audio kept before `activityStart` and sent right after it. */
const PRE_ROLL_MS = 300;

export interface CallerInputOptions {
  stats: GeminiSessionStats;
  logger: Logger;
  events: Pick<ConnectionEvents, "error">;
  /** Frames held while reconnecting, and frames kept since the latest handle. */
  capacity: number;
  /** The open connection, or undefined while none is (input is then held). */
  live(): LiveSessionLike | undefined;
  /** The session's options: the VAD mode and the input rate. */
  options(): ProviderConnectOptions;
  audioMimeType(rate: number): string;
  /** Realtime input went out (from then on injections go as realtime text). */
  onRealtimeInput(): void;
  /** A send failed: the connection must be replaced. */
  onSendFailed(): void;
}

/**
 * The caller's side of one session's connection: audio frames and manual-VAD activity markers, sent as they come
 * while a connection is open, held in order while none is, and replayed when one opens (audio sent since the
 * latest handle first, for a resumed session has not heard it). With manual VAD only audio inside
 * `activityStart`…`activityEnd` goes out, with a 300 ms pre-roll.
 */
export class CallerInput {
  /** What a reconnect replays (the connection marks handles and takes the since-handle audio). */
  readonly replay: ReplayBuffer;
  readonly #options: CallerInputOptions;
  readonly #preRoll: PreRoll;
  /** Manual VAD: between the caller's `activityStart` and `activityEnd`. */
  #activityOpen = false;
  #audioStreamStarted = false;
  #sendErrorReported = false;

  constructor(options: CallerInputOptions) {
    this.#options = options;
    this.replay = new ReplayBuffer({ capacity: options.capacity, stats: options.stats, logger: options.logger });
    const rate = options.options().inputSampleRate;
    this.#preRoll = new PreRoll(Math.round((rate * 2 * PRE_ROLL_MS) / 1000));
  }

  sendAudio(pcm: Uint8Array): void {
    // Manual VAD: only audio inside an activity goes out; the rest is kept as the next activity's pre-roll.
    if (!this.#options.options().serverVad && !this.#activityOpen) {
      this.#preRoll.push(pcm);
      return;
    }
    this.#forward(pcm);
  }

  sendActivity(kind: "activityStart" | "activityEnd"): void {
    if (this.#options.options().serverVad) {
      this.#options.logger.warn(`Gemini ignores ${kind} while server VAD is on (it would close the session with 1007)`);
      return;
    }
    const start = kind === "activityStart";
    if (start === this.#activityOpen) return; // a second start (or an end without a start) changes nothing
    this.#activityOpen = start;
    this.#forwardActivity(kind);
    if (start) for (const frame of this.#preRoll.drain()) this.#forward(frame);
  }

  /** Commits the session to the realtime-input path with 20 ms of silence (once). */
  startAudioStream(): void {
    if (this.#options.live() === undefined || this.#audioStreamStarted) return;
    this.#audioStreamStarted = true;
    this.sendAudio(new Uint8Array(Math.round(this.#options.options().inputSampleRate / 50) * 2));
  }

  /** A connection opened: the audio sent since the latest handle (when resumed), then the held input, in order. */
  connected(live: LiveSessionLike, sinceHandle: readonly string[]): void {
    this.#sendErrorReported = false;
    // The replay window holds base64 this session encoded, so decoding it back cannot fail.
    for (let index = 0; index < sinceHandle.length; index++) {
      if (this.#options.live() === undefined) {
        for (const data of sinceHandle.slice(index)) this.replay.hold(decodeBase64(data)!);
        break;
      }
      try {
        this.#sendEncoded(live, sinceHandle[index]!);
        this.#options.stats.audioFramesReplayed++;
      } catch {
        for (const data of sinceHandle.slice(index)) this.replay.hold(decodeBase64(data)!);
        this.#options.onSendFailed();
        break;
      }
    }
    for (const item of this.replay.drainHeld()) {
      if (typeof item === "string") this.#forwardActivity(item);
      else this.#forward(item);
    }
  }

  clear(): void {
    this.replay.clear();
    this.#preRoll.clear();
  }

  /** Sends caller audio now, or holds it while no connection is open. */
  #forward(pcm: Uint8Array): void {
    const live = this.#options.live();
    if (live === undefined) {
      this.replay.hold(pcm);
      return;
    }
    try {
      this.#sendEncoded(live, encodeBase64(pcm));
    } catch (error) {
      this.replay.hold(pcm);
      if (!this.#sendErrorReported) {
        this.#sendErrorReported = true;
        this.#options.events.error(
          new ProviderConnectionError({
            code: "send_audio_failed",
            message: `Sending audio to Gemini failed: ${error instanceof Error ? error.message : String(error)}`,
            recoverable: true,
            cause: error,
          }),
        );
      }
      this.#options.onSendFailed();
    }
  }

  #forwardActivity(kind: "activityStart" | "activityEnd"): void {
    const live = this.#options.live();
    if (live === undefined) {
      this.replay.hold(kind);
      return;
    }
    live.sendRealtimeInput(kind === "activityStart" ? { activityStart: {} } : { activityEnd: {} });
    this.#options.onRealtimeInput();
  }

  /** Sends base64 audio and remembers it until the next resumable handle (no copy: the string is kept). */
  #sendEncoded(live: LiveSessionLike, data: string): void {
    const mimeType = this.#options.audioMimeType(this.#options.options().inputSampleRate);
    live.sendRealtimeInput({ audio: { data, mimeType } });
    this.#options.onRealtimeInput();
    this.#options.stats.audioFramesSent++;
    this.replay.sent(data);
  }
}
