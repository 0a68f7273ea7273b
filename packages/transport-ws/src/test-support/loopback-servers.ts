// Shared by this package's tests (not exported): loopback servers for both adapters.
import { WebSocketServer } from "ws";
import { createBunWebSocketAdapter } from "../adapters/bun-adapter.ts";
import type { ConnectionFailureOptions } from "../adapters/connection-failure.ts";
import { attachWsServer, type WsLikeServer } from "../adapters/ws-adapter.ts";
import type { WebSocketConnection } from "../websocket-connection.ts";

export type ServerKind = "bun" | "ws";

export interface LoopbackServer {
  url: string;
  stop(): Promise<void>;
}

export async function startLoopbackServer(
  kind: ServerKind,
  onConnection: (connection: WebSocketConnection) => unknown,
  failure: ConnectionFailureOptions = { onConnectionError: () => {} },
): Promise<LoopbackServer> {
  if (kind === "bun") {
    const adapter = createBunWebSocketAdapter({ onConnection, ...failure });
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (request, bunServer) =>
        adapter.upgrade(request, bunServer) ? undefined : new Response("not a websocket", { status: 400 }),
      websocket: adapter.websocket,
    });
    return { url: `ws://127.0.0.1:${server.port}/ws`, stop: async () => void server.stop(true) };
  }
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload: 1024 * 1024 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  attachWsServer(server as unknown as WsLikeServer, { onConnection, ...failure });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    stop: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TestClient {
  socket: WebSocket;
  texts: unknown[];
  binaries: Uint8Array[];
  /** Audio bytes a browser player would still hold: all received (it never plays), emptied by `clear_audio`. */
  keptAudioBytes: number;
  closed: { code: number; reason: string } | undefined;
}

export async function connectClient(url: string): Promise<TestClient> {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  const client: TestClient = { socket, texts: [], binaries: [], keptAudioBytes: 0, closed: undefined };
  socket.addEventListener("message", (event) => {
    if (typeof event.data === "string") {
      const message = JSON.parse(event.data) as { type?: unknown; data?: unknown };
      client.texts.push(message);
      if (message.type === "audio" && typeof message.data === "string") {
        client.keptAudioBytes += Buffer.from(message.data, "base64").byteLength;
      } else if (message.type === "clear_audio") client.keptAudioBytes = 0;
    } else {
      client.binaries.push(new Uint8Array(event.data as ArrayBuffer));
      client.keptAudioBytes += (event.data as ArrayBuffer).byteLength;
    }
  });
  socket.addEventListener("close", (event) => {
    client.closed = { code: event.code, reason: event.reason };
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener("error", () => reject(new Error("client could not connect")), { once: true });
  });
  return client;
}

export function pcmFrame(seed: number, bytes = 640): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(bytes);
  for (let index = 0; index < bytes; index++) frame[index] = (seed * 31 + index) & 0xff;
  return frame;
}
