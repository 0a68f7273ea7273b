import { decodeBase64 } from "@roomkit/audio";
import {
  AuthenticationError,
  type ClientControlMessage,
  DEFAULT_TRANSPORT_CAPABILITIES,
  InvalidArgumentError,
  parseOptions,
  RealtimeTransport,
  type RealtimeTransportCapabilities,
  type TransportAcceptOptions,
  type TransportAcceptResult,
  TransportClosedError,
  TransportError,
  type VoiceSession,
} from "@roomkit/spec";
import { type WsLikeSocket, wrapWsSocket } from "./adapters/ws-adapter.ts";
import { OutboundAudioQueue } from "./outbound-audio-queue.ts";
import { type AudioFormat, base64DecodedLength, encodeAudioMessage, parseClientMessage } from "./protocol.ts";
import {
  WEB_SOCKET_TRANSPORT_ACCEPTED,
  type WebSocketRealtimeTransportOptions,
  webSocketTransportOptionsSchema,
} from "./transport-options.ts";
import { createTransportStats, type WebSocketTransportStats } from "./transport-stats.ts";
import { ABORTED, abortable, type WebSocketAuthenticate } from "./websocket-auth.ts";
import { type ConnectionListener, WebSocketConnection } from "./websocket-connection.ts";

export type { WebSocketAuthContext, WebSocketAuthenticate } from "./websocket-auth.ts";
export type { WebSocketRealtimeTransportOptions } from "./transport-options.ts";

interface SessionState {
  session: VoiceSession;
  connection: WebSocketConnection;
  queue: OutboundAudioQueue;
  listener: ConnectionListener;
  drainTimer: ReturnType<typeof setTimeout> | undefined;
  ended: boolean;
  /** `setInputMuted(true)`: caller audio is dropped here (e.g. `muteOnToolCall`). */
  inputMuted: boolean;
  /** A `clear_audio` went out and no audio since (so a second one would change nothing). */
  clientCleared: boolean;
  warnings: Map<string, number>;
}

const DRAIN_POLL_MS = 20;

/**
 * The seed's WebSocket transport. One socket per caller; audio as PCM16 (binary frames or base64 JSON).
 * Works with Bun.serve (`createBunWebSocketAdapter`) and `ws` (`attachWsServer` / `wrapWsSocket`).
 */
export class WebSocketRealtimeTransport extends RealtimeTransport {
  readonly name = "websocket";
  /**
   * `interrupt`: drops the backpressure queue and tells the client to empty its playback buffer (`clear_audio`).
   * `inputMute`: caller audio is dropped here, before `onAudioReceived`. `playbackPosition`: from the client's
   * `playback` reports (unless `playbackReports: false`). No device clock on the server (`playbackCallback`), no
   * DTMF on this protocol (`dtmf`).
   */
  override readonly capabilities: RealtimeTransportCapabilities;
  readonly audioFormat: AudioFormat;
  readonly maxFrameBytes: number;
  readonly stats: WebSocketTransportStats = createTransportStats();

  readonly #authenticate: WebSocketAuthenticate | undefined;
  readonly #maxTextChars: number;
  readonly #maxBufferedBytes: number;
  readonly #maxQueuedAudioBytes: number;
  readonly #rejectCloseCode: number;
  readonly #maxWarningsPerKind: number;
  readonly #playbackReports: boolean;
  readonly #sessions = new Map<string, SessionState>();

  /** @throws RoomKitConfigError naming the bad option and the accepted values. */
  constructor(options: WebSocketRealtimeTransportOptions = {}) {
    const parsed =
      parseOptions(
        "WebSocketRealtimeTransport",
        webSocketTransportOptionsSchema,
        options,
        WEB_SOCKET_TRANSPORT_ACCEPTED,
      ) ?? {};
    super({ logger: parsed.logger });
    this.audioFormat = parsed.audioFormat ?? "base64_json";
    this.maxFrameBytes = parsed.maxFrameBytes ?? 256 * 1024;
    this.#authenticate = parsed.authenticate;
    // A base64 JSON frame carrying maxFrameBytes is about 4/3 of it plus the envelope.
    this.#maxTextChars = Math.ceil((this.maxFrameBytes * 4) / 3) + 1024;
    this.#maxBufferedBytes = parsed.maxBufferedBytes ?? 64 * 1024;
    this.#maxQueuedAudioBytes = parsed.maxQueuedAudioBytes ?? 192 * 1024;
    this.#rejectCloseCode = parsed.rejectCloseCode ?? 4401;
    this.#maxWarningsPerKind = parsed.maxWarningsPerKind ?? 5;
    this.#playbackReports = parsed.playbackReports ?? true;
    this.capabilities = {
      ...DEFAULT_TRANSPORT_CAPABILITIES,
      interrupt: true,
      inputMute: true,
      playbackPosition: this.#playbackReports,
    };
  }

