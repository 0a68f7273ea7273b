// Bench server process: the transport on Bun.serve, every started peer accepted into a session. Reads commands on
// stdin ("mark" → one JSON line: CPU, memory, frames, event-loop lag and added latency since the previous mark;
// "exit"). Added latency: a datagram's arrival at the peer's UDP socket (a listener put before werift's, keyed by the
// RTP sequence number in the clear header) → `onAudioReceived` for that packet (SRTP, depacketising, Opus decode,
// resampling, dispatch, and any wait in between).
import { createInterface } from "node:readline";
import { silentLogger, VoiceSession } from "@roomkit/spec";
import { FastRTCRealtimeTransport } from "../src/fastrtc-realtime-transport.ts";
import { createFastRTCOfferHandler } from "../src/signalling/offer-handler.ts";
import { iceSockets } from "../src/peer/socket-guard.ts";
import { LOOPBACK_ICE } from "../src/test-support/werift-client.ts";

const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: silentLogger });
const handler = createFastRTCOfferHandler(transport, { path: "", concurrencyLimit: 1000, rateLimit: false });
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
let frames = 0;
let sessions = 0;
const ids: string[] = [];
// Per peer, the arrival time of the last 1024 RTP sequence numbers (a ring; 12 KiB per session).
const RING = 1024;
const arrivals = new Map<string, { times: Float64Array; sequences: Int32Array }>();
let addedLatencies: number[] = [];
transport.onAudioReceived((session) => {
  frames++;
  const ring = arrivals.get(session.id);
  const sequence = transport.getPeer(session.id)?.lastSequenceNumber ?? -1;
  if (ring === undefined || sequence < 0 || ring.sequences[sequence % RING] !== sequence) return;
  addedLatencies.push(performance.now() - ring.times[sequence % RING]!);
});
function stampArrivals(webrtcId: string): void {
  const peer = transport.getPeer(webrtcId);
  if (!peer) return;
  const ring = { times: new Float64Array(RING), sequences: new Int32Array(RING).fill(-1) };
  arrivals.set(webrtcId, ring);
  for (const socket of iceSockets(peer.pc)) {
    socket.prependListener("message", (datagram) => {
      // RTP (RFC 7983: first byte 128–191), not RTCP (payload type 64–95 with the marker bit, RFC 5761).
      if (datagram.length < 12 || datagram[0]! < 128 || datagram[0]! > 191) return;
      const payloadType = datagram[1]! & 0x7f;
      if (payloadType >= 64 && payloadType <= 95) return;
      const sequence = (datagram[2]! << 8) | datagram[3]!;
      ring.times[sequence % RING] = performance.now();
      ring.sequences[sequence % RING] = sequence;
    });
  }
}
transport.onClientConnected(async (webrtcId) => {
  stampArrivals(webrtcId);
  const session = new VoiceSession({ id: webrtcId, roomId: "bench", participantId: webrtcId, channelId: "voice" });
  await transport.accept(session, webrtcId);
  ids.push(webrtcId);
  sessions++;
});

// Event-loop lag: a 10 ms timer's lateness, collected between marks.
let lags: number[] = [];
let expected = performance.now() + 10;
setInterval(() => {
  const now = performance.now();
  lags.push(Math.max(0, now - expected));
  expected = now + 10;
}, 10);

console.log(JSON.stringify({ port: server.port }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "exit") break;
  const quantileOf = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    return (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  };
  const quantile = quantileOf(lags);
  const latency = quantileOf(addedLatencies);
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  let rtpPackets = 0;
  let late = 0;
  let lost = 0;
  let invalid = 0;
  let unknownCodec = 0;
  for (const id of ids) {
    const peer = transport.getPeer(id);
    if (!peer) continue;
    rtpPackets += peer.counters.rtpPackets;
    late += peer.decoderDrops.dropped;
    lost += peer.decoderDrops.lost;
    invalid += peer.decoderDrops.invalid;
    unknownCodec += peer.counters.rtpUnknownCodec;
  }
  console.log(
    JSON.stringify({
      now: performance.now(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      frames,
      rtpPackets,
      late,
      lost,
      invalid,
      unknownCodec,
      beforeAccept: transport.stats.audioBeforeAccept,
      sessions,
      peers: transport.peerCount,
      lagP50: quantile(0.5),
      lagP99: quantile(0.99),
      addedLatencySamples: addedLatencies.length,
      addedLatencyP50: latency(0.5),
      addedLatencyP99: latency(0.99),
      addedLatencyMax: latency(1),
    }),
  );
  lags = [];
  addedLatencies = [];
}
await transport.close();
server.stop(true);
process.exit(0);
