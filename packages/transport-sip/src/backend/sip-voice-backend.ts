import { emptyBackendStats, type SipBackendStats } from "./backend-stats.ts";
import type { Socket } from "node:dgram";
import {
  CallbackList,
  type Clock,
  createConsoleLogger,
  createRateLimiter,
  type Logger,
  type RateLimiter,
  systemClock,
} from "@roomkit/spec";
import { RtpPortPool } from "../rtp/port-pool.ts";
import { ALLOWED_METHODS, buildResponse, randomToken, stampReceived } from "../sip/sip-builders.ts";
import { DigestServer, type PasswordResolver } from "../sip/digest.ts";
import { SipError } from "../sip/sip-errors.ts";
import {
  headerValue,
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
import {
  DEFAULT_INVITE_RATE_LIMIT,
  type ResolvedSipOptions,
  resolveSipOptions,
  type SipVoiceBackendOptions,
} from "./backend-options.ts";
import type { InboundHost, InviteFilter } from "./inbound-invite.ts";
import { dispatchRequest } from "./request-dispatch.ts";

export type { InviteFilter } from "./inbound-invite.ts";
import { type DialHost, type DialOptions, dial } from "./outbound-dial.ts";
import { type RegisterOptions, Registration, type RegistrationHost } from "./registration.ts";
import { RtpWatchdog } from "./rtp-watchdog.ts";
import type { SipCall, SipCallHost } from "./sip-call.ts";
import { inDialogRequest } from "./dialog-request.ts";
import type { DialogRequestHost } from "./in-dialog-requests.ts";
import {
  bindFromPool,
  bindSocket,
  defaultSocketFactory,
  localAddressToward,
  type SocketFactory,
} from "./udp-sockets.ts";

const CLOSE_GRACE_MS = 2000;

/**
 * A SIP user agent server over UDP (`node:dgram`) with our own RFC 3261 stack: transactions with real timers,
 * dialogs, SDP offer/answer (G.722, PCMU, PCMA, telephone-event), one RTP session per call. Each accepted INVITE
 * becomes a `SipCall`, announced through `onCall`; hand it to `SIPRealtimeTransport` as the session's connection.
 */
export class SipVoiceBackend implements DialHost, InboundHost, DialogRequestHost, RegistrationHost {
  readonly name = "SIP";
  readonly options: ResolvedSipOptions;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers: TransactionTimers;
  readonly pacerOptions: SipCallHost["pacerOptions"];
  readonly stats: SipBackendStats = emptyBackendStats();
  /** New INVITEs per source address (`undefined` when `rateLimit: false`); `stats.invitesRateLimited` counts refusals. */
  readonly inviteRateLimiter: RateLimiter | undefined;
  private readonly createSocket: SocketFactory;
  private readonly ports: RtpPortPool;
  private readonly calls = new Map<string, SipCall>();
  /** @internal INVITEs being processed (before their call exists), by transaction key → cancelled flag. */
  readonly pendingInvites = new Map<string, { cancelled: boolean }>();
  private readonly callCallbacks: CallbackList<[SipCall]>;
  private readonly callEndedCallbacks: CallbackList<[SipCall]>;
  private readonly serverTransactions: ServerTransactionLayer;
  private readonly clientTransactions: ClientTransactionLayer;
  private readonly responseWatchers = new Map<string, (response: SipResponse) => void>();
  /** The ACK of each answered dialed call, re-sent when its 2xx is retransmitted. */
  private readonly outboundAcks = new Map<string, { bytes: Uint8Array; destination: SipAddress }>();
  private inviteFilter: InviteFilter | undefined;
  private currentRegistration: Registration | undefined;
  private readonly watchdog: RtpWatchdog;
  private authResolver: PasswordResolver | undefined;
  private readonly digest: DigestServer;
  private socket: Socket | undefined;
  private boundPort = 0;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: SipVoiceBackendOptions = {}) {
    this.options = resolveSipOptions(options);
    this.clock = options.clock ?? systemClock;
    this.inviteRateLimiter = createRateLimiter(this.options.rateLimit, DEFAULT_INVITE_RATE_LIMIT, this.clock);
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
    this.watchdog = new RtpWatchdog({
      clock: this.clock,
      logger: this.logger,
      limits: {
        inactivityMs: this.options.rtpInactivityTimeoutMs,
        establishmentMs: this.options.rtpEstablishmentTimeoutMs,
      },
      calls: () => this.calls.values(),
    });
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
      this.watchdog.start();
    })();
    return this.starting;
  }

  /** Hangs up every call (BYE, best effort), stops the timers and closes the socket. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.starting?.catch(() => undefined);
      this.watchdog.stop();
      // The unREGISTER and the BYEs go out now; their answers are awaited at most CLOSE_GRACE_MS of wall-clock time
      // (a vanished peer would hold close() for Timer F, and a test's manual clock might never get there), then
      // pending client transactions are dropped.
      const goodbyes = Promise.allSettled([
        this.currentRegistration?.unregister(),
        ...[...this.calls.values()].map((call) => call.hangup({ cause: 16, reason: "closed" })),
      ]);
      let grace: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([goodbyes, new Promise<void>((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(grace);
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

  /**
   * Registers with a registrar/PBX (digest on challenge, refreshed before expiry, retried every 30 s after a lost
   * binding); resolves once bound. A second call replaces the first registration. `close()` unregisters.
   */
  async register(options: RegisterOptions): Promise<Registration> {
    if (!this.socket || this.closing) {
      throw new SipError("SipVoiceBackend.start() must be called before register()", { code: "sip_not_started" });
    }
    await this.currentRegistration?.unregister();
    const registration = new Registration(this, options);
    this.currentRegistration = registration;
    try {
      await registration.start();
    } catch (error) {
      await registration.unregister();
      if (this.currentRegistration === registration) this.currentRegistration = undefined;
      throw error;
    }
    return registration;
  }

  /** The current registration, if `register()` succeeded. */
  get registration(): Registration | undefined {
    return this.currentRegistration;
  }

  /** @internal */
  get userAgent(): string {
    return this.options.userAgent;
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
  adoptCall(call: SipCall, ack?: { bytes: Uint8Array; destination: SipAddress }): void {
    this.calls.set(call.callId, call);
    if (ack) this.outboundAcks.set(call.callId, ack);
  }

  /** @internal */
  sendRaw(bytes: Uint8Array, destination: SipAddress): void {
    const socket = this.socket;
    if (!socket) return;
    socket.send(bytes, destination.port, destination.address, (error) => {
      if (error) this.logger.warn("SIP send failed", { error: String(error), destination });
    });
  }

  /** @internal */
  contactFor(address: string): SipHeader {
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
    const { request, branch, destination } = inDialogRequest(call, "BYE", headers, {
      viaHost: this.hostText(call.media.localAddress),
      userAgent: this.options.userAgent,
    });
    const response = await this.clientTransactions.request(serializeSipMessage(request), branch, "BYE", destination);
    if (!response) this.logger.warn("SIP: BYE got no response", { callId: call.callId });
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
    if (data.byteLength > this.options.maxMessageBytes) {
      this.stats.oversized++; // unread: no transaction, no call, no port
      this.logger.debug("SIP: dropped an oversized datagram", { source, bytes: data.byteLength });
      return;
    }
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
    const destination = stampReceived(request, source);
    const result = this.serverTransactions.receive(request, source, destination);
    if (result.kind === "absorbed" || result.kind === "ack-consumed") {
      this.stats.retransmissionsAbsorbed += result.kind === "absorbed" ? 1 : 0;
      return;
    }
    if (result.kind === "ack") {
      this.calls.get(headerValue(request, "Call-ID")!)?.confirm();
      return;
    }
    dispatchRequest(this, result.transaction);
  }

  /** @internal */
  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  /** @internal The digest server when authentication is on. */
  get inviteDigest(): DigestServer | undefined {
    return this.hasAuth ? this.digest : undefined;
  }

  /** @internal */
  get currentInviteFilter(): InviteFilter | undefined {
    return this.inviteFilter;
  }

  /** @internal */
  get liveCalls(): number {
    return this.calls.size;
  }

  /** @internal */
  findInviteTransaction(cancel: SipRequest): ServerTransaction | undefined {
    return this.serverTransactions.findInvite(cancel);
  }

  /** @internal */
  announce(call: SipCall): void {
    void this.callCallbacks.fire(call);
  }

  /** @internal */
  bindRtp(): Promise<Socket | undefined> {
    return bindFromPool(this.ports, this.createSocket, this.options.rtpHost, this.logger);
  }
}
