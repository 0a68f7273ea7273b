import type { Clock, Logger } from "@roomkit/spec";
import {
  MediaStreamTrack,
  type PeerConfig,
  type RTCDataChannel,
  RTCPeerConnection,
  type RTCRtpTransceiver,
  RtpHeader,
  RtpPacket,
} from "werift";
import type { OpusCodecFactory } from "../codecs/opus-codec.ts";
import { type AudioCodecName, codecNameOf, InboundAudioDecoder } from "./inbound-audio.ts";
import { OutboundAudio, type OutboundAudioMode, type OpusRtpSink } from "./outbound-audio.ts";
import { guardIceSockets } from "./socket-guard.ts";

export type PeerState = "connecting" | "started" | "closed";

/** Why a peer was shut down (logged, and counted in the transport's stats). */
export type PeerCloseReason =
  | "datachannel_closed"
  | "dtls_closed"
  | "connection_failed"
  | "connection_closed"
  | "disconnected_timeout"
  | "connect_timeout"
  | "disconnect"
  | "transport_closed"
  | "negotiation_failed";

export interface FastRTCPeerOptions {
  webrtcId: string;
  /** What `auth` returned at offer time (merged into the session's metadata on `accept`). */
  metadata: Record<string, unknown>;
  peerConfig: Partial<PeerConfig>;
  inputSampleRate: number;
  outputSampleRate: number;
  outboundAudio: OutboundAudioMode;
  prebufferMs: number;
  jitterHeadroomMs: number;
  connectTimeoutMs: number;
  disconnectedGraceMs: number;
  maxClientMessageChars: number;
  opus: OpusCodecFactory;
  clock: Clock;
  logger: Logger;
  /** Start-up gate passed: connected, a data channel open, the browser's audio track seen. */
  onStarted: (peer: FastRTCPeer) => void;
  onClosed: (peer: FastRTCPeer, reason: PeerCloseReason) => void;
  onAudio: (peer: FastRTCPeer, pcm: Uint8Array) => void;
  /** A client message that parsed as a JSON object (after the FastRTC `log` echo). */
  onClientMessage: (peer: FastRTCPeer, message: Record<string, unknown>) => void;
  onSentPosition: (peer: FastRTCPeer, responseSentMs: number) => void;
}

/** Counters of one peer (also summed by the transport). */
export interface PeerCounters {
  rtpPackets: number;
  rtpDropped: number;
  rtpUnknownCodec: number;
  clientMessages: number;
  clientMessagesTooLarge: number;
  /** ICE socket errors (ICMP unreachable from a peer that went away), ignored. */
  socketErrors: number;
}

/**
 * One browser's WebRTC connection (FastRTC semantics on werift): the answer carries every server candidate, the
 * client's `"text"` DataChannel is mandatory, every client message is echoed as `{"type":"log",...}`, and a hang-up
 * is taken from the DataChannel or DTLS close at once (werift's connection state only fails ~27 s later).
 */
export class FastRTCPeer {
  readonly webrtcId: string;
  readonly metadata: Record<string, unknown>;
  readonly pc: RTCPeerConnection;
  readonly outbound: OutboundAudio;
  readonly counters: PeerCounters = {
    rtpPackets: 0,
    rtpDropped: 0,
    rtpUnknownCodec: 0,
    clientMessages: 0,
    clientMessagesTooLarge: 0,
    socketErrors: 0,
  };
  state: PeerState = "connecting";
  /** ICE sockets given an error listener (see `guardIceSockets`). */
  guardedSockets = 0;
  closeReason: PeerCloseReason | undefined;
  channel: RTCDataChannel | undefined;
  audioTrack: MediaStreamTrack | undefined;
  readonly #options: FastRTCPeerOptions;
  readonly #decoder: InboundAudioDecoder;
  readonly #codecs = new Map<number, AudioCodecName | null>();
  #transceiver: RTCRtpTransceiver | undefined;
  #outTrack: MediaStreamTrack | undefined;
  #outPayloadType: number | undefined;
  #sequence = Math.floor(Math.random() * 0x10000);
  #connectTimer: ReturnType<Clock["setTimeout"]> | undefined;
  #graceTimer: ReturnType<Clock["setTimeout"]> | undefined;
  #closing: Promise<void> | undefined;
  readonly #unsubscribes: Array<() => void> = [];

