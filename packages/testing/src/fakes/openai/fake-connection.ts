import { decodeAlaw, decodeMulaw } from "@roomkit/audio";
import type { WebSocket } from "ws";
import type { ClientEvent, FakeConnectionHost, FakeErrorBody, FakeServerContext } from "./connection-host.ts";
import { FakeConversation, type StoredItem } from "./conversation.ts";
import { InputAudioBuffer, type VadEvent, vadSettings } from "./input-audio.ts";
import { commitInput } from "./input-turns.ts";
import { createItem, itemNotFound, truncateItem } from "./item-handlers.ts";
import { betaSession, withAudio } from "./items.ts";
import { outputAudioChunks } from "./output-audio.ts";
import { FakeResponse } from "./response-runner.ts";
import {
  defaultSession,
  formatOf,
  mergeSession,
  type SessionError,
  type SessionObject,
  validateSessionUpdate,
} from "./session-config.ts";
import { samplesOf } from "./tone.ts";
import { buildTurn } from "./turn-builder.ts";
import type { FakeConnectionInfo, RealtimeServerEvent, ReceivedClientEvent, SentServerEvent } from "./types.ts";

const MAX_APPEND_BYTES = 15 * 1024 * 1024;

/** Appends to a recording; beyond `limit` (default 50 000) the oldest half is dropped, so long runs stay bounded. */
export function pushBounded<T>(list: T[], entry: T, limit = 50_000): void {
  list.push(entry);
  if (list.length > limit) list.splice(0, list.length - Math.floor(limit / 2));
}
const BETA_NAMES: Record<string, string> = {
  "response.output_audio.delta": "response.audio.delta",
  "response.output_audio.done": "response.audio.done",
  "response.output_audio_transcript.delta": "response.audio_transcript.delta",
  "response.output_audio_transcript.done": "response.audio_transcript.done",
  "response.output_text.delta": "response.text.delta",
  "response.output_text.done": "response.text.done",
  "conversation.item.added": "conversation.item.created",
};

export type { ClientEvent, FakeServerContext } from "./connection-host.ts";

/** One client connection of the OpenAI Realtime fake (protocols.md E1 steps 2–10). */
export class FakeConnection implements FakeConnectionHost {
  readonly info: FakeConnectionInfo;
  session: SessionObject;
  readonly conversation = new FakeConversation();
  readonly input = new InputAudioBuffer();
  response: FakeResponse | undefined;
  audioProduced = false;
  readonly #ws: WebSocket;
  readonly context: FakeServerContext;
  pendingUserItemId: string | undefined;
  #idleSinceMs = 0;
  #expiryTimer: unknown;
  #held = new Map<string, RealtimeServerEvent>();
  readonly #toneCache = new Map<string, string>();

