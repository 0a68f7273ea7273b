import { encodeBase64 } from "@roomkit/audio";
import {
  type Clock,
  type InjectTextOptions,
  type Logger,
  type ProviderConnectOptions,
  ProviderConnectionError,
  type VoiceSession,
  VoiceSessionState,
} from "@roomkit/spec";
import { CallerInput } from "./caller-input.ts";
import { type ConnectionEvents, createSessionStats, type GeminiSessionStats } from "./connection-events.ts";
import { Injections } from "./injection-sender.ts";
import {
  type GeminiApiVersion,
  type LiveConnector,
  type LiveSessionLike,
  toConnectionError,
} from "./live-connector.ts";
import { LiveLink } from "./live-link.ts";
import { GoAwaySwitch, reconnectBackoffMs, resumeConnection, resumptionLostError } from "./reconnect.ts";
import { ServerEventHandler } from "./server-event-handler.ts";
import { PendingToolCalls } from "./tool-calls.ts";
import { warnOnOutputRate } from "./wire/audio-format.ts";
import { buildSessionConfig } from "./wire/build-session-config.ts";
import { isRetryableClose } from "./wire/close-codes.ts";
import { sanitizeInjectedText } from "./wire/sanitize-text.ts";
import { sessionEndError } from "./wire/to-provider-error.ts";

export interface GeminiConnectionOptions {
  session: VoiceSession;
  connectOptions: ProviderConnectOptions;
  model: string;
  /** Explicit API version; v1alpha is selected anyway when a v1alpha-only feature is configured. */
  apiVersion: GeminiApiVersion | undefined;
  connector: LiveConnector;
  events: ConnectionEvents;
  logger: Logger;
  clock: Clock;
  reconnectBufferFrames: number;
  maxReconnectAttempts: number;
  /** Longest wait for `setupComplete` on one connect attempt. */
  connectTimeoutMs: number;
  /** Returns the base64 mime type for an input rate (cached per provider instance). */
  audioMimeType(rate: number): string;
}

type Phase = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/**
 * One VoiceSession's Gemini Live connection: connect, inject, tool results, and resilience — resumption with the
 * latest handle on goAway, an unexpected close or a transient 1011 (the old socket closed first; no sleep before the
 * first attempt), a fresh re-seeded session when the handle is refused, caller input (`caller-input.ts`) held and
 * replayed in order, connection-scoped tool calls withdrawn, non-retryable closes ending the session with the code
 * and reason verbatim. Server messages are applied by `server-event-handler.ts`, connect attempts and their
 * cancellation live in `live-link.ts`, pending tool calls in `tool-calls.ts`. The VoiceSession stays ACTIVE
 * throughout a reconnect.
 */
export class GeminiConnection {
  readonly stats: GeminiSessionStats = createSessionStats();
  readonly #config: GeminiConnectionOptions;
  readonly #session: VoiceSession;
  readonly #logger: Logger;
  readonly #input: CallerInput;
  readonly #goAway: GoAwaySwitch;
  readonly #injections: Injections;
  readonly #handler: ServerEventHandler;
  readonly #link: LiveLink;
  readonly #toolCalls: PendingToolCalls;
  #options: ProviderConnectOptions;
  #phase: Phase = "idle";
  #live: LiveSessionLike | undefined;
  #handle: string | undefined;
  #reconnecting: Promise<void> | undefined;
  /** 1011 closes since the last completed turn (a fault that every resumed connection meets ends the session). */
  #serverFaults = 0;

