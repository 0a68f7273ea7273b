import {
  type Clock,
  type PlayedAudio,
  RealtimeTransport,
  type RealtimeTransportCapabilities,
  systemClock,
  type TransportAcceptOptions,
  type TransportAcceptResult,
  TransportError,
  type VoiceSession,
} from "@roomkit/spec";
import type { AudioDriver, AudioInput, AudioOutput, AudioStreamOptions } from "./drivers/audio-driver.ts";
import { isCaptureMark, type LocalCaptureSource } from "./capture-source.ts";
import { resolveDriver } from "./drivers/detect-driver.ts";
import {
  type LocalAudioOptions,
  type ResolvedLocalAudioOptions,
  resolveLocalAudioOptions,
} from "./local-audio-options.ts";
import { SpeakerBuffer } from "./speaker-buffer.ts";
import { AecLink } from "./transport-aec.ts";

/** A played speaker block, with the original's `played_bytes` / `capture_paused` metadata. */
export interface LocalPlayedAudio extends PlayedAudio {
  /** Bytes of response audio in this block (the rest is silence). */
  playedBytes: number;
  /** The mic was not delivering while this block played (muted, gated or half-duplex). */
  capturePaused: boolean;
}

interface SessionEntry {
  session: VoiceSession;
  muted: boolean;
  gated: boolean;
}

/**
 * The machine's microphone and speakers as a realtime transport, for development. One persistent speaker stream
 * and one microphone stream are shared by the accepted sessions (opened by the first `accept`, closed when the last
 * session disconnects). Audio is PCM16 mono at `sampleRate` in both directions.
 */
export class LocalAudioBackend extends RealtimeTransport {
  readonly name = "LocalAudio";
  override readonly capabilities: RealtimeTransportCapabilities = {
    playbackCallback: true,
    playbackPosition: false,
    interrupt: true,
    inputMute: true,
    dtmf: false,
  };
  readonly options: ResolvedLocalAudioOptions;
  private readonly driverChoice: ResolvedLocalAudioOptions["driver"];
  private readonly clock: Clock;
  private readonly speaker: SpeakerBuffer;
  private readonly sessions = new Map<string, SessionEntry>();
  private output: AudioOutput | undefined;
  private input: AudioInput | undefined;
  private opening: Promise<void> | undefined;
  /** `onDeviceLost: "wait"`: the pending reopen attempt, while the device is gone. */
  private retryTimer: unknown;
  private deviceLost = false;
  private playing = false;
  /**
   * Half-duplex release point, in microphone frames: playback has physically ended (plus the tail) once the mic
   * has delivered this many frames. Counted on the capture clock, so mic blocks that arrive late (a loaded machine)
   * still carry their echo inside the hold.
   */
  private holdUntil: number | undefined;
  /** Frames the microphone has delivered since the streams opened. */
  private micFrames = 0;
  private readonly blockFrames: number;
  private monoScratch: Uint8Array | undefined;
  private readonly aec: AecLink | undefined;

  constructor(options: LocalAudioOptions = {}) {
    const resolved = resolveLocalAudioOptions(options);
    super({ logger: resolved.logger });
    this.options = resolved;
    this.driverChoice = resolved.driver;
    this.clock = resolved.clock ?? systemClock;
    this.blockFrames = Math.max(1, Math.round((resolved.sampleRate * resolved.blockDurationMs) / 1000));
    const bytesPerMs = (resolved.sampleRate * 2) / 1000;
    this.aec = resolved.aec ? new AecLink(resolved.aec, this.logger) : undefined;
    this.speaker = new SpeakerBuffer({
      frameBytes: 2,
      prebufferBytes: Math.floor(bytesPerMs * resolved.rtPrebufferMs) & ~1,
      maxBytes: Math.floor(bytesPerMs * resolved.maxBufferSeconds * 1000) & ~1,
      blockMs: (this.blockFrames * 1000) / resolved.sampleRate,
      primeMaxIdleMs: resolved.primeMaxIdleMs,
    });
  }

