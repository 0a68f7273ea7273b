/** An RTP packet (RFC 3550 §5.1). `payload` is a view into the datagram on parse. */
export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  payload: Uint8Array;
}

export type RtpParseResult = { ok: true; packet: RtpPacket } | { ok: false; reason: string };

/** RTCP packet types 192..223 sit where an RTP marker+PT byte would be 64..95 (RFC 5761 demux). */
export function isRtcp(data: Uint8Array): boolean {
  return data.byteLength >= 2 && data[1]! >= 192 && data[1]! <= 223;
}

/** Parses an RTP datagram; anything malformed gives a reason instead of an exception (the caller counts the drop). */
export function parseRtpPacket(data: Uint8Array): RtpParseResult {
  if (data.byteLength < 12) return { ok: false, reason: "short" };
  const first = data[0]!;
  if (first >> 6 !== 2) return { ok: false, reason: "version" };
  const padding = (first & 0x20) !== 0;
  const extension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 12 + csrcCount * 4;
  if (offset > data.byteLength) return { ok: false, reason: "csrc" };
  const csrcs: number[] = [];
  for (let index = 0; index < csrcCount; index++) csrcs.push(view.getUint32(12 + index * 4));
  if (extension) {
    if (offset + 4 > data.byteLength) return { ok: false, reason: "extension" };
    offset += 4 + view.getUint16(offset + 2) * 4;
    if (offset > data.byteLength) return { ok: false, reason: "extension" };
  }
  let end = data.byteLength;
  if (padding) {
    const count = data[end - 1]!;
    if (count === 0 || offset + count > end) return { ok: false, reason: "padding" };
    end -= count;
  }
  return {
    ok: true,
    packet: {
      marker: (data[1]! & 0x80) !== 0,
      payloadType: data[1]! & 0x7f,
      sequenceNumber: view.getUint16(2),
      timestamp: view.getUint32(4),
      ssrc: view.getUint32(8),
      csrcs,
      payload: data.subarray(offset, end),
    },
  };
}

/** Writes a 12-byte header (no CSRC/extension/padding) followed by the payload. */
export function serializeRtpPacket(packet: Omit<RtpPacket, "csrcs"> & { csrcs?: number[] }): Uint8Array {
  const csrcs = packet.csrcs ?? [];
  const headerBytes = 12 + csrcs.length * 4;
  const out = new Uint8Array(headerBytes + packet.payload.byteLength);
  const view = new DataView(out.buffer);
  out[0] = 0x80 | (csrcs.length & 0x0f);
  out[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  view.setUint16(2, packet.sequenceNumber & 0xffff);
  view.setUint32(4, packet.timestamp >>> 0);
  view.setUint32(8, packet.ssrc >>> 0);
  for (let index = 0; index < csrcs.length; index++) view.setUint32(12 + index * 4, csrcs[index]! >>> 0);
  out.set(packet.payload, headerBytes);
  return out;
}
