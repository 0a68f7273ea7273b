import type { Socket } from "node:dgram";
import { CallbackList, type Clock, createConsoleLogger, type Logger, systemClock } from "@roomkit/spec";
import { codecForPayloadType } from "../rtp/codecs.ts";
import { RtpPortPool } from "../rtp/port-pool.ts";
import { RtpSession } from "../rtp/rtp-session.ts";
import { answerOffer } from "../sdp/sdp-negotiation.ts";
import { ALLOWED_METHODS, buildResponse, newBranch, randomToken } from "../sip/sip-builders.ts";
import { DigestServer, type PasswordResolver } from "../sip/digest.ts";
import { SdpNegotiationError, SipError } from "../sip/sip-errors.ts";
import { formatVia, parseCSeq, parseNameAddress, parseQ850Reason, parseSipUri, parseVia } from "../sip/sip-headers.ts";
import {
  bodyText,
  headerValue,
  headerValues,
  parseSipMessage,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  serializeSipMessage,
} from "../sip/sip-message.ts";
import {
  ClientTransactionLayer,
  type ServerTransaction,
  ServerTransactionLayer,
  type SipAddress,
  type TransactionTimers,
} from "../sip/transactions.ts";
import { type ResolvedSipOptions, resolveSipOptions, type SipVoiceBackendOptions } from "./backend-options.ts";
import { type DialHost, type DialOptions, dial } from "./outbound-dial.ts";
import { SipCall, type SipCallHost, type SipCallInfo } from "./sip-call.ts";
import { bindSocket, defaultSocketFactory, localAddressToward, type SocketFactory } from "./udp-sockets.ts";

/** Return `{ status, reason }` to refuse a call before it rings (e.g. 404 for an unprovisioned number). */
export type InviteFilter = (
  info: SipCallInfo,
  invite: SipRequest,
) => { status: number; reason?: string } | undefined | Promise<{ status: number; reason?: string } | undefined>;

export interface SipBackendStats {
  datagrams: number;
  parseErrors: number;
  strayResponses: number;
  retransmissionsAbsorbed: number;
  rejected: Record<number, number>;
}

const BIND_ATTEMPTS = 8;

/** A From/To value without its tag parameter. */
export function stripTag(value: string): string {
  return value.replace(/;\s*tag=[^;]*/i, "");
}

/**
 * A SIP user agent server over UDP (`node:dgram`) with our own RFC 3261 stack: transactions with real timers,
 * dialogs, SDP offer/answer (G.722, PCMU, PCMA, telephone-event), one RTP session per call. Each accepted INVITE
 * becomes a `SipCall`, announced through `onCall`; hand it to `SIPRealtimeTransport` as the session's connection.
 */
