import { SdpNegotiationError } from "../sip/sip-errors.ts";

export interface SdpMedia {
  media: string;
  port: number;
  protocol: string;
  formats: string[];
  /** Media-level `c=` address, if any. */
  connection: string | undefined;
  /** `a=` lines without the `a=` (in order). */
  attributes: string[];
}

export interface SessionDescription {
  origin: string;
  sessionName: string;
  connection: string | undefined;
  media: SdpMedia[];
}

const MAX_SDP_BYTES = 16_384;

/** `IN IP4 1.2.3.4` → `1.2.3.4`. */
function connectionAddress(value: string): string {
  const parts = value.trim().split(/\s+/);
  if (parts.length < 3 || parts[0] !== "IN" || (parts[1] !== "IP4" && parts[1] !== "IP6")) {
    throw new SdpNegotiationError(`unsupported c= line: ${value.slice(0, 60)}`);
  }
  return parts[2]!.split("/")[0]!;
}

/** Minimal RFC 4566 parser: v/o/s/c/m/a; other lines are ignored. Malformed ⇒ `SdpNegotiationError`. */
export function parseSdp(text: string): SessionDescription {
  if (text.length > MAX_SDP_BYTES) throw new SdpNegotiationError("SDP too large");
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  if (lines[0]?.trim() !== "v=0") throw new SdpNegotiationError("SDP must start with v=0");
  const description: SessionDescription = { origin: "", sessionName: "", connection: undefined, media: [] };
  let current: SdpMedia | undefined;
  for (const line of lines) {
    if (line[1] !== "=") throw new SdpNegotiationError(`malformed SDP line: ${line.slice(0, 60)}`);
    const type = line[0];
    const value = line.slice(2).trim();
    if (type === "o" && !current) description.origin = value;
    else if (type === "s" && !current) description.sessionName = value;
    else if (type === "c") {
      const address = connectionAddress(value);
      if (current) current.connection = address;
      else description.connection = address;
    } else if (type === "m") {
      const parts = value.split(/\s+/);
      if (parts.length < 4 || !/^\d{1,5}$/.test(parts[1]!.split("/")[0]!)) {
        throw new SdpNegotiationError(`malformed m= line: ${value.slice(0, 60)}`);
      }
      const port = Number(parts[1]!.split("/")[0]);
      if (port > 65535) throw new SdpNegotiationError(`invalid media port ${port}`);
      current = {
        media: parts[0]!,
        port,
        protocol: parts[2]!,
        formats: parts.slice(3),
        connection: undefined,
        attributes: [],
      };
      description.media.push(current);
    } else if (type === "a" && current) current.attributes.push(value);
  }
  return description;
}

/** `rtpmap` entries of a media line: PT → {name, clockRate}. */
export function rtpMaps(media: SdpMedia): Map<number, { name: string; clockRate: number }> {
  const maps = new Map<number, { name: string; clockRate: number }>();
  for (const attribute of media.attributes) {
    const match = /^rtpmap:(\d{1,3})\s+([^/\s]+)\/(\d+)/i.exec(attribute);
    if (match) maps.set(Number(match[1]), { name: match[2]!, clockRate: Number(match[3]) });
  }
  return maps;
}

export function mediaAttribute(media: SdpMedia, name: string): string | undefined {
  for (const attribute of media.attributes) {
    if (attribute === name) return "";
    if (attribute.startsWith(`${name}:`)) return attribute.slice(name.length + 1);
  }
  return undefined;
}

export function serializeSdp(lines: readonly string[]): string {
  return `${lines.join("\r\n")}\r\n`;
}