  /** Number of sessions with a live socket. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** The connection bound to a session, if any. */
  getConnection(session: VoiceSession): WebSocketConnection | undefined {
    return this.#sessions.get(session.id)?.connection;
  }

  /** Bytes waiting in a session's backpressure queue. */
  queuedAudioBytes(session: VoiceSession): number {
    return this.#sessions.get(session.id)?.queue.bytes ?? 0;
  }

  async accept(
    session: VoiceSession,
    connection: unknown,
    options: TransportAcceptOptions = {},
  ): Promise<TransportAcceptResult | undefined> {
    const resolved = toConnection(connection);
    if (this.#sessions.has(session.id)) {
      throw new InvalidArgumentError(`Session ${session.id} already has a WebSocket connection`);
    }
    if (resolved.isAttached) throw new InvalidArgumentError("This WebSocket connection already belongs to a session");
    if (resolved.isClosed) throw new TransportClosedError("WebSocket closed before the session was accepted");
    if (this.#authenticate !== undefined) {
      let metadata: Record<string, unknown> | null | undefined;
      try {
        const pending = this.#authenticate({
          url: resolved.url,
          headers: resolved.headers,
          request: resolved.request,
          socket: resolved.socket,
          connection: resolved,
          session,
        });
        metadata = await abortable(pending, options.signal);
      } catch (error) {
        if (error === ABORTED) {
          resolved.close(1001, "Session start cancelled");
          throw new TransportError({ message: "accept aborted during authentication", cause: options.signal?.reason });
        }
        this.stats.authenticationRejected++;
        resolved.close(1008, "Authentication failed");
        throw new AuthenticationError({ message: "Authentication failed", cause: error });
      }
      if (metadata === null || metadata === undefined) {
        this.stats.authenticationRejected++;
        resolved.close(this.#rejectCloseCode, "Authentication rejected");
        throw new AuthenticationError("Authentication rejected");
      }
      if (resolved.isClosed) throw new TransportClosedError("WebSocket closed during authentication");
      Object.assign(session.metadata, metadata);
    }
    if (options.signal?.aborted) {
      resolved.close(1001, "Session start cancelled");
      throw new TransportError({ message: "accept aborted", cause: options.signal.reason });
    }
    if (resolved.isClosed) throw new TransportClosedError("WebSocket closed before the session was accepted");

    const state: SessionState = {
      session,
      connection: resolved,
      queue: new OutboundAudioQueue(this.#maxQueuedAudioBytes),
      listener: undefined as unknown as ConnectionListener,
      drainTimer: undefined,
      ended: false,
      inputMuted: false,
      clientCleared: false,
      warnings: new Map(),
    };
    state.listener = {
      message: (data) => this.#onMessage(state, data),
      close: (code, reason) => this.#onClientClose(state, code, reason),
      drain: () => this.#flush(state),
    };
    this.#sessions.set(session.id, state);
    this.stats.sessionsAccepted++;
    this.stats.pendingDropped += resolved.pendingDropped;
    resolved.attach(state.listener);
    return undefined;
  }

