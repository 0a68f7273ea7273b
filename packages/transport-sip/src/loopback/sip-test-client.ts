import { randomInt } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { codecForPayloadType, type PayloadDecoder, type PayloadEncoder } from "../rtp/codecs.ts";
import { dtmfPayloads } from "../rtp/dtmf.ts";
import { parseRtpPacket, type RtpPacket, serializeRtpPacket } from "../rtp/rtp-packet.ts";
import { parseSdp } from "../sdp/sdp.ts";
import { newBranch, randomToken } from "../sip/sip-builders.ts";
import {
  bodyText,
  headerValue,
  parseSipMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  serializeSipMessage,
  textBody,
} from "../sip/sip-message.ts";

/** A minimal in-process SIP UAC + RTP endpoint on 127.0.0.1 that drives our UAS in tests (no retransmissions). */
export class SipTestClient {
  readonly sip: Socket;
  readonly rtp: Socket;
  readonly messages: SipMessage[] = [];
  readonly rtpPackets: RtpPacket[] = [];
  /** Decoded PCM of the received audio packets (at the codec rate). */
  receivedPcm: Uint8Array[] = [];
  readonly callId = `${randomToken(8)}@127.0.0.1`;
  readonly fromTag = randomToken(4);
  serverPort = 0;
  toTag: string | undefined;
  payloadType = 0;
  remoteRtpPort = 0;
  inviteBranch = "";
  cseq = 1;
  private encoder: PayloadEncoder | undefined;
  private decoder: PayloadDecoder | undefined;
  private sequence = randomInt(0, 65536);
  private timestamp = randomInt(0, 2 ** 32);
  private readonly ssrc = randomInt(0, 2 ** 32);
  private waiters: Array<() => void> = [];

  private constructor(sip: Socket, rtp: Socket) {
    this.sip = sip;
    this.rtp = rtp;
    sip.on("message", (data) => this.onSip(data));
    rtp.on("message", (data) => this.onRtp(data));
  }

  static async create(): Promise<SipTestClient> {
    const bind = (socket: Socket) =>
      new Promise<Socket>((resolve) => socket.bind({ address: "127.0.0.1", port: 0 }, () => resolve(socket)));
    return new SipTestClient(await bind(createSocket("udp4")), await bind(createSocket("udp4")));
  }

  get sipPort(): number {
    return this.sip.address().port;
  }
  get rtpPort(): number {
    return this.rtp.address().port;
  }
  responses(status?: number): SipResponse[] {
    return this.messages.filter(
      (message): message is SipResponse =>
        message.kind === "response" && (status === undefined || message.status === status),
    );
  }
  requests(method?: string): SipRequest[] {
    return this.messages.filter(
      (message): message is SipRequest =>
        message.kind === "request" && (method === undefined || message.method === method),
    );
  }

  /** Resolves when `predicate` holds (re-checked on every datagram); rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs = 5000, label = "condition"): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        reject(new Error(`SipTestClient: timed out waiting for ${label}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private onSip(data: Uint8Array): void {
    let message: SipMessage;
    try {
      message = parseSipMessage(data);
    } catch {
      return;
    }
    this.messages.push(message);
    if (message.kind === "response" && headerValue(message, "CSeq")?.endsWith("INVITE")) {
      const tag = /;\s*tag=([^;\s]+)/.exec(headerValue(message, "To") ?? "")?.[1];
      if (tag && message.status >= 180) this.toTag = tag;
      if (message.status === 200 && message.body.byteLength > 0) {
        const media = parseSdp(bodyText(message)).media[0]!;
        this.remoteRtpPort = media.port;
        this.payloadType = Number(media.formats[0]);
        const codec = codecForPayloadType(this.payloadType)!;
        this.encoder ??= codec.createEncoder();
        this.decoder ??= codec.createDecoder();
      }
    }
    if (message.kind === "request" && (message.method === "BYE" || message.method === "OPTIONS")) {
      this.send(this.reply(message, 200, "OK"));
    }
    this.notify();
  }

  private onRtp(data: Uint8Array): void {
    const parsed = parseRtpPacket(data);
    if (!parsed.ok) return;
    this.rtpPackets.push({ ...parsed.packet, payload: parsed.packet.payload.slice() });
    if (parsed.packet.payloadType === this.payloadType && this.decoder) {
      this.receivedPcm.push(this.decoder.decode(parsed.packet.payload));
    }
    this.notify();
  }

  /** Bytes of decoded PCM received so far. */
  get receivedPcmBytes(): number {
    return this.receivedPcm.reduce((total, pcm) => total + pcm.byteLength, 0);
  }

  send(message: SipMessage | Uint8Array, port = this.serverPort): void {
    const bytes = message instanceof Uint8Array ? message : serializeSipMessage(message);
    this.sip.send(bytes, port, "127.0.0.1");
  }

  reply(request: SipRequest, status: number, reason: string): SipResponse {
    return {
      kind: "response",
      status,
      reason,
      headers: request.headers.filter((header) => ["Via", "From", "To", "Call-ID", "CSeq"].includes(header.name)),
      body: new Uint8Array(0),
    };
  }

