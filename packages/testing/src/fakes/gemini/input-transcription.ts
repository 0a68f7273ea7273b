import { wordChunks } from "./synthetic-speech.ts";
import type { GeminiLiveFakeOptions, GeminiServerMessage } from "./types.ts";

/**
 * The caller's transcript for one audio turn, sent as `inputTranscription` chunks: the first word when speech
 * starts, the rest when it ends — or, for a late transcription (`lateInputTranscription`), after the reply's first
 * output, as the service often does. With the queue empty the service still transcribes what it heard: the fake
 * sends `[N ms of audio]` (the OpenAI fake's placeholder) when speech ends, while the brain still sees no text.
 */
export class InputTranscription {
  readonly #options: GeminiLiveFakeOptions;
  readonly #queue: string[];
  readonly #send: (message: GeminiServerMessage) => void;
  /** The current turn's transcript (taken from the queue when speech starts); "" when the queue was empty. */
  text = "";
  #late: string[] | undefined;
  #wordsSent = 0;

  constructor(options: { fake: GeminiLiveFakeOptions; queue: string[]; send(message: GeminiServerMessage): void }) {
    this.#options = options.fake;
    this.#queue = options.queue;
    this.#send = options.send;
  }

  /** Speech started: the turn's transcript is taken from the queue; its first word goes out when `enabled`. */
  begin(enabled: boolean): void {
    this.text = this.#queue.shift() ?? "";
    this.#wordsSent = 0;
    const words = wordChunks(this.text);
    if (enabled && words.length > 0) {
      this.#chunk(words[0]!);
      this.#wordsSent = 1;
    }
  }

  /** Speech ended (the `turnNumber`-th audio turn): the rest now, or held until the reply's first output. */
  end(enabled: boolean, turnNumber: number, durationMs: number): void {
    if (!enabled) return;
    const heard = this.text === "" ? `[${Math.round(durationMs)} ms of audio]` : this.text;
    const rest = wordChunks(heard).slice(this.#wordsSent);
    const mode = this.#options.lateInputTranscription ?? "sometimes";
    const late = mode === "always" || (mode === "sometimes" && turnNumber % 2 === 0);
    if (late && rest.length > 0) this.#late = rest;
    else for (const word of rest) this.#chunk(word);
  }

  /** Sends the held (late) chunks, if any: after the reply's first output, or when the reply has none. */
  flushLate(): void {
    const words = this.#late;
    this.#late = undefined;
    for (const word of words ?? []) this.#chunk(word);
  }

  /** The turn was cut (connection ended or superseded): its transcript goes back to the queue when `speaking`. */
  abandon(speaking: boolean): void {
    if (speaking && this.text !== "") this.#queue.unshift(this.text);
    this.text = "";
    this.#late = undefined;
  }

  #chunk(text: string): void {
    this.#send({ serverContent: { inputTranscription: { text } } });
  }
}
