import { UnsupportedOperationError } from "../errors/unsupported-operation-error.ts";
import type { RealtimeUsage } from "../session/usage.ts";
import type { VoiceSession } from "../session/voice-session.ts";
import { CallbackList } from "../util/callback-list.ts";
import { createConsoleLogger, type Logger } from "../util/logger.ts";
import { DEFAULT_PROVIDER_CAPABILITIES, type RealtimeProviderCapabilities } from "./provider-capabilities.ts";
import type {
  InjectImageOptions,
  InjectTextOptions,
  ProviderConnectOptions,
  ProviderErrorEvent,
  TranscriptionDetails,
  VoiceInfo,
} from "./provider-options.ts";
import type { ToolArguments } from "./tool-definition.ts";

export type TranscriptionRole = "user" | "assistant";

export type ProviderAudioCallback = (session: VoiceSession, audio: Uint8Array) => unknown;
export type ProviderTranscriptionCallback = (
  session: VoiceSession,
  text: string,
  role: TranscriptionRole,
  isFinal: boolean,
  details?: TranscriptionDetails,
) => unknown;
export type ProviderSessionCallback = (session: VoiceSession) => unknown;
export type ProviderToolCallCallback = (
  session: VoiceSession,
  callId: string,
  name: string,
  args: ToolArguments,
) => unknown;
export type ProviderToolCallCancelCallback = (session: VoiceSession, callIds: readonly string[]) => unknown;
export type ProviderErrorCallback = (session: VoiceSession, error: ProviderErrorEvent) => unknown;

export interface RealtimeVoiceProviderOptions {
  logger?: Logger;
}

/**
 * A realtime speech-to-speech AI connection (OpenAI Realtime, Gemini Live, a mock).
 *
 * Audio is PCM16 LE mono at the rates the channel passes to `connect`. Providers report what happens through the
 * registered callbacks; `fire*` helpers call them in registration order, await promises, and log and swallow
 * callback errors. A lost connection is reported with `onError({ recoverable: false })`; the channel then ends
 * the session (this replaces the original's "state set to ENDED before on_error" convention).
 */
export abstract class RealtimeVoiceProvider {
  abstract readonly name: string;
  readonly capabilities: RealtimeProviderCapabilities = DEFAULT_PROVIDER_CAPABILITIES;
  readonly specificationVersion = "v1" as const;
  protected logger: Logger;

  protected readonly audioCallbacks: CallbackList<[VoiceSession, Uint8Array]>;
  protected readonly transcriptionCallbacks: CallbackList<
    [VoiceSession, string, TranscriptionRole, boolean, TranscriptionDetails | undefined]
  >;
  protected readonly speechStartCallbacks: CallbackList<[VoiceSession]>;
  protected readonly speechEndCallbacks: CallbackList<[VoiceSession]>;
  protected readonly toolCallCallbacks: CallbackList<[VoiceSession, string, string, ToolArguments]>;
  protected readonly toolCallCancelCallbacks: CallbackList<[VoiceSession, readonly string[]]>;
  protected readonly responseStartCallbacks: CallbackList<[VoiceSession]>;
  protected readonly responseEndCallbacks: CallbackList<[VoiceSession]>;
  protected readonly errorCallbacks: CallbackList<[VoiceSession, ProviderErrorEvent]>;

  constructor(options: RealtimeVoiceProviderOptions = {}) {
    this.logger = options.logger ?? createConsoleLogger({ name: "roomkit:provider" });
    const logger = () => this.logger;
    this.audioCallbacks = new CallbackList("onAudio", logger);
    this.transcriptionCallbacks = new CallbackList("onTranscription", logger);
    this.speechStartCallbacks = new CallbackList("onSpeechStart", logger);
    this.speechEndCallbacks = new CallbackList("onSpeechEnd", logger);
    this.toolCallCallbacks = new CallbackList("onToolCall", logger);
    this.toolCallCancelCallbacks = new CallbackList("onToolCallCancel", logger);
    this.responseStartCallbacks = new CallbackList("onResponseStart", logger);
    this.responseEndCallbacks = new CallbackList("onResponseEnd", logger);
    this.errorCallbacks = new CallbackList("onError", logger);
  }

  /** The best identifier of the model in use (defaults to `name`). */
  get modelName(): string {
    return this.name;
  }

  /** Kept for parity with the original; the same as `capabilities.midSessionReconfigure`. */
  get supportsMidSessionReconfigure(): boolean {
    return this.capabilities.midSessionReconfigure;
  }

  // ---- callback registration; each returns an unsubscribe function ----
  onAudio(callback: ProviderAudioCallback): () => void {
    return this.audioCallbacks.add(callback);
  }
  onTranscription(callback: ProviderTranscriptionCallback): () => void {
    return this.transcriptionCallbacks.add(callback);
  }
  onSpeechStart(callback: ProviderSessionCallback): () => void {
    return this.speechStartCallbacks.add(callback);
  }
  onSpeechEnd(callback: ProviderSessionCallback): () => void {
    return this.speechEndCallbacks.add(callback);
  }
  onToolCall(callback: ProviderToolCallCallback): () => void {
    return this.toolCallCallbacks.add(callback);
  }
  /** The provider withdrew tool calls (Gemini `toolCallCancellation`); their results must not be submitted. */
  onToolCallCancel(callback: ProviderToolCallCancelCallback): () => void {
    return this.toolCallCancelCallbacks.add(callback);
  }
  onResponseStart(callback: ProviderSessionCallback): () => void {
    return this.responseStartCallbacks.add(callback);
  }
  onResponseEnd(callback: ProviderSessionCallback): () => void {
    return this.responseEndCallbacks.add(callback);
  }
  onError(callback: ProviderErrorCallback): () => void {
    return this.errorCallbacks.add(callback);
  }

