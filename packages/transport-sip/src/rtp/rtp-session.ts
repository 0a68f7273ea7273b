import { randomInt } from "node:crypto";
import type { Socket } from "node:dgram";
import type { Clock, Logger } from "@roomkit/spec";
import type { CodecInfo, PayloadDecoder, PayloadEncoder } from "./codecs.ts";
import { DtmfReceiver, dtmfPayloads } from "./dtmf.ts";
import { LossConcealer } from "./loss-concealer.ts";
import { JitterBuffer, type JitterOutput } from "./jitter-buffer.ts";
import { isRtcp, parseRtpPacket, type RtpPacket, serializeRtpPacket } from "./rtp-packet.ts";
import { buildRtcpReport, ntpMiddle, ntpTime, parseRtcpReports, RTCP_SR } from "./rtcp.ts";
import { ReceptionStats } from "./reception-stats.ts";

export interface RtpSessionOptions {
  socket: Socket;
  /** RTCP on RTP port + 1 (RFC 3550): reports every ~5 s out, reports in parsed into `remoteReport`. */
  rtcpSocket?: Socket;
  /** Wall clock for RTCP's NTP timestamps (default `Date.now`). */
  wallClock?: () => number;
  codec: CodecInfo;
  remoteAddress: string;
  remotePort: number;
  /** telephone-event PT negotiated (the offerer's); undefined ⇒ no DTMF either way. */
  dtmfPayloadType: number | undefined;
  /** RFC 4961 latching: send to where the caller's RTP actually comes from. */
  symmetricRtp: boolean;
  clock: Clock;
  logger: Logger;
  onAudio: (pcm: Uint8Array) => void;
  onDtmf: (digit: string, durationMs: number) => void;
}

/** What the peer's last RTCP report said about our stream. */
export interface RemoteReport {
  fractionLost: number;
  cumulativeLost: number;
  jitterMs: number;
  /** Round trip from LSR/DLSR, when the peer echoed one of our sender reports. */
  roundTripMs: number | undefined;
}

export interface RtpStats {
  packetsSent: number;
  packetsReceived: number;
  bytesReceived: number;
  /** Sequence numbers never received (confirmed by a later packet). */
  packetsLost: number;
  concealedFrames: number;
  duplicates: number;
  late: number;
  /** Datagrams from an address other than the negotiated (or latched) one. */
  foreign: number;
  malformed: number;
  /** Datagrams longer than the largest packet a call sends (200 ms of audio): dropped unread. */
  oversized: number;
  /** RTCP datagrams received (either socket). */
  rtcp: number;
  rtcpSent: number;
  unknownPayloadType: number;
  ssrcChanges: number;
  dtmfReceived: number;
  dtmfSent: number;
}

const FRAME_MS = 20;
/** A silence longer than this starts a new talkspurt: the timestamp jumps by the gap and the marker is set. */
const TALKSPURT_GAP_MS = 100;
/** Gaps up to this many packets are concealed; larger jumps (a restart) are just accepted. */
const MAX_CONCEALED_GAP = 5;
const MAX_SEEN_SSRCS = 8;
/** RFC 3550's minimum report interval, randomised by ×[0.5, 1.5]. */
const RTCP_INTERVAL_MS = 5000;
/**
 * The largest datagram accepted: a 12-byte header, 15 CSRCs, an extension allowance, and 200 ms of payload (all three
 * codecs carry one byte per clock tick: 1600 bytes at 8000 Hz). Beyond it no real peer's packet fits.
 */
const MAX_RTP_DATAGRAM_BYTES = 12 + 15 * 4 + 256 + 1600;
/** How long packets wait behind a hole for a reordered one before the hole counts as lost. */
const HOLE_WAIT_MS = 60;

/**
 * One call's RTP: a bound UDP socket, the codec in both directions (one stateful encoder and decoder), 20 ms
 * framing, random SSRC / sequence / timestamp base, marker on each talkspurt's first packet, RFC 4733 DTMF both
 * ways, a reorder window (jitter buffer) with duplicate/late dropping, and concealment of short confirmed gaps.
 */
