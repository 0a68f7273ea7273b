import { type Clock, createConsoleLogger, InvalidArgumentError, type Logger, systemClock } from "@roomkit/spec";
import { assertFiniteInRange, assertPcm16, assertSampleRate } from "../validate.ts";
import { PacerQueue, RESPONSE_END, STOP, TIMEOUT, type TakeResult, WOKEN } from "./pacer-queue.ts";

export interface OutboundAudioPacerOptions {
  /** Receives the paced audio. May return a promise; the pacer awaits it before the next send. Errors are logged. */
  send: (pcm: Uint8Array) => void | Promise<void>;
  /** Sample rate of the PCM16 audio; must give whole 20 ms frames (a multiple of 50). */
  sampleRate: number;
  /** Interleaved channels (default 1). */
  channels?: number;
  /** Audio gathered before the first send of a response and sent as one burst (default 80 ms). */
  prebufferMs?: number;
  /** How far ahead of the wall clock the audio is kept (default 60 ms). */
  jitterHeadroomMs?: number;
  /** Send 20 ms zero frames while idle and after an underrun (default false). Never while still ahead. */
  fillWithSilenceWhenIdle?: boolean;
  clock?: Clock;
  logger?: Logger;
}

const FRAME_MS = 20;
const PREBUFFER_READ_TIMEOUT_MS = 100;
const STOP_GRACE_MS = 2000;
const MIN_SLEEP_MS = 2;
const LOGGED_UNDERRUNS = 5;

/**
 * Releases audio that a provider streams faster than real time at wall-clock rate, slightly ahead (the jitter headroom),
 * so the far end never starves and a barge-in can drop what is still queued. 20 ms frames; each response gets its own
 * pre-buffer burst; `interrupt()` drains within one frame. Behaviour follows RoomKit's Python `OutboundAudioPacer`.
 */
export class OutboundAudioPacer {
  readonly sampleRate: number;
  readonly channels: number;
  readonly frameBytes: number;
  readonly prebufferBytes: number;
  readonly jitterHeadroomMs: number;
  readonly fillWithSilenceWhenIdle: boolean;
  private readonly sendFunction: (pcm: Uint8Array) => void | Promise<void>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly bytesPerMs: number;
  private readonly silenceFrame: Uint8Array;
  private readonly queue: PacerQueue;
  private interrupted = false;
  private responseDone = true;
  private doneWaiters: Array<() => void> = [];
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private cancelled = false;
  private paceStart = 0;
  private cumulativeMs = 0;
  private responseUnderruns = 0;
  private responseMaxBehindMs = 0;
  private audioSentMs = 0;
  private currentResponseSentMs = 0;
  private silenceMs = 0;
  private totalUnderruns = 0;
  private sendErrors = 0;

  constructor(options: OutboundAudioPacerOptions) {
    if (typeof options?.send !== "function") throw new InvalidArgumentError("send must be a function");
    assertSampleRate(options.sampleRate, "sampleRate");
    if (options.sampleRate % 50 !== 0) {
      throw new InvalidArgumentError(
        `sampleRate must be a multiple of 50 (whole 20 ms frames), got ${options.sampleRate}`,
      );
    }
    this.channels = options.channels ?? 1;
    if (this.channels !== 1 && this.channels !== 2) {
      throw new InvalidArgumentError(`channels must be 1 or 2, got ${this.channels}`);
    }
    const prebufferMs = options.prebufferMs ?? 80;
    this.jitterHeadroomMs = options.jitterHeadroomMs ?? 60;
    assertFiniteInRange(prebufferMs, "prebufferMs", 0, 10_000);
    assertFiniteInRange(this.jitterHeadroomMs, "jitterHeadroomMs", 0, 10_000);
    this.sampleRate = options.sampleRate;
    this.sendFunction = options.send;
    this.fillWithSilenceWhenIdle = options.fillWithSilenceWhenIdle ?? false;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createConsoleLogger({ name: "roomkit.pacer" });
    const sampleBytes = 2 * this.channels;
    this.bytesPerMs = (this.sampleRate * sampleBytes) / 1000;
    this.frameBytes = (this.sampleRate / 50) * sampleBytes;
    this.prebufferBytes = Math.round((prebufferMs * this.sampleRate) / 1000) * sampleBytes;
    this.silenceFrame = new Uint8Array(this.frameBytes);
    this.queue = new PacerQueue(this.clock);
  }

