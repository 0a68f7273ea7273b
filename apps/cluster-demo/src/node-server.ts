import { ClusterNode, RedisRoomBus } from "@roomkit/bus-redis";
import { RoomKit } from "@roomkit/core";
import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import { createConsoleLogger, type Logger, type RealtimeVoiceProvider } from "@roomkit/spec";
import { PostgresConversationStore } from "@roomkit/store-postgres";
import { createBunWebSocketAdapter, WebSocketRealtimeTransport } from "@roomkit/transport-ws";

export interface NodeServerOptions {
  nodeId: string;
  port?: number;
  databaseUrl: string;
  redisUrl: string;
  provider: RealtimeVoiceProvider;
  /** PostgreSQL schema and Redis prefix (one cluster). Default `roomkit`. */
  namespace?: string;
  /** Session lease. Default 10 000 ms. */
  leaseMs?: number;
  logger?: Logger;
}

export interface NodeServer {
  nodeId: string;
  url: string;
  port: number;
  kit: RoomKit;
  cluster: ClusterNode;
  stop(): Promise<void>;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/**
 * One node: `/ws?room=<id>` starts a voice session (the caller's socket and the provider socket stay here),
 * `POST /sessions/<id>/text {"text"}` injects text into a session on any node, `/rooms/<id>/timeline` reads the
 * shared timeline, `/health` names the node.
 */
export async function startNodeServer(options: NodeServerOptions): Promise<NodeServer> {
  const logger = options.logger ?? createConsoleLogger({ name: options.nodeId });
  const namespace = options.namespace ?? "roomkit";
  const store = await PostgresConversationStore.open({ url: options.databaseUrl, schema: namespace });
  const bus = new RedisRoomBus({ url: options.redisUrl, store, nodeId: options.nodeId, prefix: namespace, logger });
  await bus.ready;
  const kit = new RoomKit({ store, bus, logger });
  const cluster = new ClusterNode({
    url: options.redisUrl,
    kit,
    bus,
    nodeId: options.nodeId,
    prefix: namespace,
    leaseMs: options.leaseMs,
    logger,
  });
  await cluster.start();
  const transport = new WebSocketRealtimeTransport({ audioFormat: "binary", logger });
  const channelId = `voice-${options.nodeId}`;
  const channel = new RealtimeVoiceChannel(channelId, {
    provider: options.provider,
    transport,
    systemPrompt: "You are a friendly assistant in a cluster demo. Be brief.",
    logger,
  });
  kit.registerChannel(channel);

  const adapter = createBunWebSocketAdapter({
    onConnection: async (connection) => {
      const requested = connection.url.searchParams.get("room") ?? "";
      const roomId = ID_PATTERN.test(requested) ? requested : `room-${crypto.randomUUID().slice(0, 8)}`;
      if (!(await store.getRoom(roomId))) await kit.createRoom({ roomId }).catch(() => {}); // another node may win
      if (!(await kit.getBinding(roomId, channelId))) await kit.attachChannel(roomId, channelId);
      await channel.startSession(roomId, "caller", { connection, metadata: { node: options.nodeId } });
    },
    logger,
  });

  const injectText = async (sessionId: string, request: Request): Promise<Response> => {
    const body = (await request.json().catch(() => null)) as { text?: unknown } | null;
    if (typeof body?.text !== "string" || body.text.length === 0 || body.text.length > 2_000) {
      return json({ error: 'expected {"text": "..."} (1-2000 characters)' }, 400);
    }
    try {
      await cluster.injectText(sessionId, body.text, { role: "user" });
      return json({ ok: true, via: options.nodeId }, 202);
    } catch (error) {
      const code = (error as { code?: string }).code;
      return json({ error: String((error as Error).message), code }, code === "session_not_found" ? 404 : 502);
    }
  };

  const server = Bun.serve({
    port: options.port ?? 0,
    hostname: "127.0.0.1",
    fetch: async (request, bunServer) => {
      const url = new URL(request.url);
      if (url.pathname === "/ws") {
        if (adapter.upgrade(request, bunServer)) return undefined;
        return new Response("Expected a WebSocket upgrade", { status: 426 });
      }
      if (url.pathname === "/health") return json({ nodeId: options.nodeId, sessions: transport.sessionCount });
      const inject = /^\/sessions\/([^/]+)\/text$/.exec(url.pathname);
      if (inject && request.method === "POST") return injectText(decodeURIComponent(inject[1] as string), request);
      const timeline = /^\/rooms\/([^/]+)\/timeline$/.exec(url.pathname);
      if (timeline) {
        const roomId = decodeURIComponent(timeline[1] as string);
        if (!ID_PATTERN.test(roomId) || !(await store.getRoom(roomId))) return json({ error: "room not found" }, 404);
        return json({ roomId, servedBy: options.nodeId, events: await kit.getTimeline(roomId, { limit: 500 }) });
      }
      return new Response("Not found", { status: 404 });
    },
    websocket: adapter.websocket,
  });

  let stopped = false;
  return {
    nodeId: options.nodeId,
    url: `http://127.0.0.1:${server.port}`,
    port: server.port ?? 0,
    kit,
    cluster,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await kit.close(); // ends the sessions here (released from the registry), closes the bus and the store
      await cluster.close();
      await transport.close();
      server.stop(true);
    },
  };
}
