import { answerOffer } from "../sdp/sdp-negotiation.ts";
import { SdpNegotiationError } from "../sip/sip-errors.ts";
import { parseNameAddress, parseQ850Reason } from "../sip/sip-headers.ts";
import { bodyText, headerValue, type SipHeader, type SipRequest } from "../sip/sip-message.ts";
import type { ServerTransaction } from "../sip/transactions.ts";
import { isUsableRtpAddress } from "./address-policy.ts";
import type { ResolvedSipOptions } from "./backend-options.ts";
import type { SipCall, SipCallHost } from "./sip-call.ts";

/** What the in-dialog request handlers need from the backend. */
export interface DialogRequestHost extends Pick<SipCallHost, "respond" | "logger"> {
  readonly options: Pick<ResolvedSipOptions, "sessionName" | "allowLoopbackMedia">;
  getCall(callId: string): SipCall | undefined;
  contactFor(address: string): SipHeader;
}

/** The live call a request belongs to, when its tags match the dialog (else undefined ⇒ 481). */
export function dialogCall(host: DialogRequestHost, request: SipRequest): SipCall | undefined {
  const call = host.getCall(headerValue(request, "Call-ID")!);
  if (!call) return undefined;
  const fromTag = parseNameAddress(headerValue(request, "From")!).params.get("tag");
  const toTag = parseNameAddress(headerValue(request, "To")!).params.get("tag");
  return fromTag === call.remoteTag && toTag === call.localTag ? call : undefined;
}

/** BYE: 200, the Q.850 Reason kept on the call, the call torn down; 481 outside a dialog. */
export function handleBye(host: DialogRequestHost, transaction: ServerTransaction): void {
  const call = dialogCall(host, transaction.request);
  if (!call) {
    host.respond(transaction, 481);
    return;
  }
  host.respond(transaction, 200, "OK", { toTag: call.localTag });
  call.byeReason = parseQ850Reason(headerValue(transaction.request, "Reason"));
  call.finish("remote_bye");
}

/** UPDATE (RFC 3311): a bodyless refresh gets 200; one with an SDP offer 488 (media changes are not supported). */
export function handleUpdate(host: DialogRequestHost, transaction: ServerTransaction): void {
  const call = dialogCall(host, transaction.request);
  if (!call) {
    host.respond(transaction, 481);
    return;
  }
  if (transaction.request.body.byteLength > 0) {
    host.respond(transaction, 488, undefined, { toTag: call.localTag });
    return;
  }
  host.respond(transaction, 200, "OK", { toTag: call.localTag, headers: [host.contactFor(call.media.localAddress)] });
}

/**
 * re-INVITE: 481 outside a live dialog, 500 for a CSeq not above the last one. Without SDP: 200 with our current SDP.
 * With an offer (same codec): hold is honoured (sendonly/inactive or c=0.0.0.0 ⇒ we stop sending and answer
 * recvonly/inactive; sendrecv resumes), and media moves to a new address only when it is usable (routable; loopback
 * only with `allowLoopbackMedia`) — otherwise it keeps flowing where it did. An offer without our codec ⇒ 488.
 */
export function handleReinvite(host: DialogRequestHost, transaction: ServerTransaction): void {
  const call = dialogCall(host, transaction.request);
  if (!call || call.state === "ended") {
    host.respond(transaction, 481);
    return;
  }
  const cseq = Number(/^\s*(\d+)/.exec(headerValue(transaction.request, "CSeq")!)?.[1]);
  if (cseq <= call.dialog.remoteSequence) {
    host.respond(transaction, 500, "Server Internal Error (CSeq out of order)");
    return;
  }
  call.dialog.remoteSequence = cseq;
  const offer = bodyText(transaction.request);
  if (offer.trim() !== "") {
    try {
      applyOffer(host, call, offer);
    } catch (error) {
      if (!(error instanceof SdpNegotiationError)) throw error;
      host.logger.info("SIP: re-INVITE offer refused", { callId: call.callId, error: error.message });
      host.respond(transaction, 488, undefined, { toTag: call.localTag });
      return;
    }
  }
  host.respond(transaction, 200, "OK", {
    toTag: call.localTag,
    headers: [host.contactFor(call.media.localAddress)],
    body: call.answerSdp,
  });
}

function applyOffer(host: DialogRequestHost, call: SipCall, offer: string): void {
  call.sdpVersion += 1;
  const { answer, media } = answerOffer(offer, {
    supportedPayloadTypes: [call.media.codec.payloadType],
    localAddress: call.media.localAddress,
    localPort: call.media.localPort,
    sessionName: host.options.sessionName,
    sessionId: call.sdpVersion,
  });
  const unspecified = media.remoteAddress === "0.0.0.0" || media.remoteAddress === "::";
  call.rtp.sending = !unspecified && (media.direction === "sendrecv" || media.direction === "sendonly");
  const current = call.rtp.remote;
  const moved = media.remoteAddress !== current.address || media.remotePort !== current.port;
  if (moved && !unspecified) {
    if (isUsableRtpAddress(media.remoteAddress, media.remotePort, { allowLoopback: host.options.allowLoopbackMedia })) {
      call.rtp.updateRemote(media.remoteAddress, media.remotePort);
    } else {
      host.logger.warn("SIP: re-INVITE media address refused; media stays", {
        callId: call.callId,
        address: media.remoteAddress,
        port: media.remotePort,
      });
    }
  }
  call.answerSdp = answer;
}

/**
 * INFO (RFC 6086) carrying a DTMF digit, as some PBXs send instead of RFC 4733: `application/dtmf-relay`
 * (`Signal=5` / `Duration=160`) or `application/dtmf` (`5`). The digit reaches the call's DTMF listeners; any INFO in
 * the dialog gets 200, outside one 481.
 */
export function handleInfo(host: DialogRequestHost, transaction: ServerTransaction): void {
  const call = dialogCall(host, transaction.request);
  if (!call) {
    host.respond(transaction, 481);
    return;
  }
  host.respond(transaction, 200, "OK", { toTag: call.localTag });
  const type = (headerValue(transaction.request, "Content-Type") ?? "").toLowerCase();
  const body = bodyText(transaction.request);
  let digit: string | undefined;
  let durationMs = 160;
  if (type.startsWith("application/dtmf-relay")) {
    digit = /^\s*signal\s*=\s*([0-9*#A-D])\s*$/im.exec(body)?.[1];
    const duration = Number(/^\s*duration\s*=\s*(\d{1,5})\s*$/im.exec(body)?.[1]);
    if (Number.isFinite(duration) && duration > 0) durationMs = duration;
  } else if (type.startsWith("application/dtmf")) {
    digit = /^\s*([0-9*#A-D])\s*$/i.exec(body)?.[1];
  }
  if (digit) call.deliverDtmf(digit.toUpperCase(), durationMs);
}
