import { OutboundAudioPacer } from "@roomkit/audio";
import { CallbackList, type Clock, type Logger } from "@roomkit/spec";
import type { NegotiatedMedia } from "../sdp/sdp-negotiation.ts";
import type { RtpSession } from "../rtp/rtp-session.ts";
import { SipError } from "../sip/sip-errors.ts";
import { type ByeReason, formatQ850Reason } from "../sip/sip-headers.ts";
import type { SipHeader, SipRequest } from "../sip/sip-message.ts";
import type { ServerTransaction, SipAddress, TransactionTimers } from "../sip/transactions.ts";

/** The negotiated media plus our side of it. */
export interface CallMedia extends NegotiatedMedia {
  localAddress: string;
  localPort: number;
}

export type SipCallState = "ringing" | "answered" | "confirmed" | "ended";

/** Who called whom, as the INVITE said (the X-headers are caller-controlled unless a trusted proxy sets them). */
export interface SipCallInfo {
  callId: string;
  /** From URI. */
  caller: string;
  /** To URI. */
  callee: string;
  callerDisplayName: string | undefined;
  callerUser: string | undefined;
  /** Every `X-*` header (first value, name as sent). */
  xHeaders: Record<string, string>;
  /** `X-Room-ID`, else the Call-ID. */
  roomId: string;
  /** `X-Session-ID`, else the caller URI. */
  participantId: string;
  /** Where the INVITE came from. */
  source: SipAddress;
  direction: "inbound" | "outbound";
  /** The digest username the caller authenticated as (when authentication is on). */
  authenticatedUser?: string;
}

/** RFC 3261 §12 dialog state, from our side. */
export interface SipDialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** Our name-addr without tag (the From of our in-dialog requests). */
  localAddress: string;
  /** The peer's name-addr without tag. */
  remoteAddress: string;
  /** Where in-dialog requests go: the peer's Contact URI. */
  remoteTarget: string;
  /** Route set: the Record-Route headers (reversed when we are the UAC). */
  routeSet: string[];
  localSequence: number;
  remoteSequence: number;
}

/** What a call needs from its backend (implemented by `SipVoiceBackend`). */
export interface SipCallHost {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers: TransactionTimers;
  readonly pacerOptions: { prebufferMs: number; jitterHeadroomMs: number; fillWithSilenceWhenIdle: boolean };
  respond(
    transaction: ServerTransaction,
    status: number,
    reason?: string,
    options?: { body?: string; headers?: SipHeader[]; toTag?: string },
  ): void;
  /** Sends the (retransmitted) 2xx of an answered call. */
  sendRaw(bytes: Uint8Array, destination: SipAddress): void;
  buildAnswer(call: SipCall): Uint8Array;
  sendBye(call: SipCall, headers: SipHeader[]): Promise<void>;
  release(call: SipCall): void;
}

export interface SipCallInit {
  info: SipCallInfo;
  /** The INVITE (received for an inbound call, sent for a dialed one). */
  invite: SipRequest;
  /** The INVITE server transaction of an inbound call (undefined for a dialed one). */
  transaction: ServerTransaction | undefined;
  dialog: SipDialog;
  /** "ringing" for an inbound call, "confirmed" for an answered dialed one. */
  state: SipCallState;
  /** A ringing call not answered within this many ms is rejected with 480. */
  answerTimeoutMs?: number;
  media: CallMedia;
  answerSdp: string;
  rtp: RtpSession;
  host: SipCallHost;
}

/**
 * One SIP call: its dialog, its RTP session and its outbound pacer. Created by `SipVoiceBackend` for each accepted
 * INVITE; the application (or `SIPRealtimeTransport`) answers it, sends audio, and hangs up.
 */