  offerSdp(formats: string): string {
    return [
      "v=0",
      "o=test 1 1 IN IP4 127.0.0.1",
      "s=-",
      "c=IN IP4 127.0.0.1",
      "t=0 0",
      `m=audio ${this.rtpPort} RTP/AVP ${formats}`,
      "a=rtpmap:9 G722/8000",
      "a=rtpmap:0 PCMU/8000",
      "a=rtpmap:8 PCMA/8000",
      "a=rtpmap:101 telephone-event/8000",
      "a=fmtp:101 0-16",
      "a=ptime:20",
      "",
    ].join("\r\n");
  }

  /** A request in this client's dialog (From tag, To tag once known). */
  request(
    method: string,
    options: { branch?: string; cseq?: number; headers?: Array<[string, string]>; body?: string } = {},
  ): SipRequest {
    const to = `<sip:bot@127.0.0.1:${this.serverPort}>${this.toTag && method !== "INVITE" ? `;tag=${this.toTag}` : ""}`;
    return {
      kind: "request",
      method,
      uri: `sip:bot@127.0.0.1:${this.serverPort}`,
      headers: [
        { name: "Via", value: `SIP/2.0/UDP 127.0.0.1:${this.sipPort};branch=${options.branch ?? newBranch()};rport` },
        { name: "From", value: `"Test Caller" <sip:caller@127.0.0.1:${this.sipPort}>;tag=${this.fromTag}` },
        { name: "To", value: to },
        { name: "Call-ID", value: this.callId },
        { name: "CSeq", value: `${options.cseq ?? this.cseq} ${method}` },
        { name: "Contact", value: `<sip:caller@127.0.0.1:${this.sipPort}>` },
        { name: "Max-Forwards", value: "70" },
        ...(options.headers ?? []).map(([name, value]) => ({ name, value })),
        ...(options.body ? [{ name: "Content-Type", value: "application/sdp" }] : []),
      ],
      body: textBody(options.body ?? ""),
    };
  }

  /** Sends an INVITE offering `formats`; returns the request (retransmit it with `send`). */
  invite(serverPort: number, formats = "0 8 101", headers: Array<[string, string]> = []): SipRequest {
    this.serverPort = serverPort;
    this.inviteBranch = newBranch();
    const invite = this.request("INVITE", {
      branch: this.inviteBranch,
      cseq: 1,
      headers,
      body: this.offerSdp(formats),
    });
    this.send(invite);
    return invite;
  }

  /** ACK for the 2xx (a new transaction: new branch). */
  ack(): void {
    this.send(this.request("ACK", { cseq: 1 }));
  }

  /** Places a call: INVITE, waits for the 200, ACKs it. */
  async call(serverPort: number, formats = "0 8 101", headers: Array<[string, string]> = []): Promise<void> {
    this.invite(serverPort, formats, headers);
    await this.until(() => this.responses().some((response) => response.status >= 200), 5000, "a final response");
    if (this.responses(200).length > 0) this.ack();
  }

  async bye(): Promise<SipResponse | undefined> {
    this.cseq += 1;
    const branch = newBranch();
    this.send(this.request("BYE", { branch, headers: [["Reason", 'Q.850 ;cause=16 ;text="Normal call clearing"']] }));
    await this.until(
      () => this.responses().some((r) => headerValue(r, "Via")?.includes(branch) ?? false),
      5000,
      "BYE response",
    );
    return this.responses().find((r) => headerValue(r, "Via")?.includes(branch));
  }

  /** Sends PCM (at the codec rate) as 20 ms RTP packets, back to back. */
  sendAudio(pcm: Uint8Array): void {
    const codec = codecForPayloadType(this.payloadType)!;
    const frameBytes = (codec.sampleRate / 50) * 2;
    for (let offset = 0; offset + frameBytes <= pcm.byteLength; offset += frameBytes) {
      const payload = this.encoder!.encode(pcm.subarray(offset, offset + frameBytes));
      this.sendRtp(this.payloadType, payload, false);
      this.timestamp = (this.timestamp + codec.clockRate / 50) >>> 0;
    }
  }

  sendRtp(payloadType: number, payload: Uint8Array, marker: boolean, sequence = this.sequence): void {
    const packet = serializeRtpPacket({
      marker,
      payloadType,
      sequenceNumber: sequence,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      payload,
    });
    this.sequence = (sequence + 1) & 0xffff;
    this.rtp.send(packet, this.remoteRtpPort, "127.0.0.1");
  }

  /** The sequence number the next RTP packet will carry. */
  get rtpSequence(): number {
    return this.sequence;
  }

  /** Skips sequence numbers (simulated loss). */
  skipSequence(count: number): void {
    this.sequence = (this.sequence + count) & 0xffff;
  }

  sendDtmf(digit: string, durationMs = 100): void {
    for (const [index, payload] of dtmfPayloads(digit, durationMs, 8000).entries())
      this.sendRtp(101, payload, index === 0);
    this.timestamp = (this.timestamp + Math.round(durationMs * 8)) >>> 0;
  }

  close(): void {
    this.sip.close();
    this.rtp.close();
  }
}