export class RtpSession {
  readonly codec: CodecInfo;
  readonly localPort: number;
  readonly stats: RtpStats = {
    packetsSent: 0,
    packetsReceived: 0,
    bytesReceived: 0,
    packetsLost: 0,
    concealedFrames: 0,
    duplicates: 0,
    late: 0,
    foreign: 0,
    malformed: 0,
    oversized: 0,
    rtcp: 0,
    rtcpSent: 0,
    unknownPayloadType: 0,
    ssrcChanges: 0,
    dtmfReceived: 0,
    dtmfSent: 0,
  };
  readonly ssrc = randomInt(0, 2 ** 32);
  /** Clock time the session was created, and of the last accepted packet (for the watchdog). */
  readonly createdAt: number;
  lastReceivedAt: number | undefined;
  /** The peer's last RTCP report block about our SSRC. */
  remoteReport: RemoteReport | undefined;
  private readonly options: RtpSessionOptions;
  private readonly reception: ReceptionStats;
  private rtcpTimer: unknown;
  private octetsSent = 0;
  private sentSinceReport = false;
  private lastRtpTimestamp = 0;
  private readonly encoder: PayloadEncoder;
  private readonly decoder: PayloadDecoder;
  private readonly dtmfReceiver: DtmfReceiver;
  private readonly concealer: LossConcealer;
  private readonly frameBytes: number;
  private readonly timestampStep: number;
  private remoteAddress: string;
  private remotePort: number;
  private latched = false;
  private sequence = randomInt(0, 2 ** 16);
  private readonly timestampBase = randomInt(0, 2 ** 32);
  /** Media timestamp relative to the base (starts at 0). */
  private sendTimestamp = 0;
  private lastSentAt: number | undefined;
  private pending = new Uint8Array(0);
  private dtmfUntil = 0;
  private remoteSsrc: number | undefined;
  private readonly seenSsrcs: number[] = [];
  private readonly jitter = new JitterBuffer<RtpPacket>();
  private flushTimer: unknown;
  private lastWasDtmf = false;
  private closed = false;
  /** False while the peer holds the call (our direction recvonly/inactive): audio frames are not sent. */
  sending = true;

  constructor(options: RtpSessionOptions) {
    this.options = options;
    this.createdAt = options.clock.now();
    this.codec = options.codec;
    this.encoder = options.codec.createEncoder();
    this.decoder = options.codec.createDecoder();
    this.dtmfReceiver = new DtmfReceiver(options.codec.clockRate);
    this.frameBytes = (options.codec.sampleRate / 50) * 2;
    this.timestampStep = options.codec.clockRate / 50;
    this.concealer = new LossConcealer(this.frameBytes);
    this.remoteAddress = options.remoteAddress;
    this.remotePort = options.remotePort;
    this.localPort = options.socket.address().port;
    options.socket.on("message", (data, info) => this.receive(data, info.address, info.port));
    options.socket.on("error", (error) => options.logger.warn("RTP socket error", { error: String(error) }));
    this.reception = new ReceptionStats(options.codec.clockRate);
    const rtcp = options.rtcpSocket;
    if (rtcp) {
      rtcp.on("message", (data, info) => this.receiveRtcp(data, info.address));
      rtcp.on("error", (error) => options.logger.warn("RTCP socket error", { error: String(error) }));
      this.scheduleReport();
    }
  }

  /** The first few distinct SSRCs received (bounded), e.g. to see our own stream echoed back. */
  get remoteSsrcs(): readonly number[] {
    return this.seenSsrcs;
  }

  get remote(): { address: string; port: number } {
    return { address: this.remoteAddress, port: this.remotePort };
  }
  /** The internal timestamp of the next frame, counted from 0 (the wire adds a random base). */
  get mediaTimestamp(): number {
    return this.sendTimestamp;
  }

  updateRemote(address: string, port: number): void {
    this.remoteAddress = address;
    this.remotePort = port;
  }

  /** PCM16 at the codec rate; whole 20 ms frames go out now, a partial one waits for the next call. */
  sendPcm(pcm: Uint8Array): void {
    if (this.closed) return;
    let data = pcm;
    if (this.pending.byteLength > 0) {
      data = new Uint8Array(this.pending.byteLength + pcm.byteLength);
      data.set(this.pending, 0);
      data.set(pcm, this.pending.byteLength);
    }
    let offset = 0;
    for (; offset + this.frameBytes <= data.byteLength; offset += this.frameBytes) {
      this.sendFrame(data.subarray(offset, offset + this.frameBytes));
    }
    this.pending = data.slice(offset);
  }

  /** Drops a partial frame (barge-in). */
  clearPending(): void {
    this.pending = new Uint8Array(0);
  }

  private sendFrame(frame: Uint8Array): void {
    const now = this.options.clock.now();
    if (!this.sending || now < this.dtmfUntil) return; // on hold, or a digit is playing
    let marker = this.lastSentAt === undefined;
    if (this.lastSentAt !== undefined && now - this.lastSentAt > TALKSPURT_GAP_MS) {
      const gapFrames = Math.floor((now - this.lastSentAt) / FRAME_MS) - 1;
      this.sendTimestamp += Math.max(0, gapFrames) * this.timestampStep;
      marker = true;
    }
    this.lastSentAt = now;
    const payload = this.encoder.encode(frame);
    this.transmit(this.codec.payloadType, marker, this.sendTimestamp, payload);
    this.sendTimestamp += this.timestampStep;
  }

