// A FastRTC-style browser client built on werift (for bun test and the bench): offer with webrtc_id, a "text"
// DataChannel, trickled candidates to the same route, Opus (or PCMU) microphone RTP, and a record of what came back.
import { decodeBase64, decodeMulaw, encodeMulaw } from "@roomkit/audio";
import {
  MediaStreamTrack,
  type RTCDataChannel,
  RTCPeerConnection,
  RtpHeader,
  RtpPacket,
  useOPUS,
  usePCMU,
} from "werift";
import { type OpusDecoder, type OpusEncoder, opusscriptCodec } from "../codecs/opus-codec.ts";
import { guardIceSockets } from "../peer/socket-guard.ts";

export const LOOPBACK_ICE = {
  iceServers: [],
  iceUseIpv4: false,
  iceUseIpv6: false,
  iceAdditionalHostAddresses: ["127.0.0.1"],
};

export interface ClientOptions {
  webrtcId?: string;
  /** Post the client's candidates to the route (default false: werift learns the client as prflx). */
  trickle?: boolean;
  codec?: "opus" | "pcmu";
  /** Rate of the PCM given to `sendPcm` (Opus encodes at it). Default 16000. */
  sampleRate?: number;
  /** Do not create the "text" DataChannel (FastRTC never starts such a peer). */
  noDataChannel?: boolean;
  headers?: Record<string, string>;
}

let counter = 0;

export class WeriftTestClient {
  readonly pc = new RTCPeerConnection({ ...LOOPBACK_ICE, codecs: { audio: [useOPUS(), usePCMU()] } });
  readonly track = new MediaStreamTrack({ kind: "audio" });
  readonly webrtcId: string;
  channel: RTCDataChannel | undefined;
  /** Every DataChannel message, parsed (strings that are not JSON are kept as strings). */
  readonly messages: unknown[] = [];
  /** PCM16 bytes (at the server's outputSampleRate) of the μ-law media kept since the last clear_audio. */
  keptDataChannelBytes = 0;
  /** All μ-law media decoded to PCM16 (8-bit codes × 2), ignoring clears. */
  readonly dataChannelPcm: Uint8Array[] = [];
  /** PCM16 (48 kHz) decoded from the server's Opus track. */
  readonly trackPcm: Uint8Array[] = [];
  trackPackets = 0;
  socketErrors = 0;
  offerResponse: { status: number; body: unknown } | undefined;
  readonly candidatePosts: Array<{ status: number; body: unknown }> = [];
  readonly #options: ClientOptions;
  readonly #url: string;
  #encoder: OpusEncoder | undefined;
  #decoder: OpusDecoder | undefined;
  #sequence = 1000;
  #timestamp = 5000;
  #payloadType = 0;
  #gathered: ClosableTransport[] = [];

