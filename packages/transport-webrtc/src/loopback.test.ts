// Real WebRTC on 127.0.0.1: a werift client peer (DTLS/SRTP/SCTP) talks to the transport through the signalling
// route on Bun.serve, inside RoomKit + RealtimeVoiceChannel with the mock provider. Audio both ways, FastRTC's
// DataChannel messages, hang-up, disconnect, a peer with no DataChannel, G.711 and the Opus track.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { generateTone } from "@roomkit/audio";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { createRecordingLogger, type InboundAudio, silentLogger, type VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider, waitFor } from "@roomkit/testing";
import { FastRTCRealtimeTransport, type FastRTCRealtimeTransportOptions } from "./fastrtc-realtime-transport.ts";
import { createFastRTCOfferHandler } from "./signalling/offer-handler.ts";
import { openUdpSockets } from "./test-support/udp-sockets.ts";
import { concatPcm, LOOPBACK_ICE, rms, WeriftTestClient, zeroCrossingHz } from "./test-support/werift-client.ts";

const cleanups: Array<() => Promise<void> | void> = [];
let udpBefore = 0;
beforeEach(() => {
  udpBefore = openUdpSockets();
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
  // Every peer (server and client side) closed its ICE sockets: no UDP socket outlives the test.
  await waitFor(() => openUdpSockets() <= udpBefore, { timeoutMs: 3000, label: "UDP sockets released" });
});

async function start(options: FastRTCRealtimeTransportOptions = {}, withChannel = true) {
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: createRecordingLogger(), ...options });
  const handler = createFastRTCOfferHandler(transport, { path: "/rtc-realtime", concurrencyLimit: 4 });
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
  const url = `http://127.0.0.1:${server.port}/rtc-realtime/webrtc/offer`;
  const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
  const provider = new MockRealtimeProvider({ logger: silentLogger });
  const channel = new RealtimeVoiceChannel("voice", {
    provider,
    transport,
    inputSampleRate: transport.inputSampleRate,
    outputSampleRate: transport.outputSampleRate,
    logger: silentLogger,
  });
  kit.registerChannel(channel);
  await kit.createRoom({ roomId: "room-1" });
  await kit.attachChannel("room-1", "voice");
  const sessions: VoiceSession[] = [];
  const connected: Array<{ webrtcId: string; metadata: Record<string, unknown> }> = [];
  transport.onClientConnected(async (webrtcId, metadata) => {
    connected.push({ webrtcId, metadata });
    if (withChannel) sessions.push(await channel.startSession("room-1", "caller", { connection: webrtcId }));
  });
  const clients: WeriftTestClient[] = [];
  cleanups.push(async () => {
    for (const client of clients) await client.close();
    await kit.close();
    await transport.close();
    server.stop(true);
  });
  const connect = async (clientOptions: ConstructorParameters<typeof WeriftTestClient>[1] = {}) => {
    const client = new WeriftTestClient(url, clientOptions);
    clients.push(client);
    const reply = await client.connect();
    expect(reply.status).toBe(200);
    return client;
  };
  return { transport, provider, channel, sessions, connected, connect, url };
}

test("audio both ways through the channel: the caller's tone reaches the provider, the provider's tone the client", async () => {
  const { transport, provider, sessions, connected, connect } = await start();
  const client = await connect({ trickle: true });
  await waitFor(() => sessions.length === 1, { timeoutMs: 5000, label: "session started" });
  expect(connected[0]!.webrtcId).toBe(client.webrtcId);
  await waitFor(() => client.controlMessages().some((message) => message.type === "session_started"), {
    timeoutMs: 5000,
    label: "session_started on the DataChannel",
  });

  client.sendPcm(generateTone({ frequency: 440, durationMs: 600, sampleRate: 16000, amplitude: 0.3 }));
  await waitFor(() => provider.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0) >= 16000, {
    timeoutMs: 5000,
    label: "caller audio at the provider",
  });
  const heard = concatPcm(provider.sentAudio.map((entry) => entry.audio));
  // Skip the Opus decoder's warm-up; then the 440 Hz tone must be there.
  expect(Math.abs(zeroCrossingHz(heard.subarray(3200, 16000), 16000) - 440)).toBeLessThanOrEqual(5);
  expect(rms(heard.subarray(3200, 16000))).toBeGreaterThan(5000);

  const session = sessions[0]!;
  await provider.simulateResponseStart(session);
  await provider.simulateAudio(session, generateTone({ frequency: 1000, durationMs: 400, sampleRate: 24000 }));
  await provider.simulateResponseEnd(session);
  await waitFor(() => client.keptDataChannelBytes >= 19200, { timeoutMs: 5000, label: "μ-law media at the client" });
  const media = concatPcm(client.dataChannelPcm);
  expect(Math.abs(zeroCrossingHz(media, 24000) - 1000)).toBeLessThanOrEqual(5);
  const types = client.controlMessages().map((message) => message.type);
  expect(types).toContain("speaking");
  expect(transport.stats.audioFramesReceived).toBeGreaterThan(0);
});

