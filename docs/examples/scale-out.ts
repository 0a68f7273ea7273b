// One node of a RoomKit cluster: the shared store on PostgreSQL, events and session routing over Redis.
// Run one process per node with its own node id; put an HTTP/WebSocket load balancer (or a SIP proxy) in front.
import { ClusterNode, RedisRoomBus } from "@roomkit/bus-redis";
import { RoomKit } from "@roomkit/core";
import { PostgresConversationStore } from "@roomkit/store-postgres";

export async function startClusterNode(options: { nodeId: string; databaseUrl: string; redisUrl: string }) {
  // Migrations run here (or beforehand with the roomkit-migrate bin); a wrong password or an unreachable server
  // rejects with a StoreError naming the URL without the password.
  const store = await PostgresConversationStore.open({ url: options.databaseUrl });
  const bus = new RedisRoomBus({ url: options.redisUrl, store, nodeId: options.nodeId });
  await bus.ready;
  const kit = new RoomKit({ store, bus });
  const cluster = new ClusterNode({ url: options.redisUrl, kit, bus, nodeId: options.nodeId, leaseMs: 10_000 });
  await cluster.start();

  // ... register a RealtimeVoiceChannel and accept calls as on a single node ...

  return {
    kit,
    /** From any node, act on a call wherever it runs. */
    whisper: (sessionId: string) => cluster.injectText(sessionId, "The customer is a premium member."),
    shutdown: async () => {
      await cluster.close();
      await kit.close(); // closes the bus, then the store
    },
  };
}