  constructor(url: string, options: ClientOptions = {}) {
    this.#url = url;
    this.#options = options;
    counter++;
    this.webrtcId = options.webrtcId ?? `client-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  }

  get sampleRate(): number {
    return this.#options.sampleRate ?? 16000;
  }

  /** Offer → answer. Resolves with the offer's HTTP reply; the peer connects in the background. */
  async connect(): Promise<{ status: number; body: unknown }> {
    const transceiver = this.pc.addTransceiver(this.track, { direction: "sendrecv" });
    if (this.#options.codec === "pcmu") {
      transceiver.setCodecPreferences([usePCMU()]);
    }
    transceiver.onTrack.subscribe((remote) => {
      remote.onReceiveRtp.subscribe((packet) => {
        this.trackPackets++;
        this.#decoder ??= opusscriptCodec.createDecoder(48000);
        try {
          this.trackPcm.push(this.#decoder.decode(packet.payload));
        } catch {
          // not Opus: counted only
        }
      });
    });
    if (!this.#options.noDataChannel) {
      const channel = this.pc.createDataChannel("text");
      this.channel = channel;
      channel.onMessage.subscribe((data) => this.#onMessage(typeof data === "string" ? data : data.toString()));
    }
    if (this.#options.trickle) {
      this.pc.onIceCandidate.subscribe((candidate) => {
        if (!candidate) return;
        void this.post({ candidate: candidate.toJSON(), webrtc_id: this.webrtcId, type: "ice-candidate" }).then(
          (reply) => this.candidatePosts.push(reply),
        );
      });
    }
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    guardIceSockets(this.pc, () => this.socketErrors++);
    // werift as offerer gathers one ICE transport per m-line, and after BUNDLE forgets the second one without
    // closing its socket: keep them all so close() can release every one (the server, an answerer, has one).
    this.#gathered = this.pc.iceTransports
      .flatMap((transport) => {
        const protocols = (transport as unknown as { connection?: { protocols?: unknown[] } }).connection?.protocols;
        return (protocols ?? []).map((protocol) => (protocol as { transport?: ClosableTransport }).transport);
      })
      .filter((transport): transport is ClosableTransport => transport !== undefined);
    const reply = await this.post({ sdp: offer.sdp, type: offer.type, webrtc_id: this.webrtcId });
    this.offerResponse = reply;
    const body = reply.body as { sdp?: string; type?: string };
    if (reply.status === 200 && body.type === "answer" && body.sdp) {
      await this.pc.setRemoteDescription({ type: "answer", sdp: body.sdp });
      this.#payloadType = transceiver.sender.codec?.payloadType ?? (this.#options.codec === "pcmu" ? 0 : 96);
    }
    return reply;
  }

  async post(body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(this.#url, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.#options.headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text reply
    }
    return { status: response.status, body: parsed };
  }

  get connectionState(): string {
    return this.pc.connectionState;
  }

  get channelOpen(): boolean {
    return this.channel?.readyState === "open";
  }

  /** Sends PCM16 at `sampleRate` as 20 ms RTP frames (Opus or PCMU), padding the last frame with silence. */
  sendPcm(pcm: Uint8Array): void {
    const rate = this.sampleRate;
    const frameBytes = (rate / 50) * 2;
    for (let offset = 0; offset < pcm.byteLength; offset += frameBytes) {
      let frame = pcm.subarray(offset, offset + frameBytes);
      if (frame.byteLength < frameBytes) {
        const padded = new Uint8Array(frameBytes);
        padded.set(frame);
        frame = padded;
      }
      this.#sendFrame(frame);
    }
  }

  #sendFrame(frame: Uint8Array): void {
    let payload: Uint8Array;
    let ticks: number;
    if (this.#options.codec === "pcmu") {
      if (this.sampleRate !== 8000) throw new Error("the PCMU test client sends 8 kHz PCM");
      payload = encodeMulaw(frame);
      ticks = 160;
    } else {
      this.#encoder ??= opusscriptCodec.createEncoder(this.sampleRate);
      payload = this.#encoder.encode(frame);
      ticks = 960;
    }
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + ticks) >>> 0;
    const header = new RtpHeader({
      payloadType: this.#payloadType,
      sequenceNumber: this.#sequence,
      timestamp: this.#timestamp,
      marker: false,
    });
    this.track.writeRtp(new RtpPacket(header, Buffer.from(payload)));
  }

  send(text: string): void {
    this.channel?.send(text);
  }

  #onMessage(text: string): void {
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.messages.push(text);
      return;
    }
    const message = parsed as { event?: string; type?: string; media?: { payload?: string } };
    if (message.event === "media" && typeof message.media?.payload === "string") {
      const codes = decodeBase64(message.media.payload);
      if (codes) {
        const pcm = decodeMulaw(codes);
        this.dataChannelPcm.push(pcm);
        this.keptDataChannelBytes += pcm.byteLength;
      }
      return;
    }
    if (message.type === "clear_audio") this.keptDataChannelBytes = 0;
    this.messages.push(parsed);
  }

  /** Control messages (not media), parsed. */
  controlMessages(): Array<Record<string, unknown>> {
    return this.messages.filter((message) => typeof message === "object") as Array<Record<string, unknown>>;
  }

  async close(): Promise<void> {
    this.#encoder?.free();
    this.#decoder?.free();
    this.#encoder = undefined;
    this.#decoder = undefined;
    await this.pc.close();
    for (const transport of this.#gathered.splice(0)) if (!transport.closed) await transport.close();
  }
}

interface ClosableTransport {
  closed: boolean;
  close(): Promise<void>;
}

/** Concatenates PCM chunks. */
export function concatPcm(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The dominant frequency of PCM16 by zero crossings (enough for a pure tone). */
export function zeroCrossingHz(pcm: Uint8Array, sampleRate: number): number {
  const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.byteLength & ~1)));
  let crossings = 0;
  for (let index = 1; index < samples.length; index++) {
    if ((samples[index - 1]! < 0 && samples[index]! >= 0) || (samples[index - 1]! >= 0 && samples[index]! < 0)) {
      crossings++;
    }
  }
  return (crossings / 2) * (sampleRate / samples.length);
}

/** RMS of PCM16. */
export function rms(pcm: Uint8Array): number {
  const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.byteLength & ~1)));
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}