  constructor(ws: WebSocket, info: FakeConnectionInfo, context: FakeServerContext) {
    this.#ws = ws;
    this.info = info;
    this.context = context;
    const maxSessionMs = context.options.maxSessionMs ?? 60 * 60_000;
    this.session = defaultSession({
      id: context.nextId("sess"),
      model: info.query.model ?? "gpt-realtime",
      expiresAt: Math.floor(Date.now() / 1000 + maxSessionMs / 1000),
    });
    ws.on("message", (data: unknown) => this.#onMessage(data));
    ws.on("close", (code: number) => this.#onClose(code));
    ws.on("error", () => {});
  }

  /** Greets the client (or rejects it) right after the upgrade. */
  open(): void {
    const query = this.info.query;
    if (!query.model && !query.call_id && !query.intent) {
      this.sendError({ code: "missing_model", message: "You must provide a model parameter." });
      this.close(1008, "missing model");
      return;
    }
    if (this.info.shape === "beta") {
      if (this.context.options.betaRetired ?? true) {
        this.sendError({
          code: "beta_api_shape_disabled",
          message: "The Realtime API beta shape is no longer supported. Please use the GA interface.",
        });
        this.close(1008, "beta shape disabled");
        return;
      }
      this.session = betaSession(this.session);
    }
    this.send({ type: "session.created", event_id: this.nextId("event"), session: this.#wireSession() });
    if (this.info.shape === "beta") {
      this.send({
        type: "conversation.created",
        event_id: this.nextId("event"),
        conversation: { id: this.nextId("conv"), object: "realtime.conversation" },
      });
    }
    const maxSessionMs = this.context.options.maxSessionMs ?? 60 * 60_000;
    this.#expiryTimer = this.context.clock.setTimeout(() => this.expire(), maxSessionMs);
  }

  expire(): void {
    const minutes = Math.max(1, Math.round((this.context.options.maxSessionMs ?? 60 * 60_000) / 60_000));
    this.sendError({
      code: "session_expired",
      message: `Your session hit the maximum duration of ${minutes} minutes.`,
    });
    // The service follows the error with close 1001 ("going away"), not a normal 1000.
    this.close(1001, "session expired");
  }

  // ---- output ----

  send(event: RealtimeServerEvent): void {
    if (this.info.closed) return;
    const faults = this.context.faults;
    const delay = faults.takeDelay(event.type);
    if (delay !== undefined) {
      this.context.clock.setTimeout(() => this.#write(event), delay);
      return;
    }
    if (faults.takeReorder(event.type)) {
      this.#held.set(event.type, event);
      return;
    }
    this.#write(event);
    const held = this.#held.get(event.type);
    if (held) {
      this.#held.delete(event.type);
      this.#write(held);
    }
    if (faults.takeDuplicate(event.type)) this.#write(event);
  }

  sendText(text: string): void {
    if (!this.info.closed) this.#ws.send(text);
  }

  sendError(error: FakeErrorBody, eventId?: string): undefined {
    this.send({
      type: "error",
      event_id: this.nextId("event"),
      error: {
        type: error.type ?? "invalid_request_error",
        code: error.code,
        message: error.message,
        param: error.param ?? null,
        event_id: eventId ?? null,
      },
    });
  }

  close(code: number, reason: string): void {
    if (this.info.closed) return;
    // Closed first: a response in flight stops without writing its cancellation (a real server sends nothing more).
    this.info.closed = true;
    this.info.closeCode = code;
    this.#stop();
    this.#ws.close(code, reason);
  }

  /** Drops the TCP connection without a close frame (the client sees 1006). */
  drop(): void {
    if (this.info.closed) return;
    this.info.closed = true;
    this.info.closeCode = 1006;
    this.#stop();
    this.#ws.terminate();
  }

  #write(event: RealtimeServerEvent): void {
    if (this.info.closed) return;
    const wire =
      this.info.shape === "beta" && BETA_NAMES[event.type] ? { ...event, type: BETA_NAMES[event.type]! } : event;
    const entry: SentServerEvent = { connectionId: this.info.id, at: this.context.clock.now(), event: wire };
    if (event.type !== "response.output_audio.delta" || this.context.options.recordAudio !== false) {
      pushBounded(this.info.sent, entry, this.context.options.maxRecordedEvents);
    }
    this.#ws.send(JSON.stringify(wire));
    this.context.onSent(entry);
  }

  #stop(): void {
    this.context.clock.clearTimeout(this.#expiryTimer);
    this.response?.cancel("client_cancelled");
    this.response = undefined;
  }

  #onClose(code: number): void {
    if (!this.info.closed) {
      this.info.closed = true;
      this.info.closeCode = code;
    }
    this.#stop();
  }

  // ---- input ----

  #onMessage(data: unknown): void {
    const text = typeof data === "string" ? data : Buffer.from(data as Uint8Array).toString("utf8");
    let event: ClientEvent;
    try {
      event = JSON.parse(text);
    } catch {
      this.#record({ type: "<invalid json>", text: text.slice(0, 200) });
      this.sendError({ code: "invalid_json", message: "The message could not be parsed as JSON." });
      return;
    }
    if (event === null || typeof event !== "object" || typeof event.type !== "string") {
      this.#record({ type: "<invalid event>", value: event });
      this.sendError({ code: "invalid_value", message: "Missing or invalid 'type'.", param: "type" });
      return;
    }
    if (event.type === "input_audio_buffer.append") {
      this.#append(event);
      return;
    }
    this.#record(event);
    const handler = this.#handlers[event.type];
    if (handler) {
      try {
        handler(event);
      } catch (error) {
        // A bug in a test's brain (or in the fake) must not kill the server: report it the way the API does.
        this.sendError({ type: "server_error", code: "server_error", message: `Fake server error: ${String(error)}` });
      }
    } else {
      this.sendError(
        { code: "invalid_value", message: `Invalid value: '${event.type}'. Unknown client event type.`, param: "type" },
        event.event_id,
      );
    }
  }

  #record(event: ClientEvent): void {
    const entry: ReceivedClientEvent = { connectionId: this.info.id, at: this.context.clock.now(), event };
    pushBounded(this.info.received, entry, this.context.options.maxRecordedEvents);
    this.context.onReceived(entry);
  }

  readonly #handlers: Record<string, (event: ClientEvent) => void> = {
    "session.update": (event) => this.#sessionUpdate(event),
    "input_audio_buffer.commit": (event) => {
      const buffered = this.input.bufferedMs;
      if (buffered < 100) {
        this.sendError(
          {
            code: "input_audio_buffer_commit_empty",
            message: `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${buffered.toFixed(2)}ms of audio.`,
          },
          event.event_id,
        );
        return;
      }
      commitInput(this, this.pendingUserItemId ?? this.nextId("item"));
    },
    "input_audio_buffer.clear": () => {
      this.input.clear();
      this.send({ type: "input_audio_buffer.cleared", event_id: this.nextId("event") });
    },
    "conversation.item.create": (event) => createItem(this, event),
    "conversation.item.truncate": (event) => truncateItem(this, event),
    "conversation.item.delete": (event) => {
      if (!this.conversation.delete(event.item_id)) return itemNotFound(this, event, "item_id");
      this.send({ type: "conversation.item.deleted", event_id: this.nextId("event"), item_id: event.item_id });
    },
    "conversation.item.retrieve": (event) => {
      const stored = this.conversation.find(event.item_id);
      if (!stored) return itemNotFound(this, event, "item_id");
      this.send({ type: "conversation.item.retrieved", event_id: this.nextId("event"), item: withAudio(stored) });
    },
    "response.create": (event) => this.#responseCreate(event),
    "response.cancel": (event) => {
      const active = this.response;
      if (!active?.active || (event.response_id !== undefined && event.response_id !== active.id)) {
        this.sendError(
          {
            code: "response_cancel_not_active",
            message: "Cancellation failed: no active response found.",
          },
          event.event_id,
        );
        return;
      }
      active.cancel("client_cancelled");
    },
    "output_audio_buffer.clear": (event) => {
      this.sendError(
        {
          code: "invalid_value",
          message: "output_audio_buffer.clear is only supported for WebRTC and SIP connections.",
          param: "type",
        },
        event.event_id,
      );
    },
  };

