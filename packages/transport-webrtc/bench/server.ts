// Bench server process: the transport on Bun.serve, every started peer accepted into a session. Reads commands on
// stdin ("mark" → one JSON line: CPU, memory, frames, event-loop lag since the previous mark; "exit").
import { createInterface } from "node:readline";
import { silentLogger, VoiceSession } from "@roomkit/spec";
import { FastRTCRealtimeTransport } from "../src/fastrtc-realtime-transport.ts";
import { createFastRTCOfferHandler } from "../src/signalling/offer-handler.ts";
import { LOOPBACK_ICE } from "../src/test-support/werift-client.ts";

const transport = new FastRTCRealtimeTransport({ ...LOOPBACK_ICE, logger: silentLogger });
const handler = createFastRTCOfferHandler(transport, { path: "", concurrencyLimit: 1000 });
const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
let frames = 0;
let sessions = 0;
const ids: string[] = [];
transport.onAudioReceived(() => {
  frames++;
});
transport.onClientConnected(async (webrtcId) => {
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
  const sorted = lags.sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
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
    }),
  );
  lags = [];
}
await transport.close();
server.stop(true);
process.exit(0);
