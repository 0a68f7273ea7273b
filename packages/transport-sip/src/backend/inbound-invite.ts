import type { Socket } from "node:dgram";
import { type RateLimiter, retryAfterSeconds } from "@roomkit/spec";
import { RtpSession } from "../rtp/rtp-session.ts";
import { pairedRtcpSocket } from "./udp-sockets.ts";
import { answerOffer } from "../sdp/sdp-negotiation.ts";
import type { DigestServer } from "../sip/digest.ts";
import { randomToken } from "../sip/sip-builders.ts";
import { SdpNegotiationError } from "../sip/sip-errors.ts";
import { parseCSeq, parseNameAddress, parseSipUri } from "../sip/sip-headers.ts";
import { bodyText, headerValue, headerValues, type SipHeader, type SipRequest } from "../sip/sip-message.ts";
import type { ServerTransaction, SipAddress } from "../sip/transactions.ts";
import type { ResolvedSipOptions } from "./backend-options.ts";
import type { SipBackendStats } from "./backend-stats.ts";
import { type DialogRequestHost, handleReinvite } from "./in-dialog-requests.ts";
import { SipCall, type SipCallHost, type SipCallInfo, type SipDialog } from "./sip-call.ts";

/** What the inbound INVITE pipeline needs from its backend (implemented by `SipVoiceBackend`). */
export interface InboundHost extends SipCallHost {
  readonly options: ResolvedSipOptions;
  readonly isClosing: boolean;
  /** The digest server when INVITEs must authenticate. */
  readonly inviteDigest: DigestServer | undefined;
  readonly currentInviteFilter: InviteFilter | undefined;
  /** New INVITEs per source address (`undefined` when `rateLimit: false`). */
  readonly inviteRateLimiter: RateLimiter | undefined;
  readonly stats: SipBackendStats;
  localAddressToward(remote: string): Promise<string>;
  bindRtp(): Promise<Socket | undefined>;
  releasePort(port: number): void;
  contactFor(address: string): SipHeader;
  /** Tracks the ringing call (before the 180 goes out). */
  adoptCall(call: SipCall): void;
  /** Fires `onCall`. */
  announce(call: SipCall): void;
  readonly pendingInvites: Map<string, { cancelled: boolean }>;
  readonly liveCalls: number;
  getCall(callId: string): SipCall | undefined;
  findInviteTransaction(cancel: SipRequest): ServerTransaction | undefined;
}

/**
 * A new INVITE (a re-INVITE has a To-tag and goes to `handleReinvite`): 503 + Retry-After over the source address's
 * rate limit (before the 100 and any digest work), then 100 at once, 503 beyond `maxSessions`
 * (ringing, live and in-setup calls count), 486 for a Call-ID already live, else the set-up pipeline.
 */
export async function handleInvite(
  host: InboundHost & DialogRequestHost,
  transaction: ServerTransaction,
): Promise<void> {
  const request = transaction.request;
  const toTag = parseNameAddress(headerValue(request, "To")!).params.get("tag");
  if (toTag !== undefined) return handleReinvite(host, transaction);
  const decision = host.inviteRateLimiter?.take(transaction.source.address);
  if (decision !== undefined && !decision.allowed) {
    host.stats.invitesRateLimited++;
    return host.respond(transaction, 503, "Service Unavailable (rate limited)", {
      headers: [{ name: "Retry-After", value: String(retryAfterSeconds(decision)) }],
    });
  }
  host.respond(transaction, 100);
  const callId = headerValue(request, "Call-ID")!;
  const live = host.liveCalls + host.pendingInvites.size;
  if (host.options.maxSessions > 0 && live >= host.options.maxSessions) return host.respond(transaction, 503);
  if (host.getCall(callId)) return host.respond(transaction, 486);
  const info = callInfoFromInvite(request, transaction.source);
  const pending = { cancelled: false };
  host.pendingInvites.set(transaction.key, pending);
  try {
    await setUpInboundCall(host, transaction, info, pending);
  } finally {
    host.pendingInvites.delete(transaction.key);
  }
}

/**
 * CANCEL (RFC 3261 §9.2): matched to its INVITE by branch (481 if none), answered 200; a ringing call gets 487 and
 * is torn down, an INVITE still being set up is marked so it ends with 487; an answered call is unaffected.
 */
export function handleCancel(host: InboundHost, transaction: ServerTransaction): void {
  const invite = host.findInviteTransaction(transaction.request);
  if (!invite) {
    host.respond(transaction, 481);
    return;
  }
  host.respond(transaction, 200, "OK");
  const pending = host.pendingInvites.get(invite.key);
  if (pending) {
    pending.cancelled = true;
    return;
  }
  const call = host.getCall(headerValue(invite.request, "Call-ID")!);
  if (call && call.transaction === invite && call.state === "ringing") {
    host.respond(invite, 487, undefined, { toTag: call.localTag });
    call.finish("cancelled");
  }
}

/** Return `{ status, reason }` to refuse a call before it rings (e.g. 404 for an unprovisioned number). */
export type InviteFilter = (
  info: SipCallInfo,
  invite: SipRequest,
) => { status: number; reason?: string } | undefined | Promise<{ status: number; reason?: string } | undefined>;