  #sessionUpdate(event: ClientEvent): undefined {
    const update = event.session;
    if (this.info.shape === "beta") {
      this.session = { ...this.session, ...(update ?? {}) };
      this.send({ type: "session.updated", event_id: this.nextId("event"), session: this.#wireSession() });
      return;
    }
    const error: SessionError | undefined = validateSessionUpdate(update, this.session);
    if (error) return this.sendError(error, event.event_id);
    const voice = update.audio?.output?.voice;
    if (voice !== undefined && voice !== this.session.audio.output.voice && this.audioProduced) {
      return this.sendError(
        {
          code: "cannot_update_voice",
          message: "Cannot update a conversation's voice if assistant audio is present.",
          param: "session.audio.output.voice",
        },
        event.event_id,
      );
    }
    this.session = mergeSession(this.session, update);
    this.input.setSampleRate(formatOf(this.session.audio.input.format).sampleRate);
    this.send({ type: "session.updated", event_id: this.nextId("event"), session: this.#wireSession() });
  }

  #append(event: ClientEvent): void {
    if (this.context.options.recordAudio !== false) this.#record({ type: event.type });
    if (typeof event.audio !== "string") {
      this.sendError(
        { code: "invalid_value", message: "audio must be a base64 string", param: "audio" },
        event.event_id,
      );
      return;
    }
    const bytes = Buffer.from(event.audio, "base64");
    if (bytes.byteLength > MAX_APPEND_BYTES) {
      this.sendError(
        { code: "invalid_value", message: "Audio payload exceeds the 15 MiB limit.", param: "audio" },
        event.event_id,
      );
      return;
    }
    this.info.appendCount++;
    this.info.appendedBytes += bytes.byteLength;
    if (this.context.options.recordAudio !== false) this.info.appendedAudio.push(new Uint8Array(bytes));
    const format = formatOf(this.session.audio.input.format);
    const pcm =
      format.encoding === "pcm"
        ? new Uint8Array(bytes)
        : format.encoding === "pcmu"
          ? decodeMulaw(bytes)
          : decodeAlaw(bytes);
    const vad = vadSettings(this.session, this.context.options);
    for (const transition of this.input.append(samplesOf(pcm), vad)) this.#onVad(transition);
    this.#checkIdle();
  }

  #onVad(transition: VadEvent): void {
    const detection = this.session.audio.input.turn_detection;
    if (transition.kind === "speech_started") {
      this.pendingUserItemId = this.nextId("item");
      this.send({
        type: "input_audio_buffer.speech_started",
        event_id: this.nextId("event"),
        audio_start_ms: transition.audioStartMs,
        item_id: this.pendingUserItemId,
      });
      if (this.response?.active && this.response.conversation === "auto" && detection?.interrupt_response !== false) {
        this.response.cancel("turn_detected");
      }
      return;
    }
    const itemId = this.pendingUserItemId ?? this.nextId("item");
    this.send({
      type: "input_audio_buffer.speech_stopped",
      event_id: this.nextId("event"),
      audio_end_ms: transition.audioEndMs,
      item_id: itemId,
    });
    commitInput(this, itemId);
    if (detection?.create_response !== false) this.#startResponse({});
  }

  #checkIdle(): void {
    const idleMs = this.session.audio.input.turn_detection?.idle_timeout_ms;
    if (!idleMs || this.input.speaking || this.response?.active) {
      if (this.input.speaking || this.response?.active) this.#idleSinceMs = this.input.streamMs;
      return;
    }
    if (this.input.streamMs - this.#idleSinceMs < idleMs) return;
    const itemId = this.nextId("item");
    this.send({
      type: "input_audio_buffer.timeout_triggered",
      event_id: this.nextId("event"),
      audio_start_ms: this.#idleSinceMs,
      audio_end_ms: this.input.streamMs,
      item_id: itemId,
    });
    this.#idleSinceMs = this.input.streamMs;
    commitInput(this, itemId);
    this.#startResponse({});
  }

  #responseCreate(event: ClientEvent): void {
    const overrides = event.response ?? {};
    const outOfBand = overrides.conversation === "none";
    if (!outOfBand && this.response?.active) {
      this.sendError(
        {
          code: "conversation_already_has_active_response",
          message: `Conversation already has an active response in progress: ${this.response.id}. Wait until the response is finished before creating a new one.`,
        },
        event.event_id,
      );
      return;
    }
    this.#startResponse(overrides);
  }

