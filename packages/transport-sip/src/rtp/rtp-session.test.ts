import { describe, expect, test } from "bun:test";
import type { Socket } from "node:dgram";
import { EventEmitter } from "node:events";
import { silentLogger } from "@roomkit/spec";
import { ManualClock } from "@roomkit/testing";
import { codecForPayloadType } from "./codecs.ts";
import { parseRtpPacket, type RtpPacket, serializeRtpPacket } from "./rtp-packet.ts";
import { RtpSession } from "./rtp-session.ts";

class StubSocket extends EventEmitter {
  readonly sent: Array<{ packet: RtpPacket; port: number; address: string }> = [];
  address() {
    return { address: "127.0.0.1", port: 40000, family: "IPv4" };
  }
  send(data: Uint8Array, port: number, address: string) {
    const parsed = parseRtpPacket(data);
    if (parsed.ok) this.sent.push({ packet: parsed.packet, port, address });
  }
  close() {}
  deliver(packet: Uint8Array, address = "10.0.0.5", port = 6000) {
    this.emit("message", packet, { address, port, family: "IPv4", size: packet.byteLength });
  }
}

function session(options: { symmetricRtp?: boolean } = {}) {
  const socket = new StubSocket();
  const clock = new ManualClock(1000);
  const heard: Uint8Array[] = [];
  const digits: string[] = [];
  const rtp = new RtpSession({
    socket: socket as unknown as Socket,
    codec: codecForPayloadType(0)!,
    remoteAddress: "10.0.0.5",
    remotePort: 6000,
    dtmfPayloadType: 101,
    symmetricRtp: options.symmetricRtp ?? false,
    clock,
    logger: silentLogger,
    onAudio: (pcm) => void heard.push(pcm),
    onDtmf: (digit) => void digits.push(digit),
  });
  return { socket, clock, rtp, heard, digits };
}

const frame = new Uint8Array(320);
const packet = (sequenceNumber: number, payloadType = 0) =>
  serializeRtpPacket({
    marker: false,
    payloadType,
    sequenceNumber,
    timestamp: sequenceNumber * 160,
    ssrc: 7,
    payload: new Uint8Array(160),
  });

describe("RtpSession", () => {
  test("sending: 20 ms frames, marker on the first packet, +160 per frame, random SSRC; a > 100 ms gap is a new talkspurt", () => {
    const { socket, clock, rtp } = session();
    rtp.sendPcm(new Uint8Array(320 * 2 + 100)); // two frames; 100 bytes wait for the next call
    expect(socket.sent.length).toBe(2);
    const [first, second] = socket.sent.map((entry) => entry.packet) as [RtpPacket, RtpPacket];
    expect(first.marker).toBe(true);
    expect(second.marker).toBe(false);
    expect((second.timestamp - first.timestamp) >>> 0).toBe(160);
    expect(((second.sequenceNumber - first.sequenceNumber) & 0xffff) >>> 0).toBe(1);
    expect(socket.sent[0]!.address).toBe("10.0.0.5");
    clock.advance(300); // silence
    rtp.clearPending();
    rtp.sendPcm(frame);
    const third = socket.sent[2]!.packet;
    expect(third.marker).toBe(true);
    expect((third.timestamp - second.timestamp) >>> 0).toBe(160 + 14 * 160); // the gap is kept in media time
    const bases = new Set(Array.from({ length: 5 }, () => session().rtp.ssrc));
    expect(bases.size).toBeGreaterThan(1);
  });

  test("DTMF out: paced every 20 ms on the current media timestamp, marker first, audio paused meanwhile", async () => {
    const { socket, clock, rtp } = session();
    rtp.sendPcm(frame);
    const mediaTimestamp = socket.sent[0]!.packet.timestamp + 160;
    const done = rtp.sendDtmf("4", 60);
    expect(socket.sent.length).toBe(2); // first progress packet at once
    rtp.sendPcm(frame); // paused: not sent
    expect(socket.sent.length).toBe(2);
    clock.advance(20);
    clock.advance(20);
    await done;
    const events = socket.sent.slice(1).map((entry) => entry.packet);
    expect(events.map((p) => p.payloadType)).toEqual([101, 101, 101, 101, 101]);
    expect(events.every((p) => p.timestamp === mediaTimestamp)).toBe(true);
    expect(events.map((p) => p.marker)).toEqual([true, false, false, false, false]);
  });

  test("receiving: foreign sources, unknown payload types and RTCP are counted drops; DTMF detected", () => {
    const { socket, rtp, heard, digits } = session();
    socket.deliver(packet(1), "10.0.0.66"); // someone else
    socket.deliver(packet(2, 96));
    socket.deliver(new Uint8Array([0x80, 201, 0, 1, 0, 0, 0, 1])); // an empty RR (RTCP on the RTP port)
    socket.deliver(new Uint8Array([1, 2, 3]));
    expect(rtp.stats).toMatchObject({ foreign: 1, unknownPayloadType: 1, rtcp: 1, malformed: 1, packetsReceived: 0 });
    socket.deliver(packet(3));
    expect(heard.length).toBe(1);
    socket.deliver(
      serializeRtpPacket({
        marker: true,
        payloadType: 101,
        sequenceNumber: 4,
        timestamp: 999,
        ssrc: 7,
        payload: new Uint8Array([11, 0x80, 0, 160]),
      }),
    );
    expect(digits).toEqual(["#"]);
  });

  test("symmetric RTP latches to the first source, then refuses others; hold stops sending", () => {
    const { socket, rtp } = session({ symmetricRtp: true });
    socket.deliver(packet(1), "192.0.2.9", 7777);
    expect(rtp.remote).toEqual({ address: "192.0.2.9", port: 7777 });
    socket.deliver(packet(2), "192.0.2.10", 7777);
    expect(rtp.stats.foreign).toBe(1);
    rtp.sendPcm(frame);
    expect(socket.sent.at(-1)!.address).toBe("192.0.2.9");
    rtp.sending = false;
    rtp.sendPcm(frame);
    expect(socket.sent.length).toBe(1);
  });
});
