import { SipParseError } from "./sip-errors.ts";
import { assertHeaderSafe } from "./sip-message.ts";

export interface SipUri {
  scheme: "sip" | "sips" | "tel";
  user: string | undefined;
  host: string;
  port: number | undefined;
  params: Map<string, string>;
}

export interface NameAddress {
  displayName: string | undefined;
  uri: string;
  params: Map<string, string>;
}

export interface ViaHeader {
  transport: string;
  host: string;
  port: number | undefined;
  params: Map<string, string>;
}

/** `;a=b;c` → Map {a: "b", c: ""} (names lower-cased, quotes kept off). */
export function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of text.split(";")) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const equals = trimmed.indexOf("=");
    if (equals < 0) params.set(trimmed.toLowerCase(), "");
    else params.set(trimmed.slice(0, equals).trim().toLowerCase(), unquote(trimmed.slice(equals + 1).trim()));
  }
  return params;
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return text;
}

function formatParams(params: Map<string, string>): string {
  let out = "";
  for (const [name, value] of params) out += value === "" ? `;${name}` : `;${name}=${value}`;
  return out;
}

function parsePort(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new SipParseError(`invalid port in ${what}: ${text.slice(0, 20)}`);
  }
  return Number(text);
}

/** Splits `host`, `host:port`, `[v6]`, `[v6]:port`. */
export function parseHostPort(text: string, what: string): { host: string; port: number | undefined } {
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0) throw new SipParseError(`unterminated IPv6 reference in ${what}`);
    const host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest === "") return { host, port: undefined };
    if (!rest.startsWith(":")) throw new SipParseError(`junk after IPv6 reference in ${what}`);
    return { host, port: parsePort(rest.slice(1), what) };
  }
  const colon = text.lastIndexOf(":");
  const host = colon < 0 ? text : text.slice(0, colon);
  if (!/^[A-Za-z0-9.\-_]+$/.test(host)) throw new SipParseError(`invalid host in ${what}: ${host.slice(0, 40)}`);
  return { host, port: colon < 0 ? undefined : parsePort(text.slice(colon + 1), what) };
}

/** `sip:user@host:port;params?headers` (and `sips:`, `tel:`). */
export function parseSipUri(text: string): SipUri {
  const match = /^(sips?|tel):(.*)$/i.exec(text.trim());
  if (!match) throw new SipParseError(`not a SIP URI: ${text.slice(0, 60)}`);
  const scheme = match[1]!.toLowerCase() as SipUri["scheme"];
  let rest = match[2]!;
  const question = rest.indexOf("?");
  if (question >= 0) rest = rest.slice(0, question);
  if (scheme === "tel") {
    const semicolon = rest.indexOf(";");
    const number = semicolon < 0 ? rest : rest.slice(0, semicolon);
    return { scheme, user: number, host: "", port: undefined, params: parseParams(rest.slice(number.length)) };
  }
  const at = rest.lastIndexOf("@");
  const user = at < 0 ? undefined : rest.slice(0, at);
  const hostPart = at < 0 ? rest : rest.slice(at + 1);
  const semicolon = hostPart.indexOf(";");
  const hostPort = semicolon < 0 ? hostPart : hostPart.slice(0, semicolon);
  if (!hostPort) throw new SipParseError(`SIP URI without host: ${text.slice(0, 60)}`);
  const { host, port } = parseHostPort(hostPort, "URI");
  return {
    scheme,
    user: user === undefined ? undefined : decodeUser(user),
    host,
    port,
    params: parseParams(semicolon < 0 ? "" : hostPart.slice(semicolon)),
  };
}

