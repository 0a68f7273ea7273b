import { randomBytes } from "node:crypto";
import { headerValues, type SipHeader, type SipRequest, type SipResponse, textBody } from "./sip-message.ts";

export const ALLOWED_METHODS = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE";

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
