import {
  DEFAULT_PROVIDER_CAPABILITIES,
  type InjectTextOptions,
  type ProviderConnectOptions,
  ProviderError,
  type RealtimeProviderCapabilities,
  RealtimeVoiceProvider,
  type Logger,
  type ToolArguments,
  type TranscriptionDetails,
  type TranscriptionRole,
  type VoiceSession,
  VoiceSessionState,
  silentLogger,
} from "@roomkit/spec";
import { raceAbort } from "./abort-race.ts";
import type { MethodName, RecordedCall } from "./recorded-call.ts";

/** The provider methods the mock records. */
export type MockProviderMethod = Extract<
  MethodName<RealtimeVoiceProvider>,
  | "connect"
  | "sendAudio"
  | "injectText"
  | "injectImage"
  | "submitToolResult"
  | "interrupt"
  | "truncateAudio"
  | "disconnect"
  | "reconfigure"
  | "startAudioStream"
  | "sendActivityStart"
  | "sendActivityEnd"
  | "close"
>;

/** A call recorded by `MockRealtimeProvider`, with the arguments typed from `RealtimeVoiceProvider`. */
export type MockProviderCall = RecordedCall<RealtimeVoiceProvider, MockProviderMethod>;

export interface MockSentAudio {
  sessionId: string;
  audio: Uint8Array;
}
export interface MockInjectedText {
  sessionId: string;
  text: string;
  role: NonNullable<InjectTextOptions["role"]>;
  silent: boolean;
}
export interface MockToolResult {
  sessionId: string;
  callId: string;
  result: string;
}

export interface MockRealtimeProviderOptions {
  model?: string;
  capabilities?: Partial<RealtimeProviderCapabilities>;
  logger?: Logger;
}

/**
 * A `RealtimeVoiceProvider` that talks to nothing: it records every call and lets a test play the model's side with
 * `simulate*` (each fires the registered callbacks in order and resolves when they are done).
 */
export class MockRealtimeProvider extends RealtimeVoiceProvider {
  readonly name: string = "MockRealtimeProvider";
  override readonly capabilities: RealtimeProviderCapabilities;
  readonly calls: MockProviderCall[] = [];
  readonly sentAudio: MockSentAudio[] = [];
  readonly injectedTexts: MockInjectedText[] = [];
  readonly toolResults: MockToolResult[] = [];
  /**
   * Runs at the start of `connect` (after recording): throw to fail the connect, await to delay it. An abort of
   * `options.signal` rejects the connect at once, as a real handshake would.
   */
  beforeConnect: ((session: VoiceSession, options: ProviderConnectOptions) => void | Promise<void>) | undefined;
  readonly #model: string | undefined;
  readonly #responding = new Set<string>();

  constructor(options: MockRealtimeProviderOptions = {}) {
    super({ logger: options.logger ?? silentLogger });
    this.#model = options.model;
    this.capabilities = { ...DEFAULT_PROVIDER_CAPABILITIES, truncation: true, ...options.capabilities };
  }

  override get modelName(): string {
    return this.#model ?? this.name;
  }

  async connect(session: VoiceSession, options: ProviderConnectOptions): Promise<void> {
    this.calls.push({ method: "connect", args: [session, options] });
    if (this.beforeConnect) await raceAbort(this.beforeConnect(session, options), options.signal);
    options.signal?.throwIfAborted();
    session.state = VoiceSessionState.ACTIVE;
    session.providerSessionId = `mock-${session.id}`;
  }

  sendAudio(session: VoiceSession, audio: Uint8Array): void {
    this.calls.push({ method: "sendAudio", args: [session, audio] });
    this.sentAudio.push({ sessionId: session.id, audio });
  }

  async injectText(session: VoiceSession, text: string, options: InjectTextOptions = {}): Promise<void> {
    this.calls.push({ method: "injectText", args: [session, text, options] });
    this.injectedTexts.push({
      sessionId: session.id,
      text,
      role: options.role ?? "user",
      silent: options.silent ?? false,
    });
  }

