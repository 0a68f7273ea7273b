// The transport's own surface (RoomKit's FastRTC checklist items that need no browser), with werift client peers
// on 127.0.0.1 where a live connection is needed.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { decodeBase64, decodeMulaw } from "@roomkit/audio";
import { createRecordingLogger, RoomKitConfigError, VoiceSession } from "@roomkit/spec";
import { waitFor } from "@roomkit/testing";
import { FastRTCRealtimeTransport, type FastRTCRealtimeTransportOptions } from "./fastrtc-realtime-transport.ts";
import { MAX_MULAW_BYTES_PER_MESSAGE, mediaMessages } from "./peer/outbound-audio.ts";
import { createFastRTCOfferHandler } from "./signalling/offer-handler.ts";
import { openUdpSockets } from "./test-support/udp-sockets.ts";
import { LOOPBACK_ICE, WeriftTestClient } from "./test-support/werift-client.ts";

const cleanups: Array<() => Promise<void> | void> = [];
let udpBefore = 0;
beforeEach(() => {
  udpBefore = openUdpSockets();
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
  // No peer outlives its test: every ICE socket is closed again.
  await waitFor(() => openUdpSockets() <= udpBefore, { timeoutMs: 3000, label: "UDP sockets released" });
});

let sessions = 0;
const newSession = () =>
  new VoiceSession({ id: `s-${++sessions}`, roomId: "room", participantId: "me", channelId: "voice" });

async function live(options: FastRTCRealtimeTransportOptions = {}) {
  const logger = createRecordingLogger();
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger, ...options });
  const handler = createFastRTCOfferHandler(transport, { path: "", concurrencyLimit: 4 });
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
  const clients: WeriftTestClient[] = [];
  cleanups.push(async () => {
    for (const client of clients) await client.close();
    await transport.close();
    server.stop(true);
  });
  const connect = async () => {
    const client = new WeriftTestClient(`http://127.0.0.1:${server.port}/webrtc/offer`);
    clients.push(client);
    await client.connect();
    await waitFor(() => transport.getPeer(client.webrtcId)?.state === "started", {
      timeoutMs: 5000,
      label: "peer started",
    });
    return client;
  };
  return { transport, logger, connect };
}

test("name, defaults 16000/24000, datachannel out, capabilities as declared", () => {
  const transport = new FastRTCRealtimeTransport();
  expect(transport.name).toBe("FastRTCRealtimeTransport");
  expect(transport.inputSampleRate).toBe(16000);
  expect(transport.outputSampleRate).toBe(24000);
  expect(transport.outboundAudio).toBe("datachannel");
  expect(transport.capabilities).toEqual({
    playbackCallback: false,
    playbackPosition: true,
    interrupt: true,
    inputMute: true,
    dtmf: false,
  });
  const custom = new FastRTCRealtimeTransport({ inputSampleRate: 24000, outputSampleRate: 16000 });
  expect([custom.inputSampleRate, custom.outputSampleRate]).toEqual([24000, 16000]);
  expect(new FastRTCRealtimeTransport({ playbackReports: false }).capabilities.playbackPosition).toBe(false);
});

test("bad options throw RoomKitConfigError naming the field", () => {
  expect(() => new FastRTCRealtimeTransport({ inputSampleRate: 11025 })).toThrow(RoomKitConfigError);
  expect(() => new FastRTCRealtimeTransport({ inputSampleRate: 11025 })).toThrow(/inputSampleRate/);
  expect(() => new FastRTCRealtimeTransport({ outboundAudio: "speaker" as never })).toThrow(/outboundAudio/);
  expect(() => new FastRTCRealtimeTransport({ codecs: [] })).toThrow(/codecs/);
  expect(() => new FastRTCRealtimeTransport({ icePortRange: [50010, 50000] })).toThrow(/icePortRange/);
  expect(() => new FastRTCRealtimeTransport({ iceServers: [{ urls: "" }] })).toThrow(/iceServers/);
  expect(() => new FastRTCRealtimeTransport({ unknown: 1 } as never)).toThrow(RoomKitConfigError);
  // A logger must be a whole Logger (debug, info, warn, error): a partial one would throw mid-call.
  expect(() => new FastRTCRealtimeTransport({ logger: { warn() {} } as never })).toThrow(/logger/);
  expect(() => new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: console })).not.toThrow();
});

test("onClientConnected holds one callback (a second replaces it); its errors, sync or async, are logged, never thrown", async () => {
  const { transport, logger, connect } = await live();
  const calls: string[] = [];
  transport.onClientConnected(() => calls.push("first"));
  transport.onClientConnected((id, metadata) => {
    calls.push(`second:${typeof id}:${JSON.stringify(metadata)}`);
    throw new Error("app bug");
  });
  await connect();
  expect(calls).toEqual(["second:string:{}"]);
  expect(logger.entries.some((entry) => entry.message === "onClientConnected failed")).toBe(true);
});

test("accept binds a live WebRTC id: metadata merged, getSession finds it; unknown ids, non-strings and a second binding are refused", async () => {
  const { transport, connect } = await live();
  const client = await connect();
  const session = newSession();
  await expect(transport.accept(session, "nobody")).rejects.toThrow(/No WebRTC connection/);
  await expect(transport.accept(session, 42)).rejects.toThrow(/WebRTC id/);
  await transport.accept(session, client.webrtcId);
  expect(transport.getSession(client.webrtcId)).toBe(session);
  expect(transport.getSession("unknown")).toBeNull();
  expect(transport.getSession(null)).toBeNull();
  await expect(transport.accept(newSession(), client.webrtcId)).rejects.toThrow(/already belongs/);
  expect(transport.sessionCount).toBe(1);
});

