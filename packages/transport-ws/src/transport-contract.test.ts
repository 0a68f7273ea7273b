// The shared RealtimeTransport contract (@roomkit/testing), on both server adapters, with a real client on loopback.
import { createRecordingLogger } from "@roomkit/spec";
import { describeRealtimeTransportContract, type TransportContractSubject, waitFor } from "@roomkit/testing";
import {
  connectClient,
  type ServerKind,
  startLoopbackServer,
  type TestClient,
} from "./test-support/loopback-servers.ts";
import type { WebSocketConnection } from "./websocket-connection.ts";
import { WebSocketRealtimeTransport, type WebSocketRealtimeTransportOptions } from "./websocket-realtime-transport.ts";

async function subject(
  kind: ServerKind,
  options: WebSocketRealtimeTransportOptions,
): Promise<TransportContractSubject> {
  const transport = new WebSocketRealtimeTransport({ ...options, logger: createRecordingLogger() });
  const pending: WebSocketConnection[] = [];
  const clients = new Map<unknown, TestClient>();
  const server = await startLoopbackServer(kind, (connection) => {
    pending.push(connection);
  });
  const clientOf = (connection: unknown) => clients.get(connection)!;
  return {
    transport,
    lossless: true,
    connect: async () => {
      const client = await connectClient(server.url);
      await waitFor(() => pending.length > 0, { timeoutMs: 5000, label: "server-side connection" });
      const connection = pending.shift()!;
      clients.set(connection, client);
      return connection;
    },
    sendFromClient: (connection, audio) => {
      clientOf(connection).socket.send(audio as Uint8Array<ArrayBuffer>);
    },
    closeFromClient: (connection) => {
      clientOf(connection).socket.close(1000, "bye");
    },
    // The test client never plays: what it keeps is what it received since the last clear_audio.
    receivedByClient: (connection) => {
      const client = clientOf(connection);
      const messages = client.texts.filter((message) => (message as { type?: unknown }).type !== "audio");
      return { audioBytes: client.keptAudioBytes, messages };
    },
    reportPlaybackFromClient: (connection, playedMs) => {
      clientOf(connection).socket.send(JSON.stringify({ type: "playback", played_ms: playedMs }));
    },
    // What a client might try; this protocol has no DTMF, so onDtmf must stay silent.
    sendDtmfFromClient: (connection, digit) => {
      clientOf(connection).socket.send(JSON.stringify({ type: "dtmf", digit }));
    },
    cleanup: async () => {
      for (const client of clients.values()) client.socket.close();
      await server.stop();
    },
  };
}

for (const kind of ["bun", "ws"] as const satisfies readonly ServerKind[]) {
  for (const audioFormat of ["base64_json", "binary"] as const) {
    describeRealtimeTransportContract(() => subject(kind, { audioFormat }), {
      name: `RealtimeTransport contract: WebSocketRealtimeTransport (${kind}, ${audioFormat})`,
    });
  }
}

describeRealtimeTransportContract(() => subject("bun", { audioFormat: "binary", playbackReports: false }), {
  name: "RealtimeTransport contract: WebSocketRealtimeTransport (bun, binary, playbackReports: false)",
});