export class SipCall {
  readonly info: SipCallInfo;
  readonly media: CallMedia;
  /** Our current SDP (the answer we gave; updated by a re-INVITE). */
  answerSdp: string;
  readonly dialog: SipDialog;
  readonly invite: SipRequest;
  readonly rtp: RtpSession;
  readonly pacer: OutboundAudioPacer;
  /** The peer put the call on hold (re-INVITE with sendonly/inactive or c=0.0.0.0): we stop sending audio. */
  get onHold(): boolean {
    return !this.rtp.sending;
  }
  /** Set from a remote BYE's `Reason: Q.850` header. */
  byeReason: ByeReason | undefined;
  /** Why the call ended ("remote_bye", "local_hangup", "cancelled", "ack_timeout", "rejected", "closed"). */
  endReason: string | undefined;
  readonly transaction: ServerTransaction | undefined;
  /** SDP `o=` version of our description (bumped by each re-INVITE answer). */
  sdpVersion = Math.floor(Date.now() / 1000);
  private readonly host: SipCallHost;
  private currentState: SipCallState;
  private retransmitTimer: unknown;
  private giveUpTimer: unknown;
  private answerDeadline: unknown;
  private confirmedWaiters: Array<() => void> = [];
  private readonly audioCallbacks: CallbackList<[Uint8Array]>;
  private readonly dtmfCallbacks: CallbackList<[string, number]>;
  private readonly endedCallbacks: CallbackList<[SipCall]>;
  private readonly sentCallbacks: CallbackList<[Uint8Array]>;

  constructor(init: SipCallInit) {
    this.info = init.info;
    this.invite = init.invite;
    this.transaction = init.transaction;
    this.dialog = init.dialog;
    this.currentState = init.state;
    this.media = init.media;
    this.answerSdp = init.answerSdp;
    this.rtp = init.rtp;
    this.host = init.host;
    const logger = () => init.host.logger;
    this.audioCallbacks = new CallbackList("SipCall.onAudio", logger);
    this.dtmfCallbacks = new CallbackList("SipCall.onDtmf", logger);
    this.endedCallbacks = new CallbackList("SipCall.onEnded", logger);
    this.sentCallbacks = new CallbackList("SipCall.onAudioSent", logger);
    this.pacer = new OutboundAudioPacer({
      send: (pcm) => {
        this.rtp.sendPcm(pcm);
        if (this.sentCallbacks.size > 0) this.sentCallbacks.fire(pcm);
      },
      sampleRate: init.media.codec.sampleRate,
      prebufferMs: init.host.pacerOptions.prebufferMs,
      jitterHeadroomMs: init.host.pacerOptions.jitterHeadroomMs,
      fillWithSilenceWhenIdle: init.host.pacerOptions.fillWithSilenceWhenIdle,
      clock: init.host.clock,
      logger: init.host.logger,
    });
    if (init.state === "confirmed") this.pacer.start();
    if (init.state === "ringing" && init.answerTimeoutMs !== undefined) {
      this.answerDeadline = init.host.clock.setTimeout(() => {
        if (this.currentState !== "ringing") return;
        init.host.logger.warn("SIP: call not answered in time; 480", { callId: this.callId });
        this.reject(480);
      }, init.answerTimeoutMs);
    }
  }

  get state(): SipCallState {
    return this.currentState;
  }
  get callId(): string {
    return this.info.callId;
  }
  get localTag(): string {
    return this.dialog.localTag;
  }
  get remoteTag(): string {
    return this.dialog.remoteTag;
  }
  /** PCM rate of the negotiated codec (8000 for G.711, 16000 for G.722): what `sendAudio` takes and `onAudio` gives. */
  get sampleRate(): number {
    return this.media.codec.sampleRate;
  }

  onAudio(callback: (pcm: Uint8Array) => unknown): () => void {
    return this.audioCallbacks.add(callback);
  }
  onDtmf(callback: (digit: string, durationMs: number) => unknown): () => void {
    return this.dtmfCallbacks.add(callback);
  }
  onEnded(callback: (call: SipCall) => unknown): () => void {
    return this.endedCallbacks.add(callback);
  }
  /** Each block the pacer hands to RTP (PCM at `sampleRate`), as it goes out. */
  onAudioSent(callback: (pcm: Uint8Array) => unknown): () => void {
    return this.sentCallbacks.add(callback);
  }

  /** @internal RTP → listeners. */
  deliverAudio(pcm: Uint8Array): void {
    if (this.currentState !== "ended") this.audioCallbacks.fire(pcm);
  }
  /** @internal */
  deliverDtmf(digit: string, durationMs: number): void {
    if (this.currentState !== "ended") this.dtmfCallbacks.fire(digit, durationMs);
  }

