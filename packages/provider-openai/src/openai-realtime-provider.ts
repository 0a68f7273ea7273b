import { encodeBase64 } from "@roomkit/audio";
import {
  type ApiKeySource,
  type Clock,
  InvalidArgumentError,
  type InjectImageOptions,
  type InjectTextOptions,
  loadApiKey,
  type Logger,
  parseOptions,
  type ProviderConnectOptions,
  type RealtimeProviderCapabilities,
  RealtimeVoiceProvider,
  systemClock,
  type VoiceInfo,
  type VoiceSession,
  VoiceSessionState,
} from "@roomkit/spec";
import type { ConnectionEvents, OpenAIConnectionStats } from "./connection-events.ts";

export type { ApiKeySource };
import { parseProviderConfig, reconnectPolicy } from "./provider-config.ts";
import { OPENAI_PROVIDER_ACCEPTED, openAIProviderOptionsSchema } from "./provider-options.ts";
import { OpenAIConnection } from "./connection.ts";
import { defaultWebSocketFactory, openSocket, type WebSocketFactory } from "./websocket.ts";
import { buildSessionConfig, buildSessionPatch, SUPPORTED_SAMPLE_RATES } from "./wire/build-session-config.ts";

export interface OpenAIRealtimeProviderOptions {
  /** A key, or a (possibly async) function returning one, resolved at every connect. Default: `OPENAI_API_KEY`. */
  apiKey?: ApiKeySource;
  /** Default `gpt-realtime`. */
  model?: string;
  /** WebSocket endpoint without query. Default `wss://api.openai.com/v1/realtime`. */
  baseUrl?: string;
  /** Azure-style endpoints: send the key as an `api-key` header instead of `Authorization: Bearer`. */
  apiKeyHeader?: "authorization" | "api-key";
  webSocketFactory?: WebSocketFactory;
  logger?: Logger;
  clock?: Clock;
  /** Default 30 000 ms. */
  connectTimeoutMs?: number;
  /** Server frames above this size are dropped (default 16 MiB). */
  maxInboundFrameBytes?: number;
}

function validOptions(options: OpenAIRealtimeProviderOptions): OpenAIRealtimeProviderOptions {
  parseOptions("OpenAIRealtimeProvider", openAIProviderOptionsSchema, options, OPENAI_PROVIDER_ACCEPTED);
  return options;
}

export const DEFAULT_OPENAI_BASE_URL = "wss://api.openai.com/v1/realtime";

const VOICES: readonly VoiceInfo[] = [
  "alloy",
  "ash",
  "ballad",
  "coral",
  "echo",
  "sage",
  "shimmer",
  "verse",
  "marin",
  "cedar",
].map((id) => ({ id, name: id }));
const IMAGE_MIME_TYPES = new Set(["image/png", "image/jpeg"]);

/**
 * OpenAI Realtime (GA) over WebSocket. Accepts PCM16 at 24 kHz, or 8 kHz which travels as G.711 (`codec`:
 * `pcmu` default, `pcma`); the channel resamples to these rates. Reconnects on socket loss and `session_expired`
 * (a `server_error` leaves the session open and is reported as recoverable), re-seeding the conversation as text
 * and replaying buffered caller audio
 * (`providerConfig.reconnect: false` turns that off).
 */
export class OpenAIRealtimeProvider extends RealtimeVoiceProvider {
  readonly name = "OpenAIRealtimeProvider";
  override readonly capabilities: RealtimeProviderCapabilities = {
    midSessionReconfigure: true,
    truncation: true,
    imageInput: true,
    inputSampleRates: SUPPORTED_SAMPLE_RATES,
    outputSampleRates: SUPPORTED_SAMPLE_RATES,
  };
  readonly model: string;
  readonly #options: OpenAIRealtimeProviderOptions;
  readonly #clock: Clock;
  readonly #connections = new Map<string, OpenAIConnection>();
  readonly #imageDetail = new Map<string, string | undefined>();

  constructor(options: OpenAIRealtimeProviderOptions = {}) {
    // Validated before anything else: a bad field is a RoomKitConfigError naming it and what is accepted.
    super({ logger: validOptions(options).logger });
    this.#options = options;
    this.model = options.model ?? "gpt-realtime";
    this.#clock = options.clock ?? systemClock;
  }

