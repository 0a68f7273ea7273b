import type { Clock } from "@roomkit/spec";
import type {
  RealtimeConversationItemAssistantMessage,
  RealtimeConversationItemFunctionCall,
  RealtimeResponse,
  RealtimeResponseUsage,
} from "openai/resources/realtime/realtime";
import type { StoredItem } from "./conversation.ts";
import type { FakeReply, FakeSpeed, RealtimeServerEvent } from "./types.ts";

/** What a running response needs from its connection. */
export interface ResponseHost {
  clock: Clock;
  speed: FakeSpeed;
  chunkMs: number;
  send(event: RealtimeServerEvent): void;
  nextId(prefix: string): string;
  /** Output audio chunks (base64) for a reply, and the wire bytes per ms of the output format. */
  audioFor(reply: { text: string; audio?: Uint8Array; sampleRate?: number; audioMs?: number }): {
    chunks: string[];
    chunkMs: number[];
    bytesPerMs: number;
  };
  /** Adds an item to the default conversation; returns the previous item id. */
  addItem(stored: StoredItem): string | null;
  onAudioProduced(): void;
  onFinished(response: FakeResponse): void;
}

export interface FakeResponseOptions {
  id: string;
  conversation: "auto" | "none";
  modalities: Array<"audio" | "text">;
  voice: string;
  reply: FakeReply;
  inputTokens: { text: number; audio: number };
  metadata: Record<string, string> | null;
}

type Step = { delayMs: number; run: () => void };

const INSTANT_BATCH = 50;

/** One response: emits the exact GA event order of protocols.md A8 §4/§5, paced; cancellable. */
export class FakeResponse {
  readonly id: string;
  status: "in_progress" | "completed" | "cancelled" = "in_progress";
  readonly #host: ResponseHost;
  readonly #options: FakeResponseOptions;
  readonly #steps: Step[] = [];
  readonly #output: Array<StoredItem["item"]> = [];
  #index = 0;
  #timer: unknown;
  #open: { stored: StoredItem; outputIndex: number; transcript: string; kind: "audio" | "text" } | undefined;
  #outputTextTokens = 0;
  #outputAudioMs = 0;

  constructor(host: ResponseHost, options: FakeResponseOptions) {
    this.#host = host;
    this.#options = options;
    this.id = options.id;
  }

  get active(): boolean {
    return this.status === "in_progress";
  }

  get conversation(): "auto" | "none" {
    return this.#options.conversation;
  }

