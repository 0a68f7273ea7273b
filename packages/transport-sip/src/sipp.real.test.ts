// Real peer: sipp (Debian sip-tester, installed by scripts/setup-test-env.sh) calls our UAS on 127.0.0.1 with RTP
// from pcaps; the call goes through SIPRealtimeTransport into a channel with the mock provider.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeMulaw } from "@roomkit/audio";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger, type VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider, waitFor } from "@roomkit/testing";
import type { SipCall } from "./backend/sip-call.ts";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";
import { SIPRealtimeTransport } from "./sip-realtime-transport.ts";
import { writeRtpPcap } from "./loopback/pcap-writer.ts";
import { makePcap as makePcapIn, runSipp as runSippIn, SIPP_SCENARIOS, tone } from "./test-support/sipp-runner.ts";

const SCENARIOS = SIPP_SCENARIOS;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

// Fixed ports spaced ≥ 4 apart (sipp binds the media port and media port + 2), offset by pid against parallel runs.
let portBase = 16000 + (process.pid % 400) * 40;
const nextPorts = () => {
  const base = portBase;
  portBase += 20;
  return { sip: base, sipp: base + 2, media: base + 4, rtpStart: base + 10, rtpEnd: base + 20 };
};

const workDir = mkdtempSync(join(tmpdir(), "transport-sip-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const makePcap = (name: string, payloadType: 0 | 9, pcm: Int16Array) => makePcapIn(workDir, name, payloadType, pcm);
const runSipp = (args: string[]) => runSippIn(args, { cwd: workDir });

async function setup(ports: ReturnType<typeof nextPorts>, authUsers?: Record<string, string>) {
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: ports.sip,
    rtpPortStart: ports.rtpStart,
    rtpPortEnd: ports.rtpEnd,
    authUsers,
    logger: silentLogger,
  });
  await backend.start();
  const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
  const provider = new MockRealtimeProvider({ logger: silentLogger });
  const transport = new SIPRealtimeTransport({ backend, logger: silentLogger });
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    inputSampleRate: 16000,
    outputSampleRate: 24000,
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-sipp" });
  await kit.attachChannel("room-sipp", "voice");
  const sessions: VoiceSession[] = [];
  const calls: SipCall[] = [];
  const digits: string[] = [];
  const inbound: Uint8Array[] = [];
  transport.onDtmf((_session, digit) => void digits.push(digit.digit));
  transport.onAudioReceived((_session, audio) => void inbound.push((audio as Uint8Array).slice()));
  backend.onCall(async (call) => {
    calls.push(call);
    sessions.push(await channel.startSession(call.info.roomId, call.info.participantId, { connection: call }));
  });
  cleanups.push(async () => {
    await kit.close();
    await transport.close();
    await backend.close();
  });
  return { backend, provider, transport, sessions, calls, digits, inbound };
}

const energy = (pcm: Uint8Array) => {
  const samples = new Int16Array(pcm.slice().buffer);
  return samples.reduce((sum, sample) => sum + sample * sample, 0) / Math.max(1, samples.length);
};

/** Best normalised cross-correlation of `received` against `source` over lags 0..maxLag samples. */
function correlation(source: Int16Array, received: Int16Array, maxLag: number): number {
  let best = 0;
  const length = Math.min(source.length, received.length) - maxLag;
  for (let lag = 0; lag <= maxLag; lag++) {
    let dot = 0;
    let a = 0;
    let b = 0;
    for (let index = 0; index < length; index++) {
      const x = source[index]!;
      const y = received[index + lag]!;
      dot += x * y;
      a += x * x;
      b += y * y;
    }
    best = Math.max(best, dot / Math.sqrt(a * b || 1));
  }
  return best;
}