  override get modelName(): string {
    return this.model;
  }

  override availableVoices(): readonly VoiceInfo[] {
    return VOICES;
  }

  override isResponding(sessionId: string): boolean {
    return this.#connections.get(sessionId)?.isResponding ?? false;
  }

  /** Drop and recovery counters of a live session (undefined when not connected). */
  getStats(sessionId: string): Readonly<OpenAIConnectionStats> | undefined {
    return this.#connections.get(sessionId)?.stats;
  }

  async connect(session: VoiceSession, options: ProviderConnectOptions): Promise<void> {
    const providerConfig = parseProviderConfig(options.providerConfig);
    const config = buildSessionConfig({ ...options, providerConfig });
    for (const warning of config.warnings) this.logger.warn(warning);
    const existing = this.#connections.get(session.id);
    if (existing) {
      this.#connections.delete(session.id);
      existing.close();
    }
    const connection = new OpenAIConnection({
      config,
      events: this.#eventsFor(session),
      openSocket: (signal) => this.#openSocket(signal),
      reconnect: reconnectPolicy(providerConfig),
      logger: this.logger,
      clock: this.#clock,
      ackTimeoutMs: this.#options.connectTimeoutMs ?? 30_000,
      maxInboundFrameBytes: this.#options.maxInboundFrameBytes ?? 16 * 1024 * 1024,
    });
    this.#connections.set(session.id, connection);
    this.#imageDetail.set(session.id, providerConfig.image_detail);
    try {
      await connection.start(options.signal);
    } catch (error) {
      this.#forget(session.id, connection);
      connection.close();
      if (!session.isEnded) session.state = VoiceSessionState.ENDED;
      throw error;
    }
    if (session.providerSessionId === undefined) session.providerSessionId = session.id;
    session.state = VoiceSessionState.ACTIVE;
  }

  sendAudio(session: VoiceSession, audio: Uint8Array): void {
    this.#connections.get(session.id)?.sendAudio(audio);
  }

  async injectText(session: VoiceSession, text: string, options: InjectTextOptions = {}): Promise<void> {
    const connection = this.#connections.get(session.id);
    if (!connection) return;
    const role = options.role === "system" ? "system" : "user";
    connection.injectItem({ type: "message", role, content: [{ type: "input_text", text }] }, options.silent !== true);
  }

  override async injectImage(session: VoiceSession, data: Uint8Array, options: InjectImageOptions = {}): Promise<void> {
    const mimeType = options.mimeType ?? "image/png";
    if (!IMAGE_MIME_TYPES.has(mimeType)) {
      throw new InvalidArgumentError(`OpenAI Realtime reads PNG and JPEG images only, got ${mimeType}`);
    }
    if (data.byteLength === 0) throw new InvalidArgumentError("OpenAI Realtime image data must not be empty");
    const connection = this.#connections.get(session.id);
    if (!connection) return;
    const detail = this.#imageDetail.get(session.id) as "auto" | "low" | "high" | undefined;
    const image = {
      type: "input_image" as const,
      image_url: `data:${mimeType};base64,${encodeBase64(data)}`,
      ...(detail ? { detail } : {}),
    };
    const content = options.prompt ? [{ type: "input_text" as const, text: options.prompt }, image] : [image];
    connection.injectItem({ type: "message", role: "user", content }, options.silent !== true);
  }

  async submitToolResult(session: VoiceSession, callId: string, result: string): Promise<void> {
    this.#connections
      .get(session.id)
      ?.injectItem({ type: "function_call_output", call_id: callId, output: result }, true);
  }

  async interrupt(session: VoiceSession): Promise<void> {
    this.#connections.get(session.id)?.interrupt();
  }

  override async truncateAudio(session: VoiceSession, audioEndMs: number): Promise<void> {
    this.#connections.get(session.id)?.truncate(audioEndMs);
  }

  override async sendActivityEnd(session: VoiceSession): Promise<void> {
    this.#connections.get(session.id)?.commitAndRespond();
  }

