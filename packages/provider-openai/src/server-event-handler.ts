import { Pcm16Aligner } from "@roomkit/audio";
import { type Logger, ProviderError } from "@roomkit/spec";
import type { AudioReplayBuffer } from "./replay-buffer.ts";
import type { ConnectionEvents, OpenAIConnectionStats } from "./connection-events.ts";
import type { ConversationLog } from "./conversation-log.ts";
import type { ResponseSequencer } from "./response-sequencer.ts";
import type { SessionUpdateAcks } from "./session-update-acks.ts";
import { acceptFrame } from "./socket-data.ts";
import type { TruncationTracker } from "./truncation-tracker.ts";
import { decodeWireAudio } from "./wire/audio-codec.ts";
import { type AudioDeltaScratch, readAudioDelta } from "./wire/audio-delta-fast-path.ts";
import type { OpenAIAudioEncoding } from "./wire/build-session-config.ts";
import { parseServerEvent } from "./wire/parse-server-event.ts";
import type { OpenAIErrorInfo, OpenAIServerEvent } from "./wire/server-events.ts";
import { toProviderError } from "./wire/to-provider-error.ts";

export interface ServerEventHandlerOptions {
  events: ConnectionEvents;
  logger: Logger;
  stats: OpenAIConnectionStats;
  /** Shared with the connection: the conversation as the server holds it, re-seeded after a reconnect. */
  log: ConversationLog;
  /** Shared with the connection: uncommitted caller audio (taken on commit, emptied on clear). */
  replay: AudioReplayBuffer;
  sequencer: ResponseSequencer;
  truncation: TruncationTracker;
  acks: SessionUpdateAcks;
  /** Server frames larger than this are dropped and counted. */
  maxInboundFrameBytes: number;
  /** The session's output encoding (fixed for a session, read per frame). */
  outputEncoding(): OpenAIAudioEncoding;
  /** The server said the session is over (`session_expired`): the socket must be replaced. */
  onConnectionMustBeReplaced(reason: string): void;
}

const NON_FATAL_CODES = new Set(["conversation_already_has_active_response", "response_cancel_not_active"]);

/**
 * Applies each server frame (parsed by `wire/parse-server-event.ts`; audio deltas through a hand-written fast path)
 * to the session and turns it into RoomKit provider events: output audio (odd bytes carried per item), transcripts
 * of both roles, the response lifecycle (one start per `response.created`, an end only when one started), tool calls,
 * usage, `session.update` acknowledgements, and server errors (harmless ones logged, the rest reported).
 */
export class ServerEventHandler {
  readonly #options: ServerEventHandlerOptions;
  readonly #events: ConnectionEvents;
  readonly #scratch: AudioDeltaScratch = { itemId: "", contentIndex: 0, delta: "" };
  readonly #aligner = new Pcm16Aligner();
  #responding = false;
  /**
   * The caller's speech was announced and has not ended. It survives a reconnect: the replayed uncommitted audio
   * makes the new connection announce the same speech again, which must not start a second turn.
   */
  #callerSpeaking = false;

  constructor(options: ServerEventHandlerOptions) {
    this.#options = options;
    this.#events = options.events;
  }

  get responding(): boolean {
    return this.#responding;
  }

  /** One socket frame: size-checked, then the audio fast path, then the full parse. Never throws on bad input. */
  handleFrame(data: unknown): void {
    const options = this.#options;
    const text = acceptFrame(data, options.maxInboundFrameBytes, options.stats, options.logger);
    if (text === undefined) return;
    const scratch = this.#scratch;
    if (readAudioDelta(text, scratch)) {
      const pcm = decodeWireAudio(scratch.delta, options.outputEncoding());
      // An unusual field order can fool the scan; the full parse below then decides.
      if (pcm !== undefined) {
        this.#deliverAudio(scratch.itemId, scratch.contentIndex, pcm);
        return;
      }
    }
    this.apply(parseServerEvent(text));
  }

  /** The connection is gone mid-turn: end an open response and drop a dangling output byte (caller speech goes on). */
  connectionLost(): void {
    this.#aligner.reset();
    this.#endResponse();
  }

