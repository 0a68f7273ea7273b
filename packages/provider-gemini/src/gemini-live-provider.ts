import {
  parseOptions,
  type ApiKeySource,
  type Clock,
  type InjectImageOptions,
  type InjectTextOptions,
  loadApiKey,
  type Logger,
  type ProviderConnectOptions,
  type RealtimeProviderCapabilities,
  RealtimeVoiceProvider,
  systemClock,
  type VoiceInfo,
  type VoiceSession,
  VoiceSessionState,
} from "@roomkit/spec";
import { GeminiConnection } from "./connection.ts";
import { GEMINI_PROVIDER_ACCEPTED, geminiProviderOptionsSchema } from "./provider-options.ts";
import {
  createSdkLiveConnector,
  type GeminiApiVersion,
  type LiveConnector,
  type LiveConnectRequest,
  type LiveSessionLike,
} from "./live-connector.ts";
import type { GeminiSessionStats, ConnectionEvents } from "./connection-events.ts";
import { GEMINI_INPUT_SAMPLE_RATE, GEMINI_OUTPUT_SAMPLE_RATE } from "./wire/audio-format.ts";
import { GEMINI_VOICES } from "./wire/voices.ts";

export const DEFAULT_GEMINI_MODEL = "gemini-2.5-flash-native-audio-preview-12-2025";

export interface GeminiLiveProviderOptions {
  /**
   * A key, or a (possibly async) function returning one, resolved at every connection (reconnects included).
   * Defaults to `GEMINI_API_KEY`, then `GOOGLE_API_KEY`; missing ⇒ `LoadApiKeyError` at connect.
   */
  apiKey?: ApiKeySource;
  model?: string;
  /** `v1beta` by default; `v1alpha` is chosen automatically for proactive audio and affective dialog. */
  apiVersion?: GeminiApiVersion;
  /** Endpoint override, e.g. `http://127.0.0.1:PORT` for the fake server. */
  baseUrl?: string;
  logger?: Logger;
  /** Replaces `@google/genai`'s `ai.live.connect` (tests). */
  connector?: LiveConnector;
  clock?: Clock;
  /**
   * Caller audio frames held during a reconnect, and frames kept since the latest resumable handle for replay to a
   * resumed session (default 250 each = 5 s of 20 ms frames); oldest evicted beyond, counted in `sessionStats`.
   */
  reconnectBufferFrames?: number;
  /** Connection attempts per reconnect before the session ends (default 5). */
  maxReconnectAttempts?: number;
  /** Longest wait for `setupComplete` per connection attempt (default 15 000 ms). */
  connectTimeoutMs?: number;
  /**
   * Server frames above this size are dropped and counted in `sessionStats().invalidMessages` (default 16 MiB); the
   * socket refuses frames over 4× this (the connection is then resumed).
   */
  maxInboundFrameBytes?: number;
}

function validOptions(options: GeminiLiveProviderOptions): GeminiLiveProviderOptions {
  parseOptions("GeminiLiveProvider", geminiProviderOptionsSchema, options, GEMINI_PROVIDER_ACCEPTED);
  return options;
}

/**
 * Google Gemini Live (BidiGenerateContent) through `@google/genai`. Survives goAway and dropped connections by
 * session resumption; reconfigure (agent handoff) keeps the conversation.
 */
export class GeminiLiveProvider extends RealtimeVoiceProvider {
  readonly name = "GeminiLiveProvider";
  override readonly capabilities: RealtimeProviderCapabilities;
  readonly #model: string;
  readonly #options: GeminiLiveProviderOptions;
  readonly #sessions = new Map<string, GeminiConnection>();
  readonly #mimeTypes = new Map<number, string>();
  readonly #connector: LiveConnector;
  /** The SDK connector of the latest key (one per key: a rotated key gets a new client). */
  #sdk: { apiKey: string; connector: LiveConnector } | undefined;

