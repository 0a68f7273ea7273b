import { decodeBase64, encodeBase64 } from "@roomkit/audio";
import { type VoiceClientAudio, type VoiceClientAudioBackend, webAudioBackend } from "./audio-backend.ts";
import type { ClearResult, PlayerStatus } from "./audio-player.ts";
import { TypedEmitter } from "./event-emitter.ts";
import { isFinalCloseCode, type ReconnectOptions, reconnectDelay } from "./reconnect-backoff.ts";
import { type TranscriptBubble, TranscriptAssembler } from "./transcript-assembler.ts";

export type VoiceClientState = "idle" | "connecting" | "connected" | "reconnecting" | "closed";

export interface VoiceClientOptions {
  /** The server's WebSocket URL (a function is re-evaluated on every reconnect). */
  url: string | (() => string);
  /** The session's input rate: the mic is resampled to it. Default 16000. */
  inputSampleRate?: number;
  /** The rate of the audio the server sends. Default 24000. */
  outputSampleRate?: number;
  /** How mic audio is sent: binary frames (default) or `{"type":"audio","data":"<base64>"}`. */
  sendFormat?: "binary" | "base64_json";
  frameMs?: number;
  /** Playback jitter buffer. Default 60 ms. */
  jitterMs?: number;
  /** How often the played position is reported while audio plays. Default 250 ms. */
  playbackReportMs?: number;
  /** `false` disables reconnecting. */
  reconnect?: ReconnectOptions | false;
  audioConstraints?: MediaTrackConstraints;
  /** Injected for tests. */
  WebSocket?: typeof WebSocket;
  /** Injected for tests (default: Web Audio worklets). */
  audioBackend?: VoiceClientAudioBackend;
}

export interface VoiceClientStats {
  framesSent: number;
  /** Mic frames dropped because the socket was not open. */
  framesDropped: number;
  audioMessagesReceived: number;
  audioBytesReceived: number;
  playedMs: number;
  bufferedMs: number;
  clears: number;
  lastClearLatencyMs: number;
  lastClearDiscardedMs: number;
  playbackReportsSent: number;
  reconnects: number;
  sessionId: string | undefined;
}

/** Stats before anything was sent or received (shared with other clients that report the same figures). */
export function emptyVoiceClientStats(): VoiceClientStats {
  return {
    framesSent: 0,
    framesDropped: 0,
    audioMessagesReceived: 0,
    audioBytesReceived: 0,
    playedMs: 0,
    bufferedMs: 0,
    clears: 0,
    lastClearLatencyMs: -1,
    lastClearDiscardedMs: 0,
    playbackReportsSent: 0,
    reconnects: 0,
    sessionId: undefined,
  };
}

export interface VoiceClientEvents {
  state: { state: VoiceClientState; code?: number; reason?: string };
  session: { event: "started" | "ended"; sessionId?: string; reason?: string };
  transcript: { bubble: TranscriptBubble; bubbles: readonly TranscriptBubble[] };
  speaking: { who: "user" | "assistant"; speaking: boolean };
  /** About 10 per second: mic RMS, played RMS (0..1), and whether assistant audio is audible now. */
  level: { input: number; output: number; playing: boolean };
  clear: ClearResult & { bufferedMsBefore: number };
  toolCall: { name: string; callId: string; arguments: Record<string, unknown>; result?: string };
  /** Every control message as received (for apps that extend the protocol). */
  message: Record<string, unknown>;
  error: { code: string; message: string };
}

/**
 * The browser side of `@roomkit/transport-ws`: microphone capture (AudioWorklet, resampled, 20 ms frames),
 * playback through a jitter buffer (AudioWorklet), barge-in clearing, playback position reports, transcript
 * bubbles, speaking state, levels and reconnect with back-off. Call `start()` from a user gesture.
 */
export class RoomKitVoiceClient extends TypedEmitter<VoiceClientEvents> {
  readonly transcript = new TranscriptAssembler();
  readonly stats: VoiceClientStats = emptyVoiceClientStats();
  state: VoiceClientState = "idle";

