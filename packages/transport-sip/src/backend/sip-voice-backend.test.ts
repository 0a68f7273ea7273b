import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger } from "@roomkit/spec";
import { ManualClock, waitFor } from "@roomkit/testing";
import { computeDigestResponse } from "../sip/digest.ts";
import { headerValue, headerValues } from "../sip/sip-message.ts";
import { SipTestClient } from "../loopback/sip-test-client.ts";
import type { SipCall } from "./sip-call.ts";
import { SipVoiceBackend } from "./sip-voice-backend.ts";
import type { SipVoiceBackendOptions } from "./backend-options.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

let nextRtpBase = 31000 + (process.pid % 200) * 40;

async function setup(options: SipVoiceBackendOptions = {}) {
  const rtpPortStart = nextRtpBase;
  nextRtpBase += 40;
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: 0,
    rtpPortStart,
    rtpPortEnd: rtpPortStart + 40,
    logger: silentLogger,
    ...options,
  });
  await backend.start();
  const calls: SipCall[] = [];
  const ended: SipCall[] = [];
  backend.onCall((call) => void calls.push(call));
  backend.onCallEnded((call) => void ended.push(call));
  const client = await SipTestClient.create();
  cleanups.push(async () => {
    await backend.close();
    client.close();
  });
  return { backend, client, calls, ended };
}

const tone = (bytes: number) => {
  const samples = new Int16Array(bytes / 2);
  for (let index = 0; index < samples.length; index++) samples[index] = Math.round(8000 * Math.sin(index / 5));
  return new Uint8Array(samples.buffer);
};

