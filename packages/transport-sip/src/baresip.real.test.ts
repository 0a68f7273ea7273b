// Real peer: baresip 1.0.0 (Debian baresip-core, installed by scripts/setup-test-env.sh), headless on 127.0.0.1 with
// a WAV source (aufile), a null player and the sndfile filter dumping what it decoded from us.
// 1. baresip calls our UAS in G.722 ⇒ SIPRealtimeTransport ⇒ channel: its tone reaches the provider, the provider's
//    reply reaches baresip's decoder, and baresip hangs up at the end of its WAV.
// 2. baresip auto-answers our dial() in G.722: audio both ways, our BYE ends it.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger, type VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider, waitFor } from "@roomkit/testing";
import type { SipCall } from "./backend/sip-call.ts";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";
import { SIPRealtimeTransport } from "./sip-realtime-transport.ts";
import {
  decodedByBaresip,
  framesDominatedBy,
  startBaresip,
  udpPortTaken,
  wavFile,
  writeBaresipConfig,
} from "./test-support/baresip-peer.ts";
import { tone } from "./test-support/sipp-runner.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
const workDir = mkdtempSync(join(tmpdir(), "transport-sip-baresip-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

// Ports spaced ≥ 4: ours (SIP, RTP pool) and baresip's (SIP, RTP range of 4), offset by pid against parallel runs.
let portBase = 46000 + (process.pid % 100) * 40;
const nextPorts = () => {
  const base = portBase;
  portBase += 40;
  return { sip: base, baresipSip: base + 4, baresipRtp: base + 8, rtpStart: base + 20, rtpEnd: base + 30 };
};

function peerDirectory(name: string, ports: ReturnType<typeof nextPorts>, source: Int16Array) {
  const directory = join(workDir, name);
  const sourceWav = join(workDir, `${name}.wav`);
  writeFileSync(sourceWav, wavFile(source, 16000));
  const { dumpDirectory } = writeBaresipConfig({
    directory,
    sipPort: ports.baresipSip,
    rtpPortStart: ports.baresipRtp,
    sourceWav,
    codecs: "G722/16000/1,PCMU/8000/1",
  });
  return { directory, dumpDirectory };
}

async function backendFor(ports: ReturnType<typeof nextPorts>) {
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: ports.sip,
    rtpPortStart: ports.rtpStart,
    rtpPortEnd: ports.rtpEnd,
    logger: silentLogger,
  });
  await backend.start();
  cleanups.push(() => backend.close());
  return backend;
}

