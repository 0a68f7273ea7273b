// The shared RealtimeTransport contract (@roomkit/testing), on both server adapters.
import { createRecordingLogger } from "@roomkit/spec";
import { describeRealtimeTransportContract, waitFor } from "@roomkit/testing";
import {
  connectClient,
  type ServerKind,
  startLoopbackServer,
  type TestClient,
} from "./test-support/loopback-servers.ts";
import type { WebSocketConnection } from "./websocket-connection.ts";
import { WebSocketRealtimeTransport } from "./websocket-realtime-transport.ts";

for (const kind of ["bun", "ws"] as const satisfies readonly ServerKind[]) {
  for (const audioFormat of ["base64_json", "binary"] as const) {
    describeRealtimeTransportContract(
      async () => {
        const transport = new WebSocketRealtimeTransport({ audioFormat, logger: createRecordingLogger() });
        const pending: WebSocketConnection[] = [];
        const clients = new Map<WebSocketConnection, TestClient>();
        const server = await startLoopbackServer(kind, (connection) => {
          pending.push(connection);
        });
        return {
          transport,
          lossless: true,
          connect: async () => {
            const client = await connectClient(server.url);
            await waitFor(() => pending.length > 0, { label: "server-side connection" });
            const connection = pending.shift()!;
            clients.set(connection, client);
            return connection;
          },
          sendFromClient: (connection, audio) => {
            clients.get(connection as WebSocketConnection)!.socket.send(audio as Uint8Array<ArrayBuffer>);
          },
          closeFromClient: (connection) => {
            clients.get(connection as WebSocketConnection)!.socket.close(1000, "bye");
          },
          cleanup: async () => {
            for (const client of clients.values()) client.socket.close();
            await server.stop();
          },
        };
      },
      { name: `RealtimeTransport contract: WebSocketRealtimeTransport (${kind}, ${audioFormat})` },
    );
  }
}
