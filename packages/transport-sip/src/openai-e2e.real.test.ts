// End to end with a real SIP peer and the real OpenAI provider code: sipp calls our UAS on 127.0.0.1 ⇒
// SIPRealtimeTransport ⇒ RealtimeVoiceChannel (in a RoomKit) ⇒ OpenAIRealtimeProvider ⇒ the OpenAI Realtime fake.
// The caller's speech (a tone, then silence, from a PCMU pcap) ends a turn at the fake's server VAD; the assistant's
// reply goes back over RTP, sipp (-rtp_echo) returns it to prove it arrived (and barges in with it); sipp hangs up with a BYE; both
// transcripts are in the room timeline.
import { afterAll, afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { type RoomEvent, silentLogger, type VoiceSession } from "@roomkit/spec";
import { createOpenAIRealtimeFake, waitFor } from "@roomkit/testing";
import type { SipCall } from "./backend/sip-call.ts";
import { SipVoiceBackend } from "./backend/sip-voice-backend.ts";
import { SIPRealtimeTransport } from "./sip-realtime-transport.ts";
import { makePcap, runSipp, SIPP_SCENARIOS, tone } from "./test-support/sipp-runner.ts";

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
const workDir = mkdtempSync(join(tmpdir(), "transport-sip-e2e-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const texts = (events: RoomEvent[], role: string) =>
  events
    .filter((event) => event.content.type === "text" && event.metadata?.role === role)
    .map((event) => (event.content as { body: string }).body);

test("sipp ⇒ SIP transport ⇒ channel ⇒ OpenAI provider ⇒ fake: the reply returns over RTP, transcripts stored", async () => {
  const base = 36000 + (process.pid % 200) * 40;
  const ports = { sip: base, sipp: base + 4, media: base + 8, rtpStart: base + 20, rtpEnd: base + 30 };
  const fake = await createOpenAIRealtimeFake({ speed: "instant" });
  cleanups.push(() => fake.close());
  const backend = new SipVoiceBackend({
    host: "127.0.0.1",
    port: ports.sip,
    rtpPortStart: ports.rtpStart,
    rtpPortEnd: ports.rtpEnd,
    logger: silentLogger,
  });
  await backend.start();
  const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
  const transport = new SIPRealtimeTransport({ backend, logger: silentLogger });
  const provider = new OpenAIRealtimeProvider({ apiKey: "sk-test", baseUrl: fake.baseUrl, logger: silentLogger });
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    systemPrompt: "You answer the phone.",
    inputSampleRate: 16000,
    outputSampleRate: 24000,
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  cleanups.push(async () => {
    await kit.close();
    await transport.close();
    await backend.close();
  });
  await kit.createRoom({ roomId: "room-e2e" });
  await kit.attachChannel("room-e2e", "voice");
  const calls: SipCall[] = [];
  const sessions: VoiceSession[] = [];
  backend.onCall(async (call) => {
    calls.push(call);
    sessions.push(await channel.startSession(call.info.roomId, call.info.participantId, { connection: call }));
  });

  // 600 ms of "speech" then 1.4 s of silence, so the fake's server VAD ends the turn while sipp is still sending.
  const speech = tone(8000, 2000, 440);
  speech.fill(0, 8000 * 0.6);
  const pcap = makePcap(workDir, "speech.pcap", 0, speech);
  fake.queueTranscripts("hello from the phone");
  const result = await runSipp(
    [
      `127.0.0.1:${ports.sip}`,
      "-sf",
      join(SIPP_SCENARIOS, "uac-media.xml"),
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
      "0 101",
      "-key",
      "pcap",
      pcap,
      "-key",
      "room",
      "room-e2e",
      "-d",
      "4500",
    ],
    { cwd: workDir },
  );
  expect(result.code, result.output).toBe(0);
  const call = calls[0]!;
  expect(call.media.codec.name).toBe("PCMU");
  expect(sessions[0]!.metadata.transport_sample_rate).toBe(8000);
  // The caller's audio reached the fake through the provider, resampled to OpenAI's 24 kHz PCM.
  expect(fake.connections[0]!.appendedBytes).toBeGreaterThan(24000 * 2);
  // The assistant's audio went out as RTP and sipp echoed it: our own SSRC came back on our socket.
  expect(call.rtp.stats.packetsSent).toBeGreaterThanOrEqual(5);
  expect(call.rtp.remoteSsrcs).toContain(call.rtp.ssrc);
  // sipp has no echo canceller: the echoed reply is caller speech to the fake's VAD, so it barges in, and the channel
  // truncates the reply at what the pacer had sent — never more than the RTP that went out.
  const truncate = fake.received.find((entry) => entry.event.type === "conversation.item.truncate");
  expect(truncate).toBeDefined();
  const heardMs = Number(truncate!.event.audio_end_ms);
  expect(heardMs).toBeLessThanOrEqual(call.rtp.stats.packetsSent * 20);
  // sipp hung up; the session ended and nothing is left open.
  expect(call.endReason).toBe("remote_bye");
  await waitFor(() => backend.activeCalls.length === 0 && backend.rtpPortsInUse === 0, { timeoutMs: 5_000 });
  const timeline = await kit.getTimeline("room-e2e", { limit: 100 });
  expect(texts(timeline, "user")[0]).toBe("hello from the phone");
  expect(texts(timeline, "assistant")[0]).toBe("You said: hello from the phone");
}, 40_000);
