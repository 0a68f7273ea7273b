import type { InjectTextOptions } from "@roomkit/spec";
import { ConversationLog, seedFreshSession } from "./conversation-log.ts";
import type { LiveSessionLike } from "./live-connector.ts";
import { MODEL_TEXT_PREFIX, SILENT_TEXT_PREFIX } from "./wire/sanitize-text.ts";

/** A text or image injection, held while tool calls are pending or the connection is being re-established. */
export type QueuedInjection =
  | { kind: "text"; text: string; role: InjectTextOptions["role"]; silent: boolean }
  | { kind: "image"; data: string; mimeType: string; prompt: string; silent: boolean };

/** Models that accept `clientContent` only to seed history (mid-session text must be realtime text). */
export function clientContentSeedOnly(model: string): boolean {
  return /^gemini-3\.[1-7]/.test(model);
}

/**
 * Sends one injection. Before any realtime input, as ordered `clientContent` (`turnComplete` = not silent;
 * assistant → `model`, anything else → `user`); afterwards as realtime input, because interleaving `clientContent`
 * after realtime audio closes the socket with 1007: text with the "[Assistant previously said]" / "[Context
 * update…]" prefixes, images as a `video` frame after their prompt. The session's first `clientContent` must not end
 * with a model turn (1007 too): an assistant text sent first becomes a user turn with the assistant prefix. Returns
 * what it sent.
 */
export function sendInjection(
  live: LiveSessionLike,
  item: QueuedInjection,
  options: { useClientContent: boolean; firstClientContent: boolean },
): "clientContent" | "realtime" {
  const { useClientContent } = options;
  if (item.kind === "text") {
    const role = item.role === "assistant" ? "model" : "user";
    if (useClientContent) {
      const turn =
        role === "model" && options.firstClientContent
          ? { role: "user", parts: [{ text: MODEL_TEXT_PREFIX + item.text }] }
          : { role, parts: [{ text: item.text }] };
      live.sendClientContent({ turns: [turn], turnComplete: !item.silent });
      return "clientContent";
    }
    let text = role === "model" ? MODEL_TEXT_PREFIX + item.text : item.text;
    if (item.silent) text = SILENT_TEXT_PREFIX + text;
    live.sendRealtimeInput({ text });
    return "realtime";
  }
  if (useClientContent) {
    const parts = item.prompt ? [{ text: item.prompt }] : [];
    live.sendClientContent({
      turns: [{ role: "user", parts: [...parts, { inlineData: { mimeType: item.mimeType, data: item.data } }] }],
      turnComplete: !item.silent,
    });
    return "clientContent";
  }
  if (item.prompt) live.sendRealtimeInput({ text: item.silent ? SILENT_TEXT_PREFIX + item.prompt : item.prompt });
  else if (item.silent)
    live.sendRealtimeInput({ text: `${SILENT_TEXT_PREFIX}an image follows; do not respond to this image` });
  live.sendRealtimeInput({ video: { mimeType: item.mimeType, data: item.data } });
  return "realtime";
}

/**
 * What the session injects (text, images) and the session-level state that decides how: the conversation log kept
 * for re-seeding, whether realtime input has gone out (then only realtime text is accepted) and whether a first
 * `clientContent` was sent. Injections wait while tool calls are pending or no connection is open (a text sent then
 * would be lost or reach the model mid-call); `flush` sends them in order once `canSend` holds again.
 */
export class Injections {
  /** Final transcripts and injected text, for re-seeding a fresh server session. */
  readonly log = new ConversationLog();
  readonly #queue: QueuedInjection[] = [];
  readonly #seedOnly: boolean;
  readonly #live: () => LiveSessionLike | undefined;
  readonly #canSend: () => boolean;
  #realtimeInputSent = false;
  #clientContentSent = false;

  constructor(options: { model: string; live(): LiveSessionLike | undefined; canSend(): boolean }) {
    this.#seedOnly = clientContentSeedOnly(options.model);
    this.#live = options.live;
    this.#canSend = options.canSend;
  }

  /** Realtime input went out: from now on `clientContent` would close the socket (1007). */
  realtimeInputSent(): void {
    this.#realtimeInputSent = true;
  }

  text(text: string, role: InjectTextOptions["role"], silent: boolean): void {
    this.log.add(role === "assistant" ? "model" : "user", text);
    this.#add({ kind: "text", text, role, silent });
  }

  image(data: string, mimeType: string, prompt: string, silent: boolean): void {
    this.#add({ kind: "image", data, mimeType, prompt, silent });
  }

  flush(): void {
    while (this.#queue.length > 0 && this.#canSend()) this.#send(this.#queue.shift()!);
  }

  /** Drops queued injections (meant for a previous agent, or the session ended). */
  clear(): void {
    this.#queue.length = 0;
  }

  /**
   * A new server session (the handle was refused, or none had been issued) has heard nothing: the conversation so
   * far goes first, before any realtime input. Returns whether anything was sent.
   */
  reseed(live: LiveSessionLike): boolean {
    const sent = seedFreshSession(live, this.log, this.#seedOnly);
    this.#realtimeInputSent = sent === "realtime";
    this.#clientContentSent = sent === "clientContent";
    return sent !== "none";
  }

  #add(item: QueuedInjection): void {
    if (this.#canSend()) this.#send(item);
    else this.#queue.push(item);
  }

  #send(item: QueuedInjection): void {
    const live = this.#live();
    if (live === undefined) return;
    const useClientContent = !this.#realtimeInputSent && !this.#seedOnly;
    const sent = sendInjection(live, item, { useClientContent, firstClientContent: !this.#clientContentSent });
    if (sent === "realtime") this.#realtimeInputSent = true;
    else this.#clientContentSent = true;
  }
}