test("every client DataChannel message is echoed as FastRTC's log message; a `playback` report becomes the position", async () => {
  const { transport, sessions, connect } = await start({ maxClientMessageChars: 50_000 });
  const client = await connect();
  await waitFor(() => sessions.length === 1, { timeoutMs: 5000, label: "session" });
  const positions: number[] = [];
  transport.onPlaybackPosition((_session, position) => void positions.push(position.playedMs));
  client.send("handshake");
  client.send(JSON.stringify({ type: "playback", played_ms: 340 }));
  client.send("x".repeat(60_000));
  await waitFor(() => positions.includes(340), { timeoutMs: 5000, label: "playback position" });
  await waitFor(() => client.messages.filter((message) => (message as { type?: string }).type === "log").length >= 2, {
    timeoutMs: 5000,
    label: "log echoes",
  });
  const logs = client.controlMessages().filter((message) => message.type === "log");
  expect(logs[0]).toEqual({ type: "log", data: "Server received: handshake" });
  expect(logs[1]!.data).toBe('Server received: {"type":"playback","played_ms":340}');
  const peer = transport.getPeer(client.webrtcId)!;
  await waitFor(() => peer.counters.clientMessagesTooLarge === 1, { timeoutMs: 5000, label: "oversized dropped" });
  expect(client.controlMessages().filter((message) => message.type === "log")).toHaveLength(2);
});

test("the browser hanging up is detected from the DataChannel close at once: the session ends, the slot is freed", async () => {
  const { transport, sessions, connect } = await start();
  const gone: string[] = [];
  transport.onClientDisconnected((session) => void gone.push(session.id));
  const client = await connect();
  await waitFor(() => sessions.length === 1, { timeoutMs: 5000, label: "session" });
  await client.close();
  await waitFor(() => gone.length === 1, { timeoutMs: 3000, label: "onClientDisconnected" });
  expect(gone).toEqual([sessions[0]!.id]);
  expect(transport.peerCount).toBe(0);
  expect(transport.sessionCount).toBe(0);
  expect(transport.stats.closeReasons.datachannel_closed ?? transport.stats.closeReasons.dtls_closed).toBe(1);
});

test("channel.endSession: session_ended reaches the client before disconnect() really closes the peer", async () => {
  const { transport, channel, sessions, connect } = await start();
  const client = await connect();
  await waitFor(() => sessions.length === 1, { timeoutMs: 5000, label: "session" });
  const peer = transport.getPeer(client.webrtcId)!;
  // Its ICE sockets have an error listener: ICMP unreachable from the gone client must not crash the process.
  expect(peer.guardedSockets).toBeGreaterThan(0);
  await channel.endSession(sessions[0]!);
  await waitFor(() => client.controlMessages().some((message) => message.type === "session_ended"), {
    timeoutMs: 3000,
    label: "session_ended",
  });
  expect(peer.isClosed).toBe(true);
  expect(peer.pc.connectionState).toBe("closed");
  expect(transport.peerCount).toBe(0);
  await waitFor(() => client.channel?.readyState === "closed", { timeoutMs: 3000, label: "client channel closed" });
  // The client keeps sending to the closed server port for a moment: nothing throws on either side.
  client.sendPcm(generateTone({ frequency: 440, durationMs: 200, sampleRate: 16000 }));
  await new Promise((resolve) => setTimeout(resolve, 200));
});

