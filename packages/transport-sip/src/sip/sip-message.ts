import { SipParseError } from "./sip-errors.ts";

/** One header line as received (name canonicalised, value trimmed and unfolded). */
export interface SipHeader {
  name: string;
  value: string;
}

export interface SipRequest {
  kind: "request";
  method: string;
  uri: string;
  headers: SipHeader[];
  body: Uint8Array;
}

export interface SipResponse {
  kind: "response";
  status: number;
  reason: string;
  headers: SipHeader[];
  body: Uint8Array;
}

export type SipMessage = SipRequest | SipResponse;

export interface SipParseLimits {
  /** Whole-datagram cap (default 65535). */
  maxMessageBytes?: number;
  /** Header lines cap (default 200). */
  maxHeaders?: number;
}

const COMPACT: Readonly<Record<string, string>> = {
  i: "Call-ID",
  m: "Contact",
  e: "Content-Encoding",
  l: "Content-Length",
  c: "Content-Type",
  f: "From",
  s: "Subject",
  k: "Supported",
  t: "To",
  v: "Via",
  x: "Session-Expires",
  o: "Event",
  r: "Refer-To",
  u: "Allow-Events",
  b: "Referred-By",
};

const SPECIAL: Readonly<Record<string, string>> = {
  "call-id": "Call-ID",
  cseq: "CSeq",
  "www-authenticate": "WWW-Authenticate",
  "mime-version": "MIME-Version",
  rack: "RAck",
  rseq: "RSeq",
};

/** Headers whose comma-separated values are separate entries (RFC 3261 §7.3.1). */
const LIST_HEADERS = new Set(["Via", "Route", "Record-Route", "Contact", "Allow", "Supported", "Require"]);

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const SIP_VERSION = "SIP/2.0";
const decoder = new TextDecoder("utf-8", { fatal: false });
const encoder = new TextEncoder();

/** `call-id` / `i` / `CALL-ID` → `Call-ID`; unknown names are title-cased per hyphen part. */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  const compact = COMPACT[lower];
  if (compact) return compact;
  const special = SPECIAL[lower];
  if (special) return special;
  return lower.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** Splits a header value at top-level commas (not inside quotes or `<…>`). */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (quoted) {
      if (char === "\\") index++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === "<") depth++;
    else if (char === ">") depth = Math.max(0, depth - 1);
    else if (char === "," && depth === 0) {
      parts.push(value.slice(start, index).trim());
      start = index + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts.filter((part) => part.length > 0);
}

function findHeaderEnd(data: Uint8Array): { end: number; separator: number } | undefined {
  for (let index = 0; index + 1 < data.length; index++) {
    if (data[index] !== 10) continue;
    if (data[index + 1] === 10) return { end: index, separator: 2 };
    if (data[index + 1] === 13 && data[index + 2] === 10) return { end: index, separator: 3 };
  }
  return undefined;
}

/**
 * Parses one SIP message from a datagram. Accepts CRLF or bare LF, folded lines, compact header names and
 * comma-separated list headers (split into entries). Any malformation ⇒ `SipParseError`; never another exception.
 */
export function parseSipMessage(data: Uint8Array, limits: SipParseLimits = {}): SipMessage {
  const maxBytes = limits.maxMessageBytes ?? 65_535;
  const maxHeaders = limits.maxHeaders ?? 200;
  if (!(data instanceof Uint8Array)) throw new SipParseError("expected bytes");
  if (data.byteLength > maxBytes) throw new SipParseError(`message of ${data.byteLength} bytes exceeds ${maxBytes}`);
  let offset = 0;
  while (offset < data.length && (data[offset] === 13 || data[offset] === 10)) offset++;
  const view = data.subarray(offset);
  const boundary = findHeaderEnd(view);
  if (!boundary) throw new SipParseError("no empty line after the headers");
  const head = decoder.decode(view.subarray(0, boundary.end));
  const bodyStart = boundary.end + boundary.separator;
  const lines = head.split(/\r?\n/);
  const startLine = lines[0]!.trimEnd();
  const headers = parseHeaderLines(lines.slice(1), maxHeaders);
  const rest = view.subarray(bodyStart);
  const body = sliceBody(headers, rest);
  if (startLine.startsWith(`${SIP_VERSION} `) || startLine.toUpperCase().startsWith("SIP/")) {
    const match = /^SIP\/2\.0 ([1-6][0-9]{2}) ?(.*)$/i.exec(startLine);
    if (!match) throw new SipParseError(`malformed status line: ${truncate(startLine)}`);
    const response: SipResponse = { kind: "response", status: Number(match[1]), reason: match[2]!, headers, body };
    requireHeaders(response, ["Via", "From", "To", "Call-ID", "CSeq"]);
    return response;
  }
  const parts = startLine.split(" ");
  if (parts.length !== 3) throw new SipParseError(`malformed request line: ${truncate(startLine)}`);
  const [method, uri, version] = parts as [string, string, string];
  if (!TOKEN.test(method)) throw new SipParseError(`invalid method: ${truncate(method)}`);
  if (version.toUpperCase() !== SIP_VERSION) throw new SipParseError(`unsupported version: ${truncate(version)}`);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(uri)) throw new SipParseError(`invalid Request-URI: ${truncate(uri)}`);
  const request: SipRequest = { kind: "request", method, uri, headers, body };
  requireHeaders(request, ["Via", "From", "To", "Call-ID", "CSeq"]);
  const cseq = headerValue(request, "CSeq")!;
  const cseqMatch = /^(\d{1,10})\s+(\S+)$/.exec(cseq);
  if (!cseqMatch || Number(cseqMatch[1]) > 2 ** 31 - 1) throw new SipParseError(`invalid CSeq: ${truncate(cseq)}`);
  if (cseqMatch[2] !== method) {
    throw new SipParseError(`CSeq method ${truncate(cseqMatch[2]!)} does not match ${method}`);
  }
  return request;
}

