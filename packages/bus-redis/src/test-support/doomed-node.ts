// A cluster node in its own process, for the kill -9 test: joins the cluster (Postgres store, Redis bus and
// registry), claims a voice session in room ROOM_ID, stores one transcript line, prints "ready", then idles until
// it is killed. DATABASE_URL, REDIS_URL, SCHEMA, PREFIX, ROOM_ID, SESSION_ID from the environment.
import { RoomKit } from "@roomkit/core";
import { silentLogger } from "@roomkit/spec";
import { PostgresConversationStore } from "@roomkit/store-postgres";
import { MockChannel } from "../../../testing/src/core/mock-channel.ts";
import { ClusterNode } from "../cluster-node.ts";
import { RedisRoomBus } from "../redis-room-bus.ts";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const roomId = env("ROOM_ID");
const store = await PostgresConversationStore.open({ url: env("DATABASE_URL"), schema: env("SCHEMA") });
const bus = new RedisRoomBus({
  url: env("REDIS_URL"),
  store,
  nodeId: "doomed",
  prefix: env("PREFIX"),
  logger: silentLogger,
});
await bus.ready;
const kit = new RoomKit({ store, bus, logger: silentLogger });
const node = new ClusterNode({
  url: env("REDIS_URL"),
  kit,
  bus,
  nodeId: "doomed",
  prefix: env("PREFIX"),
  leaseMs: 900,
  logger: silentLogger,
});
await node.start();
kit.registerChannel(new MockChannel("voice-doomed"));
await kit.attachChannel(roomId, "voice-doomed");
await node.claim({ sessionId: env("SESSION_ID"), roomId, channelId: "voice-doomed" });
await kit.sendEvent(roomId, "voice-doomed", { type: "text", body: "stored before kill -9" });
console.log("ready");
setInterval(() => {}, 1_000);
