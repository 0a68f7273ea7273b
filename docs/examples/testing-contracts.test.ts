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

// A transport: a loopback server, and a way to open, feed and close a client connection.
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
    const clients = new Map<WebSocketConnection, WebSocket>();
    return {
      transport,
      lossless: true,
      connect: async () => {
        const client = new WebSocket(`ws://127.0.0.1:${server.port}/`);
        const connection = await new Promise<WebSocketConnection>((resolve) => {
          const ready = opened.shift();
          if (ready) resolve(ready);
          else waiting.push(resolve);
        });
        await new Promise((resolve) =>
          client.readyState === WebSocket.OPEN ? resolve(undefined) : client.addEventListener("open", resolve),
        );
        clients.set(connection, client);
        return connection;
      },
      sendFromClient: (connection, audio) =>
        clients.get(connection as WebSocketConnection)!.send(new Uint8Array(audio)),
      closeFromClient: (connection) => clients.get(connection as WebSocketConnection)!.close(1000, "bye"),
      cleanup: async () => {
        for (const client of clients.values()) client.close();
        await server.stop(true);
      },
    };
  },
  { name: "WebSocket transport meets the transport contract" },
);
