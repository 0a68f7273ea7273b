// Cross-node figures on loopback, against a private redis-server: (1) room event latency from `sendEvent` on node B
// to `onEvent` of the channel on node A (one event at a time), (2) a routed `injectText` round trip (node B → owner
// A → answer). Both nodes in this process, sharing a memory store (the store's own cost is store-postgres's bench).
// Prints JSON with p50/p99 in milliseconds. `bun run bench`.
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { type RoomEvent, silentLogger } from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import { ClusterNode } from "../src/cluster-node.ts";
import { RedisRoomBus } from "../src/redis-room-bus.ts";
import { startRedisServer } from "../src/test-support/redis-server.ts";
import { sharedView } from "../src/test-support/shared-store.ts";

const EVENTS = 2_000;
const CALLS = 1_000;
const WARMUP = 100;

function percentile(sorted: number[], fraction: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0).toFixed(3));
}
function summary(samples: number[]) {
  const sorted = [...samples].sort((left, right) => left - right);
  return {
    count: samples.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1),
  };
}

class TimedChannel extends MockChannel {
  onArrival: ((event: RoomEvent) => void) | undefined;
  override async onEvent(...args: Parameters<MockChannel["onEvent"]>) {
    this.onArrival?.(args[0]);
    return super.onEvent(...args);
  }
}

const redis = await startRedisServer();
try {
  const store = new MemoryConversationStore();
  const nodes = [];
  for (const nodeId of ["a", "b"]) {
    const bus = new RedisRoomBus({ url: redis.url, store, nodeId, logger: silentLogger });
    await bus.ready;
    const kit = new RoomKit({ logger: silentLogger, store: sharedView(store), bus, recentEventsLimit: 0 });
    const node = new ClusterNode({ url: redis.url, kit, bus, nodeId, logger: silentLogger, recordSessions: false });
    await node.start();
    nodes.push({ kit, node });
  }
  const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
  const receiver = new TimedChannel("receiver");
  Object.assign(receiver, { injectText: async () => {} });
  a.kit.registerChannel(receiver);
  b.kit.registerChannel(new MockChannel("sender"));
  await a.kit.createRoom({ roomId: "bench" });
  await a.kit.attachChannel("bench", "receiver");
  await b.kit.attachChannel("bench", "sender");

  const latencies: number[] = [];
  for (let i = 0; i < WARMUP + EVENTS; i++) {
    const arrived = new Promise<number>((resolve) => {
      receiver.onArrival = () => resolve(performance.now());
    });
    const started = performance.now();
    await b.kit.sendEvent("bench", "sender", { type: "text", body: `event ${i}` });
    const at = await arrived;
    if (i >= WARMUP) latencies.push(at - started);
  }

  await a.node.claim({ sessionId: "s1", roomId: "bench", channelId: "receiver" });
  const roundTrips: number[] = [];
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const started = performance.now();
    await b.node.injectText("s1", "hello");
    if (i >= WARMUP) roundTrips.push(performance.now() - started);
  }
  console.log(
    JSON.stringify({
      benchmark: "bus-redis on loopback",
      runtime: typeof Bun === "undefined" ? `node ${process.version}` : `bun ${Bun.version}`,
      crossNodeEventMs: summary(latencies),
      routedInjectTextRoundTripMs: summary(roundTrips),
      note: "event latency = sendEvent on B (store append + publish) until onEvent on A",
    }),
  );
  for (const { node, kit } of nodes) {
    await node.close();
    await kit.close();
  }
} finally {
  await redis.stop();
}