describe("SipVoiceBackend UAS over UDP", () => {
  test("INVITE ⇒ 100, 180, 200 with an SDP answer; ACK confirms; metadata from From/To/X-headers", async () => {
    const { backend, client, calls } = await setup();
    await client.call(backend.localPort, "0 8 101", [
      ["X-Room-ID", "room-42"],
      ["X-Session-ID", "sess-1"],
      ["X-Language", "fr"],
    ]);
    expect(client.responses().map((r) => r.status)).toEqual([100, 180, 200]);
    const ok = client.responses(200)[0]!;
    expect(headerValue(ok, "Content-Type")).toBe("application/sdp");
    expect(headerValue(ok, "Contact")).toBe(`<sip:127.0.0.1:${backend.localPort}>`);
    expect(headerValue(ok, "Via")).toContain(`rport=${client.sipPort}`);
    await waitFor(() => calls.length === 1 && calls[0]!.state === "confirmed");
    const call = calls[0]!;
    expect(call.info).toMatchObject({
      roomId: "room-42",
      participantId: "sess-1",
      callerDisplayName: "Test Caller",
      callerUser: "caller",
      caller: `sip:caller@127.0.0.1:${client.sipPort}`,
      xHeaders: { "X-Room-Id": "room-42", "X-Session-Id": "sess-1", "X-Language": "fr" },
    });
    expect(call.media.codec.name).toBe("PCMU");
    expect(call.media.dtmfPayloadType).toBe(101);
    expect(call.sampleRate).toBe(8000);
    expect(backend.rtpPortsInUse).toBe(1);
  });

  test("G.722 offer ⇒ 16 kHz call; RTP both ways; BYE ends the call, frees the port, keeps the Q.850 reason", async () => {
    const { backend, client, calls, ended } = await setup();
    await client.call(backend.localPort, "9 0 101");
    await waitFor(() => calls.length === 1);
    const call = calls[0]!;
    expect(call.sampleRate).toBe(16000);
    const heard: Uint8Array[] = [];
    call.onAudio((pcm) => void heard.push(pcm));
    client.sendAudio(tone(640 * 5));
    await waitFor(() => heard.length === 5);
    expect(heard.every((pcm) => pcm.byteLength === 640)).toBe(true);
    call.sendAudio(tone(640 * 10));
    call.endOfResponse();
    await client.until(() => client.rtpPackets.length >= 10, 5000, "10 RTP packets");
    const packets = client.rtpPackets;
    expect(packets.every((p) => p.payloadType === 9 && p.payload.byteLength === 160)).toBe(true);
    expect(packets[0]!.marker).toBe(true);
    for (let index = 1; index < packets.length; index++) {
      expect((packets[index]!.sequenceNumber - packets[index - 1]!.sequenceNumber) & 0xffff).toBe(1);
      expect((packets[index]!.timestamp - packets[index - 1]!.timestamp) >>> 0).toBe(160);
    }
    const bye = await client.bye();
    expect(bye?.status).toBe(200);
    await waitFor(() => ended.length === 1);
    expect(call.state).toBe("ended");
    expect(call.endReason).toBe("remote_bye");
    expect(call.byeReason).toEqual({ cause: 16, text: "Normal call clearing" });
    expect(backend.rtpPortsInUse).toBe(0);
    expect(backend.activeCalls).toEqual([]);
  });

  test("a retransmitted INVITE is absorbed: the same response again, one call", async () => {
    const { backend, client, calls } = await setup();
    const invite = client.invite(backend.localPort);
    await client.until(() => client.responses(200).length === 1);
    client.send(invite);
    await client.until(() => client.responses(200).length === 2 || client.responses(180).length === 2);
    client.ack();
    await waitFor(() => calls.length === 1 && calls[0]!.state === "confirmed");
    expect(backend.activeCalls.length).toBe(1);
    expect(backend.stats.retransmissionsAbsorbed).toBe(1);
  });

  test("the 200 is retransmitted (T1, 2·T1, …) until the ACK, and a missing ACK ends the call with a BYE", async () => {
    const clock = new ManualClock();
    const { backend, client, calls, ended } = await setup({ clock });
    client.invite(backend.localPort);
    await client.until(() => client.responses(200).length === 1);
    clock.advance(500);
    await client.until(() => client.responses(200).length === 2);
    clock.advance(999);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.responses(200).length).toBe(2);
    clock.advance(1);
    await client.until(() => client.responses(200).length === 3);
    for (let elapsed = 0; elapsed < 32_000; elapsed += 500) clock.advance(500);
    await client.until(() => client.requests("BYE").length === 1);
    await waitFor(() => ended.length === 1);
    expect(calls[0]!.endReason).toBe("ack_timeout");
    expect(headerValue(client.requests("BYE")[0]!, "Reason")).toBe("Q.850 ;cause=102");
  });

  test("CANCEL while ringing (preWarm) ⇒ 200 to CANCEL and 487 to the INVITE; port freed; unknown CANCEL ⇒ 481", async () => {
    const { backend, client, calls, ended } = await setup({ preWarm: true });
    const invite = client.invite(backend.localPort);
    await waitFor(() => calls.length === 1);
    expect(calls[0]!.state).toBe("ringing");
    const via = headerValue(invite, "Via")!;
    const cancel = client.request("CANCEL", { branch: /branch=([^;]+)/.exec(via)![1], cseq: 1 });
    cancel.headers = cancel.headers.map((h) =>
      h.name === "To" ? { name: "To", value: headerValue(invite, "To")! } : h,
    );
    client.send(cancel);
    await client.until(() => client.responses(487).length === 1);
    expect(client.responses(200).length).toBe(1);
    expect(headerValue(client.responses(200)[0]!, "CSeq")).toBe("1 CANCEL");
    await waitFor(() => ended.length === 1);
    expect(calls[0]!.endReason).toBe("cancelled");
    expect(backend.rtpPortsInUse).toBe(0);
    // CANCEL for an unknown transaction ⇒ 481
    client.send(client.request("CANCEL", { cseq: 1 }));
    await client.until(() => client.responses(481).length === 1);
  });

  test("preWarm: the call rings until answer(), then 200 with SDP", async () => {
    const { backend, client, calls } = await setup({ preWarm: true });
    client.invite(backend.localPort, "8 101");
    await waitFor(() => calls.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(client.responses(200).length).toBe(0);
    calls[0]!.answer();
    await client.until(() => client.responses(200).length === 1);
    expect(calls[0]!.media.codec.name).toBe("PCMA");
  });

  test("OPTIONS ⇒ 200 with Allow; unknown methods ⇒ 405; BYE for an unknown dialog ⇒ 481", async () => {
    const { backend, client } = await setup();
    client.serverPort = backend.localPort;
    client.send(client.request("OPTIONS"));
    await client.until(() => client.responses(200).length === 1);
    expect(headerValue(client.responses(200)[0]!, "Allow")).toContain("INVITE");
    client.send(client.request("MESSAGE"));
    await client.until(() => client.responses(405).length === 1);
    client.send(client.request("BYE", { cseq: 2 }));
    await client.until(() => client.responses(481).length === 1);
  });

  test("no shared codec or no SDP ⇒ 488 and no port kept; maxSessions ⇒ 503; invite filter status", async () => {
    const { backend, client } = await setup({ maxSessions: 1 });
    client.invite(backend.localPort, "18");
    await client.until(() => client.responses(488).length === 1);
    expect(backend.rtpPortsInUse).toBe(0);
    const second = await SipTestClient.create();
    cleanups.push(() => second.close());
    await second.call(backend.localPort);
    const third = await SipTestClient.create();
    cleanups.push(() => third.close());
    third.invite(backend.localPort);
    await third.until(() => third.responses(503).length === 1);
    expect(backend.rtpPortsInUse).toBe(1);
    backend.setInviteFilter((info) => (info.callerUser === "caller" ? { status: 404, reason: "Not Here" } : undefined));
    await second.bye();
    const fourth = await SipTestClient.create();
    cleanups.push(() => fourth.close());
    fourth.invite(backend.localPort);
    await fourth.until(() => fourth.responses(404).length === 1);
    expect(fourth.responses(404)[0]!.reason).toBe("Not Here");
  });

  test("DTMF in (RFC 4733 at the offerer's PT) and out (marker, one timestamp, 3 end packets); unknown PT is a counted drop", async () => {
    const { backend, client, calls } = await setup();
    await client.call(backend.localPort, "0 101");
    await waitFor(() => calls.length === 1);
    const call = calls[0]!;
    const digits: string[] = [];
    call.onDtmf((digit) => void digits.push(digit));
    client.sendDtmf("5");
    client.sendDtmf("#");
    await waitFor(() => digits.length === 2);
    expect(digits).toEqual(["5", "#"]);
    client.sendRtp(96, new Uint8Array(10), false);
    await waitFor(() => call.rtp.stats.unknownPayloadType === 1);
    await call.sendDtmf("7", 60);
    await client.until(() => client.rtpPackets.filter((p) => p.payloadType === 101).length >= 5);
    const events = client.rtpPackets.filter((p) => p.payloadType === 101);
    expect(events[0]!.marker).toBe(true);
    expect(events.every((p) => p.payload[0] === 7 && p.timestamp === events[0]!.timestamp)).toBe(true);
    expect(events.slice(-3).every((p) => (p.payload[1]! & 0x80) !== 0)).toBe(true);
  });

  test("a hole waits for a reordered packet, then counts as loss and is concealed; duplicates and late packets dropped", async () => {
    const { backend, client, calls } = await setup();
    await client.call(backend.localPort, "0");
    await waitFor(() => calls.length === 1);
    const call = calls[0]!;
    let frames = 0;
    call.onAudio(() => void frames++);
    client.sendAudio(tone(320));
    client.skipSequence(2);
    client.sendAudio(tone(320));
    await waitFor(() => frames === 4);
    expect(call.rtp.stats).toMatchObject({ packetsLost: 2, concealedFrames: 2 });
    const last = client.rtpSequence;
    client.sendRtp(0, new Uint8Array(160), false, (last - 1) & 0xffff); // duplicate of the last packet
    client.sendRtp(0, new Uint8Array(160), false, (last - 5) & 0xffff); // late (older than the newest)
    await waitFor(() => call.rtp.stats.duplicates === 1 && call.rtp.stats.late === 1);
    expect(frames).toBe(4);
    // Reordered: n+1 before n ⇒ both delivered, nothing lost.
    client.sendRtp(0, new Uint8Array(160).fill(0xff), false, (last + 1) & 0xffff);
    client.sendRtp(0, new Uint8Array(160).fill(0xff), false, last);
    await waitFor(() => frames === 6);
    expect(call.rtp.stats.packetsLost).toBe(2);
  });

  test("close() hangs up live calls with a BYE and is idempotent", async () => {
    const { backend, client, calls } = await setup();
    await client.call(backend.localPort);
    await waitFor(() => calls.length === 1 && calls[0]!.state === "confirmed");
    const closing = backend.close();
    await client.until(() => client.requests("BYE").length === 1);
    const bye = client.requests("BYE")[0]!;
    expect(headerValues(bye, "Reason")).toEqual(["Q.850 ;cause=16"]);
    expect(headerValue(bye, "To")).toContain(client.fromTag);
    await closing;
    await backend.close();
    expect(backend.rtpPortsInUse).toBe(0);
  });

  test("a request with a malformed From gets 400 (not silence, not a crash)", async () => {
    const { backend, client } = await setup();
    client.serverPort = backend.localPort;
    const request = client.request("INVITE", { body: client.offerSdp("0") });
    request.headers = request.headers.map((h) =>
      h.name === "From" ? { name: "From", value: '"unterminated <sip:x@y>;tag=1' } : h,
    );
    client.send(request);
    await client.until(() => client.responses(400).length === 1);
    const bye = client.request("BYE", { cseq: 2 });
    bye.headers = bye.headers.map((h) => (h.name === "To" ? { name: "To", value: "<sip:broken" } : h));
    client.send(bye);
    await client.until(() => client.responses(400).length === 2);
    expect(backend.rtpPortsInUse).toBe(0);
  });

  test("garbage datagrams are counted and dropped", async () => {
    const { backend, client } = await setup();
    client.send(new TextEncoder().encode("INVITE nonsense\r\n\r\n"), backend.localPort);
    client.send(new Uint8Array([1, 2, 3, 4, 5, 6]), backend.localPort);
    await waitFor(() => backend.stats.parseErrors === 2);
    client.serverPort = backend.localPort;
    client.send(client.request("OPTIONS"));
    await client.until(() => client.responses(200).length === 1);
  });

  test("digest: no credentials ⇒ 401 before the invite filter runs; the resolver wins over authUsers; retry ⇒ 200", async () => {
    const { backend, client, calls } = await setup({ authUsers: { caller: "from-table" }, authRealm: "pbx" });
    let filtered = 0;
    backend.setInviteFilter(() => {
      filtered++;
      return undefined;
    });
    backend.setAuthResolver((user) => (user === "caller" ? "from-resolver" : undefined));
    expect(backend.hasAuth).toBe(true);
    client.invite(backend.localPort);
    await client.until(() => client.responses(401).length === 1);
    expect(filtered).toBe(0);
    const challenge = headerValue(client.responses(401)[0]!, "WWW-Authenticate")!;
    expect(challenge).toContain('realm="pbx"');
    const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
    const uri = `sip:bot@127.0.0.1:${backend.localPort}`;
    const response = computeDigestResponse({
      algorithm: "MD5",
      username: "caller",
      realm: "pbx",
      password: "from-resolver",
      method: "INVITE",
      uri,
      nonce,
    });
    client.ack();
    client.invite(backend.localPort, "0 8 101", [
      [
        "Authorization",
        `Digest username="caller", realm="pbx", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5`,
      ],
    ]);
    await client.until(() => client.responses(200).length === 1);
    expect(filtered).toBe(1);
    await waitFor(() => calls.length === 1);
    expect(calls[0]!.info.authenticatedUser).toBe("caller");
  });

  test("re-INVITE ⇒ 200 with the same media answer (o= version bumped); a stale CSeq ⇒ 500; UPDATE bodyless ⇒ 200, with SDP ⇒ 488", async () => {
    const { backend, client, calls } = await setup();
    await client.call(backend.localPort, "0 101");
    await waitFor(() => calls.length === 1 && calls[0]!.state === "confirmed");
    const firstAnswer = new TextDecoder().decode(client.responses(200)[0]!.body);
    const reinvite = client.request("INVITE", { cseq: 5, body: client.offerSdp("0 101") });
    reinvite.headers = reinvite.headers.map((h) =>
      h.name === "To" ? { name: "To", value: `${h.value};tag=${client.toTag}` } : h,
    );
    client.send(reinvite);
    await client.until(() => client.responses(200).length === 2);
    const withoutOrigin = (sdp: string) => sdp.split("\r\n").filter((line) => !line.startsWith("o="));
    expect(withoutOrigin(new TextDecoder().decode(client.responses(200)[1]!.body))).toEqual(withoutOrigin(firstAnswer));
    const stale = client.request("INVITE", { cseq: 3, body: client.offerSdp("0") });
    stale.headers = stale.headers.map((h) =>
      h.name === "To" ? { name: "To", value: `${h.value};tag=${client.toTag}` } : h,
    );
    client.send(stale);
    await client.until(() => client.responses(500).length === 1);
    client.send(client.request("UPDATE", { cseq: 6 }));
    await client.until(() => client.responses(200).length === 3);
    client.send(client.request("UPDATE", { cseq: 7, body: client.offerSdp("0") }));
    await client.until(() => client.responses(488).length === 1);
    expect(calls[0]!.state).toBe("confirmed");
  });

  test("preWarm: a call nobody answers within answerTimeoutMs is rejected with 480 and its port freed", async () => {
    const clock = new ManualClock();
    const { backend, client, calls, ended } = await setup({ preWarm: true, answerTimeoutMs: 5000, clock });
    client.invite(backend.localPort);
    await waitFor(() => calls.length === 1);
    clock.advance(4999);
    expect(calls[0]!.state).toBe("ringing");
    clock.advance(1);
    await client.until(() => client.responses(480).length === 1);
    await waitFor(() => ended.length === 1);
    expect(backend.rtpPortsInUse).toBe(0);
  });

  test("dial() before start() rejects; options are validated with the field named", async () => {
    const idle = new SipVoiceBackend({ logger: silentLogger });
    await expect(idle.dial({ to: "sip:a@127.0.0.1" })).rejects.toThrow("start() must be called");
    expect(() => new SipVoiceBackend({ supportedCodecs: [18 as 0] })).toThrow(/supportedCodecs/);
    expect(() => new SipVoiceBackend({ rtpPortStart: 20000, rtpPortEnd: 20001 })).toThrow(/rtpPortEnd/);
    expect(() => new SipVoiceBackend({ userAgent: "x\r\nEvil: 1" })).toThrow(/userAgent/);
  });

  test("watchdog: a call whose RTP never starts, or stops, is hung up with a BYE (Q.850 102) — not left open", async () => {
    const clock = new ManualClock();
    const { backend, client, calls, ended } = await setup({
      clock,
      rtpEstablishmentTimeoutMs: 20_000,
      rtpInactivityTimeoutMs: 10_000,
    });
    await client.call(backend.localPort, "0");
    await waitFor(() => calls.length === 1 && calls[0]!.state === "confirmed");
    clock.advance(15_000);
    expect(client.requests("BYE").length).toBe(0);
    clock.advance(10_000);
    await client.until(() => client.requests("BYE").length === 1);
    expect(headerValue(client.requests("BYE")[0]!, "Reason")).toBe('Q.850 ;cause=102 ;text="RTP timeout"');
    await waitFor(() => ended.length === 1);
    expect(calls[0]!.endReason).toBe("rtp_timeout");

    const second = await SipTestClient.create();
    cleanups.push(() => second.close());
    await second.call(backend.localPort, "0");
    await waitFor(() => calls.length === 2 && calls[1]!.state === "confirmed");
    second.sendAudio(tone(320));
    await waitFor(() => calls[1]!.rtp.stats.packetsReceived === 1);
    clock.advance(10_000);
    expect(second.requests("BYE").length).toBe(0);
    clock.advance(5_000);
    await second.until(() => second.requests("BYE").length === 1);
    expect(calls[1]!.endReason).toBe("rtp_timeout");
  });

  test("an INVITE without SDP ⇒ 488; a second INVITE on a live Call-ID ⇒ 486; room/participant fall back to Call-ID/caller", async () => {
    const { backend, client, calls } = await setup();
    expect(backend.name).toBe("SIP");
    client.serverPort = backend.localPort;
    client.send(client.request("INVITE", { cseq: 1 }));
    await client.until(() => client.responses(488).length === 1);
    expect(backend.rtpPortsInUse).toBe(0);

    const caller = await SipTestClient.create();
    cleanups.push(() => caller.close());
    await caller.call(backend.localPort);
    await waitFor(() => calls.length === 1);
    expect(calls[0]!.info.roomId).toBe(caller.callId);
    expect(calls[0]!.info.participantId).toBe(`sip:caller@127.0.0.1:${caller.sipPort}`);
    caller.invite(backend.localPort); // same Call-ID, new transaction, no To-tag
    await caller.until(() => caller.responses(486).length === 1);
    expect(backend.activeCalls.length).toBe(1);
    expect(backend.rtpPortsInUse).toBe(1);
    await caller.bye();
  });

  test("re-INVITE hold (sendonly) ⇒ answer recvonly and no audio sent; resume ⇒ sendrecv; re-targeting obeys the address policy", async () => {
    const { backend, client, calls } = await setup();
    await client.call(backend.localPort, "0 101");
    await waitFor(() => calls.length === 1 && calls[0]!.state === "confirmed");
    const call = calls[0]!;
    let cseq = 10;
    const reinvite = (sdp: string) => {
      const request = client.request("INVITE", { cseq: cseq++, body: sdp });
      request.headers = request.headers.map((h) =>
        h.name === "To" ? { name: "To", value: `${h.value};tag=${client.toTag}` } : h,
      );
      client.send(request);
      return client.responses(200).length + 1;
    };
    const lastAnswer = () => new TextDecoder().decode(client.responses(200).at(-1)!.body);

    let expected = reinvite(`${client.offerSdp("0 101")}a=sendonly\r\n`);
    await client.until(() => client.responses(200).length === expected);
    expect(lastAnswer()).toContain("a=recvonly");
    expect(call.onHold).toBe(true);
    call.sendAudio(tone(320 * 5));
    call.endOfResponse();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(client.rtpPackets.length).toBe(0);

    // Resume, and try to move media to another loopback port: refused by default (media stays).
    expected = reinvite(client.offerSdp("0 101").replace(`m=audio ${client.rtpPort}`, "m=audio 31337"));
    await client.until(() => client.responses(200).length === expected);
    expect(lastAnswer()).toContain("a=sendrecv");
    expect(call.onHold).toBe(false);
    expect(call.rtp.remote.port).toBe(client.rtpPort);
    // A re-INVITE without our codec ⇒ 488, the call continues.
    reinvite(client.offerSdp("8"));
    await client.until(() => client.responses(488).length === 1);
    expect(call.state).toBe("confirmed");
  });

  test("allowLoopbackMedia: a re-INVITE moves the media to the new loopback port", async () => {
    const { backend, client, calls } = await setup({ allowLoopbackMedia: true });
    await client.call(backend.localPort, "0");
    await waitFor(() => calls.length === 1 && calls[0]!.state === "confirmed");
    const request = client.request("INVITE", {
      cseq: 3,
      body: client.offerSdp("0").replace(`m=audio ${client.rtpPort}`, "m=audio 31338"),
    });
    request.headers = request.headers.map((h) =>
      h.name === "To" ? { name: "To", value: `${h.value};tag=${client.toTag}` } : h,
    );
    client.send(request);
    await client.until(() => client.responses(200).length === 2);
    expect(calls[0]!.rtp.remote).toEqual({ address: "127.0.0.1", port: 31338 });
  });

  test("SIP INFO DTMF (application/dtmf-relay and application/dtmf) reaches onDtmf; INFO outside a dialog ⇒ 481", async () => {
    const { backend, client, calls } = await setup();
    await client.call(backend.localPort, "0");
    await waitFor(() => calls.length === 1 && calls[0]!.state === "confirmed");
    const digits: Array<[string, number]> = [];
    calls[0]!.onDtmf((digit, durationMs) => void digits.push([digit, durationMs]));
    const info = (cseq: number, type: string, body: string) => {
      const request = client.request("INFO", { cseq });
      request.headers.push({ name: "Content-Type", value: type });
      request.body = new TextEncoder().encode(body);
      client.send(request);
    };
    info(2, "application/dtmf-relay", "Signal=9\r\nDuration=250\r\n");
    info(3, "application/dtmf", "#");
    await waitFor(() => digits.length === 2);
    expect(digits).toEqual([
      ["9", 250],
      ["#", 160],
    ]);
    const stranger = await SipTestClient.create();
    cleanups.push(() => stranger.close());
    stranger.serverPort = backend.localPort;
    stranger.send(stranger.request("INFO"));
    await stranger.until(() => stranger.responses(481).length === 1);
  });
});