  #startResponse(overrides: Record<string, any>): void {
    const outOfBand = overrides.conversation === "none";
    if (!outOfBand && this.response?.active) return;
    const turn = buildTurn(this.conversation, this.session, this.input.sampleRate, overrides);
    const reply = this.context.brain(turn);
    const modalities = overrides.output_modalities ?? this.session.output_modalities ?? ["audio"];
    const response = new FakeResponse(this.#responseHost(), {
      id: this.nextId("resp"),
      conversation: outOfBand ? "none" : "auto",
      modalities,
      voice: this.session.audio.output.voice,
      reply,
      inputTokens: {
        text: Math.ceil(((turn.text ?? "").length + turn.instructions.length) / 4),
        audio: Math.ceil(turn.audioMs / 20),
      },
      metadata: overrides.metadata ?? null,
    });
    if (!outOfBand) this.response = response;
    response.start();
  }

  #responseHost() {
    const context = this.context;
    return {
      clock: context.clock,
      speed: context.options.speed ?? 4,
      chunkMs: context.options.chunkMs ?? 100,
      send: (event: RealtimeServerEvent) => this.send(event),
      nextId: (prefix: string) => this.nextId(prefix),
      audioFor: (reply: { text: string; audio?: Uint8Array; sampleRate?: number; audioMs?: number }) =>
        outputAudioChunks(this.session, context.options, this.#toneCache, reply),
      addItem: (stored: StoredItem) => this.conversation.insert(stored) ?? null,
      onAudioProduced: () => {
        this.audioProduced = true;
      },
      onFinished: (response: FakeResponse) => {
        if (this.response === response) this.response = undefined;
        this.#idleSinceMs = this.input.streamMs;
      },
    };
  }

  #wireSession(): any {
    return { ...this.session };
  }

  nextId(prefix: string): string {
    return this.context.nextId(prefix);
  }
}
