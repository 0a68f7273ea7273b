import { MulawPlayer } from "./mulaw-player.ts";

export type FastRTCClientState = "idle" | "connecting" | "connected" | "closed";
/** Which of the transport's outbound audio paths the page plays (match the server's `outboundAudio`). */
export type FastRTCClientPlayback = "track" | "datachannel";

export interface FastRTCClientOptions {
  /** The signalling route, `{path}/webrtc/offer` (a query string is kept: the server's `auth` can read it). */
  offerUrl: string;
  /** Default `"track"`: the Opus media track (the browser's echo canceller works on it). */
  play?: FastRTCClientPlayback;
  /** Rate of the μ-law DataChannel audio (the server's `outputSampleRate`). Default 24000. */
  outputSampleRate?: number;
  /** Default: no ICE servers (same machine or LAN). */
  rtcConfiguration?: RTCConfiguration;
  audioConstraints?: MediaTrackConstraints | boolean;
  /** How often the played position of μ-law audio is reported. Default 250 ms. */
  playbackReportMs?: number;
  /** Extra headers on the signalling posts (e.g. `authorization`). */
  headers?: Record<string, string>;
  /** Default: a random id, as FastRTC's client makes. */
  webrtcId?: string;
}

export interface FastRTCClientStats {
  /** RTP audio packets sent and received (from `getStats()`, refreshed with the playback reports). */
  packetsSent: number;
  packetsReceived: number;
  mediaMessagesReceived: number;
  /** μ-law playback: played since the last reset, and still scheduled. */
  playedMs: number;
  bufferedMs: number;
  clears: number;
  playbackReportsSent: number;
}

export interface FastRTCClientEvents {
  state: { state: FastRTCClientState; reason?: string };
  /** Every JSON control message from the server (`session_started`, `transcription`, `speaking`, `clear_audio`…). */
  message: Record<string, unknown>;
  /** `clear_audio` handled: what was still scheduled (μ-law) when it came. */
  clear: { bufferedMsBefore: number };
}

type Listener<T> = (event: T) => void;

/**
 * The browser side of `@roomkit/transport-webrtc`, doing FastRTC's client steps: microphone track, the `"text"`
 * DataChannel, an offer with a `webrtc_id`, ICE candidates posted to the same route; then it plays the assistant's
 * Opus track or μ-law DataChannel audio, reports the played position (`playback`), and cuts playback on
 * `clear_audio`. Plain ES module for browsers; call `start()` from a user gesture (autoplay rules).
 */
export class FastRTCClient {
  state: FastRTCClientState = "idle";
  readonly stats: FastRTCClientStats = {
    packetsSent: 0,
    packetsReceived: 0,
    mediaMessagesReceived: 0,
    playedMs: 0,
    bufferedMs: 0,
    clears: 0,
    playbackReportsSent: 0,
  };
  readonly webrtcId: string;
  /** The assistant's audio as it plays (either path), for level meters and tests. */
  analyser: AnalyserNode | undefined;
  peerConnection: RTCPeerConnection | undefined;
  readonly #options: FastRTCClientOptions;
  readonly #listeners = new Map<keyof FastRTCClientEvents, Set<Listener<never>>>();
  #channel: RTCDataChannel | undefined;
  #microphone: MediaStream | undefined;
  #context: AudioContext | undefined;
  #player: MulawPlayer | undefined;
  #audioElement: HTMLAudioElement | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastReportedMs = -1;

  constructor(options: FastRTCClientOptions) {
    this.#options = options;
    this.webrtcId = options.webrtcId ?? Math.random().toString(36).slice(2, 12);
  }

  on<K extends keyof FastRTCClientEvents>(type: K, listener: Listener<FastRTCClientEvents[K]>): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  get play(): FastRTCClientPlayback {
    return this.#options.play ?? "track";
  }