  override async sendEvent(session: VoiceSession, event: Record<string, unknown>): Promise<void> {
    this.#connections.get(session.id)?.sendRaw(event);
  }

  /** In-band partial `session.update` (no reconnect): only what changed is sent. Audio formats are kept. */
  override async reconfigure(session: VoiceSession, options: ProviderConnectOptions): Promise<void> {
    const connection = this.#connections.get(session.id);
    if (!connection) return;
    const providerConfig = parseProviderConfig(options.providerConfig);
    const current = connection.config;
    const next = buildSessionConfig({
      ...options,
      inputSampleRate: current.input.sampleRate,
      outputSampleRate: current.output.sampleRate,
      providerConfig: { ...providerConfig, codec: current.input.encoding === "pcma" ? "pcma" : "pcmu" },
    });
    if (
      options.inputSampleRate !== current.input.sampleRate ||
      options.outputSampleRate !== current.output.sampleRate
    ) {
      this.logger.warn("OpenAI Realtime: sample rates cannot change mid-session; kept", {
        input: current.input.sampleRate,
        output: current.output.sampleRate,
      });
    }
    if (providerConfig.image_detail !== undefined) this.#imageDetail.set(session.id, providerConfig.image_detail);
    await connection.reconfigure(next, buildSessionPatch(current.session, next.session));
  }

  async disconnect(session: VoiceSession): Promise<void> {
    const connection = this.#connections.get(session.id);
    if (connection) {
      this.#forget(session.id, connection);
      connection.close();
    }
    if (!session.isEnded && connection) session.state = VoiceSessionState.ENDED;
  }

  override async close(): Promise<void> {
    for (const [sessionId, connection] of [...this.#connections]) {
      this.#forget(sessionId, connection);
      connection.close();
    }
  }

  #forget(sessionId: string, connection: OpenAIConnection): void {
    if (this.#connections.get(sessionId) === connection) {
      this.#connections.delete(sessionId);
      this.#imageDetail.delete(sessionId);
    }
  }

  async #openSocket(signal: AbortSignal) {
    const apiKey = await loadApiKey({
      apiKey: this.#options.apiKey,
      environmentVariableNames: ["OPENAI_API_KEY"],
      description: "OpenAIRealtimeProvider",
    });
    const base = this.#options.baseUrl ?? DEFAULT_OPENAI_BASE_URL;
    const url = `${base}${base.includes("?") ? "&" : "?"}model=${encodeURIComponent(this.model)}`;
    const headers: Record<string, string> =
      this.#options.apiKeyHeader === "api-key" ? { "api-key": apiKey } : { Authorization: `Bearer ${apiKey}` };
    return openSocket(
      this.#options.webSocketFactory ?? defaultWebSocketFactory,
      url,
      // The socket-level cap is a hard memory bound; frames between the two limits are dropped, not fatal.
      { headers, maxPayload: Math.max(64 * 1024 * 1024, (this.#options.maxInboundFrameBytes ?? 0) * 4) },
      { timeoutMs: this.#options.connectTimeoutMs ?? 30_000, signal },
    );
  }

  #eventsFor(session: VoiceSession): ConnectionEvents {
    return {
      audio: (pcm) => this.fireAudio(session, pcm),
      transcription: (text, role, isFinal, itemId) =>
        this.fireTranscription(session, text, role, isFinal, itemId === undefined ? undefined : { itemId }),
      speechStart: () => this.fireSpeechStart(session),
      speechEnd: () => this.fireSpeechEnd(session),
      toolCall: (callId, name, args) => this.fireToolCall(session, callId, name, args),
      responseStart: () => this.fireResponseStart(session),
      responseEnd: () => this.fireResponseEnd(session),
      usage: (usage) => this.recordUsage(session, usage),
      serverSession: (id) => {
        session.providerSessionId = id;
      },
      error: (error) => {
        if (!error.recoverable) {
          const connection = this.#connections.get(session.id);
          if (connection) this.#forget(session.id, connection);
          if (!session.isEnded) session.state = VoiceSessionState.ENDED;
        }
        this.fireError(session, error);
      },
    };
  }
}
