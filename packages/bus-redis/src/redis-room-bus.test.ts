import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { type RoomEvent, RoomKitConfigError, silentLogger } from "@roomkit/spec";
import { MockChannel, waitFor } from "@roomkit/testing";
import { Redis } from "ioredis";
import { RedisRoomBus } from "./redis-room-bus.ts";
import { startRedisServer } from "./test-support/redis-server.ts";
import { sharedView } from "./test-support/shared-store.ts";

const redis = await startRedisServer();
afterAll(() => redis.stop());

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let prefixCounter = 0;

/** `count` RoomKit nodes sharing one store (as they would share Postgres) and one Redis. */
async function cluster(count: number, roomSlots?: number) {
  const store = new MemoryConversationStore();
  const prefix = `bus-test-${prefixCounter++}`;
  const nodes = [];
  for (let i = 0; i < count; i++) {
    const bus = new RedisRoomBus({ url: redis.url, store, nodeId: `n${i}`, prefix, roomSlots, logger: silentLogger });
    await bus.ready;
    // Each kit gets its own view of the store whose close does not close the shared one.
    const kit = new RoomKit({ logger: silentLogger, store: sharedView(store), bus });
    nodes.push({ kit, bus });
    cleanups.push(() => kit.close());
  }
  return { store, nodes };
}

const bodies = (events: RoomEvent[]) =>
  events.map((event) => (event.content.type === "text" ? event.content.body : ""));

/** Room r1 with channel `on-a` registered on node A and `on-b` on node B, both bound. */
async function roomAcrossTwoNodes(roomSlots?: number) {
  const { nodes } = await cluster(2, roomSlots);
  const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
  const onA = new MockChannel("on-a");
  const onB = new MockChannel("on-b");
  a.kit.registerChannel(onA);
  b.kit.registerChannel(onB);
  await a.kit.createRoom({ roomId: "r1" });
  await a.kit.attachChannel("r1", "on-a");
  await b.kit.attachChannel("r1", "on-b");
  return { a, b, onA, onB, prefix: `bus-test-${prefixCounter - 1}` };
}