  constructor(options: FastRTCPeerOptions) {
    this.#options = options;
    this.webrtcId = options.webrtcId;
    this.metadata = options.metadata;
    this.#decoder = new InboundAudioDecoder(options.inputSampleRate, options.opus);
    this.pc = new RTCPeerConnection(options.peerConfig);
    this.outbound = new OutboundAudio({
      mode: options.outboundAudio,
      sampleRate: options.outputSampleRate,
      prebufferMs: options.prebufferMs,
      jitterHeadroomMs: options.jitterHeadroomMs,
      opus: options.opus,
      sendText: (text) => this.sendText(text),
      rtp: () => this.#rtpSink(),
      onSentPosition: (ms) => options.onSentPosition(this, ms),
      clock: options.clock,
      logger: options.logger,
    });
    this.#listen(this.pc.onTrack.subscribe((track) => this.#onTrack(track)));
    this.#listen(this.pc.onDataChannel.subscribe((channel) => this.#onDataChannel(channel)));
    this.#listen(this.pc.connectionStateChange.subscribe((state) => this.#onConnectionState(state)));
    this.#connectTimer = options.clock.setTimeout(() => {
      if (this.state === "connecting") void this.close("connect_timeout");
    }, options.connectTimeoutMs);
  }

  get isClosed(): boolean {
    return this.state === "closed";
  }

  /** Decoder counters: late/duplicate packets dropped, undecodable payloads, packets missing from the sequence. */
  get decoderDrops(): { dropped: number; invalid: number; lost: number } {
    return { dropped: this.#decoder.dropped, invalid: this.#decoder.invalid, lost: this.#decoder.lost };
  }

  /** RTP sequence number of the newest audio packet decoded (-1 before any): what `onAudio` was last called for. */
  get lastSequenceNumber(): number {
    return this.#decoder.lastSequenceNumber;
  }

  /** Applies the browser's offer and returns the answer SDP with every server candidate (no trickle). */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription({ type: "offer", sdp: offerSdp });
    if (this.isClosed) throw new Error("peer closed during negotiation");
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    this.guardedSockets = guardIceSockets(this.pc, (error) => {
      this.counters.socketErrors++;
      this.#options.logger.debug("ICE socket error (ignored)", { webrtcId: this.webrtcId, error: String(error) });
    });
    if (this.isClosed) throw new Error("peer closed during negotiation");
    for (const dtls of this.pc.dtlsTransports) {
      this.#listen(
        dtls.onStateChange.subscribe((state) => {
          if (state === "closed") void this.close("dtls_closed");
          if (state === "failed") void this.close("connection_failed");
        }),
      );
    }
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error("werift produced no local description");
    return sdp;
  }

  addIceCandidate(candidate: { candidate: string; sdpMid?: string; sdpMLineIndex?: number }): Promise<void> {
    return this.pc.addIceCandidate(candidate);
  }

  /** Sends one text message if the DataChannel is open; never throws (werift throws above max-message-size). */
  sendText(text: string): boolean {
    const channel = this.channel;
    if (channel?.readyState !== "open" || this.isClosed) return false;
    try {
      channel.send(text);
      return true;
    } catch (error) {
      this.#options.logger.debug("DataChannel send failed", { webrtcId: this.webrtcId, error: String(error) });
      return false;
    }
  }

  /** Shuts the peer down once (idempotent): stops the audio, closes the peer connection, frees the codecs. */
  close(reason: PeerCloseReason, flushMs = 0): Promise<void> {
    if (this.#closing) return this.#closing;
    this.closeReason = reason;
    const wasStarted = this.state === "started";
    this.state = "closed";
    this.#closing = this.#shutdown(reason, flushMs, wasStarted);
    return this.#closing;
  }

  async #shutdown(reason: PeerCloseReason, flushMs: number, _wasStarted: boolean): Promise<void> {
    this.#clearTimers();
    await this.outbound.close();
    if (flushMs > 0) await this.#drainChannel(flushMs);
    for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe();
    try {
      await this.pc.close();
    } catch (error) {
      this.#options.logger.debug("peer close failed", { webrtcId: this.webrtcId, error: String(error) });
    }
    this.#outTrack?.stop();
    this.#decoder.free();
    this.#options.onClosed(this, reason);
  }

  /** Lets queued DataChannel messages (`session_ended`) leave before the peer closes: at most `maxMs`. */
  async #drainChannel(maxMs: number): Promise<void> {
    const deadline = this.#options.clock.now() + maxMs;
    while (this.channel?.readyState === "open" && this.channel.bufferedAmount > 0) {
      if (this.#options.clock.now() >= deadline) return;
      await new Promise<void>((resolve) => this.#options.clock.setTimeout(() => resolve(), 10));
    }
  }

  #listen(subscription: { unSubscribe: () => void }): void {
    this.#unsubscribes.push(() => subscription.unSubscribe());
  }

  #clearTimers(): void {
    if (this.#connectTimer !== undefined) this.#options.clock.clearTimeout(this.#connectTimer);
    if (this.#graceTimer !== undefined) this.#options.clock.clearTimeout(this.#graceTimer);
    this.#connectTimer = undefined;
    this.#graceTimer = undefined;
  }

  #onConnectionState(state: string): void {
    if (this.isClosed) return;
    if (state === "connected") {
      if (this.#graceTimer !== undefined) this.#options.clock.clearTimeout(this.#graceTimer);
      this.#graceTimer = undefined;
      this.#tryStart();
    } else if (state === "failed") void this.close("connection_failed");
    else if (state === "closed") void this.close("connection_closed");
    else if (state === "disconnected" && this.#graceTimer === undefined) {
      this.#graceTimer = this.#options.clock.setTimeout(() => {
        this.#graceTimer = undefined;
        if (this.pc.connectionState !== "connected") void this.close("disconnected_timeout");
      }, this.#options.disconnectedGraceMs);
    }
  }

  #onTrack(track: MediaStreamTrack): void {
    if (track.kind !== "audio" || this.audioTrack) return;
    this.audioTrack = track;
    this.#transceiver = this.pc.getTransceivers().find((transceiver) => transceiver.receiver.tracks.includes(track));
    if (this.outbound.toTrack && this.#transceiver) {
      this.#outTrack = new MediaStreamTrack({ kind: "audio" });
      this.#transceiver.setDirection("sendrecv");
      void this.#transceiver.sender.replaceTrack(this.#outTrack).catch((error: unknown) => {
        this.#options.logger.warn("could not attach the outbound audio track", { error: String(error) });
      });
    }
    this.#listen(track.onReceiveRtp.subscribe((packet) => this.#onRtp(packet)));
    this.#tryStart();
  }

  #onRtp(packet: RtpPacket): void {
    if (this.isClosed) return;
    this.counters.rtpPackets++;
    const codec = this.#codecFor(packet.header.payloadType);
    if (!codec) {
      this.counters.rtpUnknownCodec++;
      return;
    }
    if (this.state !== "started") return;
    const pcm = this.#decoder.decode(codec, packet.header.sequenceNumber, packet.payload);
    if (pcm && pcm.byteLength > 0) this.#options.onAudio(this, pcm);
  }

  #codecFor(payloadType: number): AudioCodecName | undefined {
    let codec = this.#codecs.get(payloadType);
    if (codec === undefined) {
      const match = this.#transceiver?.codecs.find((candidate) => candidate.payloadType === payloadType);
      codec = match ? (codecNameOf(match.mimeType) ?? null) : null;
      this.#codecs.set(payloadType, codec);
    }
    return codec ?? undefined;
  }

  #onDataChannel(channel: RTCDataChannel): void {
    // FastRTC keeps the newest channel and never checks its label.
    this.channel = channel;
    this.#listen(channel.onMessage.subscribe((data) => this.#onClientMessage(data)));
    this.#listen(
      channel.stateChanged.subscribe((state) => {
        if (state === "open") this.#tryStart();
        if ((state === "closed" || state === "closing") && this.channel === channel) {
          void this.close("datachannel_closed");
        }
      }),
    );
    this.#tryStart();
  }

  #onClientMessage(data: string | Uint8Array): void {
    if (this.isClosed) return;
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    if (text.length > this.#options.maxClientMessageChars) {
      this.counters.clientMessagesTooLarge++;
      return;
    }
    this.counters.clientMessages++;
    this.sendText(JSON.stringify({ type: "log", data: `Server received: ${text}` }));
    if (text.length === 0 || text[0] !== "{") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
      this.#options.onClientMessage(this, parsed as Record<string, unknown>);
    }
  }

  #tryStart(): void {
    if (this.state !== "connecting") return;
    if (this.pc.connectionState !== "connected") return;
    if (this.channel?.readyState !== "open" || !this.audioTrack) return;
    this.state = "started";
    if (this.#connectTimer !== undefined) this.#options.clock.clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    this.#options.onStarted(this);
  }

  #rtpSink(): OpusRtpSink | undefined {
    const track = this.#outTrack;
    const transceiver = this.#transceiver;
    if (!track || !transceiver || this.isClosed) return undefined;
    this.#outPayloadType ??= transceiver.getPayloadType("audio/opus") ?? transceiver.getPayloadType("audio/OPUS");
    const payloadType = this.#outPayloadType;
    if (payloadType === undefined) return undefined;
    return {
      writeOpus: (payload, timestamp, marker) => {
        this.#sequence = (this.#sequence + 1) & 0xffff;
        const header = new RtpHeader({ payloadType, sequenceNumber: this.#sequence, timestamp, marker });
        track.writeRtp(new RtpPacket(header, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)));
      },
    };
  }
}
