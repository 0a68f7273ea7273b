// RFC 3550 RTCP, minimal: sender and receiver reports with one report block, SDES CNAME, BYE; parsing of the
// report blocks a peer sends about our stream. Every function is pure; RtpSession keeps the counters and the timer.

export const RTCP_SR = 200;
export const RTCP_RR = 201;
const RTCP_SDES = 202;
const RTCP_BYE = 203;
/** Seconds between 1900 (NTP epoch) and 1970. */
const NTP_EPOCH_OFFSET = 2_208_988_800;

/** One reception report block (RFC 3550 §6.4.1). `jitter` is in RTP timestamp units. */
export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, 0..255 (/256). */
  fractionLost: number;
  cumulativeLost: number;
  extendedHighestSequence: number;
  jitter: number;
  /** Middle 32 bits of the NTP time of the last SR received from that source (0: none). */
  lastSr: number;
  /** Delay since that SR, in 1/65536 s. */
  delaySinceLastSr: number;
}

export interface SenderInfo {
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export interface RtcpReport {
  packetType: typeof RTCP_SR | typeof RTCP_RR;
  ssrc: number;
  sender: SenderInfo | undefined;
  blocks: ReportBlock[];
}

/** Wall-clock milliseconds (Unix epoch) as NTP seconds and 2^-32 fraction. */
export function ntpTime(unixMs: number): { seconds: number; fraction: number } {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32);
  return { seconds: (seconds + NTP_EPOCH_OFFSET) >>> 0, fraction: fraction >>> 0 };
}

/** The middle 32 bits of an NTP time (what LSR carries). */
export function ntpMiddle(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

export interface ReportInput {
  ssrc: number;
  cname: string;
  /** Present when we sent RTP since the last report: a sender report, else a receiver report. */
  sender?: SenderInfo;
  block?: ReportBlock;
  bye?: boolean;
}

/** A compound RTCP packet: SR or RR (with at most one block), SDES CNAME, and BYE when `bye`. */
export function buildRtcpReport(input: ReportInput): Uint8Array {
  const blocks = input.block ? 1 : 0;
  const reportLength = 8 + (input.sender ? 20 : 0) + blocks * 24;
  const cname = new TextEncoder().encode(input.cname.slice(0, 255));
  const sdesLength = Math.ceil((4 + 2 + cname.byteLength + 1) / 4) * 4 + 4;
  const byeLength = input.bye ? 8 : 0;
  const out = new Uint8Array(reportLength + sdesLength + byeLength);
  const view = new DataView(out.buffer);
  view.setUint8(0, 0x80 | blocks);
  view.setUint8(1, input.sender ? RTCP_SR : RTCP_RR);
  view.setUint16(2, reportLength / 4 - 1);
  view.setUint32(4, input.ssrc >>> 0);
  let offset = 8;
  if (input.sender) {
    view.setUint32(8, input.sender.ntpSeconds >>> 0);
    view.setUint32(12, input.sender.ntpFraction >>> 0);
    view.setUint32(16, input.sender.rtpTimestamp >>> 0);
    view.setUint32(20, input.sender.packetCount >>> 0);
    view.setUint32(24, input.sender.octetCount >>> 0);
    offset = 28;
  }
  if (input.block) {
    const block = input.block;
    view.setUint32(offset, block.ssrc >>> 0);
    const lost = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost)) & 0xffffff;
    view.setUint32(offset + 4, ((block.fractionLost & 0xff) << 24) | lost);
    view.setUint32(offset + 8, block.extendedHighestSequence >>> 0);
    view.setUint32(offset + 12, Math.round(block.jitter) >>> 0);
    view.setUint32(offset + 16, block.lastSr >>> 0);
    view.setUint32(offset + 20, block.delaySinceLastSr >>> 0);
    offset += 24;
  }
  view.setUint8(offset, 0x81);
  view.setUint8(offset + 1, RTCP_SDES);
  view.setUint16(offset + 2, sdesLength / 4 - 1);
  view.setUint32(offset + 4, input.ssrc >>> 0);
  view.setUint8(offset + 8, 1); // CNAME
  view.setUint8(offset + 9, cname.byteLength);
  out.set(cname, offset + 10);
  offset += sdesLength; // the item list ends with zero bytes (already zero)
  if (input.bye) {
    view.setUint8(offset, 0x81);
    view.setUint8(offset + 1, RTCP_BYE);
    view.setUint16(offset + 2, 1);
    view.setUint32(offset + 4, input.ssrc >>> 0);
  }
  return out;
}

/**
 * The SR and RR packets of a compound RTCP datagram (other types skipped). Undefined when the datagram is not
 * well-formed RTCP (wrong version, a length past the end); never throws.
 */
export function parseRtcpReports(data: Uint8Array): RtcpReport[] | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const reports: RtcpReport[] = [];
  let offset = 0;
  if (data.byteLength < 8) return undefined;
  while (offset + 4 <= data.byteLength) {
    const first = view.getUint8(offset);
    if (first >> 6 !== 2) return undefined;
    const count = first & 0x1f;
    const packetType = view.getUint8(offset + 1);
    const length = (view.getUint16(offset + 2) + 1) * 4;
    if (offset + length > data.byteLength) return undefined;
    if (packetType === RTCP_SR || packetType === RTCP_RR) {
      const senderBytes = packetType === RTCP_SR ? 20 : 0;
      if (length < 8 + senderBytes + count * 24) return undefined;
      const sender =
        packetType === RTCP_SR
          ? {
              ntpSeconds: view.getUint32(offset + 8),
              ntpFraction: view.getUint32(offset + 12),
              rtpTimestamp: view.getUint32(offset + 16),
              packetCount: view.getUint32(offset + 20),
              octetCount: view.getUint32(offset + 24),
            }
          : undefined;
      const blocks: ReportBlock[] = [];
      for (let index = 0; index < count; index++) {
        const at = offset + 8 + senderBytes + index * 24;
        const lostWord = view.getUint32(at + 4);
        const lost = lostWord & 0xffffff;
        blocks.push({
          ssrc: view.getUint32(at),
          fractionLost: lostWord >>> 24,
          cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
          extendedHighestSequence: view.getUint32(at + 8),
          jitter: view.getUint32(at + 12),
          lastSr: view.getUint32(at + 16),
          delaySinceLastSr: view.getUint32(at + 20),
        });
      }
      reports.push({ packetType, ssrc: view.getUint32(offset + 4), sender, blocks });
    }
    offset += length;
  }
  return reports;
}