  /** Milliseconds of pushed (non-silence) audio handed to `send` since construction: the sent position. */
  get sentMs(): number {
    return this.audioSentMs;
  }
  /** Milliseconds of the current (or last) response's audio handed to `send`. */
  get responseSentMs(): number {
    return this.currentResponseSentMs;
  }
  /** Milliseconds of silence-fill frames sent. */
  get silenceSentMs(): number {
    return this.silenceMs;
  }
  /** Underruns (a read timed out while behind the wall clock) since construction. */
  get underruns(): number {
    return this.totalUnderruns;
  }
  /** `send` calls that threw or rejected (logged, then the pacer carried on). */
  get failedSends(): number {
    return this.sendErrors;
  }
  get running(): boolean {
    return this.loop !== undefined && this.stopping === undefined;
  }

  /** Queues audio. Empty input is ignored; odd byte length ⇒ `InvalidArgumentError`; ignored after `stop()`. */
  push(pcm: Uint8Array): void {
    assertPcm16(pcm);
    if (pcm.byteLength === 0 || this.stopping) return;
    this.queue.put(pcm);
  }

  /** Marks the end of the current response: the pacer flushes it, then `waitForResponseDone` resolves. */
  endOfResponse(): void {
    if (this.stopping) return;
    this.responseDone = false;
    this.queue.put(RESPONSE_END);
  }

  /** Resolves when the response in flight has been flushed, was interrupted, or immediately when idle. */
  waitForResponseDone(): Promise<void> {
    if (this.responseDone) return Promise.resolve();
    return new Promise((resolve) => this.doneWaiters.push(resolve));
  }

  /** Barge-in: drops everything queued, wakes a pacing sleep, and resolves `waitForResponseDone`. */
  interrupt(): void {
    this.queue.clear();
    this.interrupted = true;
    this.queue.wake();
    this.setDone();
  }

  /** Starts the pacing loop (idempotent). Can start again after `stop()` has finished. */
  start(): void {
    if (this.loop) return;
    this.cancelled = false;
    this.stopping = undefined;
    this.loop = this.run()
      .catch((error: unknown) => this.logger.error("pacer loop failed", { error: String(error) }))
      .finally(() => {
        this.loop = undefined;
        this.setDone();
      });
  }

