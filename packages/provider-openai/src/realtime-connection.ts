import { Pcm16Aligner } from "@roomkit/audio";
import { type Clock, type Logger, ProviderConnectionError, ProviderError } from "@roomkit/spec";
import { AudioReplayBuffer } from "./audio-replay-buffer.ts";
import { type ConnectionEvents, emptyStats, type OpenAIConnectionStats } from "./connection-events.ts";
import { ConversationLog } from "./conversation-log.ts";
import type { ReconnectPolicy } from "./provider-config.ts";
import { ResponseSequencer } from "./response-sequencer.ts";
import { SessionUpdateAcks } from "./session-update-acks.ts";
import { TruncationTracker } from "./truncation-tracker.ts";
import { acceptFrame, sleep } from "./socket-data.ts";
import { OPEN, type WebSocketLike } from "./websocket.ts";
import { decodeWireAudio, encodeWireAudio } from "./wire/audio-codec.ts";
import { type AudioDeltaScratch, readAudioDelta } from "./wire/audio-delta-fast-path.ts";
import type { BuiltSessionConfig } from "./wire/build-session-config.ts";
import type { OpenAIClientEvent, OpenAIConversationItem } from "./wire/client-events.ts";
import { parseServerEvent } from "./wire/parse-server-event.ts";
import type { OpenAIErrorInfo, OpenAIServerEvent } from "./wire/server-events.ts";
import { serializeAppend, serializeClientEvent } from "./wire/serialize-client-event.ts";
import { toProviderError } from "./wire/to-provider-error.ts";

export interface RealtimeConnectionOptions {
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
const NON_FATAL_CODES = new Set(["conversation_already_has_active_response", "response_cancel_not_active"]);

/** One session's link to the Realtime API: socket, event dispatch, sequencing, truncation, reconnect. */
export class RealtimeConnection {
  readonly stats: OpenAIConnectionStats = emptyStats();
  readonly log = new ConversationLog();
  #state: State = "connecting";
  #socket: WebSocketLike | undefined;
  #config: BuiltSessionConfig;
  #responding = false;
  /** Aborted by `close()`: cancels a socket being opened, a back-off sleep, a reconnect in progress. */
  readonly #lifetime = new AbortController();
  readonly #options: RealtimeConnectionOptions;
  readonly #events: ConnectionEvents;
  readonly #sequencer: ResponseSequencer;
  readonly #truncation: TruncationTracker;
  readonly #replay: AudioReplayBuffer;
  readonly #acks: SessionUpdateAcks;
  readonly #onMessage = (event: { data: unknown }) => this.#receive(event.data);
  readonly #scratch: AudioDeltaScratch = { itemId: "", contentIndex: 0, delta: "" };
  readonly #aligner = new Pcm16Aligner();
  /** A manual turn ended while (re)connecting: commit once the buffered audio is replayed. */
  #commitPending = false;

  constructor(options: RealtimeConnectionOptions) {
    this.#options = options;
    this.#events = options.events;
    this.#config = options.config;
    this.#sequencer = new ResponseSequencer(() => this.#send({ type: "response.create" }));
    this.#truncation = new TruncationTracker(options.config.output.bytesPerMs);
    this.#acks = new SessionUpdateAcks(options.clock, options.ackTimeoutMs);
    this.#replay = new AudioReplayBuffer(options.reconnect.enabled ? options.reconnect.replayBufferMs : 0);
  }

  get state(): State {
    return this.#state;
  }

