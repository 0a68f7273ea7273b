// One RoomKit node for the load benchmark, in its own process. Env: MODE ("alone": memory store, no bus — the
// single-process default; "cluster": PostgreSQL store + Redis bus + ClusterNode), NODE_ID, SESSIONS, FAKE_URL, and in
// cluster mode DATABASE_URL, REDIS_URL, NAMESPACE and optionally ROOM_SLOTS (the bus's `roomSlots`). Callers connect to /ws; each call is a RealtimeVoiceChannel
// session on a WebSocket transport and an OpenAI Realtime provider talking to the fake. Prints {"url"} when
// listening; measures from the moment SESSIONS calls are live; on the line "stop" prints its figures and exits.
import { ClusterNode, RedisRoomBus } from "@roomkit/bus-redis";
import { type ConversationStore, MemoryConversationStore, RoomKit, type RoomEventBus } from "@roomkit/core";
import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { silentLogger } from "@roomkit/spec";
import { PostgresConversationStore } from "@roomkit/store-postgres";
import { createBunWebSocketAdapter, WebSocketRealtimeTransport } from "@roomkit/transport-ws";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const mode = env("MODE") === "cluster" ? "cluster" : "alone";
const nodeId = env("NODE_ID");
const sessions = Number(env("SESSIONS"));

let store: ConversationStore;
let bus: (RoomEventBus & { close(): Promise<void> }) | undefined;
let cluster: ClusterNode | undefined;
const counts = { published: 0, delivered: 0 };
if (mode === "cluster") {
  const namespace = env("NAMESPACE");
  store = await PostgresConversationStore.open({ url: env("DATABASE_URL"), schema: namespace });
  const redisBus = new RedisRoomBus({
    url: env("REDIS_URL"),
    store,
    nodeId,
    prefix: namespace,
    roomSlots: process.env.ROOM_SLOTS ? Number(process.env.ROOM_SLOTS) : undefined,
    logger: silentLogger,
  });
  await redisBus.ready;
  // Instance-level probes: events this node publishes, and events from other nodes handed to this RoomKit.
  const publish = redisBus.publish.bind(redisBus);
  redisBus.publish = (event) => {
    counts.published++;
    publish(event);
  };
  const subscribe = redisBus.subscribe.bind(redisBus);
  redisBus.subscribe = (deliver) =>
    subscribe((event) => {
      counts.delivered++;
      return deliver(event);
    });
  bus = redisBus;
} else {
  store = new MemoryConversationStore();
}
const kit = new RoomKit({ store, bus, logger: silentLogger });
if (mode === "cluster") {
  cluster = new ClusterNode({
    url: env("REDIS_URL"),
    kit,
    bus: bus as RedisRoomBus,
    nodeId,
    prefix: env("NAMESPACE"),
    logger: silentLogger,
  });
  await cluster.start();
}
const provider = new OpenAIRealtimeProvider({ apiKey: "sk-offline", baseUrl: env("FAKE_URL"), logger: silentLogger });
// Instance-level probe: caller frames the channel handed to the provider (sent on to the fake).
let framesToProvider = 0;
const sendAudio = provider.sendAudio.bind(provider);
provider.sendAudio = (...args: Parameters<typeof sendAudio>) => {
  framesToProvider++;
  return sendAudio(...args);
};
const transport = new WebSocketRealtimeTransport({ audioFormat: "binary", logger: silentLogger });
const channelId = `voice-${nodeId}`;
const channel = new RealtimeVoiceChannel(channelId, {
  provider,
  transport,
  systemPrompt: "You are a benchmark agent.",
  logger: silentLogger,
});
kit.registerChannel(channel);

let roomCounter = 0;
let onAllLive: (() => void) | undefined;
const allLive = new Promise<void>((resolve) => {
  onAllLive = resolve;
});
let failures = 0;
const adapter = createBunWebSocketAdapter({
  onConnection: async (connection) => {
    try {
      const room = await kit.createRoom({ roomId: `${nodeId}-room-${++roomCounter}` });
      await kit.attachChannel(room.id, channelId);
      await channel.startSession(room.id, "caller", { connection });
      if (transport.sessionCount >= sessions) onAllLive?.();
    } catch (error) {
      failures++;
      console.error(`${nodeId}: session failed: ${String(error)}`);
    }
  },
  logger: silentLogger,
});
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: (request, bunServer) => (adapter.upgrade(request, bunServer) ? undefined : new Response("", { status: 400 })),
  websocket: adapter.websocket,
});
// Memory a session adds is measured from here: the node is set up (clients connected, server listening).
Bun.gc(true);
const memoryBefore = process.memoryUsage();
process.stdout.write(`${JSON.stringify({ url: `ws://127.0.0.1:${server.port}/ws` })}\n`);

const lines = console[Symbol.asyncIterator]();
const measuring = allLive.then(() => {
  Bun.gc(true);
  const memoryLive = process.memoryUsage();
  return {
    memoryLive,
    cpuBefore: process.cpuUsage(),
    wallBefore: performance.now(),
    framesInBefore: transport.stats.audioFramesReceived,
    framesOutBefore: transport.stats.audioFramesSent,
    framesToProviderBefore: framesToProvider,
    countsBefore: { ...counts },
  };
});
while (true) {
  const { value, done } = await lines.next();
  if (done || String(value).trim() === "stop") break;
}
const started = await Promise.race([measuring, Bun.sleep(0).then(() => undefined)]);
if (!started) {
  process.stdout.write(
    `${JSON.stringify({ error: `only ${transport.sessionCount} of ${sessions} sessions went live`, failures })}\n`,
  );
  process.exit(1);
}
const cpu = process.cpuUsage(started.cpuBefore);
const wallMs = performance.now() - started.wallBefore;
const framesIn = transport.stats.audioFramesReceived - started.framesInBefore;
const framesOut = transport.stats.audioFramesSent - started.framesOutBefore;
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  `${JSON.stringify({
    nodeId,
    mode,
    sessionsLive: transport.sessionCount,
    failures,
    measuredMs: Math.round(wallMs),
    framesIn,
    framesOut,
    framesToProvider: framesToProvider - started.framesToProviderBefore,
    outboundDropped: transport.stats.outboundAudioDropped,
    cpuMs: Math.round(cpuMs),
    cpuPercentOfOneCore: Number(((cpuMs / wallMs) * 100).toFixed(1)),
    cpuMicrosPerFrame: Number(((cpuMs * 1000) / Math.max(1, framesIn + framesOut)).toFixed(2)),
    rssBeforeSessionsMiB: Number((memoryBefore.rss / 1024 / 1024).toFixed(1)),
    rssPerSessionKiB: Number(((started.memoryLive.rss - memoryBefore.rss) / 1024 / sessions).toFixed(1)),
    heapPerSessionKiB: Number(((started.memoryLive.heapUsed - memoryBefore.heapUsed) / 1024 / sessions).toFixed(1)),
    eventsPublished: counts.published - started.countsBefore.published,
    eventsFromOtherNodes: counts.delivered - started.countsBefore.delivered,
  })}\n`,
);
process.exit(0);
