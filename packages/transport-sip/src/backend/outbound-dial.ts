import type { Socket } from "node:dgram";
import { codecForPayloadType } from "../rtp/codecs.ts";
import { RtpSession } from "../rtp/rtp-session.ts";
import { pairedRtcpSocket } from "./udp-sockets.ts";
import { buildOffer, readAnswer } from "../sdp/sdp-negotiation.ts";
import { answerDigestChallenge } from "../sip/digest.ts";
import { newBranch, randomToken } from "../sip/sip-builders.ts";
import { SdpNegotiationError, SipCallRejectedError, SipError, SipTimeoutError } from "../sip/sip-errors.ts";
import { parseCSeq, parseNameAddress, parseSipUri } from "../sip/sip-headers.ts";
import {
  assertHeaderSafe,
  bodyText,
  headerValue,
  headerValues,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  serializeSipMessage,
  textBody,
} from "../sip/sip-message.ts";
import type { SipAddress } from "../sip/transactions.ts";
import type { ResolvedSipOptions } from "./backend-options.ts";
import { SipCall, type SipCallHost } from "./sip-call.ts";

export interface DialOptions {
  /** Whom to call: a `sip:` URI. */
  to: string;
  /** Our identity (default `sip:roomkit@<our address>`). */
  from?: string;
  /** Where the INVITE goes (default: the host and port of `to`). */
  proxy?: { address: string; port?: number };
  /** Payload types to offer, in preference order (default: the backend's `supportedCodecs`). */
  codecs?: number[];
  /** Credentials for one retry after a 401/407 digest challenge. */
  auth?: { username: string; password: string };
  /** Extra headers on the INVITE (e.g. X-Room-ID). */
  headers?: Record<string, string>;
  /** No final answer within this many ms ⇒ CANCEL and `SipTimeoutError` (default 30000). */
  timeoutMs?: number;
  /** Aborting cancels the call attempt (CANCEL when it rings). */
  signal?: AbortSignal;
}

/** What `dial` needs from its backend (implemented by `SipVoiceBackend`). */
export interface DialHost extends SipCallHost {
  readonly options: ResolvedSipOptions;
  hostText(address: string): string;
  localAddressToward(remote: string): Promise<string>;
  bindRtp(): Promise<Socket | undefined>;
  releasePort(port: number): void;
  sendNonInvite(
    bytes: Uint8Array,
    branch: string,
    method: string,
    destination: SipAddress,
  ): Promise<SipResponse | undefined>;
  /** Routes responses with this Call-ID to `handler` until the returned function is called. */
  watchResponses(callId: string, handler: (response: SipResponse) => void): () => void;
  adoptCall(call: SipCall, ack?: { bytes: Uint8Array; destination: SipAddress }): void;
}

type Outcome = { kind: "final"; response: SipResponse } | { kind: "timeout" } | { kind: "aborted" };

const CANCEL_WAIT_MS = 4000;

/**
 * Places a call (UAC): INVITE with our SDP offer, RFC 3261 INVITE client transaction (Timer A retransmits until a
 * response, Timer B gives up), one digest retry after 401/407, ACK for every final response (in the transaction for
 * non-2xx, a new one for 2xx), CANCEL on timeout or abort once it rings. The answered call is returned confirmed.
 */