test("a peer without a DataChannel never starts: no onClientConnected, no audio; the start-up timeout frees it", async () => {
  const { transport, connected, connect } = await start({ connectTimeoutMs: 1500 }, false);
  const audio: InboundAudio[] = [];
  transport.onAudioReceived((_session, frame) => void audio.push(frame));
  const client = await connect({ noDataChannel: true });
  await waitFor(() => client.connectionState === "connected", { timeoutMs: 5000, label: "ICE/DTLS connected" });
  client.sendPcm(generateTone({ frequency: 440, durationMs: 200, sampleRate: 16000 }));
  await waitFor(() => transport.peerCount === 0, { timeoutMs: 5000, label: "timed-out peer closed" });
  expect(connected).toEqual([]);
  expect(audio).toEqual([]);
});

test("a peer that never completes ICE is closed by the connect timeout (no leaked peer)", async () => {
  const { transport, url } = await start({ connectTimeoutMs: 300 });
  const client = new WeriftTestClient(url);
  client.pc.addTransceiver(client.track, { direction: "sendrecv" });
  client.pc.createDataChannel("text");
  await client.pc.setLocalDescription(await client.pc.createOffer());
  const sdp = client.pc.localDescription!.sdp;
  await client.close(); // the offer's candidates lead nowhere now
  const reply = await client.post({ sdp, type: "offer", webrtc_id: "ghost" });
  expect(reply.status).toBe(200);
  expect(transport.peerCount).toBe(1);
  await waitFor(() => transport.peerCount === 0, { timeoutMs: 5000, label: "connect timeout" });
  expect(transport.stats.closeReasons.connect_timeout).toBe(1);
});

test("PCMU from the browser is decoded and resampled to inputSampleRate", async () => {
  const { provider, sessions, connect } = await start({ codecs: ["pcmu"] });
  const client = await connect({ codec: "pcmu", sampleRate: 8000 });
  await waitFor(() => sessions.length === 1, { timeoutMs: 5000, label: "session" });
  client.sendPcm(generateTone({ frequency: 500, durationMs: 400, sampleRate: 8000, amplitude: 0.3 }));
  await waitFor(() => provider.sentAudio.reduce((sum, entry) => sum + entry.audio.byteLength, 0) >= 12000, {
    timeoutMs: 5000,
    label: "PCMU audio at the provider",
  });
  const heard = concatPcm(provider.sentAudio.map((entry) => entry.audio));
  expect(Math.abs(zeroCrossingHz(heard.subarray(1600, 12000), 16000) - 500)).toBeLessThanOrEqual(5);
});

test("outboundAudio 'track': the provider's audio arrives as Opus RTP (not on the DataChannel); interrupt() cuts it", async () => {
  const { transport, provider, sessions, connect } = await start({ outboundAudio: "track" });
  const client = await connect();
  await waitFor(() => sessions.length === 1, { timeoutMs: 5000, label: "session" });
  const session = sessions[0]!;
  await provider.simulateResponseStart(session);
  await provider.simulateAudio(session, generateTone({ frequency: 1000, durationMs: 3000, sampleRate: 24000 }));
  await waitFor(() => client.trackPackets >= 15, { timeoutMs: 5000, label: "Opus packets on the track" });
  const decoded = concatPcm(client.trackPcm);
  expect(Math.abs(zeroCrossingHz(decoded.subarray(9600), 48000) - 1000)).toBeLessThanOrEqual(5);
  expect(client.dataChannelPcm).toEqual([]);
  transport.interrupt(session);
  const atInterrupt = client.trackPackets;
  await new Promise((resolve) => setTimeout(resolve, 300));
  // Paced: 3 s were queued, but after the barge-in at most the frames already in flight arrive.
  expect(client.trackPackets - atInterrupt).toBeLessThanOrEqual(5);
  expect(client.trackPackets).toBeLessThan(100);
  expect(client.controlMessages().some((message) => message.type === "clear_audio")).toBe(true);
});