  // ---- helpers for subclasses: fire in order, await, swallow ----
  protected fireAudio(session: VoiceSession, audio: Uint8Array): Promise<void> | undefined {
    return this.audioCallbacks.fire(session, audio);
  }
  protected fireTranscription(
    session: VoiceSession,
    text: string,
    role: TranscriptionRole,
    isFinal: boolean,
    details?: TranscriptionDetails,
  ): Promise<void> | undefined {
    return this.transcriptionCallbacks.fire(session, text, role, isFinal, details);
  }
  protected fireSpeechStart(session: VoiceSession): Promise<void> | undefined {
    return this.speechStartCallbacks.fire(session);
  }
  protected fireSpeechEnd(session: VoiceSession): Promise<void> | undefined {
    return this.speechEndCallbacks.fire(session);
  }
  protected fireToolCall(
    session: VoiceSession,
    callId: string,
    name: string,
    args: ToolArguments,
  ): Promise<void> | undefined {
    return this.toolCallCallbacks.fire(session, callId, name, args);
  }
  protected fireToolCallCancel(session: VoiceSession, callIds: readonly string[]): Promise<void> | undefined {
    return this.toolCallCancelCallbacks.fire(session, callIds);
  }
  protected fireResponseStart(session: VoiceSession): Promise<void> | undefined {
    return this.responseStartCallbacks.fire(session);
  }
  protected fireResponseEnd(session: VoiceSession): Promise<void> | undefined {
    return this.responseEndCallbacks.fire(session);
  }
  protected fireError(session: VoiceSession, error: ProviderErrorEvent): Promise<void> | undefined {
    return this.errorCallbacks.fire(session, error);
  }

  /** Stores usage on the session (`session.lastUsage`). */
  protected recordUsage(session: VoiceSession, usage: RealtimeUsage): void {
    session.lastUsage = usage;
  }

  // ---- the contract ----
  /** Opens the upstream connection, sets `session.state = ACTIVE` and `session.providerSessionId`. */
  abstract connect(session: VoiceSession, options: ProviderConnectOptions): Promise<void>;

  /** Sends caller audio (PCM16 LE mono at `inputSampleRate`). Must not block; providers buffer internally. */
  abstract sendAudio(session: VoiceSession, audio: Uint8Array): void | Promise<void>;

  abstract injectText(session: VoiceSession, text: string, options?: InjectTextOptions): Promise<void>;

  injectImage(_session: VoiceSession, _data: Uint8Array, _options?: InjectImageOptions): Promise<void> {
    return Promise.reject(new UnsupportedOperationError(`${this.name} does not support image input`));
  }

  /** Answers one tool call. `result` is a string (usually JSON). */
  abstract submitToolResult(session: VoiceSession, callId: string, result: string): Promise<void>;

  /** Cancels the response in progress. */
  abstract interrupt(session: VoiceSession): Promise<void>;

  /** Drops the unheard tail of the current assistant reply: the caller heard `audioEndMs` of it. */
  truncateAudio(_session: VoiceSession, _audioEndMs: number): Promise<void> {
    return Promise.resolve();
  }

  /** Ends the upstream connection and sets `session.state = ENDED`. Idempotent. */
  abstract disconnect(session: VoiceSession): Promise<void>;

  /**
   * Applies a new configuration. `options` is the complete effective configuration (prompt, voice, tools,
   * rates, serverVad, providerConfig). The default reconnects: disconnect → renegotiate → connect with it.
   */
  async reconfigure(session: VoiceSession, options: ProviderConnectOptions): Promise<void> {
    await this.disconnect(session);
    session.renegotiate();
    await this.connect(session, options);
  }

  /** Raw escape hatch: sends a provider-native event. */
  sendEvent(_session: VoiceSession, _event: Record<string, unknown>): Promise<void> {
    return Promise.reject(new UnsupportedOperationError(`${this.name} does not support raw events`));
  }

  /** True between response start and response end. */
  isResponding(_sessionId: string): boolean {
    return false;
  }

  /** Commits the session to the realtime-audio input path (Gemini); no-op elsewhere. */
  startAudioStream(_session: VoiceSession): Promise<void> {
    return Promise.resolve();
  }

  /** Manual-VAD signals, used when a local VAD drives turns (`serverVad: false`). */
  sendActivityStart(_session: VoiceSession): Promise<void> {
    return Promise.resolve();
  }
  sendActivityEnd(_session: VoiceSession): Promise<void> {
    return Promise.resolve();
  }

  availableVoices(): readonly VoiceInfo[] {
    return [];
  }
  listVoices(): Promise<readonly VoiceInfo[]> {
    return Promise.resolve(this.availableVoices());
  }

  /** Releases every connection. Idempotent. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
