import { serializeRtpPacket } from "../rtp/rtp-packet.ts";

export interface PcapRtpPacket {
  /** Capture time in ms from the start. */
  timeMs: number;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  marker?: boolean;
  payload: Uint8Array;
}

/**
 * A libpcap file (Ethernet / IPv4 / UDP / RTP) that sipp's `play_pcap_audio` replays verbatim (headers included),
 * so crafted files control SSRC, sequence numbers, timestamps, loss and reordering. Checksums are left 0.
 */
export function writeRtpPcap(
  packets: readonly PcapRtpPacket[],
  ports = { source: 6000, destination: 40000 },
): Uint8Array {
  const chunks: Uint8Array[] = [];
  const global = new DataView(new ArrayBuffer(24));
  global.setUint32(0, 0xa1b2c3d4, true);
  global.setUint16(4, 2, true);
  global.setUint16(6, 4, true);
  global.setUint32(16, 65535, true);
  global.setUint32(20, 1, true); // LINKTYPE_ETHERNET
  chunks.push(new Uint8Array(global.buffer));
  for (const packet of packets) {
    const rtp = serializeRtpPacket({ marker: packet.marker ?? false, ...packet });
    const frameLength = 14 + 20 + 8 + rtp.byteLength;
    const record = new Uint8Array(16 + frameLength);
    const view = new DataView(record.buffer);
    const seconds = Math.floor(packet.timeMs / 1000);
    view.setUint32(0, seconds, true);
    view.setUint32(4, Math.round((packet.timeMs - seconds * 1000) * 1000), true);
    view.setUint32(8, frameLength, true);
    view.setUint32(12, frameLength, true);
    const frame = 16;
    view.setUint16(frame + 12, 0x0800); // IPv4
    const ip = frame + 14;
    record[ip] = 0x45;
    view.setUint16(ip + 2, 20 + 8 + rtp.byteLength);
    record[ip + 8] = 64;
    record[ip + 9] = 17; // UDP
    record.set([127, 0, 0, 1], ip + 12);
    record.set([127, 0, 0, 1], ip + 16);
    const udp = ip + 20;
    view.setUint16(udp, ports.source);
    view.setUint16(udp + 2, ports.destination);
    view.setUint16(udp + 4, 8 + rtp.byteLength);
    record.set(rtp, udp + 8);
    chunks.push(record);
  }
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
