// RedisRoomBus with `roomSlots`: a node subscribes only to the slots of the rooms it watches and receives only those
// rooms' events, still in order and once (the per-channel and per-room guarantees are in redis-room-bus.test.ts,
// which runs them with and without slots).
import { afterAll, afterEach, expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { type RoomEvent, silentLogger } from "@roomkit/spec";
import { MockChannel, waitFor } from "@roomkit/testing";
import { Redis } from "ioredis";
import { connectRedis } from "./redis-connection.ts";
import { RedisRoomBus } from "./redis-room-bus.ts";
import { roomSlot } from "./room-slots.ts";
import { startRedisServer } from "./test-support/redis-server.ts";
import { sharedView } from "./test-support/shared-store.ts";

const SLOTS = 16;
const redis = await startRedisServer();
afterAll(() => redis.stop());
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let prefixCounter = 0;

/** Two nodes on one store and one Redis; `channelsSeen` lists the Redis channels node A's subscriber got messages on. */
async function twoNodes(options: { subscribeDelayMsOnA?: number } = {}) {
  const store = new MemoryConversationStore();
  const prefix = `slots-${prefixCounter++}`;
  const channelsSeen: string[] = [];
  const make = async (nodeId: string) => {
    const bus = new RedisRoomBus({
      url: redis.url,
      store,
      nodeId,
      prefix,
      roomSlots: SLOTS,
      logger: silentLogger,
      createRedis: (url, role) => {
        const connection = connectRedis(url, role);
        if (nodeId === "a" && role === "subscriber") {
          connection.on("messageBuffer", (channel: Buffer) => channelsSeen.push(channel.toString()));
          const delayMs = options.subscribeDelayMsOnA;
          if (delayMs !== undefined) {
            // A slow SUBSCRIBE: what other nodes publish meanwhile never reaches node A over Redis.
            const subscribe = connection.subscribe.bind(connection);
            Object.assign(connection, {
              subscribe: (...channels: string[]) => Bun.sleep(delayMs).then(() => subscribe(...channels)),
            });
          }
        }
        return connection;
      },
    });
    await bus.ready;
    const kit = new RoomKit({ logger: silentLogger, store: sharedView(store), bus });
    cleanups.push(() => kit.close());
    return { kit, bus };
  };
  return { a: await make("a"), b: await make("b"), store, prefix, channelsSeen };
}

/** `count` room ids in distinct slots (`sameSlotAs`: in that room's slot instead). */
function rooms(count: number, sameSlotAs?: string): string[] {
  const found: string[] = [];
  const used = new Set<number>();
  for (let candidate = 0; found.length < count; candidate++) {
    const roomId = `room-${candidate}`;
    const slot = roomSlot(roomId, SLOTS);
    if (roomId === sameSlotAs) continue;
    if (sameSlotAs === undefined ? used.has(slot) : slot !== roomSlot(sameSlotAs, SLOTS)) continue;
    used.add(slot);
    found.push(roomId);
  }
  return found;
}

async function subscribers(prefix: string, roomId: string): Promise<number> {
  const client = new Redis(redis.url);
  const reply = (await client.pubsub("NUMSUB", `${prefix}:room-events:${roomSlot(roomId, SLOTS)}`)) as [string, number];
  await client.quit();
  return Number(reply[1]);
}

const bodies = (events: RoomEvent[]) =>
  events.map((event) => (event.content.type === "text" ? event.content.body : ""));

test("a node subscribes only to the slots of rooms where its channels are bound, and gets only their events", async () => {
  const { a, b, prefix, channelsSeen } = await twoNodes();
  const [watched, other] = rooms(2) as [string, string];
  const onA = new MockChannel("on-a");
  a.kit.registerChannel(onA);
  for (const roomId of [watched, other]) {
    await a.kit.createRoom({ roomId });
    const writer = new MockChannel(`writer-${roomId}`);
    b.kit.registerChannel(writer);
    await b.kit.attachChannel(roomId, writer.channelId);
  }
  await a.kit.attachChannel(watched, "on-a");
  expect(a.bus.subscribedSlots()).toEqual([roomSlot(watched, SLOTS)]);
  for (let i = 0; i < 5; i++) {
    await b.kit.sendEvent(other, `writer-${other}`, { type: "text", body: `other ${i}` });
    await b.kit.sendEvent(watched, `writer-${watched}`, { type: "text", body: `watched ${i}` });
  }
  await waitFor(() => onA.received.length === 5, { timeoutMs: 5_000 });
  await a.bus.idle();
  expect(bodies(onA.received)).toEqual([0, 1, 2, 3, 4].map((i) => `watched ${i}`));
  expect(channelsSeen.length).toBeGreaterThan(0);
  expect(new Set(channelsSeen)).toEqual(new Set([`${prefix}:room-events:${roomSlot(watched, SLOTS)}`]));
  expect(await subscribers(prefix, other)).toBe(1); // node B only
  expect(await subscribers(prefix, watched)).toBe(2);
});

/**
 * Node B keeps writing to `busy` while node A attaches a channel there; B stops 20 events after the attach returned.
 * Returns the ids of the text events stored after the attach (what A must receive) and what A received.
 */
async function attachWhileWriting(nodes: Awaited<ReturnType<typeof twoNodes>>, busy: string, onA: MockChannel) {
  const { a, b } = nodes;
  let attached = false;
  let written = 0;
  const writing = (async () => {
    for (let afterAttach = 0; afterAttach < 20 && written < 1_000; written++) {
      await b.kit.sendEvent(busy, "writer", { type: "text", body: `m${written}` });
      if (attached) afterAttach++;
      await Bun.sleep(0); // let the attach (and Redis traffic) interleave
    }
  })();
  await waitFor(() => written >= 10, { timeoutMs: 5_000 });
  await a.kit.attachChannel(busy, "on-a");
  attached = true;
  await writing;
  const timeline = await a.kit.getTimeline(busy, { limit: 2_000 });
  const attachedAt = timeline.find(
    (event) =>
      event.content.type === "system" &&
      event.content.code === "channel_attached" &&
      event.content.data?.channelId === "on-a",
  );
  const expected = timeline
    .filter((event) => event.content.type === "text" && event.index > (attachedAt?.index ?? 0))
    .map((event) => event.id);
  expect(expected.length).toBeGreaterThanOrEqual(20);
  await waitFor(() => onA.received.filter((event) => event.roomId === busy).length >= expected.length, {
    timeoutMs: 5_000,
  });
  await a.bus.idle();
  return { expected, received: onA.received.filter((event) => event.roomId === busy).map((event) => event.id) };
}

for (const slotAlreadySubscribed of [false, true]) {
  test(`attaching while another node writes (slot ${slotAlreadySubscribed ? "already" : "newly"} subscribed): every later event arrives once, in order`, async () => {
    const nodes = await twoNodes();
    const { a, b } = nodes;
    const [busy] = rooms(1) as [string];
    const onA = new MockChannel("on-a");
    a.kit.registerChannel(onA);
    b.kit.registerChannel(new MockChannel("writer"));
    await b.kit.createRoom({ roomId: busy });
    await b.kit.attachChannel(busy, "writer");
    if (slotAlreadySubscribed) {
      const [neighbour] = rooms(1, busy) as [string];
      await b.kit.createRoom({ roomId: neighbour });
      await a.kit.attachChannel(neighbour, "on-a");
    }
    const { expected, received } = await attachWhileWriting(nodes, busy, onA);
    expect(received).toEqual(expected);
  });
}

test("events published before a new slot subscription took effect are read from the store, with no later event", async () => {
  const { a, b } = await twoNodes({ subscribeDelayMsOnA: 100 });
  const [roomId] = rooms(1) as [string];
  const onA = new MockChannel("on-a");
  a.kit.registerChannel(onA);
  b.kit.registerChannel(new MockChannel("writer"));
  await b.kit.createRoom({ roomId });
  await b.kit.attachChannel(roomId, "writer");
  await a.kit.attachChannel(roomId, "on-a"); // the slot's SUBSCRIBE is still on its way
  for (let i = 0; i < 3; i++) await b.kit.sendEvent(roomId, "writer", { type: "text", body: `early ${i}` });
  await waitFor(() => onA.received.length === 3, { timeoutMs: 5_000 });
  await a.bus.idle();
  expect(bodies(onA.received)).toEqual(["early 0", "early 1", "early 2"]);
});

test("after its last channel there is detached, a node gets none of the room's events, even on a slot it keeps", async () => {
  const nodes = await twoNodes();
  const { a, b, prefix } = nodes;
  const [busy] = rooms(1) as [string];
  const [neighbour] = rooms(1, busy) as [string]; // same slot: node A stays subscribed to it after the detach
  const onA = new MockChannel("on-a");
  a.kit.registerChannel(onA);
  b.kit.registerChannel(new MockChannel("writer"));
  for (const roomId of [busy, neighbour]) {
    await b.kit.createRoom({ roomId });
    await b.kit.attachChannel(roomId, "writer");
  }
  await a.kit.attachChannel(neighbour, "on-a");
  await a.kit.attachChannel(busy, "on-a");
  await b.kit.sendEvent(busy, "writer", { type: "text", body: "attached" });
  await waitFor(() => onA.received.length === 1, { timeoutMs: 5_000 });
  await a.kit.detachChannel(busy, "on-a");
  for (let i = 0; i < 5; i++) await b.kit.sendEvent(busy, "writer", { type: "text", body: `after ${i}` });
  await b.kit.sendEvent(neighbour, "writer", { type: "text", body: "barrier" });
  await waitFor(() => onA.received.some((event) => event.roomId === neighbour), { timeoutMs: 5_000 });
  await a.bus.idle();
  expect(bodies(onA.received)).toEqual(["attached", "barrier"]);
  expect(a.bus.subscribedSlots()).toEqual([roomSlot(neighbour, SLOTS)]);
  expect(await subscribers(prefix, busy)).toBe(2); // the neighbour room keeps node A on the slot
});

test("watchRoom: a channel bound before this node started receives the room's events once watched", async () => {
  const { a, b, store, prefix } = await twoNodes();
  const [roomId] = rooms(1) as [string];
  const desk = new MockChannel("desk");
  a.kit.registerChannel(desk);
  await a.kit.createRoom({ roomId });
  await a.kit.attachChannel(roomId, "desk");
  b.kit.registerChannel(new MockChannel("writer"));
  await b.kit.attachChannel(roomId, "writer");
  // Node A restarted as a2: the binding of "desk" is in the store, nothing is attached in this process.
  const bus = new RedisRoomBus({ url: redis.url, store, nodeId: "a2", prefix, roomSlots: SLOTS, logger: silentLogger });
  await bus.ready;
  const kit = new RoomKit({ logger: silentLogger, store: sharedView(store), bus });
  cleanups.push(() => kit.close());
  const deskAgain = new MockChannel("desk");
  kit.registerChannel(deskAgain);
  await b.kit.sendEvent(roomId, "writer", { type: "text", body: "before the watch" });
  await waitFor(() => desk.received.length === 1, { timeoutMs: 5_000 });
  expect(bus.subscribedSlots()).toEqual([]);
  await bus.watchRoom(roomId);
  expect(bus.subscribedSlots()).toEqual([roomSlot(roomId, SLOTS)]);
  await b.kit.sendEvent(roomId, "writer", { type: "text", body: "after the watch" });
  await waitFor(() => deskAgain.received.length === 1, { timeoutMs: 5_000 });
  await bus.idle();
  expect(bodies(deskAgain.received)).toEqual(["after the watch"]);
  bus.unwatchRoom(roomId);
  expect(bus.subscribedSlots()).toEqual([]);
});