  apply(event: OpenAIServerEvent): void {
    const events = this.#events;
    const options = this.#options;
    switch (event.type) {
      case "audio-delta":
        this.#onAudioDelta(event.itemId, event.contentIndex, event.delta);
        return;
      case "audio-transcript-delta":
      case "text-delta":
        if (event.delta !== "") events.transcription(event.delta, "assistant", false, event.itemId);
        return;
      case "audio-transcript-done":
        options.log.setAssistantTranscript(event.itemId, event.transcript);
        events.transcription(event.transcript, "assistant", true, event.itemId);
        return;
      case "text-done":
        options.log.setAssistantTranscript(event.itemId, event.text);
        events.transcription(event.text, "assistant", true, event.itemId);
        return;
      case "session-created":
        if (event.sessionId) events.serverSession(event.sessionId);
        return;
      case "session-updated":
        options.acks.settle(undefined);
        return;
      case "speech-started":
        if (this.#callerSpeaking) return; // already announced (before a reconnect): one start per turn
        this.#callerSpeaking = true;
        events.speechStart();
        return;
      case "speech-stopped":
        this.#endCallerSpeech();
        return;
      case "input-committed":
        this.#endCallerSpeech(); // a commit ends the caller's turn even when no speech_stopped came
        options.log.reserveUserItem(event.itemId ?? "", options.replay.take()); // audio kept until its transcript
        return;
      case "input-cleared":
        options.replay.clear();
        return;
      case "user-transcript-delta":
        if (event.delta !== "") events.transcription(event.delta, "user", false, event.itemId);
        return;
      case "user-transcript-done":
        options.log.setUserTranscript(event.itemId, event.transcript);
        events.transcription(event.transcript, "user", true, event.itemId);
        return;
      case "user-transcript-failed":
        events.error(toProviderError(event.error, true));
        return;
      case "response-created":
        options.sequencer.onResponseCreated();
        options.truncation.reset();
        this.#responding = true;
        events.responseStart();
        return;
      case "function-call-done":
        options.log.addFunctionCall(event.callId, event.name, event.argumentsText);
        events.toolCall(event.callId, event.name, event.arguments);
        return;
      case "response-done":
        this.#onResponseDone(event);
        return;
      case "item-truncated":
        if (event.itemId === options.truncation.currentItemId) {
          options.log.truncateAssistant(event.itemId, event.audioEndMs, options.truncation.receivedMs);
        }
        return;
      case "error":
        this.#onServerError(event.error);
        return;
      case "invalid":
        options.stats.invalidFrames++;
        options.logger.warn("OpenAI Realtime: dropped an invalid server event", { reason: event.reason });
        return;
      case "custom":
        if (event.known) return;
        options.stats.unknownEvents++;
        options.logger.debug("OpenAI Realtime: unhandled server event", { type: event.rawType });
        return;
      default:
        return;
    }
  }

  #onAudioDelta(itemId: string, contentIndex: number, delta: string): void {
    const pcm = decodeWireAudio(delta, this.#options.outputEncoding());
    if (pcm === undefined) {
      this.#options.stats.invalidFrames++;
      this.#options.logger.warn("OpenAI Realtime: dropped an audio delta with broken base64");
      return;
    }
    this.#deliverAudio(itemId, contentIndex, pcm);
  }

  #deliverAudio(itemId: string, contentIndex: number, decoded: Uint8Array): void {
    if (decoded.byteLength === 0) return;
    this.#options.stats.audioDeltasReceived++;
    const isPcm = this.#options.outputEncoding() === "pcm";
    this.#options.truncation.onAudioDelta(itemId, contentIndex, isPcm ? decoded.byteLength : decoded.byteLength >> 1);
    const pcm = isPcm ? this.#aligner.align(decoded, itemId) : decoded;
    if (pcm.byteLength > 0) this.#events.audio(pcm);
  }

  #onResponseDone(event: Extract<OpenAIServerEvent, { type: "response-done" }>): void {
    if (event.status === "failed") {
      const error = event.error;
      const info = {
        code: error?.code ?? "response_failed",
        message: error?.message || "The response failed",
        errorType: error?.errorType ?? "server_error",
        param: error?.param,
        eventId: error?.eventId,
      };
      this.#events.error(toProviderError(info, true));
    }
    if (event.usage) {
      this.#events.usage({
        inputTokens: event.usage.inputTokens,
        outputTokens: event.usage.outputTokens,
        details: { ...event.usage.details, total_tokens: event.usage.totalTokens },
      });
    }
    this.#endResponse();
    this.#options.sequencer.onResponseDone();
  }

  #endCallerSpeech(): void {
    if (!this.#callerSpeaking) return;
    this.#callerSpeaking = false;
    this.#events.speechEnd();
  }

  #endResponse(): void {
    if (!this.#responding) return;
    this.#responding = false;
    this.#events.responseEnd();
  }

  #onServerError(error: OpenAIErrorInfo): void {
    const options = this.#options;
    options.stats.serverErrors++;
    if (error.code === "conversation_already_has_active_response") {
      options.sequencer.onAlreadyActive();
      options.logger.debug("OpenAI Realtime: response already active; response.create queued");
      return;
    }
    if (NON_FATAL_CODES.has(error.code)) {
      options.logger.debug("OpenAI Realtime: harmless error", { code: error.code });
      return;
    }
    if (error.eventId?.startsWith("rk_session_")) {
      const rejection = new ProviderError({
        message: `OpenAI rejected session.update: ${error.message}`,
        code: error.code,
        recoverable: true,
      });
      if (options.acks.settle(error.eventId, rejection)) return;
    }
    // The session is over (the service closes 1001 right after): replace the connection now. Other errors,
    // `server_error` included, leave the session open; only a close ends or replaces it.
    if (error.code === "session_expired") {
      options.logger.warn("OpenAI Realtime: session expired; replacing the connection", { code: error.code });
      this.#events.error(toProviderError(error, true));
      options.onConnectionMustBeReplaced(`${error.code}: ${error.message}`);
      return;
    }
    this.#events.error(toProviderError(error, true));
  }
}
