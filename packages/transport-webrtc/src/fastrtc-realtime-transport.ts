import {
  type ClientControlMessage,
  type Clock,
  DEFAULT_TRANSPORT_CAPABILITIES,
  InvalidArgumentError,
  RealtimeTransport,
  type RealtimeTransportCapabilities,
  systemClock,
  type TransportAcceptOptions,
  type TransportAcceptResult,
  TransportClosedError,
  type VoiceSession,
} from "@roomkit/spec";
import { type PeerConfig, type RTCRtpCodecParameters, useOPUS, usePCMA, usePCMU } from "werift";
import { type OpusCodecFactory, opusscriptCodec } from "./codecs/opus-codec.ts";
import { FastRTCPeer, type PeerCloseReason } from "./peer/fastrtc-peer.ts";
import type { AudioCodecName } from "./peer/inbound-audio.ts";
import type { OutboundAudioMode } from "./peer/outbound-audio.ts";
import {
  type FastRTCRealtimeTransportOptions,
  type ResolvedTransportOptions,
  resolveTransportOptions,
} from "./transport-options.ts";
import { createTransportStats, type FastRTCTransportStats } from "./transport-stats.ts";

export type { FastRTCRealtimeTransportOptions, IceServer } from "./transport-options.ts";

/** `onClientConnected`: a browser's peer is up (connected, `"text"` channel open, audio track seen). */
export type ClientConnectedCallback = (webrtcId: string, metadata: Record<string, unknown>) => unknown;

interface Binding {
  session: VoiceSession;
  peer: FastRTCPeer;
  inputMuted: boolean;
  /** A `clear_audio` went out and no audio since (one clear per barge-in on the wire). */
  clientCleared: boolean;
  /** The client sent a `playback` report: its positions replace the pacer's. */
  clientReports: boolean;
}

function codecParameters(name: AudioCodecName): RTCRtpCodecParameters {
  if (name === "opus") return useOPUS();
  if (name === "pcmu") return usePCMU();
  return usePCMA();
}

/**
 * The seed's FastRTC WebRTC transport: a browser connects with FastRTC's signalling (`mountFastRTCRealtime`), its
 * microphone arrives as Opus (or G.711) RTP and reaches `onAudioReceived` as PCM16 at `inputSampleRate`; the
 * assistant's audio goes back as μ-law over the `"text"` DataChannel and/or an Opus track, paced at real time.
 * `onClientConnected(webrtcId)` fires when a peer is up; the app then starts a session with `connection: webrtcId`.
 */
export class FastRTCRealtimeTransport extends RealtimeTransport {
  readonly name = "FastRTCRealtimeTransport";
  /**
   * `interrupt`: the pacer's queue is dropped and the client told `clear_audio`. `inputMute`: caller audio is
   * dropped here. `playbackPosition` (unless `playbackReports: false`): client `playback` reports; with an Opus
   * track, the track's sent timeline until the client reports. No device clock (`playbackCallback`), no DTMF.
   */
  override readonly capabilities: RealtimeTransportCapabilities;
  readonly inputSampleRate: number;
  readonly outputSampleRate: number;
  readonly outboundAudio: OutboundAudioMode;
  readonly stats: FastRTCTransportStats = createTransportStats();
  readonly #options: ResolvedTransportOptions;
  readonly #clock: Clock;
  readonly #opus: OpusCodecFactory;
  readonly #peerConfig: Partial<PeerConfig>;
  readonly #peers = new Map<string, FastRTCPeer>();
  readonly #bindings = new Map<string, Binding>();
  readonly #bySession = new Map<string, Binding>();
  #connectedCallback: ClientConnectedCallback | undefined;
  #closed = false;

