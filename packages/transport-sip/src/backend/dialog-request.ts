import { newBranch } from "../sip/sip-builders.ts";
import { parseNameAddress, parseSipUri } from "../sip/sip-headers.ts";
import type { SipHeader, SipRequest } from "../sip/sip-message.ts";
import type { SipAddress } from "../sip/transactions.ts";
import type { SipCall } from "./sip-call.ts";

/**
 * A request within the call's dialog (RFC 3261 §12.2.1.1): Request-URI = remote target, Route = route set, next
 * local CSeq (not for ACK), our tag in From and theirs in To. Sent to the first route, else to the remote target,
 * else to where the call came from.
 */
export function inDialogRequest(
  call: SipCall,
  method: string,
  headers: SipHeader[],
  local: { viaHost: string; userAgent: string },
): { request: SipRequest; branch: string; destination: SipAddress } {
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
      { name: "Via", value: `SIP/2.0/UDP ${local.viaHost};branch=${branch};rport` },
      ...dialog.routeSet.map((route) => ({ name: "Route", value: route })),
      { name: "Max-Forwards", value: "70" },
      { name: "From", value: `${dialog.localAddress};tag=${dialog.localTag}` },
      { name: "To", value: `${dialog.remoteAddress};tag=${dialog.remoteTag}` },
      { name: "Call-ID", value: dialog.callId },
      { name: "CSeq", value: `${dialog.localSequence} ${method}` },
      { name: "User-Agent", value: local.userAgent },
      ...headers,
    ],
    body: new Uint8Array(0),
  };
  return { request, branch, destination };
}
