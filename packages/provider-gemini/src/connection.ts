import type { LiveServerMessage } from "@google/genai";
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
import { boundedConnect } from "./bounded-connect.ts";
import { Injections } from "./injection-sender.ts";
import {
  type GeminiApiVersion,
  LiveConnectFailure,
  type LiveConnector,
  type LiveSessionLike,
  toConnectionError,
} from "./live-connector.ts";
import {
  cancellableSleep,
  closeAndWait,
  GoAwaySwitch,
  reconnectBackoffMs,
  resumeConnection,
  resumptionLostError,
} from "./reconnect.ts";
import { CallerInput } from "./caller-input.ts";
import { ServerEventHandler } from "./server-event-handler.ts";
import { createSessionStats, type GeminiSessionStats, type ConnectionEvents } from "./connection-events.ts";
import { warnOnOutputRate } from "./wire/audio-format.ts";
import { buildSessionConfig, chooseApiVersion } from "./wire/build-session-config.ts";
import { isRetryableClose } from "./wire/close-codes.ts";
import { sanitizeInjectedText } from "./wire/sanitize-text.ts";
import { sessionEndError } from "./wire/to-provider-error.ts";
import { LARGE_TOOL_RESULT_CHARS, toolResultToResponse } from "./wire/tool-response.ts";

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
 * and reason verbatim. Server messages are applied by `server-event-handler.ts`. The VoiceSession stays ACTIVE
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
  #options: ProviderConnectOptions;
  #phase: Phase = "idle";
  #live: LiveSessionLike | undefined;
  #attemptId = 0;
  #openId = 0;
  #handle: string | undefined;
  #reconnecting: Promise<void> | undefined;
  /** 1011 closes since the last completed turn (a fault that every resumed connection meets ends the session). */
  #serverFaults = 0;
  readonly #pendingCalls = new Map<string, string>();
  /** Settles when a connection's socket has closed (its close handshake is over). */
  readonly #closedSignals = new WeakMap<LiveSessionLike, Promise<void>>();
  #cancelPending: (() => void) | undefined;
  #cancelSleep: (() => void) | undefined;

  constructor(config: GeminiConnectionOptions) {
    this.#config = config;
    this.#session = config.session;
    this.#logger = config.logger;
    this.#options = config.connectOptions;
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
      canSend: () => this.#pendingCalls.size === 0 && this.#phase === "open" && this.#live !== undefined,
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
      pendingCalls: this.#pendingCalls,
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
    warnOnOutputRate(config.connectOptions, config.logger);
  }

  get responding(): boolean {
    return this.#handler.responseStarted;
  }
  get resumptionHandle(): string | undefined {
    return this.#handle;
  }
  get pendingToolCalls(): number {
    return this.#pendingCalls.size;
  }
  get phase(): Phase {
    return this.#phase;
  }

  /** Opens the first connection; the session becomes ACTIVE. Throws `ProviderConnectionError` on failure. */
  async open(): Promise<void> {
    this.#phase = "connecting";
    try {
      const live = await this.#establish(undefined);
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
    const name = this.#pendingCalls.get(callId);
    if (name === undefined || this.#phase !== "open" || !this.#live) {
      this.stats.staleToolResults++;
      const message = "Gemini: dropping a result for a cancelled call or one from an earlier connection";
      this.#logger.warn(message, { sessionId: this.#session.id, callId });
      return;
    }
    this.#pendingCalls.delete(callId);
    if (result.length > LARGE_TOOL_RESULT_CHARS) {
      this.#logger.warn("Gemini: large tool result; long results make the model read them out", {
        callId,
        chars: result.length,
      });
    }
    this.stats.toolResultBytes += result.length;
    this.#live.sendToolResponse({ functionResponses: [{ id: callId, name, response: toolResultToResponse(result) }] });
    if (this.#pendingCalls.size === 0) this.#injections.flush();
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
    this.#attemptId++;
    this.#openId = -1;
    this.#goAway.cancel();
    this.#cancelPending?.();
    this.#cancelSleep?.();
    const live = this.#live;
    this.#live = undefined;
    this.#input.clear();
    this.#injections.clear();
    this.#pendingCalls.clear();
    this.#handler.flushTranscripts();
    this.#handler.reset();
    try {
      live?.close();
    } catch (error) {
      this.#logger.debug("Gemini: closing the live session failed", { error });
    }
  }

  // ---- connection management ----

  async #establish(handle: string | undefined): Promise<LiveSessionLike> {
    const attempt = ++this.#attemptId;
    const built = buildSessionConfig({ options: this.#options, resumptionHandle: handle, model: this.#config.model });
    const apiVersion = chooseApiVersion(built, this.#config.apiVersion);
    for (const warning of built.warnings) this.#logger.warn(`Gemini: ${warning}`);
    this.#handler.textMode = (built.config.responseModalities as string[] | undefined)?.[0] === "TEXT";
    let markClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      markClosed = resolve;
    });
    const live = await boundedConnect(
      this.#config.connector,
      {
        apiVersion,
        model: this.#config.model,
        config: built.config,
        onMessage: (message: LiveServerMessage) => {
          if (attempt === this.#attemptId) this.#handler.handle(message);
        },
        onClose: (code, reason) => {
          markClosed();
          if (attempt === this.#openId) this.#onClose(code, reason);
        },
        onInvalidMessage: (reason) => this.#handler.dropInvalid(reason),
      },
      {
        clock: this.#config.clock,
        timeoutMs: this.#config.connectTimeoutMs,
        registerCancel: (cancel) => {
          this.#cancelPending = cancel;
        },
      },
    );
    this.#closedSignals.set(live, closed);
    if (attempt !== this.#attemptId || this.#phase === "closed") {
      live.close();
      throw new LiveConnectFailure(undefined, "superseded");
    }
    this.#openId = attempt;
    return live;
  }

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
    this.#openId = 0;
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
    if (!this.#handler.responseStarted && this.#pendingCalls.size === 0) {
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
    this.#openId = 0;
    this.#attemptId++;
    const stale = [...this.#pendingCalls.keys()];
    this.#pendingCalls.clear();
    this.#handler.connectionLost();
    if (stale.length > 0) {
      this.stats.toolCallsCancelled += stale.length;
      this.#config.events.toolCallCancel(stale);
    }
    const resumable = this.#handle !== undefined;
    this.#logger.info("Gemini: reconnecting", { sessionId: this.#session.id, reason, resumable });
    // Audio the old connection received after the latest handle: the resumed session has not heard it.
    const replay = this.#input.replay.takeSinceHandle();
    // The service refuses a resume while an earlier socket of the session is open (close 1011): the old one is
    // closed, and its close handshake awaited, first. Audio arriving meanwhile is held and replayed.
    if (old !== undefined) await this.#closeAndWait(old);
    if (this.#isClosed()) return;
    const outcome = await resumeConnection({
      handle: this.#handle,
      attempts: this.#config.maxReconnectAttempts,
      initialDelayMs: delayMs,
      establish: (handle) => this.#establish(handle),
      isClosed: () => this.#isClosed(),
      // A back-off wait that `close()` cuts short (no timer outlives the session).
      sleep: (delayMs) => cancellableSleep(this.#config.clock, delayMs, (cancel) => (this.#cancelSleep = cancel)),
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

  /** Closes a replaced connection and waits for its close handshake (at most `CLOSE_WAIT_MS`). */
  #closeAndWait(live: LiveSessionLike): Promise<void> {
    return closeAndWait(live, {
      closed: this.#closedSignals.get(live),
      clock: this.#config.clock,
      logger: this.#logger,
      registerCancel: (cancel) => {
        this.#cancelSleep = cancel;
      },
    });
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