  private transmit(payloadType: number, marker: boolean, timestamp: number, payload: Uint8Array): void {
    const packet = serializeRtpPacket({
      marker,
      payloadType,
      sequenceNumber: this.sequence,
      timestamp: (this.timestampBase + timestamp) >>> 0,
      ssrc: this.ssrc,
      payload,
    });
    this.sequence = (this.sequence + 1) & 0xffff;
    this.stats.packetsSent++;
    this.octetsSent += payload.byteLength;
    this.sentSinceReport = true;
    this.lastRtpTimestamp = (this.timestampBase + timestamp) >>> 0;
    this.options.socket.send(packet, this.remotePort, this.remoteAddress);
  }

  /**
   * Sends an RFC 4733 event at 20 ms intervals on the current media timestamp (marker on the first packet, three
   * end packets); audio frames are paused meanwhile. Resolves when the last packet is out.
   */
  sendDtmf(digit: string, durationMs = 160): Promise<void> {
    const payloadType = this.options.dtmfPayloadType;
    if (payloadType === undefined) return Promise.reject(new Error("telephone-event was not negotiated"));
    const payloads = dtmfPayloads(digit, durationMs, this.codec.clockRate);
    const clock = this.options.clock;
    const timestamp = this.sendTimestamp;
    this.dtmfUntil = clock.now() + payloads.length * FRAME_MS + FRAME_MS;
    this.stats.dtmfSent++;
    return new Promise((resolve) => {
      let index = 0;
      const next = () => {
        if (this.closed || index >= payloads.length) {
          this.sendTimestamp +=
            Math.ceil((durationMs * this.codec.clockRate) / 1000 / this.timestampStep) * this.timestampStep;
          this.lastSentAt = undefined; // the next audio starts a talkspurt
          resolve();
          return;
        }
        const isEnd = index >= payloads.length - 3;
        this.transmit(payloadType, index === 0, timestamp, payloads[index]!);
        index++;
        // End packets go back to back; progress packets are paced at 20 ms.
        if (isEnd) next();
        else clock.setTimeout(next, FRAME_MS);
      };
      next();
    });
  }