export async function dial(host: DialHost, options: DialOptions): Promise<SipCall> {
  options.signal?.throwIfAborted();
  const to = parseNameAddress(options.to).uri;
  const toUri = parseSipUri(to);
  const destination: SipAddress = options.proxy
    ? { address: options.proxy.address, port: options.proxy.port ?? 5060 }
    : { address: toUri.host, port: toUri.port ?? 5060 };
  const localAddress = await host.localAddressToward(destination.address);
  const codecs = options.codecs ?? host.options.supportedCodecs;
  const extra: SipHeader[] = Object.entries(options.headers ?? {}).map(([name, value]) => {
    assertHeaderSafe(name, "header name");
    assertHeaderSafe(value, `${name} header`);
    return { name, value };
  });
  for (const payloadType of codecs) {
    if (!codecForPayloadType(payloadType))
      throw new SdpNegotiationError(`Unsupported codec payload type ${payloadType}`);
  }
  const socket = await host.bindRtp();
  if (!socket) throw new SipError("No RTP ports available", { code: "sip_no_rtp_ports", recoverable: true });
  const localPort = socket.address().port;
  const release = () => {
    socket.close();
    host.releasePort(localPort);
  };
  const offer = buildOffer({
    payloadTypes: codecs,
    dtmfPayloadType: 101,
    localAddress,
    localPort,
    sessionName: host.options.sessionName,
    sessionId: Math.floor(Date.now() / 1000),
  });
  const callId = `${randomToken(10)}@${localAddress}`;
  const fromTag = randomToken(6);
  const fromAddress = options.from
    ? `<${parseNameAddress(options.from).uri}>`
    : `<sip:roomkit@${host.hostText(localAddress)}>`;
  const toAddress = `<${to}>`;
  let sequence = 1;
  let authorization: SipHeader | undefined;
  let authRetried = false;
  let current: { branch: string; request: SipRequest } | undefined;
  let listener: ((response: SipResponse) => void) | undefined;
  const unwatch = host.watchResponses(callId, (response) => listener?.(response));
  try {
    while (true) {
      const branch = newBranch();
      const request: SipRequest = {
        kind: "request",
        method: "INVITE",
        uri: to,
        headers: [
          { name: "Via", value: `SIP/2.0/UDP ${host.hostText(localAddress)};branch=${branch};rport` },
          { name: "Max-Forwards", value: "70" },
          { name: "From", value: `${fromAddress};tag=${fromTag}` },
          { name: "To", value: toAddress },
          { name: "Call-ID", value: callId },
          { name: "CSeq", value: `${sequence} INVITE` },
          { name: "Contact", value: `<sip:roomkit@${host.hostText(localAddress)}>` },
          { name: "User-Agent", value: host.options.userAgent },
          ...(authorization ? [authorization] : []),
          ...extra,
          { name: "Content-Type", value: "application/sdp" },
        ],
        body: textBody(offer),
      };
      current = { branch, request };
      const outcome = await inviteTransaction(host, request, sequence, destination, options, (handler) => {
        listener = handler;
      });
      if (outcome.kind !== "final") {
        release();
        if (outcome.kind === "aborted") throw options.signal?.reason ?? new DOMException("dial aborted", "AbortError");
        throw new SipTimeoutError(`no answer from ${to} within ${options.timeoutMs ?? 30_000} ms`);
      }
      const response = outcome.response;
      if (response.status >= 300) {
        host.sendRaw(serializeSipMessage(nonSuccessAck(request, response)), destination);
        const challenge =
          response.status === 401
            ? headerValue(response, "WWW-Authenticate")
            : response.status === 407
              ? headerValue(response, "Proxy-Authenticate")
              : undefined;
        if (challenge && options.auth && !authRetried) {
          const value = answerDigestChallenge(challenge, { ...options.auth, method: "INVITE", uri: to });
          if (value) {
            authRetried = true;
            authorization = { name: response.status === 401 ? "Authorization" : "Proxy-Authorization", value };
            sequence += 1;
            continue;
          }
        }
        release();
        throw new SipCallRejectedError(response.status, response.reason);
      }
      return answered(host, { request, response, socket, localAddress, localPort, codecs, destination, to });
    }
  } catch (error) {
    if (!(error instanceof SipCallRejectedError) && !(error instanceof SipTimeoutError) && current) {
      host.logger.debug("SIP: dial failed", { callId, error: String(error) });
    }
    throw error;
  } finally {
    unwatch();
  }
}