describe("baresip as a real SIP peer", () => {
  test("baresip calls us in G.722: its tone reaches the provider, our reply is decoded by baresip, its BYE ends the call", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const { directory, dumpDirectory } = peerDirectory("caller", ports, tone(16000, 2500, 600));
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
    cleanups.push(async () => {
      await kit.close();
      await transport.close();
    });
    await kit.createRoom({ roomId: "room-baresip" });
    await kit.attachChannel("room-baresip", "voice");
    const calls: SipCall[] = [];
    const sessions: VoiceSession[] = [];
    const inbound: Int16Array[] = [];
    transport.onAudioReceived(
      (_session, audio) => void inbound.push(new Int16Array((audio as Uint8Array).slice().buffer)),
    );
    backend.onCall(async (call) => {
      calls.push(call);
      sessions.push(await channel.startSession("room-baresip", call.info.participantId, { connection: call }));
    });
    const baresip = startBaresip(directory, ["-e", `/dial sip:bot@127.0.0.1:${ports.sip}`, "-t", "8"], 15_000);
    cleanups.push(() => baresip.kill());
    await waitFor(() => sessions.length === 1, { timeoutMs: 8_000 });
    await waitFor(() => provider.callsOf("sendAudio").length >= 10, { timeoutMs: 5_000 });
    await provider.simulateResponseStart(sessions[0]!);
    await provider.simulateAudio(sessions[0]!, new Uint8Array(tone(24000, 1000, 300).buffer));
    await provider.simulateResponseEnd(sessions[0]!);
    const call = calls[0]!;
    await waitFor(() => call.state === "ended", { timeoutMs: 8_000 });
    expect(call.media.codec.name).toBe("G722");
    expect(sessions[0]!.metadata.transport_sample_rate).toBe(16000);
    expect(call.endReason).toBe("remote_bye");
    // baresip's 600 Hz tone, decoded by our G.722 decoder: most 20 ms frames are that tone.
    const received = new Int16Array(inbound.reduce((total, pcm) => total + pcm.length, 0));
    let offset = 0;
    for (const pcm of inbound) {
      received.set(pcm, offset);
      offset += pcm.length;
    }
    expect(framesDominatedBy(received, 16000, 600)).toBeGreaterThanOrEqual(75);
    // Our 300 Hz reply (24 kHz from the provider, resampled, G.722-encoded, paced), decoded by baresip's decoder.
    const decoded = decodedByBaresip(dumpDirectory);
    expect(decoded.rate).toBe(16000);
    expect(framesDominatedBy(decoded.samples, decoded.rate, 300)).toBeGreaterThanOrEqual(35);
    expect(backend.activeCalls).toEqual([]);
    expect(backend.rtpPortsInUse).toBe(0);
    baresip.kill();
  }, 30_000);

  test("baresip auto-answers our dial() in G.722: audio both ways, our BYE ends it", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const { directory, dumpDirectory } = peerDirectory("callee", ports, tone(16000, 6000, 600));
    const baresip = startBaresip(directory, ["-t", "4"], 12_000);
    cleanups.push(() => baresip.kill());
    await waitFor(() => udpPortTaken(ports.baresipSip), { timeoutMs: 10_000 });
    await Bun.sleep(300); // its account and modules are set up right after the bind
    const call = await backend.dial({ to: `sip:probe@127.0.0.1:${ports.baresipSip}`, codecs: [9, 0] });
    expect(call.state).toBe("confirmed");
    expect(call.media.codec.name).toBe("G722");
    const received: Int16Array[] = [];
    call.onAudio((pcm) => void received.push(new Int16Array(pcm.slice().buffer)));
    call.sendAudio(new Uint8Array(tone(16000, 1000, 300).buffer));
    call.endOfResponse();
    await waitFor(() => received.length >= 60, { timeoutMs: 5_000 });
    await waitFor(() => call.rtp.stats.packetsSent >= 50, { timeoutMs: 5_000 });
    await Bun.sleep(200); // the last packets in flight reach baresip's decoder
    await call.hangup({ cause: 16 });
    expect(call.state).toBe("ended");
    const { code, output } = await baresip.done();
    expect(code, output).toBe(0);
    const joined = new Int16Array(received.reduce((total, pcm) => total + pcm.length, 0));
    let offset = 0;
    for (const pcm of received) {
      joined.set(pcm, offset);
      offset += pcm.length;
    }
    expect(framesDominatedBy(joined, 16000, 600)).toBeGreaterThanOrEqual(50);
    const decoded = decodedByBaresip(dumpDirectory);
    expect(framesDominatedBy(decoded.samples, decoded.rate, 300)).toBeGreaterThanOrEqual(35);
    expect(backend.rtpPortsInUse).toBe(0);
  }, 30_000);

  test("RTCP with baresip: its receiver/sender reports about our stream are parsed (no loss on loopback)", async () => {
    const ports = nextPorts();
    const backend = await backendFor(ports);
    const { directory } = peerDirectory("rtcp", ports, tone(16000, 15_000, 600));
    const baresip = startBaresip(directory, ["-t", "20"], 25_000);
    cleanups.push(() => baresip.kill());
    await waitFor(() => udpPortTaken(ports.baresipSip), { timeoutMs: 10_000 });
    await Bun.sleep(300);
    const call = await backend.dial({ to: `sip:probe@127.0.0.1:${ports.baresipSip}`, codecs: [9] });
    cleanups.push(() => call.hangup());
    call.sendAudio(new Uint8Array(tone(16000, 12_000, 300).buffer));
    call.endOfResponse();
    // baresip reports every few seconds; the first block about our SSRC needs our audio to have reached it.
    await waitFor(() => call.rtp.remoteReport !== undefined, { timeoutMs: 15_000 });
    expect(call.rtp.remoteReport!.cumulativeLost).toBe(0);
    expect(call.rtp.remoteReport!.jitterMs).toBeLessThan(20);
    expect(call.rtp.stats.malformed).toBe(0);
    await call.hangup({ cause: 16 });
    expect(backend.rtpPortsInUse).toBe(0);
  }, 30_000);
});