function parseHeaderLines(lines: string[], maxHeaders: number): SipHeader[] {
  const unfolded: string[] = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    if ((line[0] === " " || line[0] === "\t") && unfolded.length > 0) {
      unfolded[unfolded.length - 1] += ` ${line.trim()}`;
    } else unfolded.push(line);
  }
  const headers: SipHeader[] = [];
  for (const line of unfolded) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new SipParseError(`malformed header line: ${truncate(line)}`);
    const rawName = line.slice(0, colon).trim();
    if (!TOKEN.test(rawName)) throw new SipParseError(`invalid header name: ${truncate(rawName)}`);
    const name = canonicalHeaderName(rawName);
    const value = line.slice(colon + 1).trim();
    const values = LIST_HEADERS.has(name) ? splitHeaderList(value) : [value];
    for (const entry of values) {
      headers.push({ name, value: entry });
      if (headers.length > maxHeaders) throw new SipParseError(`more than ${maxHeaders} headers`);
    }
  }
  return headers;
}

function sliceBody(headers: SipHeader[], rest: Uint8Array): Uint8Array {
  const lengths = headers.filter((header) => header.name === "Content-Length");
  if (lengths.length === 0) return rest.slice();
  if (lengths.length > 1 && new Set(lengths.map((header) => header.value)).size > 1) {
    throw new SipParseError("conflicting Content-Length headers");
  }
  const text = lengths[0]!.value;
  if (!/^\d{1,9}$/.test(text)) throw new SipParseError(`invalid Content-Length: ${truncate(text)}`);
  const length = Number(text);
  if (length > rest.byteLength) {
    throw new SipParseError(`Content-Length ${length} exceeds the ${rest.byteLength} body bytes received`);
  }
  return rest.slice(0, length);
}

function requireHeaders(message: SipMessage, names: readonly string[]): void {
  for (const name of names) {
    const value = headerValue(message, name);
    if (value === undefined || value === "") throw new SipParseError(`missing ${name} header`);
  }
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The first value of a header (any spelling of its name), or undefined. */
export function headerValue(message: { headers: SipHeader[] }, name: string): string | undefined {
  const canonical = canonicalHeaderName(name);
  for (const header of message.headers) if (header.name === canonical) return header.value;
  return undefined;
}

/** Every value of a header, in order. */
export function headerValues(message: { headers: SipHeader[] }, name: string): string[] {
  const canonical = canonicalHeaderName(name);
  return message.headers.filter((header) => header.name === canonical).map((header) => header.value);
}

/** Rejects CR, LF and NUL in anything written into a header (header injection). */
export function assertHeaderSafe(text: string, what: string): void {
  if (/[\r\n\0]/.test(text)) throw new SipParseError(`${what} contains CR, LF or NUL`);
}

/** Serialises a message; Content-Length is always written from the body. Unsafe header text ⇒ `SipParseError`. */
export function serializeSipMessage(message: SipMessage): Uint8Array {
  const startLine =
    message.kind === "request"
      ? `${message.method} ${message.uri} ${SIP_VERSION}`
      : `${SIP_VERSION} ${message.status} ${message.reason}`;
  assertHeaderSafe(startLine, "start line");
  let head = `${startLine}\r\n`;
  for (const header of message.headers) {
    if (header.name === "Content-Length") continue;
    assertHeaderSafe(header.name, "header name");
    assertHeaderSafe(header.value, `${header.name} header`);
    head += `${header.name}: ${header.value}\r\n`;
  }
  head += `Content-Length: ${message.body.byteLength}\r\n\r\n`;
  const headBytes = encoder.encode(head);
  if (message.body.byteLength === 0) return headBytes;
  const out = new Uint8Array(headBytes.byteLength + message.body.byteLength);
  out.set(headBytes, 0);
  out.set(message.body, headBytes.byteLength);
  return out;
}

export function bodyText(message: SipMessage): string {
  return decoder.decode(message.body);
}

export function textBody(text: string): Uint8Array {
  return encoder.encode(text);
}
