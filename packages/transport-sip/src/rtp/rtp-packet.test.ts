import { describe, expect, test } from "bun:test";
import { DtmfReceiver, dtmfPayloads } from "./dtmf.ts";
import { LossConcealer } from "./loss-concealer.ts";
import { RtpPortPool } from "./port-pool.ts";
import { isRtcp, parseRtpPacket, serializeRtpPacket } from "./rtp-packet.ts";

describe("RTP packets", () => {
  test("serialize ⇄ parse: marker, PT, sequence, timestamp, SSRC, payload", () => {
    const payload = new Uint8Array([1, 2, 3]);
    const bytes = serializeRtpPacket({
      marker: true,
      payloadType: 9,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
      payload,
    });
    expect(bytes.byteLength).toBe(15);
    const parsed = parseRtpPacket(bytes);
    expect(parsed.ok && parsed.packet).toMatchObject({
      marker: true,
      payloadType: 9,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 0xdeadbeef,
    });
    expect(parsed.ok && [...parsed.packet.payload]).toEqual([1, 2, 3]);
  });

  test("CSRCs, header extension and padding are skipped to the payload", () => {
    const bytes = new Uint8Array([
      0xb1,
      0x00,
      0,
      1,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3, // V=2 P=1 X=1 CC=1
      0,
      0,
      0,
      9, // CSRC
      0xbe,
      0xde,
      0,
      1,
      1,
      2,
      3,
      4, // extension of one word
      7,
      8, // payload
      0,
      0,
      3, // 3 bytes of padding
    ]);
    const parsed = parseRtpPacket(bytes);
    expect(parsed.ok && parsed.packet.csrcs).toEqual([9]);
    expect(parsed.ok && [...parsed.packet.payload]).toEqual([7, 8]);
  });

  test("malformed datagrams give a reason, never an exception", () => {
    expect(parseRtpPacket(new Uint8Array(5))).toEqual({ ok: false, reason: "short" });
    expect(parseRtpPacket(new Uint8Array(12))).toEqual({ ok: false, reason: "version" });
    expect(parseRtpPacket(new Uint8Array([0x8f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toEqual({
      ok: false,
      reason: "csrc",
    });
    expect(parseRtpPacket(new Uint8Array([0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99]))).toEqual({
      ok: false,
      reason: "padding",
    });
    expect(isRtcp(new Uint8Array([0x80, 200]))).toBe(true);
    expect(isRtcp(new Uint8Array([0x80, 0]))).toBe(false);
  });
});

describe("RFC 4733 DTMF", () => {
  test("sender: progress every 20 ms of growing duration, three end packets with the total", () => {
    const payloads = dtmfPayloads("5", 100, 8000);
    expect(payloads.length).toBe(4 + 3);
    expect(payloads.map((p) => p[0])).toEqual(Array(7).fill(5));
    expect(payloads.slice(0, 4).map((p) => (p[2]! << 8) | p[3]!)).toEqual([160, 320, 480, 640]);
    expect(payloads.slice(4).every((p) => (p[1]! & 0x80) !== 0 && ((p[2]! << 8) | p[3]!) === 800)).toBe(true);
    expect(dtmfPayloads("#", 160, 8000)[0]![0]).toBe(11);
    expect(() => dtmfPayloads("x", 100, 8000)).toThrow(RangeError);
  });

  test("receiver: fires once per event on the first end packet; duration in ms from the clock", () => {
    const receiver = new DtmfReceiver(8000);
    const events = dtmfPayloads("9", 160, 8000)
      .map((payload) => receiver.handle(1, 1000, payload))
      .filter(Boolean);
    expect(events).toEqual([{ digit: "9", durationMs: 160 }]);
    expect(receiver.handle(1, 2000, new Uint8Array([5, 0x80, 0x05, 0x00]))).toEqual({ digit: "5", durationMs: 160 });
    expect(receiver.handle(1, 3000, new Uint8Array([99, 0x80, 0, 1]))).toBeUndefined();
    expect(receiver.handle(1, 3000, new Uint8Array([1]))).toBeUndefined();
  });
});

describe("loss concealment and ports", () => {
  test("a lost frame repeats the last with a linear fade to zero over 60 ms, then silence", () => {
    const concealer = new LossConcealer(320);
    const frame = new Int16Array(160).fill(1000);
    concealer.remember(new Uint8Array(frame.buffer));
    const first = new Int16Array(concealer.conceal().buffer);
    expect(first[0]).toBe(1000);
    expect(first[159]!).toBeLessThan(1000);
    expect(first[159]!).toBeGreaterThan(600);
    concealer.conceal();
    const third = new Int16Array(concealer.conceal().buffer);
    expect(third[159]!).toBeLessThan(10);
    expect(new Int16Array(concealer.conceal().buffer).every((s) => s === 0)).toBe(true);
    expect(new LossConcealer(320).conceal().byteLength).toBe(320);
  });

  test("the port pool hands out unique even ports in range and runs out cleanly", () => {
    const pool = new RtpPortPool(10001, 10010);
    const ports = [pool.allocate(), pool.allocate(), pool.allocate(), pool.allocate()];
    expect(new Set(ports).size).toBe(4);
    expect(ports.every((port) => port % 2 === 0 && port >= 10002 && port < 10010)).toBe(true);
    expect(() => pool.allocate()).toThrow("No RTP ports available");
    pool.release(ports[0]!);
    expect(pool.allocate()).toBe(ports[0]!);
  });
});
