import { type Clock, type Logger, ProviderConnectionError, ProviderError } from "@roomkit/spec";
import { AudioReplayBuffer } from "./replay-buffer.ts";
import { type ConnectionEvents, emptyStats, type OpenAIConnectionStats } from "./connection-events.ts";
import { ConversationLog } from "./conversation-log.ts";
import type { ReconnectPolicy } from "./provider-config.ts";
import { ResponseSequencer } from "./response-sequencer.ts";
import { SessionUpdateAcks } from "./session-update-acks.ts";
import { reconnectWithBackoff } from "./reconnect.ts";
import { ServerEventHandler } from "./server-event-handler.ts";
import { TruncationTracker } from "./truncation-tracker.ts";
import { OPEN, type WebSocketLike } from "./websocket.ts";
import { encodeWireAudio } from "./wire/audio-codec.ts";
import type { BuiltSessionConfig } from "./wire/build-session-config.ts";
import type { OpenAIClientEvent, OpenAIConversationItem } from "./wire/client-events.ts";
import { serializeAppend, serializeClientEvent } from "./wire/serialize-client-event.ts";

export interface OpenAIConnectionOptions {
  config: BuiltSessionConfig;
  events: ConnectionEvents;
  openSocket: (signal: AbortSignal) => Promise<WebSocketLike>;
  reconnect: ReconnectPolicy;
  logger: Logger;
  clock: Clock;
  /** Wait for `session.updated` this long (connect, reconnect, reconfigure). */
  ackTimeoutMs: number;
  /** Server frames larger than this are dropped and counted. */
  maxInboundFrameBytes: number;
}

type State = "connecting" | "open" | "reconnecting" | "closed";

/** Caller audio larger than this is split into several appends (the API caps one append at 15 MiB). */
const MAX_APPEND_WIRE_BYTES = 1 << 20;

/**
 * One session's link to the Realtime API: the socket, what the client sends (audio, items, truncation, session
 * updates), and replacing a lost socket (`reconnect.ts`: back-off, then the configuration re-sent, the conversation
 * re-seeded and the uncommitted caller audio replayed). Server events are applied by `server-event-handler.ts`.
 */
export class OpenAIConnection {
  readonly stats: OpenAIConnectionStats = emptyStats();
  readonly log = new ConversationLog();
  #state: State = "connecting";
  #socket: WebSocketLike | undefined;
  #config: BuiltSessionConfig;
  /** Aborted by `close()`: cancels a socket being opened, a back-off sleep, a reconnect in progress. */
  readonly #lifetime = new AbortController();
  readonly #options: OpenAIConnectionOptions;
  readonly #events: ConnectionEvents;
  readonly #sequencer: ResponseSequencer;
  readonly #truncation: TruncationTracker;
  readonly #replay: AudioReplayBuffer;
  readonly #acks: SessionUpdateAcks;
  readonly #handler: ServerEventHandler;
  readonly #onMessage = (event: { data: unknown }) => this.#handler.handleFrame(event.data);
  /** A manual turn ended while (re)connecting: commit once the buffered audio is replayed. */
  #commitPending = false;