test("audio before accept is dropped (counted); muted audio is dropped (counted); sendAudio to an unknown session is a no-op", async () => {
  const { transport, connect } = await live();
  const client = await connect();
  const heard: number[] = [];
  transport.onAudioReceived((_session, audio) => void heard.push((audio as { data: Uint8Array }).data.byteLength));
  client.sendPcm(new Uint8Array(640 * 5).fill(7));
  await waitFor(() => transport.stats.audioBeforeAccept >= 3, { timeoutMs: 5000, label: "dropped before accept" });
  expect(heard).toEqual([]);
  const session = newSession();
  await transport.accept(session, client.webrtcId);
  transport.setInputMuted(session, true);
  client.sendPcm(new Uint8Array(640 * 3).fill(7));
  await waitFor(() => transport.stats.inputMutedDropped >= 2, { timeoutMs: 5000, label: "dropped while muted" });
  expect(heard).toEqual([]);
  expect(() => transport.sendAudio(newSession(), new Uint8Array(480))).not.toThrow();
});

test("two connections are independent: audio is routed per session, disconnecting one keeps the other", async () => {
  const { transport, connect } = await live();
  const [first, second] = [await connect(), await connect()];
  const [one, two] = [newSession(), newSession()];
  await transport.accept(one, first.webrtcId);
  await transport.accept(two, second.webrtcId);
  const bySession = new Map<string, number>();
  transport.onAudioReceived((session) => void bySession.set(session.id, (bySession.get(session.id) ?? 0) + 1));
  second.sendPcm(new Uint8Array(640 * 4).fill(9));
  await waitFor(() => (bySession.get(two.id) ?? 0) >= 2, { timeoutMs: 5000, label: "second's audio" });
  expect(bySession.has(one.id)).toBe(false);
  await transport.disconnect(one);
  expect(transport.getPeer(first.webrtcId)).toBeUndefined();
  expect(transport.getSession(second.webrtcId)).toBe(two);
  transport.sendMessage(two, { type: "clear_audio" });
  await waitFor(() => second.controlMessages().some((message) => message.type === "clear_audio"), {
    timeoutMs: 5000,
    label: "message to the remaining session",
  });
});

test("sendMessage: one JSON string per message on the open channel; clear_audio is sent once per barge-in", async () => {
  const { transport, connect } = await live();
  const client = await connect();
  const session = newSession();
  await transport.accept(session, client.webrtcId);
  const message = { type: "transcription", text: "héllo", role: "user", is_final: true } as const;
  transport.sendMessage(session, message);
  transport.interrupt(session);
  transport.sendMessage(session, { type: "clear_audio" });
  transport.sendMessage(session, { type: "speaking", speaking: false, who: "assistant" });
  await waitFor(() => client.controlMessages().length >= 3, { timeoutMs: 5000, label: "messages" });
  expect(client.controlMessages()).toEqual([
    message,
    { type: "clear_audio" },
    { type: "speaking", speaking: false, who: "assistant" },
  ]);
});

test("close() with no sessions resolves; with sessions it closes every peer and refuses later offers", async () => {
  await new FastRTCRealtimeTransport().close();
  const { transport, connect } = await live();
  const client = await connect();
  await transport.accept(newSession(), client.webrtcId);
  await transport.close();
  await transport.close();
  expect(transport.peerCount).toBe(0);
  expect(transport.sessionCount).toBe(0);
  await expect(transport.openPeer("late", "v=0\r\n")).rejects.toThrow(/closed/);
});

test("media messages: μ-law of exactly the bytes given, RoomKit's wire shape, split below the message-size limit", () => {
  const pcm = new Int16Array([0, -1, 32767, -32768]);
  const [message, ...rest] = mediaMessages(new Uint8Array(pcm.buffer));
  expect(rest).toEqual([]);
  const parsed = JSON.parse(message!);
  expect(Object.keys(parsed)).toEqual(["event", "media"]);
  expect(parsed.event).toBe("media");
  expect([...decodeBase64(parsed.media.payload)!]).toEqual([0xff, 0x7e, 0x80, 0x00]);
  const long = new Uint8Array(2 * (MAX_MULAW_BYTES_PER_MESSAGE * 2 + 10));
  const parts = mediaMessages(long);
  expect(parts).toHaveLength(3);
  const total = parts.reduce(
    (sum, part) => sum + decodeMulaw(decodeBase64(JSON.parse(part).media.payload)!).byteLength,
    0,
  );
  expect(total).toBe(long.byteLength);
  for (const part of parts) expect(part.length).toBeLessThan(40 * 1024);
});

test("a message or audio for a peer whose DataChannel is not open is dropped (counted), never thrown", async () => {
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: createRecordingLogger() });
  cleanups.push(() => transport.close());
  const offerer = new WeriftTestClient("http://127.0.0.1:9/unused");
  cleanups.push(() => offerer.close());
  offerer.pc.addTransceiver(offerer.track, { direction: "sendrecv" });
  offerer.pc.createDataChannel("text");
  await offerer.pc.setLocalDescription(await offerer.pc.createOffer());
  await transport.openPeer("pending", offerer.pc.localDescription!.sdp);
  const session = newSession();
  await transport.accept(session, "pending");
  expect(() => transport.sendMessage(session, { type: "session_started" })).not.toThrow();
  expect(() => transport.sendAudio(session, new Uint8Array(960))).not.toThrow();
  expect(transport.stats.messagesDropped).toBe(1);
  expect(transport.stats.messagesSent).toBe(0);
});