/** Sends the INVITE with Timer A/B and waits for its final response, cancelling on timeout or abort. */
function inviteTransaction(
  host: DialHost,
  request: SipRequest,
  sequence: number,
  destination: SipAddress,
  options: DialOptions,
  listen: (handler: (response: SipResponse) => void) => void,
): Promise<Outcome> {
  const clock = host.clock;
  const bytes = serializeSipMessage(request);
  const timers: unknown[] = [];
  return new Promise<Outcome>((resolve) => {
    let provisional = false;
    let settled = false;
    let cancelling: "timeout" | "aborted" | undefined;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clock.clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    const giveUp = (kind: "timeout" | "aborted") => {
      if (settled || cancelling) return;
      if (!provisional) {
        finish({ kind });
        return;
      }
      cancelling = kind;
      void host.sendNonInvite(serializeSipMessage(cancelRequest(request)), branchOf(request), "CANCEL", destination);
      timers.push(clock.setTimeout(() => finish({ kind }), CANCEL_WAIT_MS));
    };
    const onAbort = () => giveUp("aborted");
    listen((response) => {
      let cseq: { sequence: number; method: string };
      try {
        cseq = parseCSeq(headerValue(response, "CSeq") ?? "");
      } catch {
        return;
      }
      if (cseq.method !== "INVITE" || cseq.sequence !== sequence || settled) return;
      if (response.status < 200) {
        provisional = true;
        return;
      }
      if (cancelling && response.status >= 300) {
        host.sendRaw(serializeSipMessage(nonSuccessAck(request, response)), destination);
        finish({ kind: cancelling });
        return;
      }
      finish({ kind: "final", response });
    });
    options.signal?.addEventListener("abort", onAbort, { once: true });
    host.sendRaw(bytes, destination);
    let interval = host.timers.t1Ms;
    const retransmit = () => {
      if (settled || provisional) return;
      host.sendRaw(bytes, destination);
      interval *= 2;
      timers.push(clock.setTimeout(retransmit, interval));
    };
    timers.push(clock.setTimeout(retransmit, interval)); // Timer A
    timers.push(
      clock.setTimeout(() => {
        if (!provisional) finish({ kind: "timeout" }); // Timer B
      }, 64 * host.timers.t1Ms),
    );
    timers.push(clock.setTimeout(() => giveUp("timeout"), options.timeoutMs ?? 30_000));
  });
}

function branchOf(request: SipRequest): string {
  return /branch=([^;\s]+)/.exec(headerValue(request, "Via") ?? "")?.[1] ?? "";
}

/** CANCEL (RFC 3261 §9.1): same Request-URI, Via, From, To, Call-ID and CSeq number as the INVITE. */
function cancelRequest(invite: SipRequest): SipRequest {
  const keep = ["Via", "From", "To", "Call-ID", "Max-Forwards"];
  const sequence = parseCSeq(headerValue(invite, "CSeq")!).sequence;
  return {
    kind: "request",
    method: "CANCEL",
    uri: invite.uri,
    headers: [
      ...invite.headers.filter((header) => keep.includes(header.name)),
      { name: "CSeq", value: `${sequence} CANCEL` },
    ],
    body: new Uint8Array(0),
  };
}

/** ACK for a non-2xx final response: part of the INVITE transaction (same branch), To from the response. */
function nonSuccessAck(invite: SipRequest, response: SipResponse): SipRequest {
  const sequence = parseCSeq(headerValue(invite, "CSeq")!).sequence;
  return {
    kind: "request",
    method: "ACK",
    uri: invite.uri,
    headers: [
      { name: "Via", value: headerValue(invite, "Via")! },
      { name: "Max-Forwards", value: "70" },
      { name: "From", value: headerValue(invite, "From")! },
      { name: "To", value: headerValue(response, "To")! },
      { name: "Call-ID", value: headerValue(invite, "Call-ID")! },
      { name: "CSeq", value: `${sequence} ACK` },
    ],
    body: new Uint8Array(0),
  };
}

interface AnsweredCall {
  request: SipRequest;
  response: SipResponse;
  socket: Socket;
  localAddress: string;
  localPort: number;
  codecs: number[];
  destination: SipAddress;
  to: string;
}

