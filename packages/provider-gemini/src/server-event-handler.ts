import type { LiveServerMessage } from "@google/genai";
import { decodeBase64, Pcm16Aligner } from "@roomkit/audio";
import type { Logger, RealtimeUsage, ToolArguments, VoiceSession } from "@roomkit/spec";
import type { ConnectionEvents, GeminiSessionStats } from "./connection-events.ts";
import { TranscriptAssembler } from "./transcript-assembler.ts";
import { parseServerEvent } from "./wire/parse-server-event.ts";
import type { GeminiServerEvent, GeminiToolCall } from "./wire/server-events.ts";

export interface ServerEventHandlerOptions {
  session: VoiceSession;
  events: ConnectionEvents;
  logger: Logger;
  stats: GeminiSessionStats;
  /** Shared with the session: call id → tool name. */
  pendingCalls: Map<string, string>;
  textMode: boolean;
  onHandle(handle: string): void;
  onToolCallsSettled(): void;
  onTurnComplete(): void;
  onGoAway(timeLeftMs: number | undefined): void;
}

/**
 * Applies the events of each server message (parsed by `wire/parse-server-event.ts`) to the session and turns them
 * into RoomKit provider events: response lifecycle (one start per turn, an end only
 * when a response started), speech events (ACTIVITY_START/END, or a synthetic start on `interrupted`), transcripts
 * (the caller's final held until the turn ends, a tool call, barge-in or the assistant's final: its last chunks
 * often arrive after the reply began), tool calls and cancellations, usage. Output audio
 * is delivered at Gemini's 24 kHz as it arrives (the channel resamples).
 */
export class ServerEventHandler {
  textMode: boolean;
  #responseStarted = false;
  #userSpeechActive = false;
  #syntheticSpeech = false;
  /** The turnComplete that follows `interrupted` closes the interrupted turn, not the caller's new one. */
  #interruptedTurnOpen = false;
  #awaitingNewUtterance = false;
  /**
   * An odd-length part would shift every later sample of the turn by a byte (loud noise): the dangling byte is held
   * for the next part; turn boundaries (`interrupted`, `turnComplete`, a lost connection) drop it.
   */
  readonly #aligner = new Pcm16Aligner();
  readonly #options: ServerEventHandlerOptions;
  readonly #transcripts: TranscriptAssembler;