  constructor(options: GeminiLiveProviderOptions = {}) {
    // Validated before anything else: a bad field is a RoomKitConfigError naming it and what is accepted.
    super({ logger: validOptions(options).logger });
    this.#options = options;
    this.#model = options.model ?? DEFAULT_GEMINI_MODEL;
    this.#connector = options.connector ?? ((request) => this.#connectWithSdk(request));
    this.capabilities = {
      midSessionReconfigure: !/^gemini-3[.-]/.test(this.#model),
      truncation: false,
      imageInput: true,
      inputSampleRates: [GEMINI_INPUT_SAMPLE_RATE],
      // Gemini speaks 24 kHz only; the channel resamples to the transport's rate.
      outputSampleRates: [GEMINI_OUTPUT_SAMPLE_RATE],
    };
  }

  override get modelName(): string {
    return this.#model;
  }

  override availableVoices(): readonly VoiceInfo[] {
    return GEMINI_VOICES;
  }

  /** Counters of a live session (reconnects, buffered frames, stale tool results...). */
  sessionStats(sessionId: string): Readonly<GeminiSessionStats> | undefined {
    return this.#sessions.get(sessionId)?.stats;
  }

  /** The latest resumable handle of a session. */
  resumptionHandle(sessionId: string): string | undefined {
    return this.#sessions.get(sessionId)?.resumptionHandle;
  }

  override isResponding(sessionId: string): boolean {
    return this.#sessions.get(sessionId)?.responding ?? false;
  }

  async connect(session: VoiceSession, options: ProviderConnectOptions): Promise<void> {
    options.signal?.throwIfAborted();
    const previous = this.#sessions.get(session.id);
    previous?.close();
    const live = new GeminiConnection({
      session,
      connectOptions: options,
      model: this.#model,
      apiVersion: this.#options.apiVersion,
      connector: this.#connector,
      events: this.#eventsFor(session),
      logger: this.logger,
      clock: this.#options.clock ?? systemClock,
      reconnectBufferFrames: this.#options.reconnectBufferFrames ?? 250,
      maxReconnectAttempts: this.#options.maxReconnectAttempts ?? 5,
      connectTimeoutMs: this.#options.connectTimeoutMs ?? 15_000,
      audioMimeType: (rate) => this.#mimeType(rate),
    });
    this.#sessions.set(session.id, live);
    const abort = () => {
      live.close();
    };
    options.signal?.addEventListener("abort", abort, { once: true });
    try {
      await live.open();
      options.signal?.throwIfAborted();
    } catch (error) {
      live.close();
      if (this.#sessions.get(session.id) === live) this.#sessions.delete(session.id);
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", abort);
    }
  }

  sendAudio(session: VoiceSession, audio: Uint8Array): void {
    const live = this.#sessions.get(session.id);
    if (live === undefined || session.state === VoiceSessionState.ENDED) return;
    live.sendAudio(audio);
  }

  async injectText(session: VoiceSession, text: string, options: InjectTextOptions = {}): Promise<void> {
    this.#sessions.get(session.id)?.injectText(text, options);
  }

  override async injectImage(session: VoiceSession, data: Uint8Array, options: InjectImageOptions = {}): Promise<void> {
    this.#sessions
      .get(session.id)
      ?.injectImage(data, options.mimeType ?? "image/png", options.prompt ?? "", options.silent === true);
  }

  async submitToolResult(session: VoiceSession, callId: string, result: string): Promise<void> {
    this.#sessions.get(session.id)?.submitToolResult(callId, result);
  }

  /** Gemini has no cancel message: the server's VAD interrupts. */
  async interrupt(_session: VoiceSession): Promise<void> {}

  override async startAudioStream(session: VoiceSession): Promise<void> {
    this.#sessions.get(session.id)?.startAudioStream();
  }

  override async sendActivityStart(session: VoiceSession): Promise<void> {
    this.#sessions.get(session.id)?.sendActivity("activityStart");
  }

  override async sendActivityEnd(session: VoiceSession): Promise<void> {
    this.#sessions.get(session.id)?.sendActivity("activityEnd");
  }

  /** Resumes the conversation on a new connection with the new prompt, voice and tools (agent handoff). */
  override async reconfigure(session: VoiceSession, options: ProviderConnectOptions): Promise<void> {
    const live = this.#sessions.get(session.id);
    if (live === undefined) {
      if (session.isEnded) session.renegotiate();
      await this.connect(session, options);
      return;
    }
    await live.reconfigure(options);
  }

  async disconnect(session: VoiceSession): Promise<void> {
    const live = this.#sessions.get(session.id);
    this.#sessions.delete(session.id);
    live?.close();
    if (live !== undefined && session.state !== VoiceSessionState.ENDED) session.state = VoiceSessionState.ENDED;
  }

  override async close(): Promise<void> {
    for (const live of this.#sessions.values()) live.close();
    this.#sessions.clear();
  }

  async #connectWithSdk(request: LiveConnectRequest): Promise<LiveSessionLike> {
    const apiKey = await loadApiKey({
      apiKey: this.#options.apiKey,
      environmentVariableNames: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
      description: "GeminiLiveProvider",
    });
    if (this.#sdk?.apiKey !== apiKey) {
      const connector = createSdkLiveConnector({
        apiKey,
        baseUrl: this.#options.baseUrl,
        maxInboundFrameBytes: this.#options.maxInboundFrameBytes,
      });
      this.#sdk = { apiKey, connector };
    }
    return this.#sdk.connector(request);
  }

  #mimeType(rate: number): string {
    let mime = this.#mimeTypes.get(rate);
    if (mime === undefined) {
      mime = `audio/pcm;rate=${rate}`;
      this.#mimeTypes.set(rate, mime);
    }
    return mime;
  }

  #eventsFor(session: VoiceSession): ConnectionEvents {
    return {
      audio: (pcm) => void this.fireAudio(session, pcm),
      transcription: (text, role, isFinal) => void this.fireTranscription(session, text, role, isFinal),
      speechStart: () => void this.fireSpeechStart(session),
      speechEnd: () => void this.fireSpeechEnd(session),
      toolCall: (callId, name, args) => void this.fireToolCall(session, callId, name, args),
      toolCallCancel: (callIds) => void this.fireToolCallCancel(session, callIds),
      responseStart: () => void this.fireResponseStart(session),
      responseEnd: () => void this.fireResponseEnd(session),
      error: (error) => void this.fireError(session, error),
      usage: (usage) => this.recordUsage(session, usage),
    };
  }
}
