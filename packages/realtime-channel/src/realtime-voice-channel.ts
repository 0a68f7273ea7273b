import { createResampler } from "@roomkit/audio";
import { Channel, type ChannelCapabilities, type ChannelOutput, EMPTY_CHANNEL_OUTPUT } from "@roomkit/core";
import {
  type ChannelBinding,
  ChannelType,
  type Clock,
  InvalidArgumentError,
  type Logger,
  type RealtimeTransport,
  type RealtimeVoiceProvider,
  type RoomContext,
  type RoomEvent,
  RoomKitConfigError,
  SessionNotFoundError,
  type ToolDefinition,
  UnsupportedOperationError,
  type VoiceSession,
  createConsoleLogger,
  systemClock,
} from "@roomkit/spec";
import type { ResamplerFactory } from "./audio/resampler-types.ts";
import { type InjectTextCallOptions, injectBroadcast, injectText } from "./injection/text-injection.ts";
import { type RealtimeVoiceChannelOptions, type ToolHandler, resolveChannelOptions } from "./options.ts";
import { reconfigureSession, type ReconfigureOptions } from "./session/reconfigure-session.ts";
import type { SessionConfig } from "./session/session-config.ts";
import { IdleWaiters } from "./session/idle-waiters.ts";
import { SessionRegistry } from "./session/session-registry.ts";
import { type StartSessionOptions, startSession } from "./session/start-session.ts";
import type { SessionState } from "./session/session-state.ts";
import { teardownSession } from "./session/teardown.ts";
import { validateTools } from "./session/resolve-session-config.ts";
import { wireCallbacks } from "./session/wire-callbacks.ts";
import type { ChannelRuntime } from "./runtime.ts";

export interface RealtimeVoiceChannelAdvancedOptions {
  /** Replaces `@roomkit/audio`'s `createResampler` (tests, custom DSP). */
  createResampler?: ResamplerFactory;
}

/**
 * Connects a realtime speech-to-speech provider to a caller-side transport inside RoomKit. This class is the thin
 * facade: each concern lives in its own module (session/, audio/, speech/, transcription/, tools/, injection/,
 * metrics/) and receives the shared `ChannelRuntime`.
 */
export class RealtimeVoiceChannel extends Channel {
  readonly channelType = ChannelType.REALTIME_VOICE;
  readonly provider: RealtimeVoiceProvider;
  readonly transport: RealtimeTransport;
  readonly #runtime: ChannelRuntime;
  readonly #sessions = new SessionRegistry();
  readonly #logger: Logger;
  #defaults: SessionConfig;
  #unsubscribe: Array<() => void>;
  #closePromise: Promise<void> | undefined;

  constructor(channelId: string, options: RealtimeVoiceChannelOptions & RealtimeVoiceChannelAdvancedOptions) {
    if (typeof channelId !== "string" || channelId.length === 0) {
      throw new RoomKitConfigError({
        component: "RealtimeVoiceChannel",
        field: "channelId",
        problem: `expected a non-empty string, received ${JSON.stringify(channelId) ?? String(channelId)}`,
      });
    }
    super(channelId);
    const resolved = resolveChannelOptions(options);
    this.provider = options.provider;
    this.transport = options.transport;
    this.#logger = options.logger ?? createConsoleLogger({ name: `roomkit:realtime:${channelId}` });
    const clock: Clock = options.clock ?? systemClock;
    this.#defaults = {
      systemPrompt: options.systemPrompt,
      voice: options.voice,
      tools: validateTools(options.tools, "tools"),
      temperature: options.temperature,
      providerConfig: options.providerConfig,
    };
    this.#runtime = {
      channelId,
      provider: options.provider,
      transport: options.transport,
      options: resolved,
      logger: this.#logger,
      clock,
      sessions: this.#sessions,
      idleWaiters: new IdleWaiters(this.#sessions, clock),
      createResampler: options.createResampler ?? createResampler,
      toolHandler: options.toolHandler,
      framework: () => this.framework,
      endSession: (state, reason) => teardownSession(this.#runtime, state, { reason, notifyClient: true }),
    };
    this.#unsubscribe = wireCallbacks(this.#runtime);
  }

  // ---- public surface ----
  get toolHandler(): ToolHandler | undefined {
    return this.#runtime.toolHandler;
  }
  set toolHandler(handler: ToolHandler | undefined) {
    this.#runtime.toolHandler = handler;
  }

  /** The provider's name (the original returned the transport's). */
  get providerName(): string {
    return this.provider.name;
  }

  /** Live and starting sessions of a room. */
  getRoomSessions(roomId: string): VoiceSession[] {
    return this.#sessions.inRoom(roomId).map((state) => state.session);
  }

