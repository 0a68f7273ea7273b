import { expect, test } from "bun:test";
import { RoomKitConfigError, type RoomEvent, silentLogger } from "@roomkit/spec";
import { MockChannel, waitFor } from "@roomkit/testing";
import type { RoomEventBus } from "./bus/room-event-bus.ts";
import { RoomKit } from "./room-kit.ts";
import { MemoryConversationStore } from "./store/memory-store.ts";

/** Two in-process "nodes" linked by a bus that hands each node's published events to the other one. */
function linkedBuses() {
  const receivers: Array<((event: RoomEvent) => Promise<void>) | undefined> = [undefined, undefined];
  const published: RoomEvent[][] = [[], []];
  const deliveries: Promise<void>[] = [];
  let closed = 0;
  const bus = (self: 0 | 1): RoomEventBus => ({
    publish: (event) => {
      published[self]?.push(event);
      const delivery = receivers[1 - self]?.(event);
      if (delivery) deliveries.push(delivery);
    },
    subscribe: (deliver) => {
      receivers[self] = deliver;
      return () => {
        receivers[self] = undefined;
      };
    },
    close: async () => {
      closed++;
    },
  });
  return {
    buses: [bus(0), bus(1)] as const,
    published,
    closedCount: () => closed,
    delivered: () => Promise.all(deliveries),
  };
}

test("with a bus, an event sent on node B reaches the channel registered on node A once, and is stored once", async () => {
  const store = new MemoryConversationStore();
  const { buses, published, closedCount, delivered } = linkedBuses();
  const nodeA = new RoomKit({ logger: silentLogger, store, bus: buses[0] });
  const nodeB = new RoomKit({ logger: silentLogger, store, bus: buses[1] });
  const onA = new MockChannel("on-a");
  const onB = new MockChannel("on-b");
  nodeA.registerChannel(onA);
  nodeB.registerChannel(onB);
  await nodeA.createRoom({ roomId: "r1" });
  await nodeA.attachChannel("r1", "on-a");
  await nodeB.attachChannel("r1", "on-b");

  const fromB = await nodeB.sendEvent("r1", "on-b", { type: "text", body: "from B" });
  const fromA = await nodeA.sendEvent("r1", "on-a", { type: "text", body: "from A" });
  await waitFor(() => onA.received.length === 1 && onB.received.length === 1, { timeoutMs: 2_000 });
  expect(onA.received.map((event) => event.id)).toEqual([fromB.id]);
  expect(onB.received.map((event) => event.id)).toEqual([fromA.id]);
  expect(published[1]?.map((event) => event.id)).toContain(fromB.id);
  const timeline = await nodeA.getTimeline("r1");
  expect(timeline.filter((event) => event.id === fromA.id || event.id === fromB.id)).toHaveLength(2);

  // A blocked event is published (its index is used) but reaches no channel on the other node.
  await nodeB.mute("r1", "on-b");
  const blocked = await nodeB.sendEvent("r1", "on-b", { type: "text", body: "muted" });
  expect(blocked.status).toBe("blocked");
  expect(published[1]?.at(-1)?.id).toBe(blocked.id);
  await delivered();
  expect(onA.received).toHaveLength(1);
  // The bus saw each node's events in index order.
  for (const events of published) {
    const indexes = events.map((event) => event.index);
    expect(indexes).toEqual([...indexes].sort((left, right) => left - right));
  }

  await nodeA.close();
  await nodeB.close();
  expect(closedCount()).toBe(2);
});

test("a bus without publish/subscribe/close is a RoomKitConfigError naming the option", () => {
  const error = (() => {
    try {
      new RoomKit({ logger: silentLogger, bus: { publish() {} } as unknown as RoomEventBus });
    } catch (caught) {
      return caught;
    }
  })();
  expect(error).toBeInstanceOf(RoomKitConfigError);
  expect((error as RoomKitConfigError).field).toBe("bus");
});
