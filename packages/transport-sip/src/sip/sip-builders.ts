import { randomBytes } from "node:crypto";
import { formatVia, parseVia } from "./sip-headers.ts";
import { headerValues, type SipHeader, type SipRequest, type SipResponse, textBody } from "./sip-message.ts";
import type { SipAddress } from "./transactions.ts";

export const ALLOWED_METHODS = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";

export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString("hex");
}

export function newBranch(): string {
  return `z9hG4bK${randomToken(10)}`;
}

export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: "Trying",
  180: "Ringing",
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  480: "Temporarily Unavailable",
  481: "Call/Transaction Does Not Exist",
  486: "Busy Here",
  487: "Request Terminated",
  488: "Not Acceptable Here",
  491: "Request Pending",
  500: "Server Internal Error",
  503: "Service Unavailable",
};

export interface ResponseOptions {
  /** Our To-tag (added when the request's To has none). */
  toTag?: string;
  headers?: SipHeader[];
  body?: string;
  contentType?: string;
}

/**
 * A response to `request` (RFC 3261 §8.2.6): Via (all, in order), From, To (plus our tag), Call-ID and CSeq are
 * copied; Record-Route is copied on dialog-creating 2xx/18x.
 */
export function buildResponse(
  request: SipRequest,
  status: number,
  reason: string | undefined,
  options: ResponseOptions = {},
): SipResponse {
  const headers: SipHeader[] = [];
  for (const via of headerValues(request, "Via")) headers.push({ name: "Via", value: via });
  headers.push({ name: "From", value: headerValues(request, "From")[0]! });
  let to = headerValues(request, "To")[0]!;
  if (options.toTag && status !== 100 && !/;\s*tag=/i.test(to)) to += `;tag=${options.toTag}`;
  headers.push({ name: "To", value: to });
  headers.push({ name: "Call-ID", value: headerValues(request, "Call-ID")[0]! });
  headers.push({ name: "CSeq", value: headerValues(request, "CSeq")[0]! });
  if (request.method === "INVITE" && status > 100 && status < 300) {
    for (const route of headerValues(request, "Record-Route")) headers.push({ name: "Record-Route", value: route });
  }
  headers.push(...(options.headers ?? []));
  if (options.body !== undefined)
    headers.push({ name: "Content-Type", value: options.contentType ?? "application/sdp" });
  return {
    kind: "response",
    status,
    reason: reason ?? REASON_PHRASES[status] ?? "Unknown",
    headers,
    body: options.body === undefined ? new Uint8Array(0) : textBody(options.body),
  };
}

/**
 * RFC 3261 §18.2.1 / RFC 3581 on a received request: stamps `received` (when the source differs from the top Via)
 * and `rport` (when asked for) on the top Via, and returns where the responses go. Malformed Via ⇒ `SipParseError`.
 */
export function stampReceived(request: SipRequest, source: SipAddress): SipAddress {
  const index = request.headers.findIndex((header) => header.name === "Via");
  const via = parseVia(request.headers[index]!.value);
  if (via.host !== source.address) via.params.set("received", source.address);
  const symmetric = via.params.has("rport");
  if (symmetric) via.params.set("rport", String(source.port));
  request.headers[index] = { name: "Via", value: formatVia(via) };
  return { address: source.address, port: symmetric ? source.port : (via.port ?? 5060) };
}