  /** The speaker feeds a transport-level AEC (the `aec` option). */
  get feedsAecReference(): boolean {
    return this.aec !== undefined;
  }
  /** Mid-response underruns of the speaker since it was opened. */
  get rtUnderruns(): number {
    return this.speaker.underruns;
  }
  /** Times the device itself ran dry since the speaker was opened (drivers that report it; else 0). */
  get deviceUnderruns(): number {
    return this.output?.deviceUnderruns ?? 0;
  }
  /** Bytes the speaker buffer's bound dropped since the last reset. */
  get droppedBytes(): number {
    return this.speaker.droppedBytes;
  }
  /** Bytes queued for the speaker. */
  get bufferedBytes(): number {
    return this.speaker.buffered;
  }
  /** The device went away and `onDeviceLost: "wait"` keeps trying to reopen it. */
  get waitingForDevice(): boolean {
    return this.deviceLost;
  }
  /** Child process ids of the open helper tools (for leak checks). */
  get helperPids(): number[] {
    return [...(this.output?.pids ?? []), ...(this.input?.pids ?? [])];
  }

  getSession(id: string): VoiceSession | undefined {
    return this.sessions.get(id)?.session;
  }
  listSessions(roomId?: string): VoiceSession[] {
    return [...this.sessions.values()].map((entry) => entry.session).filter((s) => !roomId || s.roomId === roomId);
  }

  /**
   * Whether the speaker is playing: true from accepted audio until it has physically ended plus the tail, measured
   * on the microphone's clock.
   */
  isPlaying(): boolean {
    if (this.playing && this.holdUntil !== undefined && this.micFrames >= this.holdUntil) {
      this.playing = false;
      this.holdUntil = undefined;
    }
    return this.playing;
  }

  override async accept(
    session: VoiceSession,
    _connection: unknown,
    options: TransportAcceptOptions = {},
  ): Promise<TransportAcceptResult> {
    options.signal?.throwIfAborted();
    if (!this.sessions.has(session.id)) {
      await this.openStreams();
      if (!this.output) {
        throw new TransportError({ message: "LocalAudioBackend was closed while the device was opening" });
      }
      if (options.signal?.aborted) {
        if (this.sessions.size === 0) await this.closeStreams();
        options.signal.throwIfAborted();
      }
      this.sessions.set(session.id, { session, muted: false, gated: false });
      // As the original's connect(): the stream format and backend, under what the caller already set.
      const rate = this.options.sampleRate;
      const defaults = { inputSampleRate: rate, outputSampleRate: rate, backend: "local_audio" };
      for (const [key, value] of Object.entries(defaults))
        if (!(key in session.metadata)) session.metadata[key] = value;
      if (this.deviceLost) this.deviceBack();
      this.replayCapture(session);
    }
    return { sampleRate: this.options.sampleRate };
  }

  /** The shared microphone: one subscription for every session; the source keeps running after it ends. */
  private async subscribeToSource(source: LocalCaptureSource): Promise<AudioInput> {
    await source.start();
    const unsubscribe = source.subscribe(
      (block) => this.micBlock(block),
      (error) => this.fail(error),
    );
    return { pids: [], close: async () => unsubscribe() };
  }

  /** `metadata.captureSince` (a mark of the source): what the source captured since then goes to this session first. */
  private replayCapture(session: VoiceSession): void {
    const since = session.metadata.captureSince;
    if (since === undefined) return;
    const source = this.options.source;
    if (!source || !isCaptureMark(since, source)) {
      this.logger.warn("LocalAudioBackend: metadata.captureSince is not a mark of this transport's source; ignored");
      return;
    }
    for (const block of source.since(since)) {
      const data = this.options.channels === 2 ? downmix(block) : block;
      void this.fireAudioReceived(session, { data, sampleRate: this.options.sampleRate, channels: 1 });
    }
  }

  override sendAudio(session: VoiceSession, audio: Uint8Array): void {
    // While the device is gone there is nothing to play it on: it would only come out late.
    if (!this.sessions.has(session.id) || audio.byteLength === 0 || this.deviceLost) return;
    const before = this.speaker.droppedBytes;
    const dropped = this.speaker.enqueue(audio);
    if (dropped > 0 && before === 0) {
      this.logger.warn("LocalAudioBackend: speaker buffer full, dropping audio", {
        maxBufferSeconds: this.options.maxBufferSeconds,
      });
    }
    if (dropped < audio.byteLength) {
      this.playing = true;
      this.holdUntil = undefined;
    }
  }