  constructor(options: ServerEventHandlerOptions) {
    this.#options = options;
    this.textMode = options.textMode;
    this.#transcripts = new TranscriptAssembler((text, role, isFinal) =>
      options.events.transcription(text, role, isFinal),
    );
  }

  get responseStarted(): boolean {
    return this.#responseStarted;
  }

  /** Never throws: this runs inside the SDK's un-awaited frame handler, where an exception would end the process. */
  handle(message: LiveServerMessage): void {
    try {
      for (const event of parseServerEvent(message)) this.apply(event);
    } catch (error) {
      this.dropInvalid(`could not process a server message: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Counts and logs a server message that was dropped. */
  dropInvalid(reason: string): void {
    this.#options.stats.invalidMessages++;
    this.#options.logger.warn("Gemini: dropped an invalid server message", { reason });
  }

  /** The connection is gone mid-turn: emit what was heard, end an open response, forget turn state. */
  connectionLost(): void {
    this.#interruptedTurnOpen = false;
    this.#aligner.reset();
    this.#transcripts.flush("user");
    this.#transcripts.flush("assistant");
    if (this.#responseStarted) {
      this.#responseStarted = false;
      this.#options.events.responseEnd();
    }
    if (this.#userSpeechActive) {
      this.#userSpeechActive = false;
      this.#options.events.speechEnd();
    }
  }

  /** The session is closing: what was heard is emitted as finals (caller first), never dropped with the socket. */
  flushTranscripts(): void {
    this.#transcripts.flush("user");
    this.#transcripts.flush("assistant");
  }

  reset(): void {
    this.#interruptedTurnOpen = false;
    this.#aligner.reset();
    this.#transcripts.clear();
    this.#responseStarted = false;
    this.#userSpeechActive = false;
  }

  /** Applies one parsed server event. */
  apply(event: GeminiServerEvent): void {
    switch (event.type) {
      case "setup-complete":
        this.setupComplete(event.sessionId);
        return;
      case "resumption-update":
        this.resumptionUpdate(event.handle, event.resumable);
        return;
      case "voice-activity":
        this.voiceActivity(event.kind);
        return;
      case "input-transcription":
        this.inputTranscription(event.text, event.finished);
        return;
      case "model-output":
        this.modelOutput();
        return;
      case "output-transcription":
        this.outputTranscription(event.text, event.finished);
        return;
      case "audio":
        this.audio(event.data);
        return;
      case "text":
        this.text(event.text);
        return;
      case "tool-call":
        this.toolCall(event.calls);
        return;
      case "tool-call-cancellation":
        this.toolCallCancellation(event.ids);
        return;
      case "usage":
        this.usage(event.usage);
        return;
      case "interrupted":
        this.interrupted();
        return;
      case "generation-complete": // the model is done generating; the turn ends at turn-complete
        return;
      case "turn-complete":
        this.turnComplete();
        return;
      case "go-away":
        this.goAway(event.timeLeftMs);
        return;
    }
  }

  // ---- one method per event ----

  setupComplete(sessionId: string | undefined): void {
    this.#options.session.providerSessionId = sessionId ?? this.#options.session.id;
  }

  resumptionUpdate(handle: string, resumable: boolean): void {
    if (resumable && handle) this.#options.onHandle(handle);
  }

  voiceActivity(kind: "start" | "end"): void {
    if (kind === "start") {
      if (this.#userSpeechActive) return;
      this.#transcripts.flush("user"); // an earlier utterance still held: it ends before the new one
      this.#userSpeechActive = true;
      this.#syntheticSpeech = false;
      this.#transcripts.resetDuplicateGuard("user");
      this.#awaitingNewUtterance = false;
      this.#options.events.speechStart();
      return;
    }
    // No flush here: the last input-transcription chunks may arrive after ACTIVITY_END; the user final is
    // flushed before the reply (model output), a tool call, or at turnComplete.
    if (this.#userSpeechActive) {
      this.#userSpeechActive = false;
      this.#options.events.speechEnd();
    }
  }

  inputTranscription(text: string, finished: boolean): void {
    if (this.#awaitingNewUtterance) {
      this.#awaitingNewUtterance = false;
      this.#transcripts.resetDuplicateGuard("user");
    }
    this.#transcripts.chunk("user", text, finished);
  }

  modelOutput(): void {
    if (this.#responseStarted) return;
    if (this.#userSpeechActive && this.#syntheticSpeech) {
      this.#userSpeechActive = false;
      this.#syntheticSpeech = false;
      this.#options.events.speechEnd();
    }
    // The caller's final is not emitted here: the rest of their transcription may still come (it often arrives
    // after the reply began); it is emitted at the end of the turn, before the assistant's.
    this.#transcripts.resetDuplicateGuard("assistant");
    this.#responseStarted = true;
    this.#options.events.responseStart();
  }

  outputTranscription(text: string, finished: boolean): void {
    if (finished) this.#transcripts.flush("user"); // the caller's final comes first in the timeline
    this.#transcripts.chunk("assistant", text, finished);
  }

  audio(base64: string): void {
    const decoded = decodeBase64(base64);
    if (decoded === undefined) {
      this.dropInvalid("audio data that is not base64");
      return;
    }
    const pcm = this.#aligner.align(decoded);
    if (pcm.byteLength > 0) this.#options.events.audio(pcm);
  }

  text(text: string): void {
    if (this.textMode) this.#transcripts.chunk("assistant", text);
  }

  toolCall(calls: readonly GeminiToolCall[]): void {
    this.#transcripts.flush("user");
    for (const call of calls) {
      if (!call.id) {
        this.#options.logger.warn("Gemini: tool call without an id ignored (it cannot be answered)", {
          name: call.name,
        });
        continue;
      }
      this.#options.pendingCalls.set(call.id, call.name);
      this.#options.stats.toolCalls++;
      this.#options.events.toolCall(call.id, call.name, call.args as ToolArguments);
    }
  }

  toolCallCancellation(ids: readonly string[]): void {
    const known = ids.filter((id) => this.#options.pendingCalls.delete(id));
    this.#options.stats.toolCallsCancelled += known.length;
    this.#options.events.toolCallCancel(ids);
    if (this.#options.pendingCalls.size === 0) this.#options.onToolCallsSettled();
  }

  usage(usage: RealtimeUsage): void {
    this.#options.events.usage(usage);
  }

  interrupted(): void {
    this.#interruptedTurnOpen = true;
    this.#aligner.reset();
    this.#transcripts.flush("user");
    this.#transcripts.flush("assistant");
    if (!this.#userSpeechActive) {
      this.#userSpeechActive = true;
      this.#syntheticSpeech = true;
      this.#transcripts.resetDuplicateGuard("user");
      this.#options.events.speechStart();
    }
    if (this.#responseStarted) {
      this.#responseStarted = false;
      this.#options.events.responseEnd();
    }
  }

  turnComplete(): void {
    this.#options.stats.turns++;
    this.#aligner.reset();
    if (this.#interruptedTurnOpen) {
      // This closes the interrupted turn (whose caller final went out at `interrupted`); the interrupting caller's
      // words may already be arriving and belong to the next turn.
      this.#interruptedTurnOpen = false;
    } else {
      if (this.#userSpeechActive && this.#syntheticSpeech) {
        // The caller's interrupting turn ended without a reply: their speech is over.
        this.#userSpeechActive = false;
        this.#syntheticSpeech = false;
        this.#options.events.speechEnd();
      }
      this.#transcripts.flush("user");
    }
    this.#transcripts.flush("assistant");
    this.#awaitingNewUtterance = true;
    if (this.#responseStarted) {
      this.#responseStarted = false;
      this.#options.events.responseEnd();
    }
    this.#options.onTurnComplete();
  }

  goAway(timeLeftMs: number | undefined): void {
    this.#options.onGoAway(timeLeftMs);
  }
}