  /**
   * Lets the loop send what is already queued, then exits; after 2 s it is cancelled. Idempotent: every call returns
   * the same promise until the loop has ended.
   */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    const loop = this.loop;
    if (!loop) {
      this.setDone();
      return Promise.resolve();
    }
    this.queue.put(STOP);
    this.stopping = new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.cancelled = true;
        this.queue.clear();
        this.queue.wake();
        this.logger.warn("pacer did not stop within 2 s; cancelled");
        resolve();
      }, STOP_GRACE_MS);
      loop.then(() => {
        this.clock.clearTimeout(timer);
        resolve();
      });
    });
    return this.stopping;
  }

  private setDone(): void {
    this.responseDone = true;
    const waiters = this.doneWaiters;
    if (waiters.length === 0) return;
    this.doneWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private durationMs(bytes: number): number {
    return bytes / this.bytesPerMs;
  }

  /** Sends, awaiting only when `send` returned a promise; failures are logged and counted. */
  private async deliver(pcm: Uint8Array, silence: boolean): Promise<void> {
    if (silence) this.silenceMs += FRAME_MS;
    else {
      const ms = this.durationMs(pcm.byteLength);
      this.audioSentMs += ms;
      this.currentResponseSentMs += ms;
    }
    try {
      const result = this.sendFunction(pcm);
      if (result && typeof (result as Promise<void>).then === "function") await result;
    } catch (error) {
      this.sendErrors++;
      this.logger.warn("pacer send failed", { error: String(error) });
    }
  }

  private aheadMs(): number {
    return this.cumulativeMs - (this.clock.now() - this.paceStart);
  }

  /** Sleeps so the audio stays `jitterHeadroomMs` ahead; an interrupt or stop wakes it early. */
  private async sleepIfAhead(): Promise<void> {
    const wait = this.aheadMs() - this.jitterHeadroomMs;
    if (wait > MIN_SLEEP_MS) await this.queue.sleep(wait);
  }

  private async sendPaced(data: Uint8Array): Promise<void> {
    for (let offset = 0; offset < data.byteLength; offset += this.frameBytes) {
      if (this.interrupted || this.cancelled) return;
      const frame = data.subarray(offset, offset + this.frameBytes);
      await this.deliver(frame, false);
      this.cumulativeMs += this.durationMs(frame.byteLength);
      await this.sleepIfAhead();
    }
  }

  private async run(): Promise<void> {
    while (!this.cancelled) {
      // 1. Idle: wait for the next response (optionally sending silence).
      const first = await this.queue.take(this.fillWithSilenceWhenIdle ? FRAME_MS : undefined);
      if (this.cancelled || first === STOP) return;
      if (first === TIMEOUT) {
        await this.deliver(this.silenceFrame, true);
        continue;
      }
      if (first === RESPONSE_END) {
        this.setDone();
        continue;
      }
      if (first === WOKEN) continue;
      if (await this.playResponse(first)) return;
    }
  }

  /** One response, from its first audio; returns true when the loop must exit. */
  private async playResponse(first: Uint8Array): Promise<boolean> {
    this.interrupted = false;
    this.currentResponseSentMs = 0;
    this.responseUnderruns = 0;
    this.responseMaxBehindMs = 0;
    // 2. Pre-buffer.
    const parts: Uint8Array[] = [first];
    let buffered = first.byteLength;
    let ended = false;
    let stopped = false;
    while (buffered < this.prebufferBytes) {
      const next = await this.queue.take(PREBUFFER_READ_TIMEOUT_MS);
      if (next === TIMEOUT || next === WOKEN) break;
      if (next === STOP) {
        stopped = true;
        break;
      }
      if (next === RESPONSE_END) {
        ended = true;
        break;
      }
      parts.push(next);
      buffered += next.byteLength;
    }
    if (this.cancelled) return true;
    if (this.interrupted) return false;
    const all = parts.length === 1 ? first : concatenate(parts, buffered);
    if (stopped) {
      await this.deliver(all, false);
      return true;
    }
    // 3. Burst.
    const burstLength = Math.min(all.byteLength, this.prebufferBytes);
    const overflow = all.subarray(burstLength);
    if (burstLength > 0) await this.deliver(all.subarray(0, burstLength), false);
    if (ended) {
      if (overflow.byteLength > 0 && !this.interrupted) await this.deliver(overflow, false);
      this.setDone();
      return this.cancelled;
    }
    // 4. Pace the overflow.
    this.paceStart = this.clock.now();
    this.cumulativeMs = this.durationMs(burstLength);
    if (overflow.byteLength > 0) await this.sendPaced(overflow);
    // 5. Paced phase.
    return this.pacedPhase();
  }

  private async pacedPhase(): Promise<boolean> {
    while (true) {
      if (this.cancelled) return true;
      if (this.interrupted) return false;
      const ahead = this.aheadMs();
      const timeout = this.fillWithSilenceWhenIdle ? FRAME_MS : Math.max(ahead + 100, 100);
      const next: TakeResult = await this.queue.take(timeout);
      if (this.cancelled || next === STOP) return true;
      if (next === WOKEN) continue;
      if (next === TIMEOUT) {
        await this.onTimeout();
        continue;
      }
      if (next === RESPONSE_END) {
        if (this.responseUnderruns > 0) {
          this.logger.info("pacer response finished", {
            underruns: this.responseUnderruns,
            maxBehindMs: Math.round(this.responseMaxBehindMs),
          });
        }
        this.setDone();
        return false;
      }
      if (next.byteLength > 2 * this.frameBytes) await this.sendPaced(next);
      else {
        await this.deliver(next, false);
        this.cumulativeMs += this.durationMs(next.byteLength);
        await this.sleepIfAhead();
      }
    }
  }

  private async onTimeout(): Promise<void> {
    const behindMs = -this.aheadMs();
    // While still ahead of the wall clock this is only a poll: never splice silence into bursty speech.
    if (behindMs <= 0) return;
    this.responseUnderruns++;
    this.totalUnderruns++;
    if (behindMs > this.responseMaxBehindMs) this.responseMaxBehindMs = behindMs;
    if (this.responseUnderruns <= LOGGED_UNDERRUNS) {
      this.logger.warn("pacer underrun", { behindMs: Math.round(behindMs), count: this.responseUnderruns });
    }
    if (this.fillWithSilenceWhenIdle) {
      await this.deliver(this.silenceFrame, true);
      this.cumulativeMs += FRAME_MS;
    }
  }
}

function concatenate(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