  /** Microphone, peer connection, offer/answer. Resolves once the answer is applied (media follows). */
  async start(): Promise<void> {
    if (this.state === "connecting" || this.state === "connected") return;
    this.#setState("connecting");
    try {
      await this.#open();
    } catch (error) {
      this.stop(error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  async #open(): Promise<void> {
    const context = new AudioContext();
    this.#context = context;
    if (context.state === "suspended") await context.resume().catch(() => undefined);
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    this.analyser = analyser;
    this.#microphone = await navigator.mediaDevices.getUserMedia({ audio: this.#options.audioConstraints ?? true });
    const pc = new RTCPeerConnection(this.#options.rtcConfiguration ?? { iceServers: [] });
    this.peerConnection = pc;
    for (const track of this.#microphone.getAudioTracks()) pc.addTrack(track, this.#microphone);
    pc.addEventListener("track", (event) => this.#onTrack(event));
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "connected") this.#setState("connected");
      else if (pc.connectionState === "failed" || pc.connectionState === "closed") this.stop(pc.connectionState);
    });
    const channel = pc.createDataChannel("text");
    this.#channel = channel;
    channel.addEventListener("message", (event) => this.#onMessage(event.data));
    channel.addEventListener("close", () => this.stop("data channel closed"));
    if (this.play === "datachannel") {
      analyser.connect(context.destination);
      this.#player = new MulawPlayer({
        context,
        output: analyser,
        sampleRate: this.#options.outputSampleRate ?? 24000,
      });
    }
    pc.addEventListener("icecandidate", ({ candidate }) => {
      if (candidate)
        void this.#post({ candidate: candidate.toJSON(), webrtc_id: this.webrtcId, type: "ice-candidate" });
    });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const answer = (await this.#post({ sdp: offer.sdp, type: offer.type, webrtc_id: this.webrtcId })) as {
      sdp?: string;
      type?: RTCSdpType;
      status?: string;
      meta?: { error?: string };
      detail?: unknown;
    };
    if (answer.type !== "answer" || typeof answer.sdp !== "string") {
      throw new Error(`offer refused: ${answer.meta?.error ?? JSON.stringify(answer.detail ?? answer)}`);
    }
    await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
    this.#timer = setInterval(() => void this.#tick(), this.#options.playbackReportMs ?? 250);
  }

  /** Mic track disabled (the peer and the session stay up). */
  setMicMuted(muted: boolean): void {
    for (const track of this.#microphone?.getAudioTracks() ?? []) track.enabled = !muted;
  }

  /** A JSON message on the `"text"` DataChannel (the server echoes it as a `log`). */
  send(message: Record<string, unknown>): boolean {
    if (this.#channel?.readyState !== "open") return false;
    this.#channel.send(JSON.stringify(message));
    return true;
  }

  /** Hangs up: the server sees the DataChannel close at once. Safe to call twice. */
  stop(reason = "stopped"): void {
    if (this.state === "closed" || this.state === "idle") return;
    clearInterval(this.#timer);
    this.#player?.clear();
    this.#channel?.close();
    this.peerConnection?.close();
    for (const track of this.#microphone?.getTracks() ?? []) track.stop();
    if (this.#audioElement) this.#audioElement.srcObject = null;
    void this.#context?.close().catch(() => undefined);
    this.#setState("closed", reason);
  }

  #onTrack(event: RTCTrackEvent): void {
    if (this.play !== "track" || this.#context === undefined || this.analyser === undefined) return;
    const stream = event.streams[0] ?? new MediaStream([event.track]);
    // Chrome only feeds a remote stream to Web Audio while a media element plays it.
    const element = this.#audioElement ?? new Audio();
    this.#audioElement = element;
    element.autoplay = true;
    element.srcObject = stream;
    void element.play().catch(() => undefined);
    this.#context.createMediaStreamSource(stream).connect(this.analyser);
  }

  #onMessage(data: unknown): void {
    if (typeof data !== "string") return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return; // not ours
    }
    if (message === null || typeof message !== "object") return;
    if (message.event === "media") {
      this.stats.mediaMessagesReceived++;
      const payload = (message.media as { payload?: unknown } | undefined)?.payload;
      if (typeof payload === "string") this.#player?.pushPayload(payload);
      return;
    }
    if (message.type === "clear_audio") {
      this.stats.clears++;
      const bufferedMsBefore = this.#player?.clear() ?? 0;
      this.#lastReportedMs = -1;
      this.#emit("clear", { bufferedMsBefore });
    } else if (message.type === "speaking" && message.who === "assistant" && message.speaking === true) {
      this.#player?.resetPosition();
      this.#lastReportedMs = -1;
    }
    this.#emit("message", message);
  }

  async #tick(): Promise<void> {
    const player = this.#player;
    if (player) {
      this.stats.playedMs = player.playedMs;
      this.stats.bufferedMs = player.bufferedMs;
      const playedMs = Math.round(player.playedMs);
      if (playedMs !== this.#lastReportedMs && (player.bufferedMs > 0 || playedMs > 0)) {
        if (this.send({ type: "playback", played_ms: playedMs })) {
          this.#lastReportedMs = playedMs;
          this.stats.playbackReportsSent++;
        }
      }
    }
    const report = await this.peerConnection?.getStats().catch(() => undefined);
    report?.forEach((entry: { type: string; kind?: string; packetsSent?: number; packetsReceived?: number }) => {
      if (entry.kind !== "audio") return;
      if (entry.type === "outbound-rtp") this.stats.packetsSent = entry.packetsSent ?? 0;
      if (entry.type === "inbound-rtp") this.stats.packetsReceived = entry.packetsReceived ?? 0;
    });
  }

  async #post(body: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(this.#options.offerUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.#options.headers },
      body: JSON.stringify(body),
    });
    return response.json().catch(() => ({ status: "failed", detail: response.status }));
  }

  #setState(state: FastRTCClientState, reason?: string): void {
    this.state = state;
    this.#emit("state", { state, reason });
  }

  #emit<K extends keyof FastRTCClientEvents>(type: K, event: FastRTCClientEvents[K]): void {
    for (const listener of this.#listeners.get(type) ?? []) (listener as Listener<FastRTCClientEvents[K]>)(event);
  }
}