  /**
   * Flushes the speaker buffer now, and (while playing) what the device holds but has not played yet; silence until
   * the next `sendAudio`.
   */
  override interrupt(session: VoiceSession): void {
    if (!this.sessions.has(session.id)) return;
    this.speaker.interrupt();
    this.aec?.end();
    if (!this.playing) return;
    this.output?.flush?.();
    this.holdUntil = this.physicalEnd();
  }

  override endOfResponse(session: VoiceSession): void {
    if (this.sessions.has(session.id)) this.speaker.endOfResponse();
  }

  override setInputMuted(session: VoiceSession, muted: boolean): void {
    const entry = this.sessions.get(session.id);
    if (entry) entry.muted = muted;
  }

  /** Gates the session's mic audio (e.g. while a wake word or tool call holds it), like `setInputMuted`. */
  setInputGated(session: VoiceSession, gated: boolean): void {
    const entry = this.sessions.get(session.id);
    if (entry) entry.gated = gated;
  }

  override async disconnect(session: VoiceSession): Promise<void> {
    if (!this.sessions.delete(session.id)) return;
    this.aec?.forget(session.id);
    // One speaker for every session: it closes only with the last one.
    if (this.sessions.size === 0) await this.shutDown();
  }

  override async close(): Promise<void> {
    this.sessions.clear();
    await this.shutDown();
    await this.aec?.close();
  }

  /** No session left: stop waiting for a lost device, let an open in flight finish, close both streams. */
  private async shutDown(): Promise<void> {
    this.stopWaiting();
    await this.opening?.catch(() => undefined);
    await this.closeStreams();
  }

  private driver(): AudioDriver {
    const choice = this.driverChoice;
    return typeof choice === "string" ? resolveDriver(choice, { pulseServer: this.options.pulseServer }) : choice;
  }