function decodeUser(user: string): string {
  const colon = user.indexOf(":"); // user:password (deprecated) — drop the password
  const name = colon < 0 ? user : user.slice(0, colon);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** `"Alice" <sip:a@b>;tag=1`, `Alice <sip:a@b>`, `sip:a@b;tag=1` (params after a bare URI belong to the header). */
export function parseNameAddress(text: string): NameAddress {
  const value = text.trim();
  let displayName: string | undefined;
  let rest = value;
  if (value.startsWith('"')) {
    let index = 1;
    let name = "";
    for (; index < value.length; index++) {
      const char = value[index]!;
      if (char === "\\" && index + 1 < value.length) name += value[++index];
      else if (char === '"') break;
      else name += char;
    }
    if (index >= value.length) throw new SipParseError("unterminated quoted display name");
    displayName = name;
    rest = value.slice(index + 1).trim();
  }
  const open = rest.indexOf("<");
  if (open >= 0) {
    const close = rest.indexOf(">", open);
    if (close < 0) throw new SipParseError("unterminated <URI> in name-addr");
    if (displayName === undefined) {
      const name = rest.slice(0, open).trim();
      if (name) displayName = name;
    }
    const uri = rest.slice(open + 1, close).trim();
    if (!uri) throw new SipParseError("empty URI in name-addr");
    return { displayName, uri, params: parseParams(rest.slice(close + 1)) };
  }
  if (displayName !== undefined) throw new SipParseError("display name without <URI>");
  const semicolon = rest.indexOf(";");
  const uri = semicolon < 0 ? rest : rest.slice(0, semicolon);
  if (!uri || /\s/.test(uri)) throw new SipParseError(`malformed address: ${value.slice(0, 60)}`);
  return { displayName: undefined, uri, params: parseParams(semicolon < 0 ? "" : rest.slice(semicolon)) };
}

export function formatNameAddress(address: NameAddress): string {
  const name = address.displayName === undefined ? "" : `"${address.displayName.replace(/["\\]/g, "\\$&")}" `;
  return `${name}<${address.uri}>${formatParams(address.params)}`;
}

/** `SIP/2.0/UDP host:port;branch=z9hG4bK…;rport`. */
export function parseVia(text: string): ViaHeader {
  const match = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)\s*(;.*)?$/i.exec(text.trim());
  if (!match) throw new SipParseError(`malformed Via: ${text.slice(0, 60)}`);
  const { host, port } = parseHostPort(match[2]!, "Via");
  return { transport: match[1]!.toUpperCase(), host, port, params: parseParams(match[3] ?? "") };
}

export function formatVia(via: ViaHeader): string {
  const host = via.host.includes(":") ? `[${via.host}]` : via.host;
  return `SIP/2.0/${via.transport} ${host}${via.port === undefined ? "" : `:${via.port}`}${formatParams(via.params)}`;
}

export function parseCSeq(text: string): { sequence: number; method: string } {
  const match = /^(\d{1,10})\s+(\S+)$/.exec(text.trim());
  if (!match) throw new SipParseError(`invalid CSeq: ${text.slice(0, 40)}`);
  return { sequence: Number(match[1]), method: match[2]! };
}

/** `Digest realm="x", nonce="y", algorithm=MD5` → {scheme: "Digest", params}. */
export function parseAuthParams(text: string): { scheme: string; params: Map<string, string> } {
  const trimmed = text.trim();
  const space = trimmed.indexOf(" ");
  if (space < 0) throw new SipParseError("authentication header without parameters");
  const scheme = trimmed.slice(0, space);
  const params = new Map<string, string>();
  const pattern = /\s*([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*(?:,|$)/gy;
  const body = trimmed.slice(space + 1);
  let match: RegExpExecArray | null = pattern.exec(body);
  while (match !== null && match[0] !== "") {
    params.set(match[1]!.toLowerCase(), unquote(match[2]!));
    if (pattern.lastIndex >= body.length) break;
    match = pattern.exec(body);
  }
  return { scheme, params };
}

const Q850_LABELS: Readonly<Record<number, string>> = {
  1: "Unallocated number",
  16: "Normal call clearing",
  17: "User busy",
  18: "No user responding",
  19: "No answer from user",
  21: "Call rejected",
  27: "Destination out of order",
  31: "Normal, unspecified",
  34: "No circuit/channel available",
  41: "Temporary failure",
  47: "Resource unavailable, unspecified",
  102: "Recovery on timer expiry",
};

export interface ByeReason {
  cause: number;
  text: string;
}

/** `Q.850 ;cause=21 ;text="…"` → {cause, text}; text falls back to the Q.850 label, then `Q.850 cause N`. */
export function parseQ850Reason(value: string | undefined): ByeReason | undefined {
  if (!value || !/^\s*Q\.850\b/i.test(value)) return undefined;
  const params = parseParams(value.replace(/^\s*Q\.850/i, ""));
  const causeText = params.get("cause");
  if (!causeText || !/^\d{1,3}$/.test(causeText)) return undefined;
  const cause = Number(causeText);
  const text = params.get("text") || Q850_LABELS[cause] || `Q.850 cause ${cause}`;
  return { cause, text };
}

/** `(16)` → `Q.850 ;cause=16`; quotes stripped and CR/LF flattened in the text. */
export function formatQ850Reason(cause: number, text?: string): string {
  if (!Number.isInteger(cause) || cause < 0 || cause > 127) throw new SipParseError(`invalid Q.850 cause ${cause}`);
  const clean = (text ?? "")
    .replace(/["\\]/g, "")
    .replace(/[\r\n]+/g, " ")
    .trim();
  const out = clean ? `Q.850 ;cause=${cause} ;text="${clean}"` : `Q.850 ;cause=${cause}`;
  assertHeaderSafe(out, "Reason");
  return out;
}