  constructor(options: OpenAIConnectionOptions) {
    this.#options = options;
    this.#events = options.events;
    this.#config = options.config;
    this.#sequencer = new ResponseSequencer(() => this.#send({ type: "response.create" }));
    this.#truncation = new TruncationTracker(options.config.output.bytesPerMs);
    this.#acks = new SessionUpdateAcks(options.clock, options.ackTimeoutMs);
    this.#replay = new AudioReplayBuffer(options.reconnect.enabled ? options.reconnect.replayBufferMs : 0);
    this.#handler = new ServerEventHandler({
      events: options.events,
      logger: options.logger,
      stats: this.stats,
      log: this.log,
      replay: this.#replay,
      sequencer: this.#sequencer,
      truncation: this.#truncation,
      acks: this.#acks,
      maxInboundFrameBytes: options.maxInboundFrameBytes,
      outputEncoding: () => this.#config.output.encoding,
      onConnectionMustBeReplaced: (reason) => this.#onSocketLost(reason),
    });
  }

  get state(): State {
    return this.#state;
  }

  get isResponding(): boolean {
    return this.#handler.responding;
  }

  get config(): BuiltSessionConfig {
    return this.#config;
  }

  /** Opens the socket, sends the full `session.update` and waits for `session.updated`. Throws on failure. */
  async start(signal?: AbortSignal): Promise<void> {
    // An abort (or `close()`) cancels the socket being opened and the wait for `session.updated`.
    const onAbort = () => this.close();
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const socket = await this.#options.openSocket(this.#lifetime.signal);
      if (this.#state === "closed") {
        socket.close(1000);
        throw new ProviderConnectionError({ message: "Connection closed during connect" });
      }
      this.#attach(socket);
      try {
        await this.#updateSession(this.#config.session);
      } catch (error) {
        this.#shutdown();
        throw error;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    this.#state = "open";
    this.#replayAudio(); // audio handed over while connecting, if any
  }

  // ---- client → server ----

  /** Hot path: PCM16 at the input rate → one `input_audio_buffer.append` (kept for replay while reconnecting). */
  sendAudio(pcm: Uint8Array): void {
    if (this.#state === "closed" || pcm.byteLength === 0) return;
    const input = this.#config.input;
    const pcmLimit = input.encoding === "pcm" ? MAX_APPEND_WIRE_BYTES : MAX_APPEND_WIRE_BYTES * 2;
    for (let offset = 0; offset < pcm.byteLength; offset += pcmLimit) {
      const chunk = offset === 0 && pcm.byteLength <= pcmLimit ? pcm : pcm.subarray(offset, offset + pcmLimit);
      const base64 = encodeWireAudio(chunk, input.encoding);
      const wireBytes = input.encoding === "pcm" ? chunk.byteLength : chunk.byteLength >> 1;
      this.#replay.push(base64, wireBytes / input.bytesPerMs);
      const socket = this.#socket;
      if (this.#state === "open" && socket !== undefined && socket.readyState === OPEN) {
        socket.send(serializeAppend(base64));
        this.stats.framesSent++;
      }
    }
  }

  injectItem(item: OpenAIConversationItem, requestResponse: boolean): void {
    this.log.addClientItem(item);
    if (this.#state === "open") this.#send({ type: "conversation.item.create", item });
    if (requestResponse) this.#requestResponse();
  }

  /** Sends `response.cancel` if a response is active (nothing to cancel otherwise: that is an API error). */
  interrupt(): void {
    if (this.#handler.responding && this.#state === "open") this.#send({ type: "response.cancel" });
  }

  truncate(playedMs: number): void {
    if (this.#state !== "open") return;
    const request = this.#truncation.reserve(playedMs);
    if (request === undefined) return;
    const sent = this.#send({
      type: "conversation.item.truncate",
      item_id: request.itemId,
      content_index: request.contentIndex,
      audio_end_ms: request.audioEndMs,
    });
    if (!sent) this.#truncation.release(request);
  }

  commitAndRespond(): void {
    if (this.#state === "open") this.#send({ type: "input_audio_buffer.commit" });
    else if (this.#state !== "closed") this.#commitPending = true; // sent after the replayed audio
    this.#requestResponse();
  }

  sendRaw(event: Record<string, unknown>): void {
    if (this.#state !== "open" || this.#socket === undefined) {
      throw new ProviderConnectionError({ message: "OpenAI Realtime connection is not open", recoverable: true });
    }
    this.#socket.send(JSON.stringify(event));
  }

  /** In-band partial `session.update`; resolves on `session.updated`, rejects with the server's error. */
  async reconfigure(next: BuiltSessionConfig, patch: Record<string, unknown> | undefined): Promise<void> {
    const merged = { ...next, input: this.#config.input, output: this.#config.output };
    // While reconnecting, the next connection gets the whole new config; otherwise keep it only once accepted,
    // so a rejected update is never replayed by a later reconnect.
    if (patch !== undefined && this.#state === "open") {
      try {
        await this.#updateSession(patch);
      } catch (error) {
        // The socket died before the answer: the reconnect sends the whole new config instead.
        if ((this.#state as State) !== "reconnecting") throw error; // (narrowed to "open" before the await)
      }
    }
    this.#config = merged;
  }

  /** Ends the connection on purpose. Idempotent. */
  close(): void {
    if (this.#state === "closed") return;
    this.#shutdown();
  }

  // ---- internals ----

  #requestResponse(): void {
    if (this.#state === "open") this.#sequencer.request();
    else this.#sequencer.defer();
  }

  #send(event: OpenAIClientEvent): boolean {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== OPEN) return false;
    try {
      socket.send(serializeClientEvent(event));
      return true;
    } catch (error) {
      this.#options.logger.warn("OpenAI Realtime send failed", { type: event.type, error });
      return false;
    }
  }

  #updateSession(session: Record<string, unknown>): Promise<void> {
    return this.#acks.wait(
      (eventId) => {
        if (this.#socket === undefined) throw new Error("no socket");
        this.#socket.send(serializeClientEvent({ type: "session.update", session, event_id: eventId }));
      },
      () => new ProviderError({ message: "No session.updated from OpenAI", recoverable: true }),
    );
  }

  #attach(socket: WebSocketLike): void {
    this.#socket = socket;
    socket.onmessage = this.#onMessage;
    socket.onerror = (event) => this.#options.logger.debug("OpenAI Realtime socket error", { event });
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#onSocketLost(`socket closed (code ${event.code}${event.reason ? `: ${event.reason}` : ""})`);
    };
  }

  #detach(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket === undefined) return;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = () => {};
    try {
      socket.close(1000);
    } catch {
      // already closed
    }
  }

  #shutdown(): void {
    this.#state = "closed";
    this.#lifetime.abort();
    this.#detach();
    this.#acks.rejectAll(new ProviderConnectionError({ message: "OpenAI Realtime connection closed" }));
    this.#replay.clear();
  }

  #onSocketLost(reason: string): void {
    if (this.#state === "closed") return;
    if (this.#state === "connecting" || this.#state === "reconnecting") {
      this.#detach();
      this.#acks.rejectAll(new ProviderConnectionError({ message: `OpenAI Realtime ${reason}` }));
      return;
    }
    this.#detach();
    // An update awaiting its answer on the dead socket (a reconfigure) must not take the reconnect's answer.
    this.#acks.rejectAll(new ProviderConnectionError({ message: `OpenAI Realtime ${reason}`, recoverable: true }));
    // A reply cut off (or asked for and not started) is asked for again once the conversation is re-seeded.
    if (this.#handler.responding || this.#sequencer.isRequested) this.#sequencer.defer();
    this.#handler.connectionLost();
    this.#sequencer.reset();
    this.#truncation.reset();
    if (!this.#options.reconnect.enabled) {
      this.#fail(`OpenAI Realtime connection lost: ${reason}`);
      return;
    }
    void this.#reconnect(reason);
  }

  async #reconnect(reason: string): Promise<void> {
    this.#state = "reconnecting";
    this.stats.reconnects++;
    const policy = this.#options.reconnect;
    this.#options.logger.warn("OpenAI Realtime: reconnecting", { reason });
    const outcome = await reconnectWithBackoff({
      policy,
      clock: this.#options.clock,
      logger: this.#options.logger,
      signal: this.#lifetime.signal,
      isClosed: () => this.#isClosed(),
      attempt: () => this.#replaceSocket(),
      onAttemptFailed: () => this.#detach(),
    });
    if (outcome.kind === "connected") {
      this.#options.logger.info("OpenAI Realtime: reconnected", { attempt: outcome.attempt });
    } else if (outcome.kind === "failed") {
      this.#fail(`OpenAI Realtime connection lost (${reason}); ${policy.maxAttempts} reconnect attempts failed`);
    }
  }

  /** One reconnect attempt: a new socket, the whole configuration, the conversation re-seeded, audio replayed. */
  async #replaceSocket(): Promise<void> {
    const socket = await this.#options.openSocket(this.#lifetime.signal);
    if (this.#isClosed()) {
      socket.close(1000);
      return;
    }
    this.#attach(socket);
    await this.#updateSession(this.#config.session);
    this.#reseed();
    this.#state = "open";
    this.#replayAudio();
    this.#sequencer.flushPending();
  }

  #isClosed(): boolean {
    return this.#state === "closed";
  }

  #reseed(): void {
    for (const item of this.log.toItems()) this.#send({ type: "conversation.item.create", item });
  }

  #replayAudio(): void {
    const socket = this.#socket;
    if (socket === undefined) return;
    for (const frame of this.#replay.frames()) {
      socket.send(serializeAppend(frame));
      this.stats.replayedFrames++;
      this.stats.framesSent++;
    }
    this.stats.replayDropped = this.#replay.dropped;
    if (this.#commitPending) {
      this.#commitPending = false;
      this.#send({ type: "input_audio_buffer.commit" });
    }
  }

  #fail(message: string): void {
    this.#shutdown();
    this.#events.error(new ProviderConnectionError({ code: "connection_closed", message, recoverable: false }));
  }
}
