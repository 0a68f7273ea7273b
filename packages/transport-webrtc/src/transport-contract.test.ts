// The shared RealtimeTransport contract (@roomkit/testing) against real werift client peers on 127.0.0.1: each
// declared capability (interrupt, inputMute, playbackPosition) is checked against what the client receives.
import { createRecordingLogger } from "@roomkit/spec";
import { describeRealtimeTransportContract, type TransportContractSubject, waitFor } from "@roomkit/testing";
import { FastRTCRealtimeTransport, type FastRTCRealtimeTransportOptions } from "./fastrtc-realtime-transport.ts";
import { createFastRTCOfferHandler } from "./signalling/offer-handler.ts";
import { openUdpSockets } from "./test-support/udp-sockets.ts";
import { LOOPBACK_ICE, WeriftTestClient } from "./test-support/werift-client.ts";

async function subject(options: FastRTCRealtimeTransportOptions): Promise<TransportContractSubject> {
  const udpBefore = openUdpSockets();
  const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: createRecordingLogger(), ...options });
  const handler = createFastRTCOfferHandler(transport, { path: "", concurrencyLimit: 8 });
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
  const started: string[] = [];
  const track = transport.outboundAudio === "track";
  transport.onClientConnected((webrtcId) => void started.push(webrtcId));
  const clients = new Map<unknown, WeriftTestClient>();
  const clientOf = (connection: unknown) => clients.get(connection)!;
  return {
    transport,
    sampleRate: transport.inputSampleRate,
    outputSampleRate: transport.outputSampleRate,
    lossless: false,
    connect: async () => {
      const client = new WeriftTestClient(`http://127.0.0.1:${server.port}/webrtc/offer`, {
        sampleRate: transport.inputSampleRate,
      });
      clients.set(client.webrtcId, client);
      await client.connect();
      await waitFor(() => started.includes(client.webrtcId), { timeoutMs: 5000, label: "onClientConnected" });
      return client.webrtcId;
    },
    sendFromClient: (connection, audio) => clientOf(connection).sendPcm(audio),
    closeFromClient: (connection) => clientOf(connection).close(),
    // μ-law over the DataChannel: what the client kept since the last clear_audio, as PCM16 bytes. With the Opus
    // track (a browser cannot flush its jitter buffer): everything decoded, as PCM16 bytes at outputSampleRate.
    receivedByClient: (connection) => {
      const client = clientOf(connection);
      const trackBytes = client.trackPcm.reduce((sum, pcm) => sum + pcm.byteLength, 0);
      const audioBytes = track ? (trackBytes * transport.outputSampleRate) / 48000 : client.keptDataChannelBytes;
      return { audioBytes, messages: client.controlMessages() };
    },
    // With the track the transport reports by itself (the track's sent timeline); with the DataChannel the client does.
    reportPlaybackFromClient: track
      ? undefined
      : (connection, playedMs) => {
          clientOf(connection).send(JSON.stringify({ type: "playback", played_ms: playedMs }));
        },
    sendDtmfFromClient: (connection, digit) => clientOf(connection).send(JSON.stringify({ type: "dtmf", digit })),
    cleanup: async () => {
      for (const client of clients.values()) await client.close();
      server.stop(true);
      // The suite closed the transport: no peer of this test is left (server or client side).
      await waitFor(() => transport.peerCount === 0 && openUdpSockets() <= udpBefore, {
        timeoutMs: 3000,
        label: "peers and UDP sockets released",
      });
    },
  };
}

describeRealtimeTransportContract(() => subject({}), {
  name: "RealtimeTransport contract: FastRTCRealtimeTransport (datachannel, 16/24 kHz)",
});

describeRealtimeTransportContract(() => subject({ inputSampleRate: 24000, playbackReports: false }), {
  name: "RealtimeTransport contract: FastRTCRealtimeTransport (24 kHz in, playbackReports: false)",
});

describeRealtimeTransportContract(() => subject({ outboundAudio: "track" }), {
  name: "RealtimeTransport contract: FastRTCRealtimeTransport (Opus track out)",
});