  private receive(data: Uint8Array, address: string, port: number): void {
    if (this.closed) return;
    if (data.byteLength > MAX_RTP_DATAGRAM_BYTES) {
      this.stats.oversized++;
      return;
    }
    if (isRtcp(data)) {
      this.receiveRtcp(data, address);
      return;
    }
    if (address !== this.remoteAddress || (this.latched && port !== this.remotePort)) {
      if (!this.options.symmetricRtp || this.latched) {
        this.stats.foreign++;
        return;
      }
    }
    const parsed = parseRtpPacket(data);
    if (!parsed.ok) {
      this.stats.malformed++;
      return;
    }
    const packet = parsed.packet;
    if (packet.payloadType !== this.options.dtmfPayloadType && packet.payloadType !== this.codec.payloadType) {
      this.stats.unknownPayloadType++;
      return;
    }
    if (this.options.symmetricRtp && !this.latched) {
      this.latched = true;
      this.remoteAddress = address;
      this.remotePort = port;
    }
    this.stats.packetsReceived++;
    this.lastReceivedAt = this.options.clock.now();
    this.stats.bytesReceived += data.byteLength;
    if (packet.ssrc !== this.remoteSsrc) {
      if (this.remoteSsrc !== undefined) {
        this.stats.ssrcChanges++;
        this.release(this.jitter.flush()); // the old stream's tail, then a fresh window
      }
      if (this.seenSsrcs.length < MAX_SEEN_SSRCS && !this.seenSsrcs.includes(packet.ssrc)) {
        this.seenSsrcs.push(packet.ssrc);
      }
      this.remoteSsrc = packet.ssrc;
      this.reception.reset();
      this.jitter.reset();
      this.concealer.reset();
    }
    this.reception.onPacket(packet.sequenceNumber, packet.timestamp, this.lastReceivedAt!);
    const released = this.jitter.push(packet.sequenceNumber, packet);
    if (released === "duplicate") this.stats.duplicates++;
    else if (released === "late") this.stats.late++;
    else this.release(released);
    if (this.jitter.pending > 0 && this.flushTimer === undefined) {
      this.flushTimer = this.options.clock.setTimeout(() => {
        this.flushTimer = undefined;
        if (!this.closed) this.release(this.jitter.flush());
      }, HOLE_WAIT_MS);
    } else if (this.jitter.pending === 0 && this.flushTimer !== undefined) {
      this.options.clock.clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
  }

  /** Plays out what the jitter buffer released: conceals short audio gaps, decodes audio, detects DTMF. */
  private release(outputs: JitterOutput<RtpPacket>[]): void {
    for (const output of outputs) {
      if (output.kind === "lost") {
        this.stats.packetsLost += output.count;
        // DTMF packets occupy sequence slots too: only gaps inside audio are concealed, and only short ones.
        if (!this.lastWasDtmf && output.count <= MAX_CONCEALED_GAP) {
          for (let index = 0; index < output.count; index++) {
            this.stats.concealedFrames++;
            this.options.onAudio(this.concealer.conceal());
          }
        }
        continue;
      }
      const packet = output.item;
      if (packet.payloadType === this.options.dtmfPayloadType) {
        this.lastWasDtmf = true;
        const event = this.dtmfReceiver.handle(packet.ssrc, packet.timestamp, packet.payload);
        if (event) {
          this.stats.dtmfReceived++;
          this.options.onDtmf(event.digit, event.durationMs);
        }
        continue;
      }
      this.lastWasDtmf = false;
      let pcm: Uint8Array;
      try {
        pcm = this.decoder.decode(packet.payload);
      } catch {
        this.stats.malformed++;
        continue;
      }
      this.concealer.remember(pcm);
      this.options.onAudio(pcm);
    }
  }

  private scheduleReport(): void {
    const delay = RTCP_INTERVAL_MS * (0.5 + Math.random());
    this.rtcpTimer = this.options.clock.setTimeout(() => {
      if (this.closed) return;
      this.sendReport(false);
      this.scheduleReport();
    }, delay);
  }

  /** An SR when we sent RTP since the last report, else an RR; one block about the caller's stream; BYE on close. */
  private sendReport(bye: boolean): void {
    const socket = this.options.rtcpSocket;
    if (!socket) return;
    const wall = (this.options.wallClock ?? Date.now)();
    const ntp = ntpTime(wall);
    const block =
      this.remoteSsrc === undefined ? undefined : this.reception.block(this.remoteSsrc, this.options.clock.now());
    const sender = this.sentSinceReport
      ? {
          ntpSeconds: ntp.seconds,
          ntpFraction: ntp.fraction,
          rtpTimestamp: this.lastRtpTimestamp,
          packetCount: this.stats.packetsSent,
          octetCount: this.octetsSent,
        }
      : undefined;
    this.sentSinceReport = false;
    const report = buildRtcpReport({ ssrc: this.ssrc, cname: `roomkit@${this.localPort}`, sender, block, bye });
    try {
      socket.send(report, this.remotePort + 1, this.remoteAddress);
      this.stats.rtcpSent++;
    } catch (error) {
      this.options.logger.debug("RTCP send failed", { error: String(error) });
    }
  }

  private receiveRtcp(data: Uint8Array, address: string): void {
    if (this.closed) return;
    if (address !== this.remoteAddress) {
      this.stats.foreign++;
      return;
    }
    const reports = parseRtcpReports(data);
    if (!reports) {
      this.stats.malformed++;
      return;
    }
    this.stats.rtcp++;
    const now = this.options.clock.now();
    for (const report of reports) {
      if (report.packetType === RTCP_SR && report.sender && report.ssrc === this.remoteSsrc) {
        this.reception.onSenderReport(ntpMiddle(report.sender.ntpSeconds, report.sender.ntpFraction), now);
      }
      const block = report.blocks.find((candidate) => candidate.ssrc === this.ssrc);
      if (!block) continue;
      let roundTripMs: number | undefined;
      if (block.lastSr !== 0) {
        const ntp = ntpTime((this.options.wallClock ?? Date.now)());
        const units = (ntpMiddle(ntp.seconds, ntp.fraction) - block.lastSr - block.delaySinceLastSr) >>> 0;
        roundTripMs = units < 0x80000000 ? (units / 65536) * 1000 : undefined;
      }
      this.remoteReport = {
        fractionLost: block.fractionLost / 256,
        cumulativeLost: block.cumulativeLost,
        jitterMs: (block.jitter / this.codec.clockRate) * 1000,
        roundTripMs,
      };
    }
  }

  close(): void {
    if (this.closed) return;
    if (this.options.rtcpSocket) this.sendReport(true);
    this.closed = true;
    if (this.flushTimer !== undefined) this.options.clock.clearTimeout(this.flushTimer);
    if (this.rtcpTimer !== undefined) this.options.clock.clearTimeout(this.rtcpTimer);
    for (const socket of [this.options.socket, this.options.rtcpSocket]) {
      try {
        socket?.close();
      } catch {
        // already closed
      }
    }
  }
}
