import type { Content } from "@google/genai";
import type { LiveSessionLike } from "./live-connector.ts";
import { SILENT_TEXT_PREFIX } from "./wire/sanitize-text.ts";

export interface LoggedTurn {
  role: "user" | "model";
  text: string;
}

/** Appended when the history ends with the model: a seed must end with a user turn (Gemini 2.5 refuses otherwise). */
export const RESEED_CONTINUE_TEXT = "(The call was reconnected. Continue the conversation from here.)";

/**
 * The conversation so far as text (final transcripts of both roles and injected text), kept to re-seed a fresh
 * session when a resumption handle is refused or none was issued yet. Consecutive texts of one role join into one
 * turn. Bounded by characters: the oldest turns are dropped beyond `maxChars`.
 */
export class ConversationLog {
  readonly #turns: LoggedTurn[] = [];
  readonly #maxChars: number;
  #chars = 0;

  constructor(maxChars = 16_000) {
    this.#maxChars = maxChars;
  }

  get isEmpty(): boolean {
    return this.#turns.length === 0;
  }

  add(role: "user" | "model", text: string): void {
    const clean = text.trim();
    if (clean === "") return;
    const last = this.#turns.at(-1);
    if (last?.role === role) last.text += ` ${clean}`;
    else this.#turns.push({ role, text: clean });
    this.#chars += clean.length;
    while (this.#chars > this.#maxChars && this.#turns.length > 1) this.#chars -= this.#turns.shift()!.text.length;
  }

  /** The history as `clientContent` turns, ending with a user turn. */
  toContents(): Content[] {
    const contents: Content[] = this.#turns.map((turn) => ({ role: turn.role, parts: [{ text: turn.text }] }));
    if (this.#turns.at(-1)?.role !== "user") contents.push({ role: "user", parts: [{ text: RESEED_CONTINUE_TEXT }] });
    return contents;
  }

  /** The history as one silent realtime text, for models that take `clientContent` only before the first input. */
  toSilentText(): string {
    const lines = this.#turns.map((turn) => `${turn.role === "user" ? "User" : "Assistant"}: ${turn.text}`);
    return `${SILENT_TEXT_PREFIX}The call was reconnected; the conversation so far:\n${lines.join("\n")}`;
  }
}

/**
 * Seeds a new server session (a refused handle, or none issued yet) with the conversation so far, before any realtime
 * input: as `clientContent` turns that ask for no reply, or — on models that take `clientContent` only as initial
 * history — as one silent realtime text. Returns what it sent.
 */
export function seedFreshSession(
  live: LiveSessionLike,
  log: ConversationLog,
  clientContentSeedOnly: boolean,
): "clientContent" | "realtime" | "none" {
  if (log.isEmpty) return "none";
  if (clientContentSeedOnly) {
    live.sendRealtimeInput({ text: log.toSilentText() });
    return "realtime";
  }
  live.sendClientContent({ turns: log.toContents(), turnComplete: false });
  return "clientContent";
}
