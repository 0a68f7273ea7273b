// Benchmark: N concurrent WebSocket callers on loopback, each streaming 20 ms frames in real time through
// WebSocketRealtimeTransport + RealtimeVoiceChannel to a provider that echoes every frame straight back.
// Bun.serve vs `ws` (Bun's built-in ws implementation under Bun) in the same run. Prints ONE JSON object.
// Env: BENCH_CLIENTS="50,200,500", BENCH_DURATION_MS=5000.
import { join } from "node:path";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger, type VoiceSession } from "@roomkit/spec";
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

const clientCounts = (process.env.BENCH_CLIENTS ?? "50,200,500").split(",").map(Number);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);

async function runOnce(kind: "bun" | "ws", clients: number) {
  const kit = new RoomKit({ store: new MemoryConversationStore(), logger: silentLogger });
  const transport = new WebSocketRealtimeTransport({ audioFormat: "binary", logger: silentLogger });
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
  let stop: () => Promise<void>;
  if (kind === "bun") {
    const adapter = createBunWebSocketAdapter({ onConnection });
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request, bunServer) =>
        adapter.upgrade(request, bunServer) ? undefined : new Response("", { status: 400 }),
      websocket: adapter.websocket,
    });
    url = `ws://127.0.0.1:${server.port}/ws`;
    stop = async () => void server.stop(true);
  } else {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0, backlog: 1024 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    attachWsServer(server as unknown as WsLikeServer, { onConnection });
    const address = server.address();
    url = `ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/ws`;
    stop = async () => {
      for (const socket of server.clients) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
  }

  Bun.gc(true);
  const memoryBefore = process.memoryUsage();
  const child = Bun.spawn(
    ["bun", "run", join(import.meta.dir, "load-client.ts"), url, String(clients), String(durationMs)],
    {
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  // CPU is measured from the moment every session is live to the end of streaming.
  const liveDeadline = performance.now() + 30000;
  while (transport.sessionCount < clients && performance.now() < liveDeadline) await Bun.sleep(10);
  Bun.gc(true);
  const memoryLive = process.memoryUsage();
  const framesInBefore = transport.stats.audioFramesReceived;
  const framesOutBefore = transport.stats.audioFramesSent;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const output = await new Response(child.stdout).text();
  await child.exited;
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  const framesIn = transport.stats.audioFramesReceived - framesInBefore;
  const framesOut = transport.stats.audioFramesSent - framesOutBefore;
  const client = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as Record<string, number | null>;
  await kit.close();
  await transport.close();
  await stop();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    server: kind,
    clients,
    sessionsLive: client.started,
    framesIn,
    framesOut,
    outboundDropped: transport.stats.outboundAudioDropped,
    serverCpuMs: Math.round(cpuMs),
    serverCpuPercentOfOneCore: Number(((cpuMs / wallMs) * 100).toFixed(1)),
    cpuMicrosPerFrame: Number(((cpuMs * 1000) / Math.max(1, framesIn + framesOut)).toFixed(2)),
    roundTripMs: { p50: client.p50, p99: client.p99, max: client.max },
    memoryPerSessionKiB: Number(((memoryLive.rss - memoryBefore.rss) / 1024 / clients).toFixed(1)),
    heapPerSessionKiB: Number(((memoryLive.heapUsed - memoryBefore.heapUsed) / 1024 / clients).toFixed(1)),
  };
}

const results: Array<Awaited<ReturnType<typeof runOnce>>> = [];
for (const clients of clientCounts) {
  for (const kind of ["bun", "ws"] as const) results.push(await runOnce(kind, clients));
}
const p99 = (kind: string) =>
  results.filter((result) => result.server === kind).reduce((sum, result) => sum + (result.roundTripMs.p99 ?? 1e9), 0);
const cpu = (kind: string) =>
  results.filter((result) => result.server === kind).reduce((sum, result) => sum + result.cpuMicrosPerFrame, 0);
console.log(
  JSON.stringify(
    {
      benchmark: "transport-ws: N callers streaming 20 ms PCM16 frames in real time, echoed by the channel",
      machine: {
        cores: navigator.hardwareConcurrency,
        bun: Bun.version,
        note: "shared 2-core machine; load client in a separate process on the same cores",
      },
      durationMsPerRun: durationMs,
      frame: "640 B (20 ms, 16 kHz PCM16), binary frames both ways; latency = client send → echo received (round trip)",
      results,
      faster: cpu("bun") <= cpu("ws") && p99("bun") <= p99("ws") ? "bun" : cpu("bun") <= cpu("ws") ? "bun (cpu)" : "ws",
    },
    null,
    2,
  ),
);
process.exit(0);