  /** @throws RoomKitConfigError naming the bad option. */
  constructor(options: FastRTCRealtimeTransportOptions = {}) {
    const resolved = resolveTransportOptions(options);
    super({ logger: resolved.logger });
    this.#options = resolved;
    this.inputSampleRate = resolved.inputSampleRate;
    this.outputSampleRate = resolved.outputSampleRate;
    this.outboundAudio = resolved.outboundAudio;
    this.#clock = resolved.clock ?? systemClock;
    this.#opus = resolved.opus ?? opusscriptCodec;
    this.capabilities = {
      ...DEFAULT_TRANSPORT_CAPABILITIES,
      interrupt: true,
      inputMute: true,
      playbackPosition: resolved.playbackReports,
    };
    const config: Partial<PeerConfig> = {
      codecs: { audio: resolved.codecs.map(codecParameters) },
      iceAdditionalHostAddresses: resolved.iceAdditionalHostAddresses,
      iceUseIpv4: resolved.iceUseIpv4,
      iceUseIpv6: resolved.iceUseIpv6,
      iceTransportPolicy: resolved.iceTransportPolicy,
      iceStunGatherTimeout: resolved.iceStunGatherTimeoutMs / 1000,
    };
    if (resolved.iceServers) config.iceServers = resolved.iceServers;
    if (resolved.icePortRange) config.icePortRange = resolved.icePortRange;
    this.#peerConfig = config;
  }