  private openStreams(): Promise<void> {
    if (this.output && this.input) return Promise.resolve();
    this.opening ??= this.doOpenStreams().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async doOpenStreams(): Promise<void> {
    const driver = this.driver();
    const common = {
      sampleRate: this.options.sampleRate,
      channels: this.options.channels,
      blockFrames: this.blockFrames,
      latencyMs: this.options.deviceLatencyMs,
      leadMs: this.options.outputLeadMs,
    };
    this.micFrames = 0;
    // Capture latency + everything ahead of the speaker (the lead includes the device buffer).
    this.aec?.configureDelay(common.latencyMs, common.leadMs + common.latencyMs);
    const outputOptions: AudioStreamOptions = { ...common, device: this.options.outputDevice };
    const inputOptions: AudioStreamOptions = { ...common, device: this.options.inputDevice };
    this.speaker.reset();
    this.playing = false;
    this.holdUntil = undefined;
    try {
      this.output ??= await driver.openOutput(
        outputOptions,
        (block) => this.renderBlock(block),
        (error) => this.fail(error),
      );
      this.input ??= this.options.source
        ? await this.subscribeToSource(this.options.source)
        : await driver.openInput(
            inputOptions,
            (block) => this.micBlock(block),
            (error) => this.fail(error),
          );
    } catch (error) {
      await this.closeStreams();
      throw TransportError.isInstance(error)
        ? error
        : new TransportError({ message: `LocalAudioBackend: ${(error as Error).message}`, cause: error });
    }
  }

  private async closeStreams(): Promise<void> {
    const output = this.output;
    const input = this.input;
    this.output = undefined;
    this.input = undefined;
    this.speaker.reset();
    this.playing = false;
    this.holdUntil = undefined;
    // Both are closed even if one fails; a failure is logged, never thrown (close/disconnect always complete).
    const results = await Promise.allSettled([output?.close(), input?.close()]);
    for (const result of results) {
      if (result.status === "rejected") {
        this.logger.warn(`LocalAudioBackend: closing a stream failed: ${(result.reason as Error)?.message}`);
      }
    }
  }

  /**
   * A helper process exited or the device went away. Nothing is left running; then either every session ends, or
   * (`onDeviceLost: "wait"`) the sessions stay and the device is reopened every `deviceRetryMs` until it is back.
   */
  private fail(error: Error): void {
    if (this.deviceLost) return;
    if (this.options.onDeviceLost === "wait" && this.sessions.size > 0) {
      this.deviceLost = true;
      this.logger.error(
        `LocalAudioBackend: ${error.message}; waiting for the device (retrying every ${this.options.deviceRetryMs} ms)`,
      );
      void this.closeStreams().then(() => this.scheduleReopen());
      return;
    }
    this.logger.error(`LocalAudioBackend: ${error.message}`);
    const sessions = [...this.sessions.values()].map((entry) => entry.session);
    this.sessions.clear();
    void this.closeStreams().then(() => {
      for (const session of sessions) void this.fireClientDisconnected(session);
    });
  }

  private scheduleReopen(): void {
    if (!this.deviceLost || this.sessions.size === 0) return;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.reopen();
    }, this.options.deviceRetryMs);
  }

  private async reopen(): Promise<void> {
    try {
      await this.openStreams();
    } catch (error) {
      this.logger.debug(`LocalAudioBackend: device still unavailable: ${(error as Error).message}`);
      this.scheduleReopen();
      return;
    }
    if (this.sessions.size === 0) {
      // Closed or disconnected while reopening.
      await this.closeStreams();
      return;
    }
    if (this.deviceLost) this.deviceBack();
  }

  private deviceBack(): void {
    this.stopWaiting();
    this.logger.info("LocalAudioBackend: the device is back");
  }

  private stopWaiting(): void {
    this.deviceLost = false;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /**
   * The mic frame from which the audio handed to the device so far can no longer be heard: what is still ahead of
   * the device clock, the capture latency (device buffer + the partial block being assembled), and the tail.
   */
  private physicalEnd(): number {
    const blockMs = (this.blockFrames * 1000) / this.options.sampleRate;
    const ms =
      (this.output?.queuedAheadMs() ?? 0) + this.options.deviceLatencyMs + blockMs + this.options.playbackTailMs;
    return this.micFrames + Math.ceil((ms * this.options.sampleRate) / 1000);
  }

  private renderBlock(deviceBlock: Uint8Array): void {
    const stereo = this.options.channels === 2;
    const mono = stereo ? (this.monoScratch ??= new Uint8Array(deviceBlock.byteLength / 2)) : deviceBlock;
    const { written, playbackEnded } = this.speaker.render(mono);
    if (stereo) upmix(mono, deviceBlock);
    if (written > 0) {
      this.playing = true;
      this.holdUntil = undefined;
    } else if (this.playing && this.holdUntil === undefined && this.speaker.buffered === 0) {
      this.holdUntil = this.physicalEnd();
    }
    const first = this.sessions.values().next().value;
    if (!first) return;
    const played: LocalPlayedAudio = {
      audio: stereo ? mono.slice() : mono,
      sampleRate: this.options.sampleRate,
      playbackEnded,
      playedBytes: written,
      capturePaused: first.muted || first.gated || (this.options.muteMicDuringPlayback && this.isPlaying()),
    };
    this.aec?.speakerBlock(played.audio, first.session.id, written, playbackEnded, played.capturePaused);
    void this.fireAudioPlayed(first.session, played);
  }

  private micBlock(deviceBlock: Uint8Array): void {
    const mono = this.options.channels === 2 ? downmix(deviceBlock) : deviceBlock;
    const halfDuplex = this.options.muteMicDuringPlayback && this.isPlaying();
    this.micFrames += mono.byteLength >> 1;
    for (const entry of this.sessions.values()) {
      if (entry.muted || halfDuplex || entry.gated) continue;
      const data = this.aec ? this.aec.micBlock(mono, entry.session.id) : mono;
      void this.fireAudioReceived(entry.session, { data, sampleRate: this.options.sampleRate, channels: 1 });
    }
  }
}

function upmix(mono: Uint8Array, stereo: Uint8Array): void {
  const source = new Int16Array(mono.buffer, mono.byteOffset, mono.byteLength >> 1);
  const target = new Int16Array(stereo.buffer, stereo.byteOffset, stereo.byteLength >> 1);
  for (let index = 0; index < source.length; index++) {
    target[2 * index] = source[index]!;
    target[2 * index + 1] = source[index]!;
  }
}

function downmix(stereo: Uint8Array): Uint8Array {
  const source = new Int16Array(stereo.buffer.slice(stereo.byteOffset, stereo.byteOffset + (stereo.byteLength & ~3)));
  const mono = new Int16Array(source.length >> 1);
  for (let index = 0; index < mono.length; index++) mono[index] = (source[2 * index]! + source[2 * index + 1]!) >> 1;
  return new Uint8Array(mono.buffer);
}