describe("sipp calls through SIPRealtimeTransport (real UDP on 127.0.0.1)", () => {
  test("PCMU with -rtp_echo: caller audio reaches the provider, the reply goes out as RTP and comes back, DTMF 5, BYE ends it", async () => {
    const ports = nextPorts();
    const { provider, sessions, calls, digits, backend } = await setup(ports);
    const pcap = makePcap("pcmu.pcap", 0, tone(8000, 2000, 400));
    const run = runSipp([
      `127.0.0.1:${ports.sip}`,
      "-sf",
      join(SCENARIOS, "uac-media.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
      "-rtp_echo",
      "-key",
      "offer",
      "0 8 101",
      "-key",
      "pcap",
      pcap,
      "-key",
      "room",
      "room-sipp",
      "-d",
      "2600",
    ]);
    await waitFor(() => sessions.length === 1, { timeoutMs: 10_000 });
    const session = sessions[0]!;
    await waitFor(() => provider.callsOf("sendAudio").length >= 20, { timeoutMs: 10_000 });
    await provider.simulateResponseStart(session);
    await provider.simulateAudio(session, new Uint8Array(tone(24000, 1000, 300).buffer));
    await provider.simulateResponseEnd(session);
    const result = await run;
    expect(result.code, result.output).toBe(0);
    const call = calls[0]!;
    expect(call.media.codec.name).toBe("PCMU");
    expect(call.info.roomId).toBe("room-sipp");
    expect(call.info.callerDisplayName).toBe("SIPp Caller");
    // What the caller sent arrived at the provider, as audio (not silence).
    const sent = provider.callsOf("sendAudio").map((entry) => entry.args[1] as Uint8Array);
    expect(sent.reduce((total, pcm) => total + pcm.byteLength, 0)).toBeGreaterThan(16000 * 2 * 1.5);
    expect(Math.max(...sent.map(energy))).toBeGreaterThan(1_000_000);
    // The reply went out as ~1 s of RTP and sipp echoed it back: our own SSRC arrived on our socket.
    expect(call.rtp.stats.packetsSent).toBeGreaterThanOrEqual(49);
    expect(call.rtp.remoteSsrcs).toContain(call.rtp.ssrc);
    expect(digits).toEqual(["5"]);
    await waitFor(() => provider.callsOf("disconnect").length === 1);
    expect(call.endReason).toBe("remote_bye");
    expect(call.byeReason).toEqual({ cause: 16, text: "Normal call clearing" });
    expect(backend.activeCalls).toEqual([]);
    expect(backend.rtpPortsInUse).toBe(0);
  }, 30_000);

  test("G.722 offer (9 0 8 101): a 16 kHz call; the decoded caller audio matches the source tone", async () => {
    const ports = nextPorts();
    const { sessions, calls, inbound } = await setup(ports);
    const source = tone(16000, 1000, 600);
    const pcap = makePcap("g722.pcap", 9, source);
    const result = await runSipp([
      `127.0.0.1:${ports.sip}`,
      "-sf",
      join(SCENARIOS, "uac-media.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
      "-key",
      "offer",
      "9 0 8 101",
      "-key",
      "pcap",
      pcap,
      "-key",
      "room",
      "room-sipp",
      "-d",
      "1400",
    ]);
    expect(result.code, result.output).toBe(0);
    expect(sessions[0]!.metadata.transport_sample_rate).toBe(16000);
    expect(calls[0]!.media.codec.name).toBe("G722");
    const audio = inbound.filter((pcm) => pcm.byteLength === 640);
    expect(audio.length).toBeGreaterThanOrEqual(45);
    const joined = new Uint8Array(audio.length * 640);
    for (const [index, pcm] of audio.entries()) joined.set(pcm, index * 640);
    expect(correlation(source, new Int16Array(joined.buffer), 40)).toBeGreaterThan(0.95);
  }, 30_000);

  test("PCMA with sipp's own 30 ms pcap: every packet decodes (240 samples each)", async () => {
    const ports = nextPorts();
    const { calls, inbound } = await setup(ports);
    const result = await runSipp([
      `127.0.0.1:${ports.sip}`,
      "-sf",
      join(SCENARIOS, "uac-media.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
      "-key",
      "offer",
      "8 101",
      "-key",
      "pcap",
      "/usr/share/sip-tester/g711a.pcap",
      "-key",
      "room",
      "room-sipp",
      "-d",
      "1500",
    ]);
    expect(result.code, result.output).toBe(0);
    expect(calls[0]!.media.codec.name).toBe("PCMA");
    expect(calls[0]!.rtp.stats.packetsReceived).toBeGreaterThan(30);
    expect(inbound.some((pcm) => pcm.byteLength === 480)).toBe(true);
  }, 30_000);

  test("an offer with no shared codec (G.729 only) gets 488 and sipp ACKs it", async () => {
    const ports = nextPorts();
    const { backend } = await setup(ports);
    const result = await runSipp([
      `127.0.0.1:${ports.sip}`,
      "-sf",
      join(SCENARIOS, "uac-reject.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
    ]);
    expect(result.code, result.output).toBe(0);
    expect(backend.stats.rejected[488]).toBe(1);
    expect(backend.rtpPortsInUse).toBe(0);
  }, 30_000);

  test("digest auth: sipp answers our 401 with -au/-ap; the right password gets the call, a wrong one 403", async () => {
    const good = nextPorts();
    const { backend, calls } = await setup(good, { alice: "secret" });
    const ok = await runSipp([
      `127.0.0.1:${good.sip}`,
      "-sf",
      join(SCENARIOS, "uac-auth.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(good.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(good.media),
      "-au",
      "alice",
      "-ap",
      "secret",
    ]);
    expect(ok.code, ok.output).toBe(0);
    expect(backend.stats.rejected[401]).toBe(1);
    expect(calls[0]!.info.authenticatedUser).toBe("alice");
    const bad = nextPorts();
    const wrong = await setup(bad, { alice: "secret" });
    const denied = await runSipp([
      `127.0.0.1:${bad.sip}`,
      "-sf",
      join(SCENARIOS, "uac-auth.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(bad.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(bad.media),
      "-au",
      "alice",
      "-ap",
      "WRONG",
    ]);
    expect(denied.code).not.toBe(0);
    expect(wrong.backend.stats.rejected[403]).toBe(1);
    expect(wrong.calls).toEqual([]);
    expect(wrong.backend.rtpPortsInUse).toBe(0);
  }, 40_000);

  test("crafted pcap: 5 lost packets concealed, a reordered pair restored, a duplicate dropped, an SSRC switch followed", async () => {
    const ports = nextPorts();
    const { calls, inbound } = await setup(ports);
    const payload = encodeMulaw(new Uint8Array(tone(8000, 20, 400).buffer));
    const dropped = new Set([10, 30, 50, 80, 95]);
    const packets = [];
    for (let index = 0; index < 100; index++) {
      if (dropped.has(index)) continue;
      const second = index >= 70;
      const order = index === 20 ? 21 : index === 21 ? 20 : index; // 20 and 21 swapped on the wire
      const packet = {
        timeMs: index * 20,
        payloadType: 0,
        sequenceNumber: second ? 9000 + order : 100 + order,
        timestamp: (second ? 900_000 : 10_000) + order * 160,
        ssrc: second ? 0xbbbb : 0xaaaa,
        payload,
      };
      packets.push(packet);
      if (index === 40) packets.push({ ...packet, timeMs: packet.timeMs + 1 }); // duplicate
    }
    const pcap = join(workDir, "crafted.pcap");
    writeFileSync(pcap, writeRtpPcap(packets));
    const result = await runSipp([
      `127.0.0.1:${ports.sip}`,
      "-sf",
      join(SCENARIOS, "uac-media.xml"),
      "-i",
      "127.0.0.1",
      "-p",
      String(ports.sipp),
      "-mi",
      "127.0.0.1",
      "-mp",
      String(ports.media),
      "-key",
      "offer",
      "0 101",
      "-key",
      "pcap",
      pcap,
      "-key",
      "room",
      "room-sipp",
      "-d",
      "2400",
    ]);
    expect(result.code, result.output).toBe(0);
    const stats = calls[0]!.rtp.stats;
    // Duplicates: ours, plus the two end packets sipp's DTMF pcap repeats with the same sequence number.
    expect(stats).toMatchObject({ packetsLost: 5, concealedFrames: 5, duplicates: 3, late: 0, dtmfReceived: 1 });
    expect(stats.ssrcChanges).toBe(2); // our switch, then the DTMF pcap's own SSRC
    expect(inbound.filter((pcm) => pcm.byteLength === 320).length).toBe(100);
  }, 30_000);
});