  async submitToolResult(session: VoiceSession, callId: string, result: string): Promise<void> {
    this.calls.push({ method: "submitToolResult", args: [session, callId, result] });
    this.toolResults.push({ sessionId: session.id, callId, result });
  }

  async interrupt(session: VoiceSession): Promise<void> {
    this.calls.push({ method: "interrupt", args: [session] });
  }

  override async truncateAudio(session: VoiceSession, audioEndMs: number): Promise<void> {
    this.calls.push({ method: "truncateAudio", args: [session, audioEndMs] });
  }

  async disconnect(session: VoiceSession): Promise<void> {
    this.calls.push({ method: "disconnect", args: [session] });
    this.#responding.delete(session.id);
    session.state = VoiceSessionState.ENDED;
  }

  override async reconfigure(session: VoiceSession, options: ProviderConnectOptions): Promise<void> {
    this.calls.push({ method: "reconfigure", args: [session, options] });
    await super.reconfigure(session, options);
  }

  override async startAudioStream(session: VoiceSession): Promise<void> {
    this.calls.push({ method: "startAudioStream", args: [session] });
  }
  override async sendActivityStart(session: VoiceSession): Promise<void> {
    this.calls.push({ method: "sendActivityStart", args: [session] });
  }
  override async sendActivityEnd(session: VoiceSession): Promise<void> {
    this.calls.push({ method: "sendActivityEnd", args: [session] });
  }

  override isResponding(sessionId: string): boolean {
    return this.#responding.has(sessionId);
  }

  override async close(): Promise<void> {
    this.calls.push({ method: "close", args: [] });
  }

  /** Calls of one method, typed. */
  callsOf<Method extends MockProviderMethod>(method: Method): RecordedCall<RealtimeVoiceProvider, Method>[] {
    return this.calls.filter((call) => call.method === method) as unknown as RecordedCall<
      RealtimeVoiceProvider,
      Method
    >[];
  }

  /** Empties every recording. */
  clearRecordings(): void {
    this.calls.length = 0;
    this.sentAudio.length = 0;
    this.injectedTexts.length = 0;
    this.toolResults.length = 0;
  }

  // ---- the model's side ----
  async simulateAudio(session: VoiceSession, audio: Uint8Array): Promise<void> {
    await this.fireAudio(session, audio);
  }

  async simulateTranscription(
    session: VoiceSession,
    text: string,
    options: { role?: TranscriptionRole; isFinal?: boolean; details?: TranscriptionDetails } = {},
  ): Promise<void> {
    await this.fireTranscription(session, text, options.role ?? "assistant", options.isFinal ?? true, options.details);
  }

  async simulateSpeechStart(session: VoiceSession): Promise<void> {
    await this.fireSpeechStart(session);
  }
  async simulateSpeechEnd(session: VoiceSession): Promise<void> {
    await this.fireSpeechEnd(session);
  }

  async simulateToolCall(session: VoiceSession, callId: string, name: string, args: ToolArguments = {}): Promise<void> {
    await this.fireToolCall(session, callId, name, args);
  }
  async simulateToolCallCancel(session: VoiceSession, callIds: readonly string[]): Promise<void> {
    await this.fireToolCallCancel(session, callIds);
  }

  async simulateResponseStart(session: VoiceSession): Promise<void> {
    this.#responding.add(session.id);
    await this.fireResponseStart(session);
  }
  async simulateResponseEnd(session: VoiceSession): Promise<void> {
    this.#responding.delete(session.id);
    await this.fireResponseEnd(session);
  }

  /**
   * Reports an error; `recoverable: false` means the connection is gone (the channel ends the session). `kind`
   * picks the `ProviderError` subclass (e.g. `ProviderConnectionError`); default `ProviderError`.
   */
  async simulateError(
    session: VoiceSession,
    code: string,
    message: string,
    options: { recoverable?: boolean; kind?: typeof ProviderError } = {},
  ): Promise<void> {
    const Kind = options.kind ?? ProviderError;
    await this.fireError(session, new Kind({ code, message, recoverable: options.recoverable ?? true }));
  }
}
