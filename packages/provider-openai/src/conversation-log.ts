import { joinBase64 } from "@roomkit/audio";
import type { OpenAIConversationItem } from "./wire/client-events.ts";

/** Committed caller turns whose audio is kept while their transcript is pending. */
const MAX_ITEMS_WITH_AUDIO = 3;

type Entry =
  | {
      kind: "message";
      key: string;
      role: "user" | "assistant" | "system";
      text: string;
      /** The caller's committed audio (wire base64), kept until its transcript arrives. */
      audio?: readonly string[];
    }
  | { kind: "function_call"; key: string; callId: string; name: string; arguments: string }
  | { kind: "function_call_output"; key: string; callId: string; output: string };

/**
 * The conversation so far as text, kept to re-seed a new connection after a reconnect: user and assistant
 * transcripts (in conversation order, by item id), injected text, tool calls and their results. Bounded: the
 * oldest entries are dropped beyond `maxEntries`.
 */
export class ConversationLog {
  readonly #entries: Entry[] = [];
  readonly #byKey = new Map<string, Entry>();
  readonly #withAudio: Array<Extract<Entry, { kind: "message" }>> = [];
  readonly #maxEntries: number;
  #sequence = 0;

  constructor(maxEntries = 500) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.length;
  }

  /**
   * Reserves the slot of a user audio item at commit time, so a late transcript keeps its place. Until that
   * transcript arrives the slot keeps the committed audio (on the latest few items only), so a reconnect in between
   * re-creates the turn as audio instead of losing it.
   */
  reserveUserItem(itemId: string, audio: readonly string[] = []): void {
    if (this.#byKey.has(itemId)) return;
    const entry: Entry = { kind: "message", key: itemId, role: "user", text: "" };
    if (audio.length > 0) {
      entry.audio = audio;
      this.#withAudio.push(entry);
      if (this.#withAudio.length > MAX_ITEMS_WITH_AUDIO) delete this.#withAudio.shift()!.audio;
    }
    this.#push(entry);
  }

  setUserTranscript(itemId: string, transcript: string): void {
    this.#setText(itemId, "user", transcript);
  }

  setAssistantTranscript(itemId: string, transcript: string): void {
    this.#setText(itemId, "assistant", transcript);
  }

  /** The caller heard only `heardMs` of `totalMs`: keep the same share of the assistant's transcript. */
  truncateAssistant(itemId: string, heardMs: number, totalMs: number): void {
    const entry = this.#byKey.get(itemId);
    if (entry?.kind !== "message" || totalMs <= 0) return;
    const ratio = Math.min(1, Math.max(0, heardMs / totalMs));
    const cut = Math.round(entry.text.length * ratio);
    entry.text = entry.text.slice(0, cut).trimEnd();
  }

  /** Records an item the client creates (injected text or image prompt, a tool result). */
  addClientItem(item: OpenAIConversationItem): void {
    if (item.type === "function_call_output") this.addFunctionCallOutput(item.call_id, item.output);
    else if (item.type === "message") {
      const text = item.content
        .map((part) => ("text" in part ? part.text : ""))
        .filter((part) => part !== "")
        .join(" ");
      if (text !== "") this.addText(item.role, text);
    }
  }

  addText(role: "user" | "assistant" | "system", text: string): void {
    this.#push({ kind: "message", key: `local_${++this.#sequence}`, role, text });
  }

  addFunctionCall(callId: string, name: string, argumentsText: string): void {
    if (this.#byKey.has(`call:${callId}`)) return;
    this.#push({ kind: "function_call", key: `call:${callId}`, callId, name, arguments: argumentsText });
  }

  addFunctionCallOutput(callId: string, output: string): void {
    this.#push({ kind: "function_call_output", key: `output:${callId}:${++this.#sequence}`, callId, output });
  }

  /** The items to create on a fresh connection, oldest first (empty messages skipped). */
  toItems(): OpenAIConversationItem[] {
    const items: OpenAIConversationItem[] = [];
    for (const entry of this.#entries) {
      if (entry.kind === "function_call") {
        items.push({ type: "function_call", call_id: entry.callId, name: entry.name, arguments: entry.arguments });
      } else if (entry.kind === "function_call_output") {
        items.push({ type: "function_call_output", call_id: entry.callId, output: entry.output });
      } else if (entry.text === "" && entry.audio !== undefined) {
        items.push({
          type: "message",
          role: "user",
          content: [{ type: "input_audio", audio: joinBase64(entry.audio) }],
        });
      } else if (entry.text !== "") {
        if (entry.role === "assistant") {
          items.push({ type: "message", role: "assistant", content: [{ type: "output_text", text: entry.text }] });
        } else {
          items.push({ type: "message", role: entry.role, content: [{ type: "input_text", text: entry.text }] });
        }
      }
    }
    return items;
  }

  #setText(itemId: string, role: "user" | "assistant", text: string): void {
    const entry = this.#byKey.get(itemId);
    if (entry?.kind === "message") {
      entry.text = text;
      if (text !== "") delete entry.audio;
    } else this.#push({ kind: "message", key: itemId, role, text });
  }

  #push(entry: Entry): void {
    this.#entries.push(entry);
    this.#byKey.set(entry.key, entry);
    while (this.#entries.length > this.#maxEntries) {
      const dropped = this.#entries.shift()!;
      this.#byKey.delete(dropped.key);
    }
  }
}