/** Digest check of an INVITE; sends 401 (fresh nonce) or 403 itself and returns false when it did. */
async function authenticate(host: InboundHost, transaction: ServerTransaction, info: SipCallInfo): Promise<boolean> {
  const digest = host.inviteDigest;
  if (!digest) return true;
  const request = transaction.request;
  const authorization = headerValue(request, "Authorization") ?? headerValue(request, "Proxy-Authorization");
  const verdict = await digest.verify("INVITE", authorization);
  if (verdict.ok) {
    info.authenticatedUser = verdict.username;
    return true;
  }
  if (verdict.status === 403) host.respond(transaction, 403);
  else {
    const headers = digest.challenge(verdict.stale).map((value) => ({ name: "WWW-Authenticate", value }));
    host.respond(transaction, 401, undefined, { headers });
  }
  return false;
}

/** The invite filter; sends its rejection (or 500 when it throws) and returns false when it did. */
async function filter(host: InboundHost, transaction: ServerTransaction, info: SipCallInfo): Promise<boolean> {
  const inviteFilter = host.currentInviteFilter;
  if (!inviteFilter) return true;
  let verdict: Awaited<ReturnType<InviteFilter>>;
  try {
    verdict = await inviteFilter(info, transaction.request);
  } catch (error) {
    host.logger.warn("SIP: invite filter threw; 500", { error: String(error) });
    host.respond(transaction, 500);
    return false;
  }
  if (!verdict) return true;
  host.respond(transaction, Math.min(699, Math.max(300, verdict.status)), verdict.reason);
  return false;
}

/** A From/To value without its tag parameter. */
export function stripTag(value: string): string {
  return value.replace(/;\s*tag=[^;]*/i, "");
}

/** Who called whom: From/To, display name, user, X-headers; room from X-Room-ID, participant from X-Session-ID. */
export function callInfoFromInvite(request: SipRequest, source: SipAddress): SipCallInfo {
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

/** The UAS side of the dialog an INVITE creates (RFC 3261 §12.1.1). */
export function inboundDialog(request: SipRequest, callId: string): SipDialog {
  const from = parseNameAddress(headerValue(request, "From")!);
  const contact = headerValue(request, "Contact");
  return {
    callId,
    localTag: randomToken(6),
    remoteTag: from.params.get("tag") ?? "",
    localAddress: stripTag(headerValue(request, "To")!),
    remoteAddress: stripTag(headerValue(request, "From")!),
    remoteTarget: contact ? parseNameAddress(contact).uri : from.uri,
    routeSet: headerValues(request, "Record-Route"),
    localSequence: 0,
    remoteSequence: parseCSeq(headerValue(request, "CSeq")!).sequence,
  };
}

/**
 * A new INVITE after the 100 and the capacity checks: digest auth (401/403) → invite filter → no offer 488 →
 * offer/answer (488) → RTP port (503) → 180 → answered at once, or left ringing for `preWarm`. A CANCEL that
 * arrived meanwhile (`pending.cancelled`) ⇒ 487 and nothing kept.
 */
export async function setUpInboundCall(
  host: InboundHost,
  transaction: ServerTransaction,
  info: SipCallInfo,
  pending: { cancelled: boolean },
): Promise<void> {
  const request = transaction.request;
  if (!(await authenticate(host, transaction, info))) return;
  if (!(await filter(host, transaction, info))) return;
  if (pending.cancelled) return host.respond(transaction, 487);
  const offer = bodyText(request);
  if (offer.trim() === "") return host.respond(transaction, 488, "Not Acceptable Here (no SDP offer)");
  const localAddress = await host.localAddressToward(info.source.address);
  const answerOptions = {
    supportedPayloadTypes: host.options.supportedCodecs,
    localAddress,
    sessionName: host.options.sessionName,
    sessionId: Math.floor(Date.now() / 1000),
  };
  try {
    answerOffer(offer, { ...answerOptions, localPort: 0 });
  } catch (error) {
    if (!(error instanceof SdpNegotiationError)) throw error;
    host.logger.info("SIP: offer refused", { callId: info.callId, error: error.message });
    return host.respond(transaction, 488);
  }
  const socket = await host.bindRtp();
  if (!socket) return host.respond(transaction, 503, "Service Unavailable (no RTP port)");
  const localPort = socket.address().port;
  const { answer, media } = answerOffer(offer, { ...answerOptions, localPort });
  if (pending.cancelled || host.isClosing) {
    host.releasePort(localPort);
    socket.close();
    return host.respond(transaction, 487);
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
  call = new SipCall({
    info,
    invite: request,
    transaction,
    state: "ringing",
    answerTimeoutMs: host.options.preWarm ? host.options.answerTimeoutMs : undefined,
    dialog: inboundDialog(request, info.callId),
    media: { ...media, localAddress, localPort },
    answerSdp: answer,
    rtp,
    host,
  });
  host.adoptCall(call);
  host.respond(transaction, 180, "Ringing", { toTag: call.localTag, headers: [host.contactFor(localAddress)] });
  if (!host.options.preWarm) call.answer();
  host.announce(call);
}
