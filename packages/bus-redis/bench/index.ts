// Cross-node figures on loopback, against a private redis-server: (1) room event latency from `sendEvent` on node B
// to `onEvent` of the channel on node A (one event at a time), split into its legs, beside a bare ioredis
// PUBLISH → message pair in the same loop (interleaved: the floor Redis and the machine set); (2) a routed
// `injectText` round trip (node B → owner A → answer). Both nodes in this process, sharing a memory store (the
// store's own cost is store-postgres's bench). Prints JSON with percentiles in milliseconds. `bun run bench`.
// Env: BENCH_ROUNDS (5) rounds of BENCH_EVENTS (1000) events; each round's p99 is listed to show the spread.
import { heapSize } from "bun:jsc";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { type RoomEvent, silentLogger } from "@roomkit/spec";
import { MockChannel } from "@roomkit/testing";
import { Redis } from "ioredis";
import { ClusterNode } from "../src/cluster-node.ts";
import { connectRedis } from "../src/redis-connection.ts";
import { RedisRoomBus } from "../src/redis-room-bus.ts";
import { startRedisServer } from "../src/test-support/redis-server.ts";
import { sharedView } from "../src/test-support/shared-store.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000);
const CALLS = 1_000;
const WARMUP = 200;
/** A sample slower than this counts as "slow" in the GC attribution. */
const SLOW_MS = 0.5;

function percentile(sorted: number[], fraction: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0).toFixed(3));
}
function summary(samples: number[]) {
  const sorted = [...samples].sort((left, right) => left - right);
  return {
    count: samples.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1),
  };
}
const p99 = (samples: number[]) =>
  percentile(
    [...samples].sort((left, right) => left - right),
    0.99,
  );

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
  /** When node A's subscriber connection got the last message (a listener added before the bus's own). */
  let arrivedAtA = 0;
  for (const nodeId of ["a", "b"]) {
    const bus = new RedisRoomBus({
      url: redis.url,
      store,
      nodeId,
      logger: silentLogger,
      createRedis: (url, role) => {
        const connection = connectRedis(url, role);
        if (nodeId === "a" && role === "subscriber") {
          connection.on("messageBuffer", () => {
            arrivedAtA = performance.now();
          });
        }
        return connection;
      },
    });
    await bus.ready;
    const kit = new RoomKit({ logger: silentLogger, store: sharedView(store), bus, recentEventsLimit: 0 });
    const node = new ClusterNode({ url: redis.url, kit, bus, nodeId, logger: silentLogger, recordSessions: false });
    await node.start();
    nodes.push({ kit, node, bus });
  }
  const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
  let publishedAtB = 0;
  const publish = b.bus.publish.bind(b.bus);
  b.bus.publish = (event) => {
    publishedAtB = performance.now();
    publish(event);
  };
  const receiver = new TimedChannel("receiver");
  Object.assign(receiver, { injectText: async () => {} });
  a.kit.registerChannel(receiver);
  b.kit.registerChannel(new MockChannel("sender"));
  await a.kit.createRoom({ roomId: "bench" });
  await a.kit.attachChannel("bench", "receiver");
  await b.kit.attachChannel("bench", "sender");

  // The bare pair: the same client library, the same server, no RoomKit code.
  const barePublisher = new Redis(redis.url);
  const bareSubscriber = new Redis(redis.url);
  let bareArrived: (() => void) | undefined;
  bareSubscriber.on("messageBuffer", () => bareArrived?.());
  await bareSubscriber.subscribe("bench-bare");

  const legs = {
    total: [] as number[],
    storeAndPublishOnB: [] as number[],
    redisHop: [] as number[],
    onA: [] as number[],
  };
  const bare: number[] = [];
  const roundP99 = { total: [] as number[], bare: [] as number[] };
  let slow = 0;
  let slowDuringGc = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const roundTotal: number[] = [];
    const roundBare: number[] = [];
    for (let i = 0; i < WARMUP + EVENTS; i++) {
      const bareAt = new Promise<number>((resolve) => {
        bareArrived = () => resolve(performance.now());
      });
      let started = performance.now();
      await barePublisher.publish("bench-bare", `{"index":${i}}`);
      const bareMs = (await bareAt) - started;

      const arrived = new Promise<number>((resolve) => {
        receiver.onArrival = () => resolve(performance.now());
      });
      const heapBefore = heapSize();
      started = performance.now();
      await b.kit.sendEvent("bench", "sender", { type: "text", body: `event ${i}` });
      const at = await arrived;
      // The heap shrank while the event travelled: a collection ran in between.
      const collected = heapSize() < heapBefore;
      if (i < WARMUP) continue;
      const total = at - started;
      roundTotal.push(total);
      roundBare.push(bareMs);
      legs.storeAndPublishOnB.push(publishedAtB - started);
      legs.redisHop.push(arrivedAtA - publishedAtB);
      legs.onA.push(at - arrivedAtA);
      if (total > SLOW_MS) {
        slow++;
        if (collected) slowDuringGc++;
      }
    }
    legs.total.push(...roundTotal);
    bare.push(...roundBare);
    roundP99.total.push(p99(roundTotal));
    roundP99.bare.push(p99(roundBare));
  }
  barePublisher.disconnect();
  bareSubscriber.disconnect();

  await a.node.claim({ sessionId: "s1", roomId: "bench", channelId: "receiver" });
  const roundTrips: number[] = [];
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const started = performance.now();
    await b.node.injectText("s1", "hello");
    if (i >= WARMUP) roundTrips.push(performance.now() - started);
  }
  const loadAverage = (await Bun.file("/proc/loadavg").text()).split(" ").slice(0, 3).map(Number);
  console.log(
    JSON.stringify({
      benchmark: "bus-redis on loopback",
      runtime: typeof Bun === "undefined" ? `node ${process.version}` : `bun ${Bun.version}`,
      loadAverageAfterRun: loadAverage,
      crossNodeEventMs: summary(legs.total),
      crossNodeEventP99PerRound: roundP99.total,
      legsMs: {
        storeAndPublishOnB: summary(legs.storeAndPublishOnB),
        redisHop: summary(legs.redisHop),
        sequencerAndDeliveryOnA: summary(legs.onA),
      },
      bareIoredisPublishToMessageMs: summary(bare),
      bareP99PerRound: roundP99.bare,
      slowEvents: { overMs: SLOW_MS, count: slow, withACollectionMeanwhile: slowDuringGc },
      routedInjectTextRoundTripMs: summary(roundTrips),
      note: "event latency = sendEvent on B (store append + publish) until onEvent on A; redisHop = publish() on B until A's subscriber connection emits the message; bare = the same hop with no RoomKit code, interleaved",
    }),
  );
  for (const { node, kit } of nodes) {
    await node.close();
    await kit.close();
  }
} finally {
  await redis.stop();
}