  getSession(sessionId: string): VoiceSession | undefined {
    return this.#sessions.get(sessionId)?.session;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /**
   * Resolves true once no session of the room has the assistant responding or the user speaking (e.g. before a
   * handoff), false after `timeoutMs` (default 15 s).
   */
  waitIdle(roomId: string, options: { timeoutMs?: number } = {}): Promise<boolean> {
    return this.#runtime.idleWaiters.wait(roomId, options.timeoutMs ?? 15_000);
  }

  /** New defaults for sessions started from now on. */
  configure(options: {
    systemPrompt?: string;
    voice?: string;
    tools?: readonly ToolDefinition[];
    temperature?: number;
  }): void {
    this.#defaults = {
      ...this.#defaults,
      ...(options.systemPrompt !== undefined && { systemPrompt: options.systemPrompt }),
      ...(options.voice !== undefined && { voice: options.voice }),
      ...(options.tools !== undefined && { tools: validateTools(options.tools, "tools") }),
      ...(options.temperature !== undefined && { temperature: options.temperature }),
    };
  }

  override startSession(
    roomId: string,
    participantId: string,
    options: StartSessionOptions = {},
  ): Promise<VoiceSession> {
    if (this.#closePromise) return Promise.reject(new InvalidArgumentError("channel is closed"));
    if (typeof roomId !== "string" || roomId.length === 0) {
      return Promise.reject(new InvalidArgumentError("roomId must be a non-empty string"));
    }
    if (typeof participantId !== "string" || participantId.length === 0) {
      return Promise.reject(new InvalidArgumentError("participantId must be a non-empty string"));
    }
    return startSession(this.#runtime, this.#defaults, roomId, participantId, options ?? {}, this.#logger);
  }

  /** Ends a session. Idempotent: a second call (or an unknown id) resolves without doing anything twice. */
  override endSession(session: VoiceSession | string, reason = "ended"): Promise<void> {
    const state = this.#find(session);
    if (!state) return Promise.resolve();
    return teardownSession(this.#runtime, state, { reason, notifyClient: true });
  }

  /** Applies a new prompt/voice/tools/temperature/providerConfig to a live session (omitted = keep). */
  async reconfigureSession(session: VoiceSession | string, options: ReconfigureOptions): Promise<void> {
    return reconfigureSession(this.#runtime, this.#require(session), options);
  }

  async injectText(session: VoiceSession | string, text: string, options: InjectTextCallOptions = {}): Promise<void> {
    if (typeof text !== "string") throw new InvalidArgumentError("text must be a string");
    return injectText(this.#runtime, this.#require(session), text, options);
  }

  /**
   * Sends an image to the provider. A provider without `imageInput` is never called: this rejects with
   * `UnsupportedOperationError`. A failure of a provider that has it is logged (as before).
   */
  async injectImage(
    session: VoiceSession | string,
    data: Uint8Array,
    options: { mimeType?: string; prompt?: string; silent?: boolean } = {},
  ): Promise<void> {
    const state = this.#require(session);
    if (!this.provider.capabilities.imageInput) {
      throw new UnsupportedOperationError(
        `${this.provider.name} does not support image input (capabilities.imageInput)`,
      );
    }
    try {
      await this.provider.injectImage(state.session, data, options);
    } catch (error) {
      this.#logger.warn("injectImage failed or is unsupported", { sessionId: state.session.id, error });
    }
  }

  async startAudioStream(session: VoiceSession | string): Promise<void> {
    return this.provider.startAudioStream(this.#require(session).session);
  }

  // ---- Channel overrides ----
  override capabilities(): ChannelCapabilities {
    return { media: ["audio", "text"], supportsAudio: true, custom: { realtime: true, server_vad: true } };
  }

  override updateBinding(roomId: string, binding: ChannelBinding): void {
    for (const state of this.#sessions.inRoom(roomId)) state.binding = binding;
  }

  override async onEvent(event: RoomEvent, _binding: ChannelBinding, _context: RoomContext): Promise<ChannelOutput> {
    await injectBroadcast(this.#runtime, event);
    return EMPTY_CHANNEL_OUTPUT;
  }

  override deliver(_event: RoomEvent, _binding: ChannelBinding, _context: RoomContext): Promise<ChannelOutput> {
    return Promise.resolve(EMPTY_CHANNEL_OUTPUT);
  }

  /** Ends every session, then closes the provider and the transport once each. Idempotent. */
  override close(): Promise<void> {
    this.#closePromise ??= (async () => {
      await Promise.all(
        this.#sessions
          .all()
          .map((state) => teardownSession(this.#runtime, state, { reason: "channel_closed", notifyClient: true })),
      );
      for (const unsubscribe of this.#unsubscribe) unsubscribe();
      this.#unsubscribe = [];
      for (const closable of [this.provider, this.transport]) {
        try {
          await closable.close();
        } catch (error) {
          this.#logger.warn("close failed", { name: closable.name, error });
        }
      }
    })();
    return this.#closePromise;
  }

  #find(session: VoiceSession | string): SessionState | undefined {
    const id = typeof session === "string" ? session : session?.id;
    return id === undefined ? undefined : this.#sessions.get(id);
  }

  #require(session: VoiceSession | string): SessionState {
    const state = this.#find(session);
    if (!state?.isLive) {
      const id = typeof session === "string" ? session : session?.id;
      throw new SessionNotFoundError(`No live voice session ${id} on channel ${this.channelId}`);
    }
    return state;
  }
}