// Every guarantee holds with one channel (the default) and with events sharded over slot channels.
for (const roomSlots of [undefined, 8]) {
  describe(roomSlots === undefined ? "one channel" : `${roomSlots} room slots`, () => {
    test("an event posted on node B reaches the channel bound on node A once, and node B's channel gets A's", async () => {
      const { a, b, onA, onB } = await roomAcrossTwoNodes(roomSlots);
      await b.kit.sendEvent("r1", "on-b", { type: "text", body: "hello from B" });
      await a.kit.sendEvent("r1", "on-a", { type: "text", body: "hello from A" });
      await waitFor(() => onA.received.length === 1 && onB.received.length === 1, { timeoutMs: 5_000 });
      await a.bus.idle();
      await b.bus.idle();
      expect(bodies(onA.received)).toEqual(["hello from B"]);
      expect(bodies(onB.received)).toEqual(["hello from A"]);
    });

    test("1,000 room events from three publishers arrive in per-room index order, each once, on every subscriber", async () => {
      // Nodes 0-2 publish; node 3 only subscribes. Every node has a watcher channel bound in every room.
      const { nodes } = await cluster(4, roomSlots);
      const publishers = nodes.slice(0, 3);
      const rooms = ["r0", "r1", "r2", "r3"];
      const watchers = nodes.map((node, n) => {
        const channel = new MockChannel(`watch-${n}`);
        node.kit.registerChannel(channel);
        return channel;
      });
      for (const roomId of rooms) {
        await nodes[0]?.kit.createRoom({ roomId });
        for (const [n, node] of nodes.entries()) await node.kit.attachChannel(roomId, `watch-${n}`);
        for (const [n, node] of publishers.entries()) {
          const writer = new MockChannel(`writer-${n}-${roomId}`);
          node.kit.registerChannel(writer);
          await node.kit.attachChannel(roomId, writer.channelId);
        }
      }
      const perPublisher = [334, 333, 333];
      await Promise.all(
        publishers.map(async (node, n) => {
          for (let i = 0; i < (perPublisher[n] as number); i++) {
            const roomId = rooms[i % rooms.length] as string;
            await node.kit.sendEvent(roomId, `writer-${n}-${roomId}`, { type: "text", body: `${n}:${i}` });
          }
        }),
      );
      await waitFor(() => watchers.every((watcher) => watcher.received.length === 1_000), { timeoutMs: 20_000 });
      for (const node of nodes) await node.bus.idle();
      const inIndexOrder = (events: RoomEvent[]) =>
        rooms.every((roomId) => {
          const indexes = events.filter((event) => event.roomId === roomId).map((event) => event.index);
          return indexes.every((index, position) => position === 0 || index > (indexes[position - 1] as number));
        });
      for (const [n, watcher] of watchers.entries()) {
        expect(new Set(watcher.received.map((event) => event.id)).size).toBe(1_000);
        // What came over the bus (written on other nodes) is in each room's index order.
        const remote = watcher.received.filter((event) => !event.source.channelId.startsWith(`writer-${n}-`));
        expect(inIndexOrder(remote)).toBe(true);
      }
      // The subscriber-only node sees each room's events in exactly the store's order.
      expect(inIndexOrder(watchers[3]?.received ?? [])).toBe(true);
      expect(watchers[3]?.received.filter((event) => event.roomId === "r0")).toHaveLength(84 + 84 + 84);
    });

    test("Redis restarting mid-stream: nothing lost, nothing duplicated, publishing never blocks", async () => {
      const { a, b, onA } = await roomAcrossTwoNodes(roomSlots);
      for (let i = 0; i < 10; i++) await b.kit.sendEvent("r1", "on-b", { type: "text", body: `before ${i}` });
      await waitFor(() => onA.received.length === 10, { timeoutMs: 5_000 });
      const restarting = redis.restart();
      for (let i = 0; i < 10; i++) await b.kit.sendEvent("r1", "on-b", { type: "text", body: `during ${i}` });
      await restarting;
      for (let i = 0; i < 10; i++) await b.kit.sendEvent("r1", "on-b", { type: "text", body: `after ${i}` });
      await waitFor(() => onA.received.length >= 30, { timeoutMs: 15_000 });
      await a.bus.idle();
      const expected = ["before", "during", "after"].flatMap((phase) =>
        Array.from({ length: 10 }, (_, i) => `${phase} ${i}`),
      );
      expect(bodies(onA.received)).toEqual(expected);
    });
  });
}

test("a malformed message on the channel is dropped; later events still arrive", async () => {
  const { b, onA, prefix } = await roomAcrossTwoNodes();
  const raw = new Redis(redis.url);
  await raw.publish(`${prefix}:room-events`, "{not json");
  await raw.publish(`${prefix}:room-events`, JSON.stringify({ node: "x", event: { id: 1 } }));
  await raw.quit();
  await b.kit.sendEvent("r1", "on-b", { type: "text", body: "still works" });
  await waitFor(() => onA.received.length === 1, { timeoutMs: 5_000 });
  expect(bodies(onA.received)).toEqual(["still works"]);
});

test("bad options are RoomKitConfigError naming the field", () => {
  const store = new MemoryConversationStore();
  expect(() => new RedisRoomBus({ url: "http://x", store })).toThrow(RoomKitConfigError);
  expect(() => new RedisRoomBus({ url: "http://x", store })).toThrow(/option "url"/);
  expect(() => new RedisRoomBus({ url: redis.url, store: {} as MemoryConversationStore })).toThrow(/option "store"/);
  const warnAndError = { warn() {}, error() {} } as never; // the bus also calls debug: spec's one Logger check
  expect(() => new RedisRoomBus({ url: redis.url, store, logger: warnAndError })).toThrow(/option "logger"/);
});

test("Redis unreachable at start: ready rejects with bus_unreachable naming the URL without the password", async () => {
  const store = new MemoryConversationStore();
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  const bus = new RedisRoomBus({
    url: `redis://user:secret-word@127.0.0.1:${port}`,
    store,
    connectTimeoutMs: 300,
    logger: silentLogger,
  });
  const error = await bus.ready.catch((caught: unknown) => caught);
  await bus.close();
  expect((error as { code?: string }).code).toBe("bus_unreachable");
  expect((error as { recoverable?: boolean }).recoverable).toBe(true);
  expect((error as Error).message).toContain(`redis://127.0.0.1:${port}`);
  expect((error as Error).message).not.toContain("secret-word");
});
