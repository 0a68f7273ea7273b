import { parseOptions } from "@roomkit/spec";
import type { ServerWebSocket } from "bun";
import { WebSocketConnection } from "../websocket-connection.ts";
import { ADAPTER_ACCEPTED, bunAdapterOptionsSchema } from "./adapter-options.ts";
import { type ConnectionFailureOptions, runOnConnection } from "./connection-failure.ts";

/** What the Bun adapter stores in `ws.data`. */
export interface BunWebSocketData {
  connection: WebSocketConnection;
}

export interface BunWebSocketAdapterOptions extends ConnectionFailureOptions {
  /** Called once per open socket; start the session here (`channel.startSession(..., { connection })`). */
  onConnection?: (connection: WebSocketConnection) => unknown;
  /** Frames above this are refused by Bun itself (it closes the socket). Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Messages kept before the transport accepts the connection. Default 100. */
  maxPendingMessages?: number;
  /** Bytes kept before the transport accepts the connection (oldest dropped beyond). Default 512 KiB. */
  maxPendingBytes?: number;
}

/** The part of `Bun.Server` the adapter needs. */
export interface BunUpgradeServer {
  upgrade(request: Request, options: { data: BunWebSocketData; headers?: HeadersInit }): boolean;
}

export interface BunWebSocketAdapter {
  /** Upgrades `request` if it asks for a WebSocket. Returns true when upgraded (respond with nothing). */
  upgrade(request: Request, server: unknown, options?: { headers?: HeadersInit }): boolean;
  /** Pass as `Bun.serve({ websocket })`. */
  readonly websocket: {
    maxPayloadLength: number;
    open(ws: ServerWebSocket<BunWebSocketData>): void;
    message(ws: ServerWebSocket<BunWebSocketData>, message: string | Buffer): void;
    close(ws: ServerWebSocket<BunWebSocketData>, code: number, reason: string): void;
    drain(ws: ServerWebSocket<BunWebSocketData>): void;
  };
}

/**
 * Adapter for Bun's native websockets (`Bun.serve`). Each socket gets a `WebSocketConnection` in `ws.data`.
 *
 * ```ts
 * const adapter = createBunWebSocketAdapter({ onConnection: (connection) => channel.startSession(room, "caller", { connection }) });
 * Bun.serve({ fetch: (req, server) => (adapter.upgrade(req, server) ? undefined : new Response("no")), websocket: adapter.websocket });
 * ```
 * @throws RoomKitConfigError naming a bad option.
 */
export function createBunWebSocketAdapter(options: BunWebSocketAdapterOptions = {}): BunWebSocketAdapter {
  parseOptions("createBunWebSocketAdapter", bunAdapterOptionsSchema, options, ADAPTER_ACCEPTED);
  const onConnection = options.onConnection;
  return {
    upgrade(request, server, upgradeOptions) {
      const connection = new WebSocketConnection({
        kind: "bun",
        url: new URL(request.url),
        headers: request.headers,
        request,
        maxPendingMessages: options.maxPendingMessages,
        maxPendingBytes: options.maxPendingBytes,
      });
      return (server as BunUpgradeServer).upgrade(request, { data: { connection }, headers: upgradeOptions?.headers });
    },
    websocket: {
      maxPayloadLength: options.maxPayloadBytes ?? 1024 * 1024,
      open(ws) {
        const connection = ws.data.connection;
        connection.bind(
          {
            sendText: (text) => {
              ws.sendText(text);
            },
            sendBinary: (bytes) => {
              ws.sendBinary(bytes);
            },
            close: (code, reason) => ws.close(code, reason),
            bufferedAmount: () => ws.getBufferedAmount(),
          },
          ws,
        );
        if (onConnection !== undefined) runOnConnection(onConnection, connection, options);
      },
      message(ws, message) {
        ws.data.connection.receive(message);
      },
      close(ws, code, reason) {
        ws.data.connection.handleClose(code, reason);
      },
      drain(ws) {
        ws.data.connection.handleDrain();
      },
    },
  };
}
