// Bench server process (launched pinned by bench/index.ts): WebSocketRealtimeTransport + RealtimeVoiceChannel with
// an echoing provider, on Bun.serve or `ws`. argv: kind clients. Prints `{"url"}` when listening; after the line
// "stop" on stdin prints its measurements (CPU from the moment all sessions are live) and exits.
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { type InboundAudio, silentLogger, type VoiceSession } from "@roomkit/spec";
import { MockRealtimeProvider } from "@roomkit/testing";
import { WebSocketServer } from "ws";
import { createBunWebSocketAdapter } from "../src/adapters/bun-adapter.ts";
import { attachWsServer, type WsLikeServer } from "../src/adapters/ws-adapter.ts";
import type { WebSocketConnection } from "../src/websocket-connection.ts";
import { WebSocketRealtimeTransport } from "../src/websocket-realtime-transport.ts";

/** Echoes caller audio back as model audio, without recording it (the mock records every call). */
class EchoProvider extends MockRealtimeProvider {
  override sendAudio(session: VoiceSession, audio: Uint8Array): void {
    this.fireAudio(session, audio);
  }
}

/**
 * Measures the latency the transport + channel add inside the server: from the decoded frame being handed to the
 * channel (fireAudioReceived) to its echo reaching the socket (sendAudio). Only samples taken while streaming count.
 */
class TimedTransport extends WebSocketRealtimeTransport {
  readonly samples = new Float64Array(1_000_000);
  count = 0;
  recording = false;
  readonly #receivedAt = new Map<string, number>();
  protected override fireAudioReceived(session: VoiceSession, audio: InboundAudio): Promise<void> | undefined {
    this.#receivedAt.set(session.id, performance.now());
    return super.fireAudioReceived(session, audio);
  }
  override sendAudio(session: VoiceSession, audio: Uint8Array): void {
    const at = this.#receivedAt.get(session.id);
    if (this.recording && at !== undefined && this.count < this.samples.length) {
      this.samples[this.count++] = performance.now() - at;
    }
    super.sendAudio(session, audio);
  }
}

const kind = process.argv[2] === "ws" ? "ws" : "bun";
const clients = Number(process.argv[3]);

Bun.gc(true);
const memoryBefore = process.memoryUsage();
const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
const transport = new TimedTransport({ audioFormat: "binary", logger: silentLogger });
const channel = new RealtimeVoiceChannel("voice", {
  provider: new EchoProvider({ logger: silentLogger }),
  transport,
  inputSampleRate: 16000,
  outputSampleRate: 16000,
  emitTranscriptionEvents: false,
  logger: silentLogger,
});
kit.registerChannel(channel);
let roomCounter = 0;
const onConnection = async (connection: WebSocketConnection) => {
  const room = await kit.createRoom({ roomId: `room-${++roomCounter}` });
  await kit.attachChannel(room.id, "voice");
  await channel.startSession(room.id, "caller", { connection });
};

let url: string;
if (kind === "bun") {
  const adapter = createBunWebSocketAdapter({ onConnection, rateLimit: false });
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request, bunServer) =>
      adapter.upgrade(request, bunServer) ? undefined : new Response("", { status: 400 }),
    websocket: adapter.websocket,
  });
  url = `ws://127.0.0.1:${server.port}/ws`;
} else {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, backlog: 1024 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  attachWsServer(server as unknown as WsLikeServer, { onConnection, rateLimit: false });
  const address = server.address();
  url = `ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/ws`;
}
console.log(JSON.stringify({ url }));

const liveDeadline = performance.now() + 60_000;
while (transport.sessionCount < clients && performance.now() < liveDeadline) await Bun.sleep(5);
const sessionsLive = transport.sessionCount;
Bun.gc(true);
const memoryLive = process.memoryUsage();
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
const inBefore = transport.stats.audioFramesReceived;
transport.recording = true;
// Event-loop lag: how late a 10 ms timer fires (CPU contention and GC show up here, not in the added latency).
const lags: number[] = [];
let expectedTick = performance.now() + 10;
const lagTimer = setInterval(() => {
  const now = performance.now();
  lags.push(Math.max(0, now - expectedTick));
  expectedTick = now + 10;
}, 10);
const outBefore = transport.stats.audioFramesSent;

for await (const line of console) {
  if (line.trim() === "stop") break;
}
clearInterval(lagTimer);
const cpu = process.cpuUsage(cpuBefore);
lags.sort((a, b) => a - b);
const lagQuantile = (q: number) =>
  lags.length === 0 ? null : Number(lags[Math.floor(q * (lags.length - 1))]!.toFixed(2));
const wallMs = performance.now() - wallBefore;
const cpuMs = (cpu.user + cpu.system) / 1000;
const framesIn = transport.stats.audioFramesReceived - inBefore;
const added = transport.samples.slice(0, transport.count).sort();
const quantile = (q: number) =>
  added.length === 0 ? null : Number((added[Math.floor(q * (added.length - 1))]! * 1000).toFixed(1));
const framesOut = transport.stats.audioFramesSent - outBefore;
console.log(
  JSON.stringify({
    sessionsLive,
    framesIn,
    framesOut,
    outboundDropped: transport.stats.outboundAudioDropped,
    serverCpuMs: Math.round(cpuMs),
    serverCpuPercentOfOneCore: Number(((cpuMs / wallMs) * 100).toFixed(1)),
    cpuMicrosPerFrame: Number(((cpuMs * 1000) / Math.max(1, framesIn + framesOut)).toFixed(2)),
    addedLatencyMicros: { p50: quantile(0.5), p99: quantile(0.99), max: quantile(1), samples: added.length },
    eventLoopLagMs: { p50: lagQuantile(0.5), p99: lagQuantile(0.99), max: lagQuantile(1) },
    rssPerSessionKiB: Number(((memoryLive.rss - memoryBefore.rss) / 1024 / clients).toFixed(1)),
    heapPerSessionKiB: Number(((memoryLive.heapUsed - memoryBefore.heapUsed) / 1024 / clients).toFixed(1)),
  }),
);
process.exit(0);