  sendAudio(session: VoiceSession, audio: Uint8Array): void {
    const state = this.#sessions.get(session.id);
    if (state === undefined || state.ended || audio.byteLength === 0) return;
    if (state.queue.length > 0 || state.connection.bufferedAmount() > this.#maxBufferedBytes) {
      const dropped = state.queue.push(audio);
      if (dropped > 0) {
        this.stats.outboundAudioDropped += dropped;
        this.#warn(state, "backpressure", "Client reads too slowly: dropped the oldest queued audio", {
          dropped,
          queuedBytes: state.queue.bytes,
        });
      }
      this.#scheduleDrain(state);
      return;
    }
    this.#writeAudio(state, audio);
  }

  sendMessage(session: VoiceSession, message: ClientControlMessage): void {
    const state = this.#sessions.get(session.id);
    if (state === undefined || state.ended) return;
    if (message.type === "clear_audio") {
      this.#clearQueue(state);
      // `interrupt` already told the client and no audio followed: one clear per barge-in on the wire.
      if (state.clientCleared) return;
      state.clientCleared = true;
    }
    try {
      if (state.connection.sendText(JSON.stringify(message))) this.stats.messagesSent++;
    } catch (error) {
      this.stats.sendErrors++;
      this.#warn(state, "send", "Failed to send a control message", { error: String(error) });
    }
  }

  /** While muted, caller audio is dropped at the transport (counted in `inputMutedDropped`). */
  override setInputMuted(session: VoiceSession, muted: boolean): void {
    const state = this.#sessions.get(session.id);
    if (state !== undefined) state.inputMuted = muted;
  }

  /**
   * Barge-in: drops audio still waiting in the backpressure queue and sends `clear_audio` so the client empties its
   * playback buffer (a `clear_audio` the channel sends right after, with no audio between, is not sent twice).
   */
  override interrupt(session: VoiceSession): void {
    const state = this.#sessions.get(session.id);
    if (state === undefined || state.ended) return;
    this.sendMessage(session, { type: "clear_audio" });
  }

  async disconnect(session: VoiceSession): Promise<void> {
    const state = this.#sessions.get(session.id);
    if (state === undefined) return;
    this.#release(state);
    try {
      state.connection.close(1000, "Session ended");
    } catch (error) {
      this.logger.debug("WebSocket close failed", { sessionId: session.id, error: String(error) });
    }
  }

  override async close(): Promise<void> {
    const sessions = [...this.#sessions.values()].map((state) => state.session);
    await Promise.all(sessions.map((session) => this.disconnect(session)));
  }

  // ---- inbound ------------------------------------------------------------------------------------------------

  #onMessage(state: SessionState, data: string | Uint8Array): void {
    const stats = this.stats;
    stats.framesReceived++;
    if (typeof data !== "string") {
      if (data.byteLength > this.maxFrameBytes) {
        stats.oversizedFramesDropped++;
        this.#warn(state, "oversized", "Dropped an oversized binary frame", { bytes: data.byteLength });
        return;
      }
      this.#deliverAudio(state, data);
      return;
    }
    if (data.length > this.#maxTextChars) {
      stats.oversizedFramesDropped++;
      this.#warn(state, "oversized", "Dropped an oversized text frame", { chars: data.length });
      return;
    }
    const message = parseClientMessage(data);
    switch (message.kind) {
      case "audio":
        if (base64DecodedLength(message.base64) > this.maxFrameBytes) {
          stats.oversizedFramesDropped++;
          this.#warn(state, "oversized", "Dropped an oversized audio message", { chars: message.base64.length });
          return;
        }
        {
          const audio = decodeBase64(message.base64);
          if (audio === undefined) {
            stats.invalidMessages++;
            this.#warn(state, "invalid_message", "Ignored an audio message that is not valid base64", {});
            return;
          }
          this.#deliverAudio(state, audio);
        }
        return;
      case "playback":
        stats.playbackReports++;
        if (this.#playbackReports)
          this.firePlaybackPosition(state.session, { playedMs: message.playedMs, source: "client" });
        return;
      case "invalid_json":
        stats.invalidJson++;
        this.#warn(state, "invalid_json", "Ignored a text frame that is not JSON", { error: message.error });
        return;
      case "invalid_message":
        stats.invalidMessages++;
        this.#warn(state, "invalid_message", "Ignored an invalid client message", { reason: message.reason });
        return;
      case "unknown_type":
        stats.unknownTypes++;
        this.#warn(state, "unknown_type", "Ignored a client message of unknown type", { type: message.type });
        return;
    }
  }

  #deliverAudio(state: SessionState, audio: Uint8Array): void {
    if (audio.byteLength === 0) return;
    if ((audio.byteLength & 1) !== 0) {
      this.stats.invalidAudioDropped++;
      this.#warn(state, "invalid_audio", "Dropped audio with an odd byte count (not PCM16)", {
        bytes: audio.byteLength,
      });
      return;
    }
    this.stats.audioFramesReceived++;
    if (state.inputMuted) {
      this.stats.inputMutedDropped++;
      return;
    }
    this.fireAudioReceived(state.session, audio);
  }

  #onClientClose(state: SessionState, code: number, reason: string): void {
    if (state.ended) return;
    this.#release(state);
    this.stats.clientDisconnects++;
    this.logger.debug("WebSocket client disconnected", { sessionId: state.session.id, code, reason });
    this.fireClientDisconnected(state.session);
  }

  /** Forgets the session exactly once (disconnect and client close race). */
  #release(state: SessionState): void {
    if (state.ended) return;
    state.ended = true;
    state.connection.detach();
    if (state.drainTimer !== undefined) clearTimeout(state.drainTimer);
    state.drainTimer = undefined;
    state.queue.clear();
    this.#sessions.delete(state.session.id);
  }

  // ---- outbound -----------------------------------------------------------------------------------------------

  #writeAudio(state: SessionState, audio: Uint8Array): void {
    try {
      const sent =
        this.audioFormat === "binary"
          ? state.connection.sendBinary(audio)
          : state.connection.sendText(encodeAudioMessage(audio));
      if (sent) {
        this.stats.audioFramesSent++;
        state.clientCleared = false;
      }
    } catch (error) {
      this.stats.sendErrors++;
      this.#warn(state, "send", "Failed to send audio", { error: String(error) });
    }
  }

  #flush(state: SessionState): void {
    while (state.queue.length > 0 && !state.ended) {
      if (state.connection.bufferedAmount() > this.#maxBufferedBytes) {
        this.#scheduleDrain(state);
        return;
      }
      this.#writeAudio(state, state.queue.shift()!);
    }
  }

  /** One poll timer per session while audio is queued (`ws` has no drain event; Bun's drain also calls #flush). */
  #scheduleDrain(state: SessionState): void {
    if (state.drainTimer !== undefined || state.ended) return;
    state.drainTimer = setTimeout(() => {
      state.drainTimer = undefined;
      this.#flush(state);
    }, DRAIN_POLL_MS);
  }

  #clearQueue(state: SessionState): void {
    const cleared = state.queue.clear();
    this.stats.outboundAudioCleared += cleared;
    if (state.drainTimer !== undefined) clearTimeout(state.drainTimer);
    state.drainTimer = undefined;
  }

  #warn(state: SessionState, kind: string, message: string, details: Record<string, unknown>): void {
    const count = (state.warnings.get(kind) ?? 0) + 1;
    state.warnings.set(kind, count);
    const entry = { sessionId: state.session.id, count, ...details };
    if (count <= this.#maxWarningsPerKind) this.logger.warn(message, entry);
    else this.logger.debug(message, entry);
  }
}

function isWsLikeSocket(value: unknown): value is WsLikeSocket {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as WsLikeSocket).on === "function" &&
    typeof (value as WsLikeSocket).send === "function"
  );
}

/** Accepts a `WebSocketConnection`, a Bun ServerWebSocket created by our adapter, or a raw `ws` socket. */
function toConnection(connection: unknown): WebSocketConnection {
  if (connection instanceof WebSocketConnection) return connection;
  const data = (connection as { data?: { connection?: unknown } } | null)?.data;
  if (data?.connection instanceof WebSocketConnection) return data.connection;
  if (isWsLikeSocket(connection)) return wrapWsSocket(connection);
  throw new InvalidArgumentError(
    "WebSocketRealtimeTransport.accept needs a WebSocketConnection (from createBunWebSocketAdapter or attachWsServer), a Bun ServerWebSocket upgraded by the adapter, or a ws socket",
  );
}
