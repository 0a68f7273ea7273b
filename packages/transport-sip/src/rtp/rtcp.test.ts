import { describe, expect, test } from "bun:test";
import type { Socket } from "node:dgram";
import { EventEmitter } from "node:events";
import { silentLogger } from "@roomkit/spec";
import { ManualClock } from "@roomkit/testing";
import { codecForPayloadType } from "./codecs.ts";
import { buildRtcpReport, ntpMiddle, ntpTime, parseRtcpReports, RTCP_RR, RTCP_SR } from "./rtcp.ts";
import { serializeRtpPacket } from "./rtp-packet.ts";
import { RtpSession } from "./rtp-session.ts";

class StubSocket extends EventEmitter {
  readonly sent: Array<{ data: Uint8Array; port: number; address: string }> = [];
  closed = false;
  readonly port: number;
  constructor(port: number) {
    super();
    this.port = port;
  }
  address() {
    return { address: "127.0.0.1", port: this.port, family: "IPv4" };
  }
  send(data: Uint8Array, port: number, address: string) {
    this.sent.push({ data, port, address });
  }
  close() {
    this.closed = true;
  }
  deliver(data: Uint8Array, address = "10.0.0.5", port = 6001) {
    this.emit("message", data, { address, port, family: "IPv4", size: data.byteLength });
  }
}

const WALL = Date.UTC(2026, 11, 6, 4, 0, 0);

function session() {
  const socket = new StubSocket(40000);
  const rtcpSocket = new StubSocket(40001);
  const clock = new ManualClock(1000);
  let wall = WALL;
  const rtp = new RtpSession({
    socket: socket as unknown as Socket,
    rtcpSocket: rtcpSocket as unknown as Socket,
    wallClock: () => wall + (clock.now() - 1000),
    codec: codecForPayloadType(0)!,
    remoteAddress: "10.0.0.5",
    remotePort: 6000,
    dtmfPayloadType: 101,
    symmetricRtp: false,
    clock,
    logger: silentLogger,
    onAudio: () => {},
    onDtmf: () => {},
  });
  return { socket, rtcpSocket, clock, rtp, setWall: (value: number) => void (wall = value) };
}

const media = (sequenceNumber: number, timestamp = sequenceNumber * 160) =>
  serializeRtpPacket({
    marker: false,
    payloadType: 0,
    sequenceNumber,
    timestamp,
    ssrc: 77,
    payload: new Uint8Array(160),
  });

