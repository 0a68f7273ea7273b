// One node of a RoomKit cluster: the shared store on PostgreSQL, events and session routing over Redis.
// Run one process per node with its own NODE_ID; put an HTTP/WebSocket load balancer (or a SIP proxy) in front.
import { ClusterNode, RedisRoomBus } from "@roomkit/bus-redis";
import { RoomKit } from "@roomkit/core";
import { PostgresConversationStore } from "@roomkit/store-postgres";

const nodeId = process.env.NODE_ID ?? "node-1";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

// Migrations run here (or beforehand with the roomkit-migrate bin); a wrong password or an unreachable server
// rejects with a StoreError naming the URL without the password.
const store = await PostgresConversationStore.open({ url: process.env.DATABASE_URL ?? "postgres://localhost/roomkit" });
const bus = new RedisRoomBus({ url: redisUrl, store, nodeId });
const kit = new RoomKit({ store, bus });
const cluster = new ClusterNode({ url: redisUrl, kit, bus, nodeId, leaseMs: 10_000 });
await cluster.start();

// ... register a RealtimeVoiceChannel and accept calls as on a single node ...

// From any node, act on a call wherever it runs:
export async function whisperToCall(sessionId: string): Promise<void> {
  await cluster.injectText(sessionId, "The customer is a premium member.");
}

export async function shutdown(): Promise<void> {
  await cluster.close();
  await kit.close(); // closes the bus, then the store
}
