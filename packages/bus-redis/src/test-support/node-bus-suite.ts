// bus-redis under Node, run by bus-redis.node.test.ts through scripts/node-test/register.mjs against the private
// redis-server that test started (ROOMKIT_TEST_REDIS_URL): cross-node delivery and a routed call.
import { expect, test } from "bun:test";
import { MemoryConversationStore, RoomKit } from "@roomkit/core";
import { silentLogger } from "@roomkit/spec";
import { waitFor } from "@roomkit/test-support";
// Straight from the source file: the testing package's index also loads audio code Node cannot strip.
import { MockChannel } from "../../../testing/src/core/mock-channel.ts";
import { ClusterNode } from "../cluster-node.ts";
import { RedisRoomBus } from "../redis-room-bus.ts";
import { sharedView } from "./shared-store.ts";

const url = process.env.ROOMKIT_TEST_REDIS_URL;
if (!url) throw new Error("ROOMKIT_TEST_REDIS_URL is not set");

test("the suite runs under Node", () => {
  expect(typeof (globalThis as { Bun?: unknown }).Bun).toBe("undefined");
});

test("node: an event on node B reaches node A's channel once; a call for A's session made on B is routed", async () => {
  const store = new MemoryConversationStore();
  const prefix = `node-${process.pid}`;
  const make = async (nodeId: string) => {
    const bus = new RedisRoomBus({ url, store, nodeId, prefix, logger: silentLogger });
    await bus.ready;
    const kit = new RoomKit({ logger: silentLogger, store: sharedView(store), bus });
    const node = new ClusterNode({ url, kit, bus, nodeId, prefix, leaseMs: 2_000, logger: silentLogger });
    await node.start();
    return { kit, node };
  };
  const a = await make("a");
  const b = await make("b");
  const onA = new MockChannel("on-a");
  const injected: string[] = [];
  Object.assign(onA, {
    injectText: async (sessionId: string, text: string) => {
      injected.push(`${sessionId} ${text}`);
    },
  });
  a.kit.registerChannel(onA);
  b.kit.registerChannel(new MockChannel("writer"));
  await a.kit.createRoom({ roomId: "r1" });
  await a.kit.attachChannel("r1", "on-a");
  await b.kit.attachChannel("r1", "writer");
  await b.kit.sendEvent("r1", "writer", { type: "text", body: "over the bus" });
  await waitFor(() => onA.received.length === 1, { timeoutMs: 5_000 });
  await a.node.claim({ sessionId: "s1", roomId: "r1", channelId: "on-a" });
  await b.node.injectText("s1", "routed");
  expect(injected).toEqual(["s1 routed"]);
  for (const { node, kit } of [a, b]) {
    await node.close();
    await kit.close();
  }
});