  readonly #options: VoiceClientOptions;
  #socket: WebSocket | undefined;
  #audio: VoiceClientAudio | undefined;
  #stopped = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #reportTimer: ReturnType<typeof setInterval> | undefined;
  #lastReportedMs = -1;
  #lastPlayedMs = 0;
  #inputLevel = 0;
  #muted = false;

  constructor(options: VoiceClientOptions) {
    super();
    this.#options = options;
  }

  get inputSampleRate(): number {
    return this.#options.inputSampleRate ?? 16000;
  }

  get outputSampleRate(): number {
    return this.#options.outputSampleRate ?? 24000;
  }

  /** Opens audio (mic permission) and the socket. Call from a click handler (autoplay rules). */
  async start(): Promise<void> {
    if (this.state !== "idle" && this.state !== "closed") return;
    this.#stopped = false;
    this.#setState("connecting");
    const backend = this.#options.audioBackend ?? webAudioBackend;
    try {
      this.#audio = await backend(
        {
          inputSampleRate: this.inputSampleRate,
          outputSampleRate: this.outputSampleRate,
          frameMs: this.#options.frameMs,
          jitterMs: this.#options.jitterMs,
          audioConstraints: this.#options.audioConstraints,
        },
        { onFrame: (pcm, rms) => this.#onMicFrame(pcm, rms), onStatus: (status) => this.#onPlayerStatus(status) },
      );
    } catch (error) {
      // Microphone refused or audio unavailable: report, back to closed.
      await this.stop();
      throw error;
    }
    this.#audio.setMicMuted(this.#muted);
    this.#reportTimer = setInterval(() => this.#reportPlayback(), this.#options.playbackReportMs ?? 250);
    this.#connect();
  }

  /** Mic frames become silence (the session and the server's VAD keep running). */
  setMicMuted(muted: boolean): void {
    this.#muted = muted;
    this.#audio?.setMicMuted(muted);
  }

  get micMuted(): boolean {
    return this.#muted;
  }

