import { RealtimeVoiceChannel } from "@roomkit/realtime-channel";
import type { RealtimeVoiceProvider } from "@roomkit/spec";
import {
  createBunWebSocketAdapter,
  type WebSocketAuthContext,
  WebSocketRealtimeTransport,
} from "@roomkit/transport-ws";

// Optional auth: return metadata to accept (merged into session.metadata before the provider is configured;
// it may set system_prompt, voice, tools), or null to reject (the socket is closed with 4401).
async function myAuthCallback({ url }: WebSocketAuthContext) {
  const user = await verifyToken(url.searchParams.get("token"));
  if (user === undefined) return null;
  return { user, voice: "echo" };
}

// Your own check (a JWT verification, a database lookup...).
async function verifyToken(token: string | null): Promise<string | undefined> {
  return token === "let-me-in" ? "caller-1" : undefined;
}

export function serveVoice(provider: RealtimeVoiceProvider, port = 3000) {
  const transport = new WebSocketRealtimeTransport({
    authenticate: myAuthCallback, // Optional auth
    audioFormat: "base64_json", // or "binary"
  });
  const channel = new RealtimeVoiceChannel("voice", { provider, transport });

  // One session per socket, started when the socket opens.
  const adapter = createBunWebSocketAdapter({
    onConnection: (connection) => channel.startSession("room-1", "caller", { connection }),
    onConnectionError: (_error, connection) => connection.close(1011, "Could not start the session"),
  });
  const server = Bun.serve({
    port,
    fetch: (request, bunServer) =>
      adapter.upgrade(request, bunServer) ? undefined : new Response("Expected a WebSocket", { status: 426 }),
    websocket: adapter.websocket,
  });
  return { server, channel, transport };
}
