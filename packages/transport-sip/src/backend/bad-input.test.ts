// Bad input over real UDP on 127.0.0.1: RTP from an unexpected address, unknown payload types, oversized RTP and SIP
// datagrams are counted drops; the call keeps working, and after hang-up no call, pool port or socket is left.
import { afterEach, describe, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { silentLogger } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { SipTestClient } from "../loopback/sip-test-client.ts";
import { serializeRtpPacket } from "../rtp/rtp-packet.ts";
import type { SipCall } from "./sip-call.ts";
import { SipVoiceBackend } from "./sip-voice-backend.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

// Above the Linux ephemeral range and the fixed ranges of the sipp/baresip tests (this and other runs on the machine),
// so no stray RTP from a peer process lands on these ports and the drop counts are exact.
let rtpBase = 61000 + 20 * Math.floor(Math.random() * 150);

async function callWith(options: { symmetricRtp?: boolean; maxMessageBytes?: number } = {}) {
  const rtpPortStart = rtpBase;
  rtpBase += 20;
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart,
    rtpPortEnd: rtpPortStart + 10,
    logger: silentLogger,
    ...options,
  });
  await backend.start();
  const calls: SipCall[] = [];
  const heard: number[] = [];
  backend.onCall((call) => {
    calls.push(call);
    call.answer();
    call.onAudio((pcm) => void heard.push(pcm.byteLength));
  });
  const client = await SipTestClient.create();
  cleanups.push(async () => {
    await backend.close();
    client.close();
  });
  await client.call(backend.localPort, "0 101");
  await waitFor(() => calls[0]?.state === "confirmed");
  return { backend, client, call: calls[0]!, heard, rtpPortStart, rtpPortEnd: rtpPortStart + 10 };
}

async function socketOn(address: string): Promise<Socket> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind({ address, port: 0 }, () => resolve()));
  cleanups.push(() => socket.close());
  return socket;
}

const rtp = (payloadType: number, sequenceNumber: number, payloadBytes = 160) =>
  serializeRtpPacket({
    marker: false,
    payloadType,
    sequenceNumber,
    timestamp: sequenceNumber * 160,
    ssrc: 0xbad,
    payload: new Uint8Array(payloadBytes).fill(0x55),
  });

/** Every port of the pool binds again: no RTP socket was left open. */
async function expectPoolFree(start: number, end: number) {
  for (let port = start; port < end; port++) {
    const socket = createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind({ address: "127.0.0.1", port, exclusive: true }, () => resolve());
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

async function hangUpAndCheck(context: Awaited<ReturnType<typeof callWith>>) {
  await context.client.bye();
  await waitFor(() => context.backend.activeCalls.length === 0);
  expect(context.backend.rtpPortsInUse).toBe(0);
  await expectPoolFree(context.rtpPortStart, context.rtpPortEnd);
}

/** Sends one good packet from the caller and waits for it, so earlier datagrams have all been processed. */
async function barrier(context: Awaited<ReturnType<typeof callWith>>) {
  const before = context.heard.length;
  context.client.sendAudio(new Uint8Array(320));
  await waitFor(() => context.heard.length > before);
}

describe("bad RTP and SIP input over real UDP", () => {
  test("RTP from another address is a counted drop; without latching the caller's host may change port (NAT)", async () => {
    const context = await callWith();
    const { call } = context;
    const stranger = await socketOn("127.0.0.2"); // all of 127/8 is loopback on Linux
    for (let index = 0; index < 5; index++) stranger.send(rtp(0, index), call.rtp.localPort, "127.0.0.1");
    await barrier(context);
    expect(call.rtp.stats.foreign).toBe(5);
    expect(context.heard.length).toBe(1);
    expect(call.rtp.remoteSsrcs).not.toContain(0xbad);
    // Same host, another port: accepted (a NAT may rewrite the caller's port); audio still goes to the offer's port.
    const samePeerOtherPort = await socketOn("127.0.0.1");
    samePeerOtherPort.send(rtp(0, 100), call.rtp.localPort, "127.0.0.1");
    await waitFor(() => context.heard.length === 2);
    expect(call.rtp.remote).toEqual({ address: "127.0.0.1", port: context.client.rtpPort });
    await hangUpAndCheck(context);
  });

  test("symmetric RTP: latched to the caller's first packet, then another port on the same host is dropped", async () => {
    const context = await callWith({ symmetricRtp: true });
    const { call } = context;
    await barrier(context);
    expect(call.rtp.remote).toEqual({ address: "127.0.0.1", port: context.client.rtpPort });
    const hijacker = await socketOn("127.0.0.1");
    for (let index = 0; index < 3; index++) hijacker.send(rtp(0, 200 + index), call.rtp.localPort, "127.0.0.1");
    await barrier(context);
    expect(call.rtp.stats.foreign).toBe(3);
    expect(call.rtp.remote).toEqual({ address: "127.0.0.1", port: context.client.rtpPort });
    await hangUpAndCheck(context);
  });

  test("unknown payload types (96, 18, 127) from the caller are counted drops, never decoded", async () => {
    const context = await callWith();
    const { call, client } = context;
    for (const payloadType of [96, 18, 127]) client.sendRtp(payloadType, new Uint8Array(160).fill(1), false);
    await barrier(context);
    expect(call.rtp.stats.unknownPayloadType).toBe(3);
    expect(context.heard).toEqual([320]);
    await hangUpAndCheck(context);
  });

  test("oversized datagrams: 60 kB of RTP and a 10 kB INVITE are dropped unread; the call and the backend go on", async () => {
    const context = await callWith({ maxMessageBytes: 4096 });
    const { backend, call, client } = context;
    client.rtp.send(rtp(0, 300, 60_000), call.rtp.localPort, "127.0.0.1");
    client.rtp.send(rtp(0, 301, 2_000), call.rtp.localPort, "127.0.0.1"); // 250 ms of PCMU
    await barrier(context);
    expect(call.rtp.stats.oversized).toBe(2);
    expect(context.heard).toEqual([320]);
    // A second caller's INVITE padded past maxMessageBytes: no response, no call, no port.
    const big = await SipTestClient.create();
    cleanups.push(() => big.close());
    const invite = big.invite(backend.localPort, "0 101", [["X-Padding", "x".repeat(10_000)]]);
    expect(invite).toBeDefined();
    await waitFor(() => backend.stats.oversized === 1);
    await Bun.sleep(100); // would-be responses
    expect(big.messages).toEqual([]);
    expect(backend.activeCalls).toEqual([call]);
    expect(backend.rtpPortsInUse).toBe(1);
    await hangUpAndCheck(context);
  });
});