/** 2xx: read the SDP answer, ACK (new transaction, to the Contact, via the reversed route set), build the call. */
function answered(host: DialHost, answer: AnsweredCall): SipCall {
  const { request, response, socket, localAddress, localPort } = answer;
  const remote = parseNameAddress(headerValue(response, "To")!);
  const contact = headerValue(response, "Contact");
  const remoteTarget = contact ? parseNameAddress(contact).uri : answer.to;
  const routeSet = headerValues(response, "Record-Route").reverse();
  const sequence = parseCSeq(headerValue(request, "CSeq")!).sequence;
  let destination = answer.destination;
  try {
    const next = parseSipUri(routeSet.length > 0 ? parseNameAddress(routeSet[0]!).uri : remoteTarget);
    if (next.host) destination = { address: next.host, port: next.port ?? 5060 };
  } catch {
    // keep the INVITE's destination
  }
  const ack: SipRequest = {
    kind: "request",
    method: "ACK",
    uri: remoteTarget,
    headers: [
      { name: "Via", value: `SIP/2.0/UDP ${host.hostText(localAddress)};branch=${newBranch()};rport` },
      ...routeSet.map((route) => ({ name: "Route", value: route })),
      { name: "Max-Forwards", value: "70" },
      { name: "From", value: headerValue(request, "From")! },
      { name: "To", value: headerValue(response, "To")! },
      { name: "Call-ID", value: headerValue(request, "Call-ID")! },
      { name: "CSeq", value: `${sequence} ACK` },
    ],
    body: new Uint8Array(0),
  };
  const ackBytes = serializeSipMessage(ack);
  host.sendRaw(ackBytes, destination);
  let media: ReturnType<typeof readAnswer>;
  try {
    media = readAnswer(bodyText(response), answer.codecs);
  } catch (error) {
    socket.close();
    host.releasePort(localPort);
    // The callee is connected: hang up at once (the BYE reuses the ACK's routing with the next CSeq).
    const byeBranch = newBranch();
    const bye: SipRequest = {
      ...ack,
      method: "BYE",
      headers: ack.headers.map((header) => {
        if (header.name === "Via")
          return { name: "Via", value: header.value.replace(/branch=[^;]+/, `branch=${byeBranch}`) };
        if (header.name === "CSeq") return { name: "CSeq", value: `${sequence + 1} BYE` };
        return header;
      }),
    };
    void host.sendNonInvite(serializeSipMessage(bye), byeBranch, "BYE", destination);
    throw error instanceof SdpNegotiationError ? error : new SdpNegotiationError(String(error));
  }
  let call: SipCall | undefined;
  const rtp = new RtpSession({
    socket,
    rtcpSocket: pairedRtcpSocket(socket),
    codec: media.codec,
    remoteAddress: media.remoteAddress,
    remotePort: media.remotePort,
    dtmfPayloadType: media.dtmfPayloadType,
    symmetricRtp: host.options.symmetricRtp,
    clock: host.clock,
    logger: host.logger,
    onAudio: (pcm) => call?.deliverAudio(pcm),
    onDtmf: (digit, durationMs) => call?.deliverDtmf(digit, durationMs),
  });
  const from = parseNameAddress(headerValue(request, "From")!);
  const callId = headerValue(request, "Call-ID")!;
  call = new SipCall({
    info: {
      callId,
      caller: from.uri,
      callee: remote.uri,
      callerDisplayName: from.displayName,
      callerUser: undefined,
      xHeaders: {},
      roomId: callId,
      participantId: remote.uri,
      source: destination,
      direction: "outbound",
    },
    invite: request,
    transaction: undefined,
    state: "confirmed",
    dialog: {
      callId,
      localTag: from.params.get("tag") ?? "",
      remoteTag: remote.params.get("tag") ?? "",
      localAddress: headerValue(request, "From")!.replace(/;\s*tag=[^;]*/i, ""),
      remoteAddress: headerValue(response, "To")!.replace(/;\s*tag=[^;]*/i, ""),
      remoteTarget,
      routeSet,
      localSequence: sequence,
      remoteSequence: 0,
    },
    media: { ...media, localAddress, localPort },
    answerSdp: bodyText(request),
    rtp,
    host,
  });
  host.adoptCall(call, { bytes: ackBytes, destination });
  return call;
}
