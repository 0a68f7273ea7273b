import type { TranscriptionRole } from "@roomkit/spec";

export type TranscriptSink = (text: string, role: TranscriptionRole, isFinal: boolean) => void;

interface RoleBuffer {
  text: string;
  lastFinal: string | undefined;
}

/**
 * Assembles Gemini's incremental transcription chunks: each chunk is emitted as a partial, a flush emits the
 * concatenation once as the final. A final identical to the previous final of the same role is a re-emission and
 * is dropped, until `resetDuplicateGuard` (new speech, new response, turn boundary) lets a repeated utterance pass.
 */
export class TranscriptAssembler {
  readonly #buffers: Record<TranscriptionRole, RoleBuffer> = {
    user: { text: "", lastFinal: undefined },
    assistant: { text: "", lastFinal: undefined },
  };
  readonly #sink: TranscriptSink;

  constructor(sink: TranscriptSink) {
    this.#sink = sink;
  }

  chunk(role: TranscriptionRole, text: string, finished = false): void {
    if (text !== "") {
      this.#buffers[role].text += text;
      this.#sink(text, role, false);
    }
    if (finished) this.flush(role);
  }

  /** Emits the buffered text as one final (nothing when empty or whitespace-only, or a re-emission). */
  flush(role: TranscriptionRole): void {
    const buffer = this.#buffers[role];
    const text = buffer.text.trim();
    buffer.text = "";
    if (text === "" || text === buffer.lastFinal) return;
    buffer.lastFinal = text;
    this.#sink(text, role, true);
  }

  hasPending(role: TranscriptionRole): boolean {
    return this.#buffers[role].text !== "";
  }

  resetDuplicateGuard(role: TranscriptionRole): void {
    this.#buffers[role].lastFinal = undefined;
  }

  /** Drops buffered text without emitting it (reconnect, disconnect). */
  clear(): void {
    this.#buffers.user.text = "";
    this.#buffers.assistant.text = "";
  }
}