describe("RTCP (RFC 3550, minimal)", () => {
  test("SR + SDES + BYE round-trip through the parser; a negative cumulative loss keeps its sign", () => {
    const ntp = ntpTime(WALL + 250);
    expect(ntp.seconds).toBe(Math.floor(WALL / 1000) + 2_208_988_800);
    expect(ntp.fraction).toBe(2 ** 30);
    const block = {
      ssrc: 9,
      fractionLost: 64,
      cumulativeLost: -2,
      extendedHighestSequence: 0x1_0005,
      jitter: 40,
      lastSr: 0x1234_5678,
      delaySinceLastSr: 65536,
    };
    const data = buildRtcpReport({
      ssrc: 5,
      cname: "roomkit@40000",
      sender: {
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: 160,
        packetCount: 3,
        octetCount: 480,
      },
      block,
      bye: true,
    });
    expect(data.byteLength % 4).toBe(0);
    const reports = parseRtcpReports(data)!;
    expect(reports).toEqual([
      {
        packetType: RTCP_SR,
        ssrc: 5,
        sender: {
          ntpSeconds: ntp.seconds,
          ntpFraction: ntp.fraction,
          rtpTimestamp: 160,
          packetCount: 3,
          octetCount: 480,
        },
        blocks: [block],
      },
    ]);
    expect(parseRtcpReports(data.subarray(0, 20))).toBeUndefined(); // length past the end
    expect(parseRtcpReports(new Uint8Array([0x40, 200, 0, 1, 0, 0, 0, 0]))).toBeUndefined(); // version 1
  });

  test("every ~5 s: an RR about the caller's stream (loss, highest sequence, jitter) to RTP port + 1", () => {
    const { socket, rtcpSocket, clock } = session();
    for (const sequence of [10, 11, 13, 14]) {
      clock.advance(1000 + sequence * 20 - clock.now()); // on time for its timestamp: no transit variation
      socket.deliver(media(sequence));
    }
    clock.advance(7600); // past the longest randomised interval
    expect(rtcpSocket.sent.length).toBeGreaterThanOrEqual(1); // one or two, as the interval is randomised
    const { data, port, address } = rtcpSocket.sent[0]!;
    expect({ port, address }).toEqual({ port: 6001, address: "10.0.0.5" });
    const [report] = parseRtcpReports(data)!;
    expect(report!.packetType).toBe(RTCP_RR);
    expect(report!.blocks[0]).toMatchObject({
      ssrc: 77,
      cumulativeLost: 1,
      fractionLost: Math.floor(256 / 5),
      extendedHighestSequence: 14,
      lastSr: 0,
    });
    expect(report!.blocks[0]!.jitter).toBe(0);
  });

  test("interarrival jitter (RFC 3550 A.8): a packet 20 ms late moves it by 160/16 timestamp units", () => {
    const { socket, rtcpSocket, clock } = session();
    clock.advance(1000);
    socket.deliver(media(1));
    clock.advance(40); // 20 ms later than its timestamp says
    socket.deliver(media(2));
    clock.advance(7600);
    const [report] = parseRtcpReports(rtcpSocket.sent[0]!.data)!;
    expect(report!.blocks[0]!.jitter).toBe(10);
  });

  test("an SR once we sent audio; the peer's RR about us gives loss, jitter and the round trip from LSR/DLSR", () => {
    const { socket, rtcpSocket, clock, rtp } = session();
    socket.deliver(media(1));
    rtp.sendPcm(new Uint8Array(320 * 3));
    clock.advance(7600);
    const [ours] = parseRtcpReports(rtcpSocket.sent[0]!.data)!;
    expect(ours!.packetType).toBe(RTCP_SR);
    expect(ours!.sender).toMatchObject({ packetCount: 3, octetCount: 480 });
    // The peer answers 100 ms later, having held our SR for 40 ms: the round trip is the rest.
    clock.advance(100);
    const sentAtWall = (ours!.sender!.ntpSeconds - 2_208_988_800) * 1000 + (ours!.sender!.ntpFraction / 2 ** 32) * 1000;
    const expectedRoundTrip = WALL + (clock.now() - 1000) - sentAtWall - 40;
    const lastSr = ntpMiddle(ours!.sender!.ntpSeconds, ours!.sender!.ntpFraction);
    const reply = buildRtcpReport({
      ssrc: 77,
      cname: "peer",
      block: {
        ssrc: rtp.ssrc,
        fractionLost: 128,
        cumulativeLost: 2,
        extendedHighestSequence: 3,
        jitter: 80,
        lastSr,
        delaySinceLastSr: Math.round(0.04 * 65536),
      },
    });
    rtcpSocket.deliver(reply);
    expect(rtp.stats.rtcp).toBe(1);
    expect(rtp.remoteReport!.fractionLost).toBe(0.5);
    expect(rtp.remoteReport!.cumulativeLost).toBe(2);
    expect(rtp.remoteReport!.jitterMs).toBe(10);
    expect(Math.abs(rtp.remoteReport!.roundTripMs! - expectedRoundTrip)).toBeLessThan(0.1);
  });

  test("RTCP from another host is foreign, garbage is malformed; close sends a BYE and closes both sockets", () => {
    const { socket, rtcpSocket, rtp } = session();
    rtcpSocket.deliver(buildRtcpReport({ ssrc: 1, cname: "x" }), "10.9.9.9");
    rtcpSocket.deliver(new Uint8Array([0x80, 201, 0, 9, 1, 2, 3, 4]));
    expect(rtp.stats).toMatchObject({ foreign: 1, malformed: 1, rtcp: 0 });
    rtp.close();
    const last = rtcpSocket.sent.at(-1)!.data;
    expect(last[last.byteLength - 7]).toBe(203); // the BYE packet closes the compound
    expect(socket.closed && rtcpSocket.closed).toBe(true);
  });
});
