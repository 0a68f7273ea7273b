export interface TranscriptBubble {
  /** Stable id: one bubble per (role, utterance). */
  id: string;
  role: "user" | "assistant";
  text: string;
  final: boolean;
}

/**
 * Turns the server's `transcription` messages into chat bubbles: partials (deltas) of one utterance are
 * concatenated into one bubble, and the final replaces its text. Each role has at most one open bubble.
 */
export class TranscriptAssembler {
  readonly bubbles: TranscriptBubble[] = [];
  readonly #open = new Map<string, TranscriptBubble>();
  #next = 0;

  /** Applies one message; returns the bubble it created or changed. */
  apply(message: { text: string; role: "user" | "assistant"; is_final: boolean }): TranscriptBubble {
    let bubble = this.#open.get(message.role);
    if (bubble === undefined) {
      bubble = { id: `${message.role}-${++this.#next}`, role: message.role, text: "", final: false };
      this.bubbles.push(bubble);
      if (this.bubbles.length > 500) this.bubbles.shift();
    }
    if (message.is_final) {
      bubble.text = message.text;
      bubble.final = true;
      this.#open.delete(message.role);
    } else {
      bubble.text += message.text;
      this.#open.set(message.role, bubble);
    }
    return bubble;
  }

  clear(): void {
    this.bubbles.length = 0;
    this.#open.clear();
  }
}
