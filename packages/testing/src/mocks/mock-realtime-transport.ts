import {
  type ClientControlMessage,
  DEFAULT_TRANSPORT_CAPABILITIES,
  type DtmfDigit,
  type InboundAudio,
  type Logger,
  type PlaybackPosition,
  type PlayedAudio,
  type RealtimeTransportCapabilities,
  RealtimeTransport,
  type TransportAcceptOptions,
  type TransportAcceptResult,
  type VoiceSession,
  silentLogger,
} from "@roomkit/spec";
import { raceAbort } from "./abort-race.ts";
import { MockCallerPlayback, type MockCallerPlaybackState } from "./mock-caller-playback.ts";
import type { MethodName, RecordedCall } from "./recorded-call.ts";

/** The transport methods the mock records. */
export type MockTransportMethod = Extract<
  MethodName<RealtimeTransport>,
  | "accept"
  | "activate"
  | "sendAudio"
  | "sendMessage"
  | "disconnect"
  | "interrupt"
  | "endOfResponse"
  | "setInputMuted"
  | "close"
>;

/** A call recorded by `MockRealtimeTransport`, with the arguments typed from `RealtimeTransport`. */
export type MockTransportCall = RecordedCall<RealtimeTransport, MockTransportMethod>;

export interface MockTransportSentAudio {
  sessionId: string;
  audio: Uint8Array;
}
export interface MockTransportSentMessage {
  sessionId: string;
  message: ClientControlMessage;
}

export interface MockRealtimeTransportOptions {
  /**
   * What the mock declares (default: none). It behaves as declared: `interrupt` drops the audio queued for the
   * caller; `inputMute` drops caller audio while muted; `playbackCallback` / `playbackPosition` are reported when
   * the test plays the caller's device (`playToCaller`). Undeclared, those methods change nothing.
   */
  capabilities?: Partial<RealtimeTransportCapabilities>;
  /** What `accept` returns (e.g. `{ sampleRate: 8000 }` to act like a G.711 SIP leg). */
  acceptResult?: TransportAcceptResult;
  /** PCM rate of the audio the channel sends to the caller (for `playToCaller`). Default the accepted rate, else 24000. */
  outputSampleRate?: number;
  logger?: Logger;
}

/**
 * A `RealtimeTransport` with no network: records what the channel sends to the caller and lets a test play the
 * caller's side. Audio sent to an accepted session waits for the caller's device until `playToCaller`. The
 * `simulate*` methods fire the callbacks directly, whatever the capabilities (to drive a channel by hand).
 */
export class MockRealtimeTransport extends RealtimeTransport {
  readonly name: string = "MockRealtimeTransport";
  override readonly capabilities: RealtimeTransportCapabilities;
  readonly calls: MockTransportCall[] = [];
  readonly sentAudio: MockTransportSentAudio[] = [];
  readonly sentMessages: MockTransportSentMessage[] = [];
  /** `setInputMuted` calls, in order. */
  readonly inputMuted: Array<{ sessionId: string; muted: boolean }> = [];
  acceptResult: TransportAcceptResult | undefined;
  /**
   * Runs inside `accept` (after recording): throw to refuse, write `session.metadata` to act like an auth callback.
   * An abort of the accept's signal rejects at once.
   */
  beforeAccept:
    | ((
        session: VoiceSession,
        connection: unknown,
      ) => undefined | TransportAcceptResult | Promise<undefined | TransportAcceptResult>)
    | undefined;
  /** Runs inside `sendMessage`; throw to simulate a dead client socket. */
  beforeSendMessage: ((session: VoiceSession, message: ClientControlMessage) => void) | undefined;
  /** Caller audio dropped because the session was muted (`capabilities.inputMute`). */
  inputMutedDropped = 0;
  readonly #sessions = new Map<string, VoiceSession>();
  /** Created on a session's first audio, so idle sessions cost the mock nothing (the channel benchmark's heap). */
  readonly #callers = new Map<string, MockCallerPlayback>();
  readonly #muted = new Set<string>();
  readonly #outputSampleRate: number | undefined;
  /** The rate `accept` returned, when it returned one. */
  readonly #rates = new Map<string, number>();

  constructor(options: MockRealtimeTransportOptions = {}) {
    super({ logger: options.logger ?? silentLogger });
    this.capabilities = { ...DEFAULT_TRANSPORT_CAPABILITIES, ...options.capabilities };
    this.acceptResult = options.acceptResult;
    this.#outputSampleRate = options.outputSampleRate;
  }

  async accept(
    session: VoiceSession,
    connection: unknown,
    options: TransportAcceptOptions = {},
  ): Promise<TransportAcceptResult | undefined> {
    this.calls.push({ method: "accept", args: [session, connection, options] });
    let result = this.acceptResult;
    if (this.beforeAccept) {
      const returned = await raceAbort(this.beforeAccept(session, connection), options.signal);
      if (returned) result = returned;
    }
    options.signal?.throwIfAborted();
    this.#sessions.set(session.id, session);
    if (result?.sampleRate !== undefined) this.#rates.set(session.id, result.sampleRate);
    return result;
  }

  override async activate(session: VoiceSession): Promise<void> {
    this.calls.push({ method: "activate", args: [session] });
  }

  sendAudio(session: VoiceSession, audio: Uint8Array): void {
    this.calls.push({ method: "sendAudio", args: [session, audio] });
    this.sentAudio.push({ sessionId: session.id, audio });
    const caller = this.#callers.get(session.id);
    if (caller !== undefined) caller.push(audio);
    else if (audio.byteLength > 0 && this.#sessions.has(session.id)) {
      const created = new MockCallerPlayback();
      created.push(audio);
      this.#callers.set(session.id, created);
    }
  }