  /**
   * Sets THE callback for new browser connections (one, as in RoomKit: registering again replaces it). Sync
   * callbacks run inline, async ones are not awaited; errors are logged, never thrown. Returns an unsubscribe.
   */
  onClientConnected(callback: ClientConnectedCallback): () => void {
    this.#connectedCallback = callback;
    return () => {
      if (this.#connectedCallback === callback) this.#connectedCallback = undefined;
    };
  }

  /** Live peer connections (offered and not yet closed): what the concurrency limit counts. */
  get peerCount(): number {
    return this.#peers.size;
  }

  /** Sessions bound to a peer. */
  get sessionCount(): number {
    return this.#bySession.size;
  }

  /** The live peer of a WebRTC id (for tests and diagnostics). */
  getPeer(webrtcId: string): FastRTCPeer | undefined {
    return this.#peers.get(webrtcId);
  }

  /** The session bound to a WebRTC id, or null (RoomKit's `get_session`). */
  getSession(webrtcId: string | null | undefined): VoiceSession | null {
    if (typeof webrtcId !== "string") return null;
    return this.#bindings.get(webrtcId)?.session ?? null;
  }

  /**
   * Signalling: creates the peer for an offer and returns the answer SDP (every server candidate included). The
   * peer counts against the limit from this call on. Used by `createFastRTCOfferHandler`.
   * @throws TransportClosedError after `close()`; InvalidArgumentError when werift rejects the SDP.
   */
  async openPeer(webrtcId: string, offerSdp: string, metadata: Record<string, unknown> = {}): Promise<string> {
    if (this.#closed) throw new TransportClosedError("FastRTCRealtimeTransport is closed");
    if (this.#peers.has(webrtcId)) throw new InvalidArgumentError(`WebRTC id ${webrtcId} already has a peer`);
    const options = this.#options;
    const peer = new FastRTCPeer({
      webrtcId,
      metadata,
      peerConfig: this.#peerConfig,
      inputSampleRate: options.inputSampleRate,
      outputSampleRate: options.outputSampleRate,
      outboundAudio: options.outboundAudio,
      prebufferMs: options.prebufferMs,
      jitterHeadroomMs: options.jitterHeadroomMs,
      connectTimeoutMs: options.connectTimeoutMs,
      disconnectedGraceMs: options.disconnectedGraceMs,
      maxClientMessageChars: options.maxClientMessageChars,
      opus: this.#opus,
      clock: this.#clock,
      logger: this.logger,
      onStarted: (started) => this.#onPeerStarted(started),
      onClosed: (closed, reason) => this.#onPeerClosed(closed, reason),
      onAudio: (from, pcm) => this.#onPeerAudio(from, pcm),
      onClientMessage: (from, message) => this.#onClientMessage(from, message),
      onSentPosition: (from, ms) => this.#onSentPosition(from, ms),
    });
    // Registered before the first await: ICE candidate posts that arrive from now on find it.
    this.#peers.set(webrtcId, peer);
    this.stats.peersOpened++;
    try {
      return await peer.answer(offerSdp);
    } catch (error) {
      await peer.close("negotiation_failed");
      if (this.#closed) throw new TransportClosedError("FastRTCRealtimeTransport closed during negotiation");
      throw new InvalidArgumentError(`The offer could not be applied: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** Signalling: a trickled browser candidate. @throws when the id has no live peer or werift rejects it. */
  async addIceCandidate(
    webrtcId: string,
    candidate: { candidate: string; sdpMid?: string; sdpMLineIndex?: number },
  ): Promise<"added" | "unknown_connection" | "connection_closed"> {
    const peer = this.#peers.get(webrtcId);
    if (!peer) return "unknown_connection";
    if (peer.isClosed) return "connection_closed";
    await peer.addIceCandidate(candidate);
    return "added";
  }

  override async accept(
    session: VoiceSession,
    connection: unknown,
    options: TransportAcceptOptions = {},
  ): Promise<TransportAcceptResult | undefined> {
    options.signal?.throwIfAborted();
    if (this.#closed) throw new TransportClosedError("FastRTCRealtimeTransport is closed");
    if (typeof connection !== "string") {
      throw new InvalidArgumentError("FastRTCRealtimeTransport.accept needs the WebRTC id given to onClientConnected");
    }
    const peer = this.#peers.get(connection);
    if (!peer) throw new InvalidArgumentError(`No WebRTC connection with id ${connection}`);
    if (peer.isClosed) throw new TransportClosedError(`WebRTC connection ${connection} is closed`);
    if (this.#bySession.has(session.id)) throw new InvalidArgumentError(`Session ${session.id} is already bound`);
    if (this.#bindings.has(connection)) {
      throw new InvalidArgumentError(`WebRTC connection ${connection} already belongs to a session`);
    }
    Object.assign(session.metadata, peer.metadata);
    const binding: Binding = { session, peer, inputMuted: false, clientCleared: false, clientReports: false };
    this.#bindings.set(connection, binding);
    this.#bySession.set(session.id, binding);
    this.stats.sessionsAccepted++;
    return undefined;
  }

  /** Queues PCM16 at `outputSampleRate` for the caller (paced; never blocks). */
  sendAudio(session: VoiceSession, audio: Uint8Array): void {
    const binding = this.#bySession.get(session.id);
    if (!binding || binding.peer.isClosed || audio.byteLength < 2) return;
    binding.clientCleared = false;
    binding.peer.outbound.push((audio.byteLength & 1) === 0 ? audio : audio.subarray(0, audio.byteLength - 1));
  }

  /** JSON on the `"text"` DataChannel when open (dropped otherwise). `clear_audio` also drops the paced queue. */
  override sendMessage(session: VoiceSession, message: ClientControlMessage): void {
    const binding = this.#bySession.get(session.id);
    if (!binding || binding.peer.isClosed) return;
    if (message.type === "clear_audio") {
      binding.peer.outbound.interrupt();
      if (binding.clientCleared) return;
      binding.clientCleared = true;
    }
    if (binding.peer.sendText(JSON.stringify(message))) this.stats.messagesSent++;
    else this.stats.messagesDropped++;
  }

  /** Barge-in: drops the unsent audio and tells the client `clear_audio` (once, however often it is asked). */
  override interrupt(session: VoiceSession): void {
    this.sendMessage(session, { type: "clear_audio" });
  }

  override endOfResponse(session: VoiceSession): void {
    this.#bySession.get(session.id)?.peer.outbound.endOfResponse();
  }

  override setInputMuted(session: VoiceSession, muted: boolean): void {
    const binding = this.#bySession.get(session.id);
    if (binding) binding.inputMuted = muted;
  }

  /**
   * Ends the session's connection: forgets the session, lets queued DataChannel messages leave (at most
   * `disconnectFlushMs`), then closes the peer connection so its slot is free. Idempotent.
   */
  async disconnect(session: VoiceSession): Promise<void> {
    const binding = this.#bySession.get(session.id);
    if (!binding) return;
    this.#release(binding);
    await binding.peer.close("disconnect", this.#options.disconnectFlushMs);
  }

  /** Closes every peer (bound or not); later offers are refused. Idempotent. */
  override async close(): Promise<void> {
    this.#closed = true;
    for (const binding of [...this.#bySession.values()]) this.#release(binding);
    await Promise.all([...this.#peers.values()].map((peer) => peer.close("transport_closed")));
  }

  #release(binding: Binding): void {
    this.#bySession.delete(binding.session.id);
    if (this.#bindings.get(binding.peer.webrtcId) === binding) this.#bindings.delete(binding.peer.webrtcId);
  }

  #onPeerStarted(peer: FastRTCPeer): void {
    this.stats.peersStarted++;
    const callback = this.#connectedCallback;
    if (!callback) return;
    try {
      const result = callback(peer.webrtcId, peer.metadata);
      if (result && typeof (result as Promise<unknown>).then === "function") {
        (result as Promise<unknown>).then(undefined, (error: unknown) =>
          this.logger.error("onClientConnected failed", { webrtcId: peer.webrtcId, error: String(error) }),
        );
      }
    } catch (error) {
      this.logger.error("onClientConnected failed", { webrtcId: peer.webrtcId, error: String(error) });
    }
  }

  #onPeerClosed(peer: FastRTCPeer, reason: PeerCloseReason): void {
    if (this.#peers.get(peer.webrtcId) === peer) this.#peers.delete(peer.webrtcId);
    this.stats.peersClosed++;
    this.stats.closeReasons[reason] = (this.stats.closeReasons[reason] ?? 0) + 1;
    const binding = this.#bindings.get(peer.webrtcId);
    if (!binding || binding.peer !== peer) return;
    // The browser went away (or the connection failed): the session learns it once.
    this.#release(binding);
    this.stats.clientDisconnects++;
    this.logger.debug("WebRTC client disconnected", { webrtcId: peer.webrtcId, reason });
    void this.fireClientDisconnected(binding.session);
  }

  #onPeerAudio(peer: FastRTCPeer, pcm: Uint8Array): void {
    const binding = this.#bindings.get(peer.webrtcId);
    if (!binding) {
      this.stats.audioBeforeAccept++;
      return;
    }
    if (binding.inputMuted) {
      this.stats.inputMutedDropped++;
      return;
    }
    this.stats.audioFramesReceived++;
    void this.fireAudioReceived(binding.session, { data: pcm, sampleRate: this.inputSampleRate, channels: 1 });
  }

  #onClientMessage(peer: FastRTCPeer, message: Record<string, unknown>): void {
    if (message.type !== "playback") return;
    const binding = this.#bindings.get(peer.webrtcId);
    const playedMs = message.played_ms ?? message.playedMs;
    if (!binding || !this.#options.playbackReports) return;
    if (typeof playedMs !== "number" || !Number.isFinite(playedMs) || playedMs < 0) {
      this.stats.invalidClientMessages++;
      return;
    }
    binding.clientReports = true;
    void this.firePlaybackPosition(binding.session, { playedMs, source: "client" });
  }

  /** The Opus track's sent timeline (minus the pacer's lead), until the client reports positions itself. */
  #onSentPosition(peer: FastRTCPeer, responseSentMs: number): void {
    if (!this.#options.playbackReports || this.outboundAudio === "datachannel") return;
    const binding = this.#bindings.get(peer.webrtcId);
    if (!binding || binding.clientReports) return;
    const playedMs = Math.max(0, responseSentMs - this.#options.jitterHeadroomMs);
    void this.firePlaybackPosition(binding.session, { playedMs, source: "pacer" });
  }
}