export class SipVoiceBackend implements DialHost {
  readonly name = "SIP";
  readonly options: ResolvedSipOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers: TransactionTimers;
  readonly pacerOptions: SipCallHost["pacerOptions"];
  readonly stats: SipBackendStats = {
    datagrams: 0,
    parseErrors: 0,
    strayResponses: 0,
    retransmissionsAbsorbed: 0,
    rejected: {},
  };
  private readonly createSocket: SocketFactory;
  private readonly ports: RtpPortPool;
  private readonly calls = new Map<string, SipCall>();
  /** INVITEs being processed (before their call exists), by transaction key → cancelled flag. */
  private readonly pendingInvites = new Map<string, { cancelled: boolean }>();
  private readonly callCallbacks: CallbackList<[SipCall]>;
  private readonly callEndedCallbacks: CallbackList<[SipCall]>;
  private readonly serverTransactions: ServerTransactionLayer;
  private readonly clientTransactions: ClientTransactionLayer;
  private readonly responseWatchers = new Map<string, (response: SipResponse) => void>();
  /** The ACK of each answered dialed call, re-sent when its 2xx is retransmitted. */
  private readonly outboundAcks = new Map<string, { bytes: Uint8Array; destination: SipAddress }>();
  private inviteFilter: InviteFilter | undefined;
  private authResolver: PasswordResolver | undefined;
  private readonly digest: DigestServer;
  private socket: Socket | undefined;
  private boundPort = 0;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: SipVoiceBackendOptions = {}) {
    this.options = resolveSipOptions(options);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createConsoleLogger({ name: "roomkit:sip" });
    this.createSocket = options.createSocket ?? defaultSocketFactory;
    this.timers = this.options.timers;
    this.pacerOptions = {
      prebufferMs: this.options.pacerPrebufferMs,
      jitterHeadroomMs: this.options.pacerJitterHeadroomMs,
      fillWithSilenceWhenIdle: this.options.outboundSilenceFill,
    };
    this.ports = new RtpPortPool(this.options.rtpPortStart, this.options.rtpPortEnd);
    const logger = () => this.logger;
    this.callCallbacks = new CallbackList("SipVoiceBackend.onCall", logger);
    this.callEndedCallbacks = new CallbackList("SipVoiceBackend.onCallEnded", logger);
    const send = (bytes: Uint8Array, destination: SipAddress) => this.sendRaw(bytes, destination);
    this.serverTransactions = new ServerTransactionLayer({
      clock: this.clock,
      timers: this.timers,
      send,
      onAckTimeout: (transaction) => this.logger.debug("SIP: no ACK for a final response", { key: transaction.key }),
    });
    this.clientTransactions = new ClientTransactionLayer({ clock: this.clock, timers: this.timers, send });
    this.digest = new DigestServer({
      realm: this.options.authRealm,
      algorithms: this.options.authAlgorithms,
      clock: this.clock,
      // The resolver wins; when it knows nothing, `authUsers` is asked. A resolver that throws denies (403).
      resolvePassword: async (username) => {
        const resolved = this.authResolver ? await this.authResolver(username) : undefined;
        return (
          resolved ?? (Object.hasOwn(this.options.authUsers, username) ? this.options.authUsers[username] : undefined)
        );
      },
    });
  }

  /** Whether INVITEs must authenticate (non-empty `authUsers` or a resolver). */
  get hasAuth(): boolean {
    return this.authResolver !== undefined || Object.keys(this.options.authUsers).length > 0;
  }

  /** Sets (or clears) the password lookup for digest authentication; it is asked before `authUsers`. */
  setAuthResolver(resolver: PasswordResolver | undefined): void {
    this.authResolver = resolver;
  }

  /** The bound SIP port (after `start()`). */
  get localPort(): number {
    return this.boundPort;
  }
  /** Calls ringing or live. */
  get activeCalls(): SipCall[] {
    return [...this.calls.values()];
  }
  /** RTP ports currently allocated. */
  get rtpPortsInUse(): number {
    return this.ports.inUse;
  }
  getCall(callId: string): SipCall | undefined {
    return this.calls.get(callId);
  }

  /** Fires for every accepted INVITE: after the 200 OK, or while ringing with `preWarm`. */
  onCall(callback: (call: SipCall) => unknown): () => void {
    return this.callCallbacks.add(callback);
  }
  /** Fires once per call when it ends for any reason (BYE either way, CANCEL, ACK timeout, close). */
  onCallEnded(callback: (call: SipCall) => unknown): () => void {
    return this.callEndedCallbacks.add(callback);
  }
  /** Sets (or clears with undefined) the pre-ring filter. A filter that throws ⇒ 500. */
  setInviteFilter(filter: InviteFilter | undefined): void {
    this.inviteFilter = filter;
  }

  /** Binds the SIP socket. Idempotent. */
  start(): Promise<void> {
    if (this.closing) return Promise.reject(new SipError("SipVoiceBackend is closed", { code: "sip_closed" }));
    this.starting ??= (async () => {
      const socket = await bindSocket(this.createSocket, this.options.host, this.options.port);
      this.socket = socket;
      this.boundPort = socket.address().port;
      socket.on("message", (data, info) => this.onDatagram(data, { address: info.address, port: info.port }));
      socket.on("error", (error) => this.logger.warn("SIP socket error", { error: String(error) }));
    })();
    return this.starting;
  }

  /** Hangs up every call (BYE, best effort), stops the timers and closes the socket. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.starting?.catch(() => undefined);
      await Promise.allSettled([...this.calls.values()].map((call) => call.hangup({ cause: 16, reason: "closed" })));
      this.serverTransactions.close();
      this.clientTransactions.close();
      const socket = this.socket;
      this.socket = undefined;
      if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    })();
    return this.closing;
  }

  /**
   * Places an outbound call and resolves with it once answered (confirmed, media flowing). A refusal ⇒
   * `SipCallRejectedError` (status, reason); no answer in `timeoutMs` ⇒ CANCEL and `SipTimeoutError`; an abort of
   * `signal` ⇒ CANCEL and the abort reason. `onCall` does not fire for dialed calls; `onCallEnded` does.
   */
  dial(options: DialOptions): Promise<SipCall> {
    if (!this.socket || this.closing) {
      return Promise.reject(
        new SipError("SipVoiceBackend.start() must be called before dial()", { code: "sip_not_started" }),
      );
    }
    return dial(this, options);
  }

  /** @internal */
  async localAddressToward(remote: string): Promise<string> {
    if (this.options.advertisedAddress) return this.options.advertisedAddress;
    if (this.options.rtpHost !== "0.0.0.0" && this.options.rtpHost !== "::") return this.options.rtpHost;
    return (await localAddressToward(this.createSocket, remote)) ?? "127.0.0.1";
  }

  /** @internal */
  releasePort(port: number): void {
    this.ports.release(port);
  }

  /** @internal */
  sendNonInvite(bytes: Uint8Array, branch: string, method: string, destination: SipAddress) {
    return this.clientTransactions.request(bytes, branch, method, destination);
  }

  /** @internal */
  watchResponses(callId: string, handler: (response: SipResponse) => void): () => void {
    this.responseWatchers.set(callId, handler);
    return () => {
      if (this.responseWatchers.get(callId) === handler) this.responseWatchers.delete(callId);
    };
  }

  /** @internal */
  adoptCall(call: SipCall, ack: { bytes: Uint8Array; destination: SipAddress }): void {
    this.calls.set(call.callId, call);
    this.outboundAcks.set(call.callId, ack);
  }

  /** @internal */
  sendRaw(bytes: Uint8Array, destination: SipAddress): void {
    const socket = this.socket;
    if (!socket) return;
    socket.send(bytes, destination.port, destination.address, (error) => {
      if (error) this.logger.warn("SIP send failed", { error: String(error), destination });
    });
  }

  private contactFor(address: string): SipHeader {
    const host = address.includes(":") ? `[${address}]` : address;
    return { name: "Contact", value: `<sip:${host}:${this.boundPort}>` };
  }

  /** @internal */
  respond(
    transaction: ServerTransaction,
    status: number,
    reason?: string,
    options: { body?: string; headers?: SipHeader[]; toTag?: string } = {},
  ): void {
    const headers: SipHeader[] = [{ name: "Server", value: this.options.userAgent }, ...(options.headers ?? [])];
    const response = buildResponse(transaction.request, status, reason, {
      toTag: options.toTag ?? (status > 100 ? randomToken(6) : undefined),
      headers,
      body: options.body,
    });
    if (status >= 300) this.stats.rejected[status] = (this.stats.rejected[status] ?? 0) + 1;
    this.serverTransactions.respond(transaction, status, serializeSipMessage(response));
  }

  /** @internal */
  buildAnswer(call: SipCall): Uint8Array {
    const response = buildResponse(call.invite, 200, "OK", {
      toTag: call.localTag,
      headers: [
        this.contactFor(call.media.localAddress),
        { name: "Allow", value: ALLOWED_METHODS },
        { name: "Server", value: this.options.userAgent },
      ],
      body: call.answerSdp,
    });
    const bytes = serializeSipMessage(response);
    if (call.transaction) this.serverTransactions.respond(call.transaction, 200, bytes);
    return bytes;
  }

  /** @internal */
  async sendBye(call: SipCall, headers: SipHeader[]): Promise<void> {
    const { request, branch, destination } = this.inDialogRequest(call, "BYE", headers);
    const response = await this.clientTransactions.request(serializeSipMessage(request), branch, "BYE", destination);
    if (!response) this.logger.warn("SIP: BYE got no response", { callId: call.callId });
  }

  /** A request within the call's dialog (RFC 3261 §12.2.1.1), routed by the route set or the remote target. */
  private inDialogRequest(call: SipCall, method: string, headers: SipHeader[]) {
    const dialog = call.dialog;
    let destination: SipAddress = call.info.source;
    let target = dialog.remoteTarget;
    try {
      const next = parseSipUri(dialog.routeSet.length > 0 ? parseNameAddress(dialog.routeSet[0]!).uri : target);
      if (next.host) destination = { address: next.host, port: next.port ?? 5060 };
    } catch {
      target = `sip:${call.info.source.address}:${call.info.source.port}`;
    }
    if (method !== "ACK") dialog.localSequence += 1;
    const branch = newBranch();
    const request: SipRequest = {
      kind: "request",
      method,
      uri: target,
      headers: [
        { name: "Via", value: `SIP/2.0/UDP ${this.hostText(call.media.localAddress)};branch=${branch};rport` },
        ...dialog.routeSet.map((route) => ({ name: "Route", value: route })),
        { name: "Max-Forwards", value: "70" },
        { name: "From", value: `${dialog.localAddress};tag=${dialog.localTag}` },
        { name: "To", value: `${dialog.remoteAddress};tag=${dialog.remoteTag}` },
        { name: "Call-ID", value: dialog.callId },
        { name: "CSeq", value: `${dialog.localSequence} ${method}` },
        { name: "User-Agent", value: this.options.userAgent },
        ...headers,
      ],
      body: new Uint8Array(0),
    };
    return { request, branch, destination };
  }

  /** `host:port` of our SIP socket as written in Via/Contact. */
  hostText(address: string): string {
    return `${address.includes(":") ? `[${address}]` : address}:${this.boundPort}`;
  }

  /** @internal */
  release(call: SipCall): void {
    if (this.calls.get(call.callId) === call) this.calls.delete(call.callId);
    this.outboundAcks.delete(call.callId);
    this.ports.release(call.rtp.localPort);
    void this.callEndedCallbacks.fire(call);
  }

  private onDatagram(data: Uint8Array, source: SipAddress): void {
    this.stats.datagrams++;
    if (data.byteLength <= 4 && data.every((byte) => byte === 13 || byte === 10 || byte === 0)) return; // keep-alive
    let message: ReturnType<typeof parseSipMessage>;
    try {
      message = parseSipMessage(data, { maxMessageBytes: this.options.maxMessageBytes });
    } catch (error) {
      this.stats.parseErrors++;
      this.logger.debug("SIP: dropped an unparsable datagram", { source, error: String(error) });
      return;
    }
    if (message.kind === "response") {
      this.onResponse(message);
      return;
    }
    try {
      this.onRequest(message, source);
    } catch (error) {
      this.stats.parseErrors++;
      this.logger.debug("SIP: dropped a malformed request", { source, error: String(error) });
    }
  }

  private onResponse(response: SipResponse): void {
    const callId = headerValue(response, "Call-ID")!;
    const isInvite = /\sINVITE\s*$/i.test(headerValue(response, "CSeq")!);
    if (isInvite) {
      const watcher = this.responseWatchers.get(callId);
      if (watcher) {
        watcher(response);
        return;
      }
      const ack = this.outboundAcks.get(callId);
      if (ack && response.status >= 200 && response.status < 300) {
        this.sendRaw(ack.bytes, ack.destination); // a retransmitted 2xx: our ACK was lost
        return;
      }
    }
    if (!this.clientTransactions.receive(response)) this.stats.strayResponses++;
  }

  private onRequest(request: SipRequest, source: SipAddress): void {
    // RFC 3581 / RFC 3261 §18.2.1: stamp received/rport on the top Via, and answer where the request came from.
    const viaIndex = request.headers.findIndex((header) => header.name === "Via");
    const via = parseVia(request.headers[viaIndex]!.value);
    if (via.host !== source.address) via.params.set("received", source.address);
    if (via.params.has("rport")) via.params.set("rport", String(source.port));
    request.headers[viaIndex] = { name: "Via", value: formatVia(via) };
    const destination: SipAddress = {
      address: source.address,
      port: via.params.has("rport") ? source.port : (via.port ?? 5060),
    };
    const result = this.serverTransactions.receive(request, source, destination);
    if (result.kind === "absorbed" || result.kind === "ack-consumed") {
      this.stats.retransmissionsAbsorbed += result.kind === "absorbed" ? 1 : 0;
      return;
    }
    if (result.kind === "ack") {
      this.calls.get(headerValue(request, "Call-ID")!)?.confirm();
      return;
    }
    const transaction = result.transaction;
    switch (request.method) {
      case "INVITE":
        void this.onInvite(transaction).catch((error: unknown) => {
          this.logger.error("SIP: INVITE handling failed", { error: String(error) });
          this.respond(transaction, 500);
        });
        return;
      case "BYE":
        this.onBye(transaction);
        return;
      case "CANCEL":
        this.onCancel(transaction);
        return;
      case "OPTIONS":
        this.respond(transaction, 200, "OK", {
          headers: [
            { name: "Allow", value: ALLOWED_METHODS },
            { name: "Accept", value: "application/sdp" },
          ],
        });
        return;
      case "UPDATE":
        this.onUpdate(transaction);
        return;
      default:
        this.respond(transaction, 405, undefined, { headers: [{ name: "Allow", value: ALLOWED_METHODS }] });
    }
  }

  /** The live call a request belongs to, when its tags match the dialog (else undefined ⇒ 481). */
  private dialogCall(request: SipRequest): SipCall | undefined {
    const call = this.calls.get(headerValue(request, "Call-ID")!);
    if (!call) return undefined;
    const fromTag = parseNameAddress(headerValue(request, "From")!).params.get("tag");
    const toTag = parseNameAddress(headerValue(request, "To")!).params.get("tag");
    return fromTag === call.remoteTag && toTag === call.localTag ? call : undefined;
  }

  private onBye(transaction: ServerTransaction): void {
    const call = this.dialogCall(transaction.request);
    if (!call) {
      this.respond(transaction, 481);
      return;
    }
    this.respond(transaction, 200, "OK", { toTag: call.localTag });
    call.byeReason = parseQ850Reason(headerValue(transaction.request, "Reason"));
    call.finish("remote_bye");
  }

  private onCancel(transaction: ServerTransaction): void {
    const invite = this.serverTransactions.findInvite(transaction.request);
    if (!invite) {
      this.respond(transaction, 481);
      return;
    }
    this.respond(transaction, 200, "OK");
    const pending = this.pendingInvites.get(invite.key);
    if (pending) {
      pending.cancelled = true;
      return;
    }
    const call = this.calls.get(headerValue(invite.request, "Call-ID")!);
    if (call && call.transaction === invite && call.state === "ringing") {
      this.respond(invite, 487, undefined, { toTag: call.localTag });
      call.finish("cancelled");
    }
  }

  private onUpdate(transaction: ServerTransaction): void {
    const call = this.dialogCall(transaction.request);
    if (!call) {
      this.respond(transaction, 481);
      return;
    }
    if (transaction.request.body.byteLength > 0) {
      this.respond(transaction, 488, undefined, { toTag: call.localTag });
      return;
    }
    this.respond(transaction, 200, "OK", { toTag: call.localTag, headers: [this.contactFor(call.media.localAddress)] });
  }

  private async onInvite(transaction: ServerTransaction): Promise<void> {
    const request = transaction.request;
    const toTag = parseNameAddress(headerValue(request, "To")!).params.get("tag");
    if (toTag !== undefined) return this.onReinvite(transaction);
    this.respond(transaction, 100);
    const callId = headerValue(request, "Call-ID")!;
    const live = this.calls.size + this.pendingInvites.size;
    if (this.options.maxSessions > 0 && live >= this.options.maxSessions) return this.respond(transaction, 503);
    if (this.calls.has(callId)) return this.respond(transaction, 486);
    const info = this.callInfo(request, transaction.source);
    const pending = { cancelled: false };
    this.pendingInvites.set(transaction.key, pending);
    try {
      await this.setUpCall(transaction, info, pending);
    } finally {
      this.pendingInvites.delete(transaction.key);
    }
  }

  private callInfo(request: SipRequest, source: SipAddress): SipCallInfo {
    const from = parseNameAddress(headerValue(request, "From")!);
    const to = parseNameAddress(headerValue(request, "To")!);
    let callerUser: string | undefined;
    try {
      callerUser = parseSipUri(from.uri).user;
    } catch {
      callerUser = undefined;
    }
    const xHeaders: Record<string, string> = {};
    for (const header of request.headers) {
      if (/^x-/i.test(header.name) && !(header.name in xHeaders)) xHeaders[header.name] = header.value;
    }
    const callId = headerValue(request, "Call-ID")!;
    return {
      callId,
      caller: from.uri,
      callee: to.uri,
      callerDisplayName: from.displayName,
      callerUser,
      xHeaders,
      roomId: headerValue(request, "X-Room-ID") || callId,
      participantId: headerValue(request, "X-Session-ID") || from.uri,
      source,
      direction: "inbound",
    };
  }

  private async setUpCall(transaction: ServerTransaction, info: SipCallInfo, pending: { cancelled: boolean }) {
    const request = transaction.request;
    if (this.hasAuth) {
      const authorization = headerValue(request, "Authorization") ?? headerValue(request, "Proxy-Authorization");
      const verdict = await this.digest.verify("INVITE", authorization);
      if (!verdict.ok) {
        if (verdict.status === 403) return this.respond(transaction, 403);
        const headers = this.digest.challenge(verdict.stale).map((value) => ({ name: "WWW-Authenticate", value }));
        return this.respond(transaction, 401, undefined, { headers });
      }
      info.authenticatedUser = verdict.username;
    }
    const filter = this.inviteFilter;
    if (filter) {
      let verdict: Awaited<ReturnType<InviteFilter>>;
      try {
        verdict = await filter(info, request);
      } catch (error) {
        this.logger.warn("SIP: invite filter threw; 500", { error: String(error) });
        return this.respond(transaction, 500);
      }
      if (verdict) return this.respond(transaction, Math.min(699, Math.max(300, verdict.status)), verdict.reason);
    }
    if (pending.cancelled) return this.respond(transaction, 487);
    const offer = bodyText(request);
    if (offer.trim() === "") return this.respond(transaction, 488, "Not Acceptable Here (no SDP offer)");
    const localAddress = await this.localAddressToward(info.source.address);
    const sessionId = Math.floor(Date.now() / 1000);
    const answerOptions = {
      supportedPayloadTypes: this.options.supportedCodecs,
      localAddress,
      sessionName: this.options.sessionName,
      sessionId,
    };
    try {
      answerOffer(offer, { ...answerOptions, localPort: 0 });
    } catch (error) {
      if (error instanceof SdpNegotiationError) {
        this.logger.info("SIP: offer refused", { callId: info.callId, error: error.message });
        return this.respond(transaction, 488);
      }
      throw error;
    }
    const socket = await this.bindRtp();
    if (!socket) return this.respond(transaction, 503, "Service Unavailable (no RTP port)");
    const localPort = socket.address().port;
    const { answer, media } = answerOffer(offer, { ...answerOptions, localPort });
    if (pending.cancelled || this.closing) {
      this.ports.release(localPort);
      socket.close();
      return this.respond(transaction, 487);
    }
    const codec = codecForPayloadType(media.codec.payloadType)!;
    let call: SipCall | undefined;
    const rtp = new RtpSession({
      socket,
      codec,
      remoteAddress: media.remoteAddress,
      remotePort: media.remotePort,
      dtmfPayloadType: media.dtmfPayloadType,
      symmetricRtp: this.options.symmetricRtp,
      clock: this.clock,
      logger: this.logger,
      onAudio: (pcm) => call?.deliverAudio(pcm),
      onDtmf: (digit, durationMs) => call?.deliverDtmf(digit, durationMs),
    });
    const from = parseNameAddress(headerValue(request, "From")!);
    const contact = headerValue(request, "Contact");
    call = new SipCall({
      info,
      invite: request,
      transaction,
      state: "ringing",
      dialog: {
        callId: info.callId,
        localTag: randomToken(6),
        remoteTag: from.params.get("tag") ?? "",
        localAddress: stripTag(headerValue(request, "To")!),
        remoteAddress: stripTag(headerValue(request, "From")!),
        remoteTarget: contact ? parseNameAddress(contact).uri : from.uri,
        routeSet: headerValues(request, "Record-Route"),
        localSequence: 0,
        remoteSequence: parseCSeq(headerValue(request, "CSeq")!).sequence,
      },
      media: { ...media, localAddress, localPort },
      answerSdp: answer,
      rtp,
      host: this,
    });
    this.calls.set(info.callId, call);
    this.respond(transaction, 180, "Ringing", { toTag: call.localTag, headers: [this.contactFor(localAddress)] });
    if (!this.options.preWarm) {
      call.answer();
      void this.callCallbacks.fire(call);
      return;
    }
    const ringing = call;
    this.clock.setTimeout(() => {
      if (ringing.state === "ringing") {
        this.logger.warn("SIP: call not answered in time; 480", { callId: ringing.callId });
        ringing.reject(480);
      }
    }, this.options.answerTimeoutMs);
    void this.callCallbacks.fire(call);
  }

  /** @internal */
  async bindRtp(): Promise<Socket | undefined> {
    const failed = new Set<number>();
    for (let attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      let port: number;
      try {
        port = this.ports.allocate(failed);
      } catch {
        return undefined;
      }
      try {
        return await bindSocket(this.createSocket, this.options.rtpHost, port);
      } catch (error) {
        this.ports.release(port);
        failed.add(port);
        this.logger.debug("SIP: RTP port busy, trying another", { port, error: String(error) });
      }
    }
    return undefined;
  }

  private onReinvite(transaction: ServerTransaction): void {
    const call = this.dialogCall(transaction.request);
    if (!call || call.state === "ended") {
      this.respond(transaction, 481);
      return;
    }
    const cseq = Number(/^\s*(\d+)/.exec(headerValue(transaction.request, "CSeq")!)?.[1]);
    if (cseq <= call.dialog.remoteSequence) {
      this.respond(transaction, 500, "Server Internal Error (CSeq out of order)");
      return;
    }
    call.dialog.remoteSequence = cseq;
    // Same answer as before (hold and re-targeting are not applied: media keeps flowing to the negotiated address).
    this.respond(transaction, 200, "OK", {
      toTag: call.localTag,
      headers: [this.contactFor(call.media.localAddress)],
      body: call.answerSdp,
    });
  }
}