  /** Sends 200 OK with the SDP answer and retransmits it (T1 doubling to T2) until the ACK; idempotent. */
  answer(): void {
    if (this.currentState === "ended") throw new SipError(`call ${this.callId} has ended`, { code: "sip_call_ended" });
    const transaction = this.transaction;
    if (this.currentState !== "ringing" || !transaction) return;
    this.currentState = "answered";
    this.host.clock.clearTimeout(this.answerDeadline);
    const bytes = this.host.buildAnswer(this);
    const destination = transaction.responseDestination;
    const { t1Ms, t2Ms } = this.host.timers;
    let interval = t1Ms;
    const clock = this.host.clock;
    const retransmit = () => {
      if (this.currentState !== "answered") return;
      this.host.sendRaw(bytes, destination);
      interval = Math.min(interval * 2, t2Ms);
      this.retransmitTimer = clock.setTimeout(retransmit, interval);
    };
    this.retransmitTimer = clock.setTimeout(retransmit, interval);
    this.giveUpTimer = clock.setTimeout(() => {
      if (this.currentState !== "answered") return;
      this.host.logger.warn("SIP: no ACK for 200 OK; hanging up", { callId: this.callId });
      this.currentState = "confirmed"; // send the BYE anyway (RFC 3261 §13.3.1.4)
      void this.hangup({ cause: 102, reason: "ack_timeout" });
    }, 64 * t1Ms);
    this.pacer.start();
  }

  /** @internal The ACK for our 2xx arrived. */
  confirm(): void {
    if (this.currentState !== "answered") return;
    this.currentState = "confirmed";
    this.stopRetransmit();
    const waiters = this.confirmedWaiters;
    this.confirmedWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Refuses a ringing call with a final response (e.g. 480, 486, 603). */
  reject(status = 480, reasonPhrase?: string): void {
    if (this.currentState !== "ringing" || !this.transaction) return;
    if (status < 300 || status > 699) throw new SipError(`reject status must be 300-699, got ${status}`);
    this.host.respond(this.transaction, status, reasonPhrase);
    this.finish("rejected");
  }

  /** Queues PCM16 (at `sampleRate`) for the caller through the pacer. */
  sendAudio(pcm: Uint8Array): void {
    if (this.currentState === "ended" || pcm.byteLength === 0) return;
    this.pacer.push(pcm);
  }
  endOfResponse(): void {
    if (this.currentState !== "ended") this.pacer.endOfResponse();
  }
  /** Barge-in: drops queued audio and any partial frame. */
  cancelAudio(): void {
    this.pacer.interrupt();
    this.rtp.clearPending();
  }
  /** RFC 4733 digit to the caller (needs telephone-event in the offer). */
  sendDtmf(digit: string, durationMs = 160): Promise<void> {
    return this.rtp.sendDtmf(digit, durationMs);
  }

  /**
   * Ends the call: a ringing call is rejected (480), an answered one gets a BYE (after waiting ≤ 500 ms for the
   * ACK) with an optional `Reason: Q.850` header, retransmitted until answered (Timer E/F). Idempotent.
   */
  async hangup(options: { cause?: number; text?: string; reason?: string } = {}): Promise<void> {
    if (this.currentState === "ended") return;
    if (this.currentState === "ringing") {
      this.reject(480);
      return;
    }
    if (this.currentState === "answered") await this.waitConfirmed(500);
    if ((this.currentState as SipCallState) === "ended") return;
    const headers: SipHeader[] = [];
    if (options.cause !== undefined)
      headers.push({ name: "Reason", value: formatQ850Reason(options.cause, options.text) });
    // Without an ACK after 500 ms the BYE still goes out: the caller most likely has the 200 and would stay on.
    this.finish(options.reason ?? "local_hangup");
    await this.host.sendBye(this, headers);
  }

  private waitConfirmed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.host.clock.setTimeout(resolve, timeoutMs);
      this.confirmedWaiters.push(() => {
        this.host.clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  private stopRetransmit(): void {
    this.host.clock.clearTimeout(this.retransmitTimer);
    this.host.clock.clearTimeout(this.giveUpTimer);
    this.host.clock.clearTimeout(this.answerDeadline);
  }

  /** @internal Tears the call down locally (no signalling): RTP closed, pacer stopped, port released. */
  finish(reason: string): void {
    if (this.currentState === "ended") return;
    this.currentState = "ended";
    this.endReason = reason;
    this.stopRetransmit();
    for (const resolve of this.confirmedWaiters) resolve();
    this.confirmedWaiters = [];
    this.pacer.interrupt();
    void this.pacer.stop();
    this.rtp.close();
    this.host.release(this);
    void this.endedCallbacks.fire(this);
  }
}