  get isResponding(): boolean {
    return this.#responding;
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
    if (this.#responding && this.#state === "open") this.#send({ type: "response.cancel" });
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

  #receive(data: unknown): void {
    const text = acceptFrame(data, this.#options.maxInboundFrameBytes, this.stats, this.#options.logger);
    if (text === undefined) return;
    const scratch = this.#scratch;
    if (readAudioDelta(text, scratch)) {
      const pcm = decodeWireAudio(scratch.delta, this.#config.output.encoding);
      // An unusual field order can fool the scan; the full parse below then decides.
      if (pcm !== undefined) {
        this.#deliverAudio(scratch.itemId, scratch.contentIndex, pcm);
        return;
      }
    }
    this.#dispatch(parseServerEvent(text));
  }

  #onAudioDelta(itemId: string, contentIndex: number, delta: string): void {
    const pcm = decodeWireAudio(delta, this.#config.output.encoding);
    if (pcm === undefined) {
      this.stats.invalidFrames++;
      this.#options.logger.warn("OpenAI Realtime: dropped an audio delta with broken base64");
      return;
    }
    this.#deliverAudio(itemId, contentIndex, pcm);
  }

  #deliverAudio(itemId: string, contentIndex: number, decoded: Uint8Array): void {
    if (decoded.byteLength === 0) return;
    this.stats.audioDeltasReceived++;
    const isPcm = this.#config.output.encoding === "pcm";
    this.#truncation.onAudioDelta(itemId, contentIndex, isPcm ? decoded.byteLength : decoded.byteLength >> 1);
    const pcm = isPcm ? this.#aligner.align(decoded, itemId) : decoded;
    if (pcm.byteLength > 0) this.#events.audio(pcm);
  }

  #dispatch(event: OpenAIServerEvent): void {
    const events = this.#events;
    switch (event.type) {
      case "audio-delta":
        this.#onAudioDelta(event.itemId, event.contentIndex, event.delta);
        return;
      case "audio-transcript-delta":
      case "text-delta":
        if (event.delta !== "") events.transcription(event.delta, "assistant", false, event.itemId);
        return;
      case "audio-transcript-done":
        this.log.setAssistantTranscript(event.itemId, event.transcript);
        events.transcription(event.transcript, "assistant", true, event.itemId);
        return;
      case "text-done":
        this.log.setAssistantTranscript(event.itemId, event.text);
        events.transcription(event.text, "assistant", true, event.itemId);
        return;
      case "session-created":
        if (event.sessionId) events.serverSession(event.sessionId);
        return;
      case "session-updated":
        this.#acks.settle(undefined);
        return;
      case "speech-started":
        events.speechStart();
        return;
      case "speech-stopped":
        events.speechEnd();
        return;
      case "input-committed":
        this.log.reserveUserItem(event.itemId ?? "", this.#replay.take()); // audio kept until its transcript
        return;
      case "input-cleared":
        this.#replay.clear();
        return;
      case "user-transcript-delta":
        if (event.delta !== "") events.transcription(event.delta, "user", false, event.itemId);
        return;
      case "user-transcript-done":
        this.log.setUserTranscript(event.itemId, event.transcript);
        events.transcription(event.transcript, "user", true, event.itemId);
        return;
      case "user-transcript-failed":
        events.error(toProviderError(event.error, true));
        return;
      case "response-created":
        this.#sequencer.onResponseCreated();
        this.#truncation.reset();
        this.#responding = true;
        events.responseStart();
        return;
      case "function-call-done":
        this.log.addFunctionCall(event.callId, event.name, event.argumentsText);
        events.toolCall(event.callId, event.name, event.arguments);
        return;
      case "response-done":
        if (event.status === "failed") {
          const error = event.error;
          const info = {
            code: error?.code ?? "response_failed",
            message: error?.message || "The response failed",
            errorType: error?.errorType ?? "server_error",
            param: error?.param,
            eventId: error?.eventId,
          };
          events.error(toProviderError(info, true));
        }
        if (event.usage) {
          events.usage({
            inputTokens: event.usage.inputTokens,
            outputTokens: event.usage.outputTokens,
            details: { ...event.usage.details, total_tokens: event.usage.totalTokens },
          });
        }
        this.#endResponse();
        this.#sequencer.onResponseDone();
        return;
      case "item-truncated":
        if (event.itemId === this.#truncation.currentItemId) {
          this.log.truncateAssistant(event.itemId, event.audioEndMs, this.#truncation.receivedMs);
        }
        return;
      case "error":
        this.#onServerError(event.error);
        return;
      case "invalid":
        this.stats.invalidFrames++;
        this.#options.logger.warn("OpenAI Realtime: dropped an invalid server event", { reason: event.reason });
        return;
      case "custom":
        if (event.known) return;
        this.stats.unknownEvents++;
        this.#options.logger.debug("OpenAI Realtime: unhandled server event", { type: event.rawType });
        return;
      default:
        return;
    }
  }

  #endResponse(): void {
    if (!this.#responding) return;
    this.#responding = false;
    this.#events.responseEnd();
  }

  #onServerError(error: OpenAIErrorInfo): void {
    this.stats.serverErrors++;
    if (error.code === "conversation_already_has_active_response") {
      this.#sequencer.onAlreadyActive();
      this.#options.logger.debug("OpenAI Realtime: response already active; response.create queued");
      return;
    }
    if (NON_FATAL_CODES.has(error.code)) {
      this.#options.logger.debug("OpenAI Realtime: harmless error", { code: error.code });
      return;
    }
    if (error.eventId?.startsWith("rk_session_")) {
      const rejection = new ProviderError({
        message: `OpenAI rejected session.update: ${error.message}`,
        code: error.code,
        recoverable: true,
      });
      if (this.#acks.settle(error.eventId, rejection)) return;
    }
    if (error.code === "session_expired" || error.errorType === "server_error") {
      this.#options.logger.warn("OpenAI Realtime: connection must be replaced", { code: error.code });
      this.#events.error(toProviderError(error, true));
      this.#onSocketLost(`${error.code}: ${error.message}`);
      return;
    }
    this.#events.error(toProviderError(error, true));
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
    if (this.#responding || this.#sequencer.isRequested) this.#sequencer.defer();
    this.#endResponse();
    this.#sequencer.reset();
    this.#truncation.reset();
    this.#aligner.reset();
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
    const abort = this.#lifetime;
    this.#options.logger.warn("OpenAI Realtime: reconnecting", { reason });
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      await sleep(this.#options.clock, delay, abort.signal);
      if (abort.signal.aborted || this.#isClosed()) return;
      try {
        const socket = await this.#options.openSocket(abort.signal);
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
        this.#options.logger.info("OpenAI Realtime: reconnected", { attempt });
        return;
      } catch (error) {
        if (this.#isClosed()) return;
        this.#options.logger.warn("OpenAI Realtime: reconnect attempt failed", { attempt, error });
        this.#detach();
      }
    }
    this.#fail(`OpenAI Realtime connection lost (${reason}); ${policy.maxAttempts} reconnect attempts failed`);
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