  start(): void {
    this.#plan();
    this.#host.send({ type: "response.created", event_id: this.#host.nextId("event"), response: this.#snapshot() });
    this.#host.send({
      type: "rate_limits.updated",
      event_id: this.#host.nextId("event"),
      rate_limits: [
        { name: "requests", limit: 5000, remaining: 4999, reset_seconds: 0.012 },
        { name: "tokens", limit: 40000, remaining: 39000, reset_seconds: 1.5 },
      ],
    });
    this.#run();
  }

  /** Stops at once: open parts/items finish as `incomplete`, then `response.done` (cancelled). */
  cancel(reason: "turn_detected" | "client_cancelled"): void {
    if (!this.active) return;
    this.#host.clock.clearTimeout(this.#timer);
    this.#index = this.#steps.length;
    if (this.#open) this.#closeMessage("incomplete");
    this.status = "cancelled";
    this.#done({ type: "cancelled", reason });
  }

  #plan(): void {
    const reply = this.#options.reply;
    if ("silence" in reply) {
      this.#steps.push({ delayMs: 0, run: () => this.#finish() });
      return;
    }
    const text = "say" in reply ? reply.say : reply.callTool.say;
    if (text !== undefined) this.#planMessage(text, "say" in reply ? reply : { say: text });
    if ("callTool" in reply) this.#planFunctionCall(reply.callTool.name, reply.callTool.args);
    this.#steps.push({ delayMs: 0, run: () => this.#finish() });
  }

  #planMessage(text: string, reply: { say: string; audio?: Uint8Array; sampleRate?: number; audioMs?: number }): void {
    const audio = this.#options.modalities.includes("audio");
    this.#steps.push({ delayMs: 0, run: () => this.#openMessage(audio ? "audio" : "text") });
    const words = text.match(/\s*\S+/g) ?? [];
    if (!audio) {
      for (const word of words) this.#steps.push({ delayMs: 0, run: () => this.#textDelta(word) });
    } else {
      const { chunks, chunkMs, bytesPerMs } = this.#host.audioFor({ text, ...reply });
      const pace = this.#host.speed === "instant" ? 0 : this.#host.chunkMs / this.#host.speed;
      chunks.forEach((chunk, index) => {
        const from = Math.floor((index * words.length) / chunks.length);
        const to = Math.floor(((index + 1) * words.length) / chunks.length);
        const slice = words.slice(from, to).join("");
        this.#steps.push({
          delayMs: index === 0 ? 0 : pace,
          run: () => this.#audioDelta(chunk, chunkMs[index]!, bytesPerMs, slice),
        });
      });
    }
    this.#steps.push({ delayMs: 0, run: () => this.#closeMessage("completed", text) });
  }

  #openMessage(kind: "audio" | "text"): void {
    const item: RealtimeConversationItemAssistantMessage & { id: string } = {
      id: this.#host.nextId("item"),
      object: "realtime.item",
      type: "message",
      status: "in_progress",
      role: "assistant",
      content: [],
    };
    const stored: StoredItem = { item, audioChunks: [], audioMs: 0, bytesPerMs: 48 };
    const outputIndex = this.#output.length;
    this.#output.push(item);
    this.#open = { stored, outputIndex, transcript: "", kind };
    const base = { response_id: this.id, item_id: item.id, output_index: outputIndex, content_index: 0 };
    this.#host.send({
      type: "response.output_item.added",
      event_id: this.#host.nextId("event"),
      response_id: this.id,
      output_index: outputIndex,
      item: { ...item, content: [] },
    });
    this.#addToConversation(stored);
    this.#host.send({
      type: "response.content_part.added",
      event_id: this.#host.nextId("event"),
      ...base,
      part: kind === "audio" ? { type: "audio", transcript: "" } : { type: "text", text: "" },
    });
  }

  #audioDelta(chunk: string, chunkMs: number, bytesPerMs: number, words: string): void {
    const open = this.#open;
    if (!open) return;
    open.stored.audioChunks.push(chunk);
    open.stored.audioMs += chunkMs;
    open.stored.bytesPerMs = bytesPerMs;
    this.#outputAudioMs += chunkMs;
    this.#host.onAudioProduced();
    const base = {
      response_id: this.id,
      item_id: open.stored.item.id,
      output_index: open.outputIndex,
      content_index: 0,
    };
    this.#host.send({
      type: "response.output_audio.delta",
      event_id: this.#host.nextId("event"),
      ...base,
      delta: chunk,
    });
    if (words !== "") {
      open.transcript += words;
      this.#host.send({
        type: "response.output_audio_transcript.delta",
        event_id: this.#host.nextId("event"),
        ...base,
        delta: words,
      });
    }
  }

  #textDelta(word: string): void {
    const open = this.#open;
    if (!open) return;
    open.transcript += word;
    this.#host.send({
      type: "response.output_text.delta",
      event_id: this.#host.nextId("event"),
      response_id: this.id,
      item_id: open.stored.item.id,
      output_index: open.outputIndex,
      content_index: 0,
      delta: word,
    });
  }

  #closeMessage(status: "completed" | "incomplete", fullText?: string): void {
    const open = this.#open;
    if (!open) return;
    this.#open = undefined;
    const transcript = status === "completed" && fullText !== undefined ? fullText.trim() : open.transcript.trim();
    this.#outputTextTokens += Math.ceil(transcript.length / 4);
    const item = open.stored.item as RealtimeConversationItemAssistantMessage & { id: string };
    const base = { response_id: this.id, item_id: item.id, output_index: open.outputIndex, content_index: 0 };
    if (open.kind === "audio") {
      this.#host.send({ type: "response.output_audio.done", event_id: this.#host.nextId("event"), ...base });
      this.#host.send({
        type: "response.output_audio_transcript.done",
        event_id: this.#host.nextId("event"),
        ...base,
        transcript,
      });
      this.#host.send({
        type: "response.content_part.done",
        event_id: this.#host.nextId("event"),
        ...base,
        part: { type: "audio", transcript },
      });
      item.content = [{ type: "output_audio", transcript }];
    } else {
      this.#host.send({
        type: "response.output_text.done",
        event_id: this.#host.nextId("event"),
        ...base,
        text: transcript,
      });
      this.#host.send({
        type: "response.content_part.done",
        event_id: this.#host.nextId("event"),
        ...base,
        part: { type: "text", text: transcript },
      });
      item.content = [{ type: "output_text", text: transcript }];
    }
    item.status = status;
    this.#host.send({
      type: "response.output_item.done",
      event_id: this.#host.nextId("event"),
      response_id: this.id,
      output_index: open.outputIndex,
      item,
    });
    if (this.#options.conversation === "auto") {
      this.#host.send({ type: "conversation.item.done", event_id: this.#host.nextId("event"), item });
    }
  }

  #planFunctionCall(name: string, args: unknown): void {
    const argumentsText = typeof args === "string" ? args : JSON.stringify(args ?? {});
    const third = Math.max(1, Math.ceil(argumentsText.length / 3));
    const parts = [
      argumentsText.slice(0, third),
      argumentsText.slice(third, 2 * third),
      argumentsText.slice(2 * third),
    ];
    const deltas = parts.filter((part) => part !== "");
    let state: { item: RealtimeConversationItemFunctionCall & { id: string }; outputIndex: number } | undefined;
    this.#steps.push({
      delayMs: 0,
      run: () => {
        const item: RealtimeConversationItemFunctionCall & { id: string } = {
          id: this.#host.nextId("item"),
          object: "realtime.item",
          type: "function_call",
          status: "in_progress",
          name,
          call_id: this.#host.nextId("call"),
          arguments: "",
        };
        state = { item, outputIndex: this.#output.length };
        this.#output.push(item);
        this.#host.send({
          type: "response.output_item.added",
          event_id: this.#host.nextId("event"),
          response_id: this.id,
          output_index: state.outputIndex,
          item: { ...item },
        });
        this.#addToConversation({ item, audioChunks: [], audioMs: 0, bytesPerMs: 48 });
        for (const delta of deltas) {
          this.#host.send({
            type: "response.function_call_arguments.delta",
            event_id: this.#host.nextId("event"),
            response_id: this.id,
            item_id: item.id,
            output_index: state.outputIndex,
            call_id: item.call_id!,
            delta,
          });
        }
        item.arguments = argumentsText;
        item.status = "completed";
        this.#outputTextTokens += Math.ceil(argumentsText.length / 4);
        this.#host.send({
          type: "response.function_call_arguments.done",
          event_id: this.#host.nextId("event"),
          response_id: this.id,
          item_id: item.id,
          output_index: state.outputIndex,
          call_id: item.call_id!,
          name,
          arguments: argumentsText,
        });
        this.#host.send({
          type: "response.output_item.done",
          event_id: this.#host.nextId("event"),
          response_id: this.id,
          output_index: state.outputIndex,
          item: { ...item },
        });
        if (this.#options.conversation === "auto") {
          this.#host.send({ type: "conversation.item.done", event_id: this.#host.nextId("event"), item: { ...item } });
        }
      },
    });
  }

  #addToConversation(stored: StoredItem): void {
    if (this.#options.conversation !== "auto") return;
    const previous = this.#host.addItem(stored);
    this.#host.send({
      type: "conversation.item.added",
      event_id: this.#host.nextId("event"),
      previous_item_id: previous,
      item: { ...stored.item, content: "content" in stored.item ? [] : undefined } as StoredItem["item"],
    });
  }

  #run(): void {
    let ranWithoutYield = 0;
    while (this.#index < this.#steps.length && this.active) {
      const step = this.#steps[this.#index]!;
      const mustYield = step.delayMs > 0 || (this.#host.speed === "instant" && ranWithoutYield >= INSTANT_BATCH);
      if (mustYield && ranWithoutYield > 0) {
        this.#timer = this.#host.clock.setTimeout(() => this.#run(), step.delayMs);
        return;
      }
      this.#index++;
      ranWithoutYield++;
      step.run();
    }
  }

  #finish(): void {
    if (!this.active) return;
    this.status = "completed";
    this.#done(null);
  }

  #done(details: RealtimeResponse["status_details"] | null): void {
    const audioTokens = Math.ceil(this.#outputAudioMs / 20);
    const input = this.#options.inputTokens;
    const usage: RealtimeResponseUsage = {
      total_tokens: input.text + input.audio + this.#outputTextTokens + audioTokens,
      input_tokens: input.text + input.audio,
      output_tokens: this.#outputTextTokens + audioTokens,
      input_token_details: { text_tokens: input.text, audio_tokens: input.audio, image_tokens: 0, cached_tokens: 0 },
      output_token_details: { text_tokens: this.#outputTextTokens, audio_tokens: audioTokens },
    };
    this.#host.send({
      type: "response.done",
      event_id: this.#host.nextId("event"),
      response: { ...this.#snapshot(), status_details: details ?? undefined, usage },
    });
    this.#host.onFinished(this);
  }

  #snapshot(): RealtimeResponse {
    return {
      object: "realtime.response",
      id: this.id,
      status: this.status,
      output: this.#output.map((item) => ({ ...item })),
      conversation_id: this.#options.conversation === "auto" ? "conv_default" : undefined,
      output_modalities: this.#options.modalities,
      max_output_tokens: "inf",
      metadata: this.#options.metadata,
      audio: { output: { format: { type: "audio/pcm", rate: 24000 }, voice: this.#options.voice } },
    };
  }
}
