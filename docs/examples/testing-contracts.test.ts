import { OpenAIRealtimeProvider } from "@roomkit/provider-openai";
import { silentLogger } from "@roomkit/spec";
import {
  createOpenAIRealtimeFake,
  describeRealtimeProviderContract,
  describeRealtimeTransportContract,
} from "@roomkit/testing";
import { createBunWebSocketAdapter, type WebSocketConnection, WebSocketRealtimeTransport } from "@roomkit/transport-ws";

// A provider: build it against a local server per test (here the OpenAI fake) and clean up after.
describeRealtimeProviderContract(
  async () => {
    const fake = await createOpenAIRealtimeFake({ speed: "instant" });
    return {
      provider: new OpenAIRealtimeProvider({ apiKey: "sk-test", baseUrl: fake.baseUrl, logger: silentLogger }),
      cleanup: () => fake.close(),
    };
  },
  { name: "OpenAI provider on the fake meets the provider contract" },
);

// A transport: a loopback server, and a client the suite can drive and observe. Each capability the transport
// declares is checked against its behaviour (interrupt needs receivedByClient, playbackPosition here uses the
// client's playback report); the WebSocket transport has no DTMF and no device clock, so those hooks are absent.
describeRealtimeTransportContract(
  () => {
    const transport = new WebSocketRealtimeTransport({ audioFormat: "binary", logger: silentLogger });
    const opened: WebSocketConnection[] = [];
    const waiting: Array<(connection: WebSocketConnection) => void> = [];
    const adapter = createBunWebSocketAdapter({
      onConnection: (connection) => {
        const resolve = waiting.shift();
        if (resolve) resolve(connection);
        else opened.push(connection);
      },
    });
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request, bunServer) =>
        adapter.upgrade(request, bunServer) ? undefined : new Response(null, { status: 426 }),
      websocket: adapter.websocket,
    });
    // Per client: its socket and the audio bytes it holds (a player that never plays; clear_audio empties it).
    const clients = new Map<WebSocketConnection, { socket: WebSocket; keptBytes: number }>();
    return {
      transport,
      lossless: true,
      connect: async () => {
        const socket = new WebSocket(`ws://127.0.0.1:${server.port}/`);
        socket.binaryType = "arraybuffer";
        const client = { socket, keptBytes: 0 };
        socket.addEventListener("message", ({ data }) => {
          if (typeof data !== "string") client.keptBytes += (data as ArrayBuffer).byteLength;
          else if (JSON.parse(data).type === "clear_audio") client.keptBytes = 0;
        });
        const connection = await new Promise<WebSocketConnection>((resolve) => {
          const ready = opened.shift();
          if (ready) resolve(ready);
          else waiting.push(resolve);
        });
        await new Promise((resolve) =>
          socket.readyState === WebSocket.OPEN ? resolve(undefined) : socket.addEventListener("open", resolve),
        );
        clients.set(connection, client);
        return connection;
      },
      sendFromClient: (connection, audio) =>
        clients.get(connection as WebSocketConnection)!.socket.send(new Uint8Array(audio)),
      closeFromClient: (connection) => clients.get(connection as WebSocketConnection)!.socket.close(1000, "bye"),
      receivedByClient: (connection) => ({ audioBytes: clients.get(connection as WebSocketConnection)!.keptBytes }),
      reportPlaybackFromClient: (connection, playedMs) =>
        clients
          .get(connection as WebSocketConnection)!
          .socket.send(JSON.stringify({ type: "playback", played_ms: playedMs })),
      cleanup: async () => {
        for (const client of clients.values()) client.socket.close();
        await server.stop(true);
      },
    };
  },
  { name: "WebSocket transport meets the transport contract" },
);