  /** Closes the socket and releases the mic and audio. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#reconnectTimer !== undefined) clearTimeout(this.#reconnectTimer);
    if (this.#reportTimer !== undefined) clearInterval(this.#reportTimer);
    this.#reconnectTimer = undefined;
    this.#reportTimer = undefined;
    this.#socket?.close(1000, "client stopped");
    this.#socket = undefined;
    const audio = this.#audio;
    this.#audio = undefined;
    await audio?.close();
    this.#setState("closed");
  }

  // ---- socket -------------------------------------------------------------------------------------------------

  #connect(): void {
    const url = typeof this.#options.url === "function" ? this.#options.url() : this.#options.url;
    const Socket = this.#options.WebSocket ?? WebSocket;
    const socket = new Socket(url);
    socket.binaryType = "arraybuffer";
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#attempt = 0;
      this.#setState("connected");
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.#socket === socket) this.#onSocketMessage(event.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#onSocketClose(event.code, event.reason);
    };
  }

  #onSocketClose(code: number, reason: string): void {
    if (this.#stopped) return;
    void this.#audio?.clear();
    const reconnect = this.#options.reconnect;
    const delay =
      reconnect === false || isFinalCloseCode(code) ? undefined : reconnectDelay(++this.#attempt, reconnect);
    if (delay === undefined) {
      this.#setState("closed", code, reason);
      void this.stop();
      return;
    }
    this.#setState("reconnecting", code, reason);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#stopped) return;
      this.stats.reconnects++;
      this.#connect();
    }, delay);
  }

  #onSocketMessage(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      this.#onAudio(new Uint8Array(data));
      return;
    }
    if (typeof data !== "string") return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (message.type === "audio" && typeof message.data === "string") {
      const audio = decodeBase64(message.data);
      if (audio !== undefined) this.#onAudio(audio); // not base64: dropped rather than played as noise
      return;
    }
    this.emit("message", message);
    switch (message.type) {
      case "clear_audio":
        this.#clearPlayback();
        break;
      case "transcription": {
        const role = message.role === "assistant" ? "assistant" : "user";
        const bubble = this.transcript.apply({
          text: String(message.text ?? ""),
          role,
          is_final: message.is_final === true,
        });
        this.emit("transcript", { bubble, bubbles: this.transcript.bubbles });
        break;
      }
      case "speaking": {
        const who = message.who === "assistant" ? "assistant" : "user";
        if (who === "assistant" && message.speaking === true) this.#newResponse();
        if (who === "assistant" && message.speaking === false) this.#audio?.endOfResponse();
        this.emit("speaking", { who, speaking: message.speaking === true });
        break;
      }
      case "session_started":
        this.stats.sessionId = typeof message.session_id === "string" ? message.session_id : undefined;
        this.emit("session", { event: "started", sessionId: this.stats.sessionId });
        break;
      case "session_ended":
        this.emit("session", { event: "ended", sessionId: this.stats.sessionId, reason: message.reason as string });
        break;
      case "tool_call":
        this.emit("toolCall", {
          name: String(message.name),
          callId: String(message.call_id),
          arguments: (message.arguments ?? {}) as Record<string, unknown>,
          result: message.result as string | undefined,
        });
        break;
      case "error":
        this.emit("error", { code: String(message.code), message: String(message.message) });
        break;
    }
  }

  // ---- audio --------------------------------------------------------------------------------------------------

  #onMicFrame(pcm: Int16Array<ArrayBuffer>, rms: number): void {
    this.#inputLevel = rms;
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== 1) {
      this.stats.framesDropped++;
      return;
    }
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    if (this.#options.sendFormat === "base64_json") {
      socket.send(`{"type":"audio","data":"${encodeBase64(bytes)}"}`);
    } else {
      socket.send(bytes);
    }
    this.stats.framesSent++;
  }

  #onAudio(bytes: Uint8Array): void {
    this.stats.audioMessagesReceived++;
    this.stats.audioBytesReceived += bytes.byteLength;
    this.#audio?.push(bytes);
  }

  #newResponse(): void {
    this.#audio?.resetPosition();
    this.#lastPlayedMs = 0;
    this.#lastReportedMs = -1;
  }

  #clearPlayback(): void {
    const player = this.#audio;
    if (player === undefined) return;
    const bufferedMsBefore = player.status.bufferedMs;
    this.stats.clears++;
    this.#lastPlayedMs = 0;
    this.#lastReportedMs = -1;
    void player.clear().then((result) => {
      this.stats.lastClearLatencyMs = result.latencyMs;
      this.stats.lastClearDiscardedMs = (result.discarded * 1000) / player.sampleRate;
      this.emit("clear", { ...result, bufferedMsBefore });
    });
  }

  #onPlayerStatus(status: PlayerStatus): void {
    if (status.playedMs >= this.#lastPlayedMs) this.stats.playedMs += status.playedMs - this.#lastPlayedMs;
    this.#lastPlayedMs = status.playedMs;
    this.stats.bufferedMs = status.bufferedMs;
    this.emit("level", { input: this.#inputLevel, output: status.level, playing: status.playing });
  }

  #reportPlayback(): void {
    const socket = this.#socket;
    const status = this.#audio?.status;
    if (socket === undefined || socket.readyState !== 1 || status === undefined) return;
    const playedMs = Math.round(status.playedMs);
    if (playedMs === this.#lastReportedMs || (!status.playing && playedMs === 0)) return;
    this.#lastReportedMs = playedMs;
    socket.send(`{"type":"playback","played_ms":${playedMs}}`);
    this.stats.playbackReportsSent++;
  }

  #setState(state: VoiceClientState, code?: number, reason?: string): void {
    this.state = state;
    this.emit("state", { state, code, reason });
  }
}