  override sendMessage(session: VoiceSession, message: ClientControlMessage): void {
    this.calls.push({ method: "sendMessage", args: [session, message] });
    this.beforeSendMessage?.(session, message);
    this.sentMessages.push({ sessionId: session.id, message });
  }

  async disconnect(session: VoiceSession): Promise<void> {
    this.calls.push({ method: "disconnect", args: [session] });
    this.#forget(session.id);
  }

  override interrupt(session: VoiceSession): void {
    this.calls.push({ method: "interrupt", args: [session] });
    if (this.capabilities.interrupt) this.#callers.get(session.id)?.drop();
  }

  override endOfResponse(session: VoiceSession): void {
    this.calls.push({ method: "endOfResponse", args: [session] });
  }

  override setInputMuted(session: VoiceSession, muted: boolean): void {
    this.calls.push({ method: "setInputMuted", args: [session, muted] });
    this.inputMuted.push({ sessionId: session.id, muted });
    if (muted) this.#muted.add(session.id);
    else this.#muted.delete(session.id);
  }

  override async close(): Promise<void> {
    this.calls.push({ method: "close", args: [] });
    for (const id of [...this.#sessions.keys()]) this.#forget(id);
  }

  #forget(sessionId: string): void {
    this.#sessions.delete(sessionId);
    this.#callers.delete(sessionId);
    this.#rates.delete(sessionId);
    this.#muted.delete(sessionId);
  }

  /** Sessions accepted and not yet disconnected. */
  get acceptedSessionIds(): string[] {
    return [...this.#sessions.keys()];
  }

  callsOf<Method extends MockTransportMethod>(method: Method): RecordedCall<RealtimeTransport, Method>[] {
    return this.calls.filter((call) => call.method === method) as unknown as RecordedCall<RealtimeTransport, Method>[];
  }

  /** Messages of one `type` sent to the caller. */
  messagesOfType<Type extends ClientControlMessage["type"]>(
    type: Type,
  ): Extract<ClientControlMessage, { type: Type }>[] {
    return this.sentMessages
      .map((entry) => entry.message)
      .filter((message): message is Extract<ClientControlMessage, { type: Type }> => message.type === type);
  }

  clearRecordings(): void {
    this.calls.length = 0;
    this.sentAudio.length = 0;
    this.sentMessages.length = 0;
    this.inputMuted.length = 0;
  }

  /** What the caller's device holds and has played for an accepted session (undefined otherwise). */
  callerPlayback(session: VoiceSession): MockCallerPlaybackState | undefined {
    if (!this.#sessions.has(session.id)) return undefined;
    return this.#callers.get(session.id)?.snapshot() ?? { queuedBytes: 0, playedBytes: 0, droppedBytes: 0 };
  }

  // ---- the caller's side ----
  /**
   * The caller's device plays up to `ms` of the audio queued for it. With `playbackCallback` it reports the block
   * through `onAudioPlayed` (`playbackEnded` once the queue is empty); with `playbackPosition` it reports the
   * position in the current response (since the last `interrupt`) through `onPlaybackPosition`.
   */
  async playToCaller(session: VoiceSession, ms: number): Promise<Uint8Array> {
    const caller = this.#callers.get(session.id);
    if (caller === undefined) return new Uint8Array(0);
    const rate = this.#rates.get(session.id) ?? this.#outputSampleRate ?? 24000;
    const block = caller.play(Math.round((ms * rate) / 1000) * 2);
    if (block.byteLength === 0) return block;
    if (this.capabilities.playbackCallback) {
      await this.fireAudioPlayed(session, { audio: block, sampleRate: rate, playbackEnded: caller.queuedBytes === 0 });
    }
    if (this.capabilities.playbackPosition) {
      const playedMs = (caller.playedSinceDrop / 2 / rate) * 1000;
      await this.firePlaybackPosition(session, { playedMs, source: "device" });
    }
    return block;
  }

  /** The caller speaks: fires `onAudioReceived`, unless muted on a transport that declares `inputMute`. */
  async simulateClientAudio(session: VoiceSession, audio: InboundAudio): Promise<void> {
    if (this.capabilities.inputMute && this.#muted.has(session.id)) {
      this.inputMutedDropped++;
      return;
    }
    await this.fireAudioReceived(session, audio);
  }
  async simulateClientDisconnect(session: VoiceSession): Promise<void> {
    await this.fireClientDisconnected(session);
  }
  /** The caller's device played a block (transports with `capabilities.playbackCallback`). */
  async simulateAudioPlayed(session: VoiceSession, played: PlayedAudio): Promise<void> {
    await this.fireAudioPlayed(session, played);
  }
  /** The caller reports how much of the current response it heard (`capabilities.playbackPosition`). */
  async simulatePlaybackPosition(session: VoiceSession, position: PlaybackPosition): Promise<void> {
    await this.firePlaybackPosition(session, position);
  }
  async simulateDtmf(session: VoiceSession, digit: DtmfDigit): Promise<void> {
    await this.fireDtmf(session, digit);
  }
}

/**
 * The seed's `MockVoiceBackend`: the same test double under the `VoiceBackend` name, with the original's
 * `simulateAudioReceived` / `simulateClientDisconnected` spellings.
 */
export class MockVoiceBackend extends MockRealtimeTransport {
  override readonly name: string = "MockVoiceBackend";

  simulateAudioReceived(session: VoiceSession, audio: InboundAudio): Promise<void> {
    return this.simulateClientAudio(session, audio);
  }
  simulateClientDisconnected(session: VoiceSession): Promise<void> {
    return this.simulateClientDisconnect(session);
  }
}
