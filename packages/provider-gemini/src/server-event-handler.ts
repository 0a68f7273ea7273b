import type { LiveServerMessage } from "@google/genai";
import { createResampler, decodeBase64, Pcm16Aligner, type StreamingResampler } from "@roomkit/audio";
import type { Logger, ProviderConnectOptions, RealtimeUsage, ToolArguments, VoiceSession } from "@roomkit/spec";
import type { GeminiSessionStats, SessionEvents } from "./session-events.ts";
import { TranscriptAssembler } from "./transcript-assembler.ts";
import { dispatchServerMessage, type ServerMessageHandler } from "./wire/dispatch-server-message.ts";

/** Gemini Live output audio is always PCM16 at 24 kHz. */
export const GEMINI_OUTPUT_SAMPLE_RATE = 24000;

export interface ServerEventHandlerOptions {
  session: VoiceSession;
  events: SessionEvents;
  logger: Logger;
  stats: GeminiSessionStats;
  /** Shared with the session: call id → tool name. */
  pendingCalls: Map<string, string>;
  outputSampleRate: number;
  textMode: boolean;
  onHandle(handle: string): void;
  onToolCallsSettled(): void;
  onTurnComplete(): void;
  onGoAway(timeLeftMs: number | undefined): void;
}

/**
 * Turns Gemini server messages into RoomKit provider events: response lifecycle (one start per turn, an end only
 * when a response started), speech events (ACTIVITY_START/END, or a synthetic start on `interrupted`), transcripts
 * (user final flushed before the reply or a tool call), tool calls and cancellations, usage, output resampling.
 */
export class ServerEventHandler implements ServerMessageHandler {
  textMode: boolean;
  #responseStarted = false;
  #userSpeechActive = false;
  #syntheticSpeech = false;
  /** The turnComplete that follows `interrupted` closes the interrupted turn, not the caller's new one. */
  #interruptedTurnOpen = false;
  #awaitingNewUtterance = false;
  #resampler: StreamingResampler | undefined;
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

  /** Applies the output rate: resample Gemini's 24 kHz when the channel asks for another rate. */
  configure(options: ProviderConnectOptions): void {
    const rate = options.outputSampleRate;
    if (rate === GEMINI_OUTPUT_SAMPLE_RATE || !(rate > 0)) {
      this.#resampler = undefined;
    } else if (this.#resampler === undefined || this.#options.outputSampleRate !== rate) {
      this.#resampler = createResampler({ fromRate: GEMINI_OUTPUT_SAMPLE_RATE, toRate: rate });
    }
    this.#options.outputSampleRate = rate;
  }

  /** Never throws: this runs inside the SDK's un-awaited frame handler, where an exception would end the process. */
  handle(message: LiveServerMessage): void {
    try {
      dispatchServerMessage(message, this);
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
    this.#resampler?.reset();
  }

  reset(): void {
    this.#interruptedTurnOpen = false;
    this.#aligner.reset();
    this.#transcripts.clear();
    this.#responseStarted = false;
    this.#userSpeechActive = false;
    this.#resampler?.reset();
  }

  // ---- ServerMessageHandler ----

  setupComplete(sessionId: string | undefined): void {
    this.#options.session.providerSessionId = sessionId ?? this.#options.session.id;
  }

  resumptionUpdate(handle: string, resumable: boolean): void {
    if (resumable && handle) this.#options.onHandle(handle);
  }

  voiceActivity(kind: "start" | "end"): void {
    if (kind === "start") {
      if (this.#userSpeechActive) return;
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
    this.#transcripts.flush("user");
    this.#transcripts.resetDuplicateGuard("assistant");
    this.#responseStarted = true;
    this.#options.events.responseStart();
  }

  outputTranscription(text: string, finished: boolean): void {
    this.#transcripts.chunk("assistant", text, finished);
  }

  audio(base64: string): void {
    const decoded = decodeBase64(base64);
    if (decoded === undefined) {
      this.dropInvalid("audio data that is not base64");
      return;
    }
    const pcm = this.#aligner.align(decoded);
    if (pcm.byteLength === 0) return;
    const resampler = this.#resampler;
    if (resampler === undefined) {
      this.#options.events.audio(pcm);
      return;
    }
    const out = resampler.process(pcm);
    if (out.byteLength > 0) this.#options.events.audio(out);
  }

  text(text: string): void {
    if (this.textMode) this.#transcripts.chunk("assistant", text);
  }

  toolCall(calls: ReadonlyArray<{ id: string | undefined; name: string; args: Record<string, unknown> }>): void {
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
    this.#transcripts.flush("assistant");
    this.#resampler?.reset();
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

  generationComplete(): void {
    this.#flushResampler();
  }

  turnComplete(): void {
    this.#options.stats.turns++;
    this.#aligner.reset();
    if (this.#interruptedTurnOpen) {
      this.#interruptedTurnOpen = false;
    } else if (this.#userSpeechActive && this.#syntheticSpeech) {
      // The caller's interrupting turn ended without a reply: their speech is over.
      this.#userSpeechActive = false;
      this.#syntheticSpeech = false;
      this.#options.events.speechEnd();
    }
    this.#transcripts.flush("user");
    this.#transcripts.flush("assistant");
    this.#awaitingNewUtterance = true;
    if (this.#responseStarted) {
      this.#flushResampler();
      this.#responseStarted = false;
      this.#options.events.responseEnd();
    }
    this.#options.onTurnComplete();
  }

  goAway(timeLeftMs: number | undefined): void {
    this.#options.onGoAway(timeLeftMs);
  }

  #flushResampler(): void {
    const resampler = this.#resampler;
    if (resampler === undefined) return;
    const tail = resampler.flush();
    resampler.reset();
    if (tail.byteLength > 0) this.#options.events.audio(tail);
  }
}
