import { parseNameAddress, parseQ850Reason } from "../sip/sip-headers.ts";
import { headerValue, type SipHeader, type SipRequest } from "../sip/sip-message.ts";
import type { ServerTransaction } from "../sip/transactions.ts";
import type { SipCall, SipCallHost } from "./sip-call.ts";

/** What the in-dialog request handlers need from the backend. */
export interface DialogRequestHost extends Pick<SipCallHost, "respond"> {
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
 * re-INVITE: 481 outside a live dialog, 500 for a CSeq not above the last one, else 200 with the same SDP as before
 * (hold and re-targeting are not applied: media keeps flowing to the negotiated address).
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
  host.respond(transaction, 200, "OK", {
    toTag: call.localTag,
    headers: [host.contactFor(call.media.localAddress)],
    body: call.answerSdp,
  });
}