  constructor(config: GeminiConnectionOptions) {
    this.#config = config;
    this.#session = config.session;
    this.#logger = config.logger;
    this.#options = config.connectOptions;
    this.#toolCalls = new PendingToolCalls({
      sessionId: config.session.id,
      logger: config.logger,
      stats: this.stats,
      events: config.events,
    });
    this.#input = new CallerInput({
      stats: this.stats,
      logger: this.#logger,
      events: config.events,
      capacity: config.reconnectBufferFrames,
      live: () => (this.#phase === "open" ? this.#live : undefined),
      options: () => this.#options,
      audioMimeType: (rate) => config.audioMimeType(rate),
      onRealtimeInput: () => this.#injections.realtimeInputSent(),
      onSendFailed: () => this.#triggerReconnect("send failed"),
    });
    this.#goAway = new GoAwaySwitch({ clock: config.clock, trigger: (reason) => this.#triggerReconnect(reason) });
    this.#injections = new Injections({
      model: config.model,
      live: () => (this.#phase === "open" ? this.#live : undefined),
      canSend: () => this.#toolCalls.size === 0 && this.#phase === "open" && this.#live !== undefined,
    });
    this.#handler = new ServerEventHandler({
      session: config.session,
      // Final transcripts are kept for re-seeding a fresh session (a refused handle, or none yet).
      events: {
        ...config.events,
        transcription: (text, role, isFinal) => {
          if (isFinal) this.#injections.log.add(role === "user" ? "user" : "model", text);
          config.events.transcription(text, role, isFinal);
        },
      },
      logger: config.logger,
      stats: this.stats,
      pendingCalls: this.#toolCalls.byId,
      textMode: false,
      onHandle: (handle) => {
        this.#handle = handle;
        this.#input.replay.handleArrived();
        this.#goAway.handleArrived();
      },
      onToolCallsSettled: () => this.#injections.flush(),
      onTurnComplete: () => {
        this.#serverFaults = 0;
        this.#goAway.turnComplete();
      },
      onGoAway: (timeLeftMs) => this.#onGoAway(timeLeftMs),
    });
    this.#link = new LiveLink({
      model: config.model,
      apiVersion: config.apiVersion,
      connector: config.connector,
      clock: config.clock,
      logger: config.logger,
      connectTimeoutMs: config.connectTimeoutMs,
      onTextMode: (textMode) => {
        this.#handler.textMode = textMode;
      },
      onMessage: (message) => this.#handler.handle(message),
      onClose: (code, reason) => this.#onClose(code, reason),
      onInvalidMessage: (reason) => this.#handler.dropInvalid(reason),
    });
    warnOnOutputRate(config.connectOptions, config.logger);
  }

  get responding(): boolean {
    return this.#handler.responseStarted;
  }
  get resumptionHandle(): string | undefined {
    return this.#handle;
  }
  get pendingToolCalls(): number {
    return this.#toolCalls.size;
  }
  get phase(): Phase {
    return this.#phase;
  }

  /** Opens the first connection; the session becomes ACTIVE. Throws `ProviderConnectionError` on failure. */
  async open(): Promise<void> {
    this.#phase = "connecting";
    try {
      const live = await this.#link.establish(this.#options, undefined);
      this.#activate(live);
    } catch (error) {
      this.#phase = "closed";
      this.#input.clear();
      throw toConnectionError(error);
    }
    if (this.#session.state === VoiceSessionState.CONNECTING) this.#session.state = VoiceSessionState.ACTIVE;
  }

  sendAudio(pcm: Uint8Array): void {
    if (this.#phase !== "closed") this.#input.sendAudio(pcm);
  }

  /** Commits the session to the realtime-input path with 20 ms of silence (once). */
  startAudioStream(): void {
    this.#input.startAudioStream();
  }

  sendActivity(kind: "activityStart" | "activityEnd"): void {
    if (this.#phase !== "closed") this.#input.sendActivity(kind);
  }

  injectText(text: string, options: InjectTextOptions): void {
    const clean = sanitizeInjectedText(text);
    if (clean.trim() === "" || this.#phase === "closed") return;
    this.#injections.text(clean, options.role, options.silent === true);
  }

  injectImage(data: Uint8Array, mimeType: string, prompt: string, silent: boolean): void {
    if (this.#phase === "closed") return;
    this.#injections.image(encodeBase64(data), mimeType, sanitizeInjectedText(prompt), silent);
  }

  submitToolResult(callId: string, result: string): void {
    const live = this.#phase === "open" ? this.#live : undefined;
    if (this.#toolCalls.submit(live, callId, result) && this.#toolCalls.size === 0) this.#injections.flush();
  }

  /**
   * Applies a new configuration by resuming the conversation on a new connection. Unset `providerConfig` keeps the
   * previous one and the VAD mode is the session's (it belongs to the caller's audio path, not to the agent); the
   * caller's audio is buffered meanwhile and the session stays ACTIVE. Queued injections are
   * cleared (they were meant for the previous agent).
   */
  async reconfigure(options: ProviderConnectOptions): Promise<void> {
    if (this.#phase === "closed" || this.#phase === "idle" || this.#phase === "connecting") {
      throw new ProviderConnectionError({
        message: `Gemini session is not connected (${this.#phase})`,
        code: "not_connected",
      });
    }
    if (options.serverVad !== this.#options.serverVad) {
      this.#logger.info("Gemini: reconfigure keeps the session's VAD mode", { serverVad: this.#options.serverVad });
    }
    const next: ProviderConnectOptions = {
      ...options,
      serverVad: this.#options.serverVad,
      providerConfig: options.providerConfig ?? this.#options.providerConfig,
    };
    // A bad providerConfig throws InvalidArgumentError here, before anything changed.
    buildSessionConfig({ options: next, model: this.#config.model });
    this.#options = next;
    warnOnOutputRate(this.#options, this.#logger);
    this.#injections.clear();
    if (this.#reconnecting) await this.#reconnecting;
    await this.#reconnect("reconfigure");
    if (this.#phase !== "open") {
      throw new ProviderConnectionError({
        message: "Gemini reconfigure failed: the session ended",
        code: "reconfigure_failed",
      });
    }
  }

  /** Ends the connection for good. Idempotent. */
  close(): void {
    if (this.#phase === "closed") return;
    this.#phase = "closed";
    this.#link.end();
    this.#goAway.cancel();
    const live = this.#live;
    this.#live = undefined;
    this.#input.clear();
    this.#injections.clear();
    this.#toolCalls.takeAll();
    this.#handler.flushTranscripts();
    this.#handler.reset();
    try {
      live?.close();
    } catch (error) {
      this.#logger.debug("Gemini: closing the live session failed", { error });
    }
  }

  // ---- connection management ----

  #activate(live: LiveSessionLike, replay: readonly string[] = [], fresh = false): void {
    this.#live = live;
    this.#phase = "open";
    if (fresh && this.#injections.reseed(live)) {
      this.#logger.info("Gemini: conversation re-seeded on a fresh session", { sessionId: this.#session.id });
    }
    this.#input.connected(live, replay);
    this.#injections.flush();
  }

  #onClose(code: number, reason: string): void {
    if (this.#phase === "closed") return;
    this.#live = undefined;
    const message = `Gemini Live closed the connection (code ${code}): ${reason}`;
    if (!isRetryableClose(code, reason)) {
      this.#fail(`ws_${code}`, message);
      return;
    }
    // A transient server fault (1011) is survived by resuming; one that comes back on every resumed connection
    // with no turn completed in between (a session past its limit) is not: it ends after the configured attempts.
    let delayMs = 0;
    if (code === 1011) {
      this.#serverFaults++;
      if (this.#serverFaults > this.#config.maxReconnectAttempts) {
        this.#fail(`ws_${code}`, message);
        return;
      }
      if (this.#serverFaults > 1) delayMs = reconnectBackoffMs(this.#serverFaults - 1);
    }
    this.#logger.info("Gemini: connection closed; resuming", { sessionId: this.#session.id, code, reason, delayMs });
    this.#triggerReconnect(`close ${code}`, delayMs);
  }

  #onGoAway(timeLeftMs: number | undefined): void {
    this.#logger.info("Gemini: goAway received", { sessionId: this.#session.id, timeLeftMs });
    if (!this.#handler.responseStarted && this.#toolCalls.size === 0) {
      this.#triggerReconnect("goAway");
      return;
    }
    this.#goAway.schedule(timeLeftMs); // mid-response: the turn finishes on the old connection first
  }

  #triggerReconnect(reason: string, delayMs = 0): void {
    this.#goAway.cancel();
    if (this.#phase !== "open" && this.#phase !== "idle") return;
    void this.#reconnect(reason, delayMs);
  }

  #reconnect(reason: string, delayMs = 0): Promise<void> {
    if (this.#phase === "closed") return Promise.resolve();
    if (this.#reconnecting) return this.#reconnecting;
    const run = this.#runReconnect(reason, delayMs).finally(() => {
      this.#reconnecting = undefined;
    });
    this.#reconnecting = run;
    return run;
  }

  async #runReconnect(reason: string, delayMs: number): Promise<void> {
    const started = this.#config.clock.now();
    this.#goAway.cancel();
    this.#phase = "reconnecting";
    const old = this.#live;
    this.#live = undefined;
    this.#link.invalidate();
    const stale = this.#toolCalls.takeAll();
    this.#handler.connectionLost();
    this.#toolCalls.withdraw(stale);
    const resumable = this.#handle !== undefined;
    this.#logger.info("Gemini: reconnecting", { sessionId: this.#session.id, reason, resumable });
    // Audio the old connection received after the latest handle: the resumed session has not heard it.
    const replay = this.#input.replay.takeSinceHandle();
    // The service refuses a resume while an earlier socket of the session is open (close 1011): the old one is
    // closed, and its close handshake awaited, first. Audio arriving meanwhile is held and replayed.
    if (old !== undefined) await this.#link.closeAndWait(old);
    if (this.#isClosed()) return;
    const outcome = await resumeConnection({
      handle: this.#handle,
      attempts: this.#config.maxReconnectAttempts,
      initialDelayMs: delayMs,
      establish: (handle) => this.#link.establish(this.#options, handle),
      isClosed: () => this.#isClosed(),
      sleep: (delayMs) => this.#link.sleep(delayMs), // cut short by close()
      onHandleRefused: (error) => {
        this.#logger.warn("Gemini: the resumption handle was refused; starting a fresh session (context lost)", {
          reason: error instanceof Error ? error.message : String(error),
        });
        this.#config.events.error(resumptionLostError(error));
        this.#handle = undefined;
        replay.length = 0;
      },
    });
    if (outcome.kind === "closed") return;
    if (outcome.kind === "failed") {
      this.#fail(outcome.code, outcome.message);
      return;
    }
    this.stats.reconnects++;
    this.#activate(outcome.live, replay, !outcome.resumed);
    this.stats.lastReconnectMs = this.#config.clock.now() - started;
  }

  /** A method, not a field read, so that TypeScript does not narrow the phase across awaits. */
  #isClosed(): boolean {
    return this.#phase === "closed";
  }

  #fail(code: string, message: string): void {
    if (this.#phase === "closed") return;
    this.close();
    this.#config.events.error(sessionEndError(code, message));
    if (this.#session.state !== VoiceSessionState.ENDED) this.#session.state = VoiceSessionState.ENDED;
  }
}
