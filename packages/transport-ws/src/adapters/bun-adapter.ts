import {
  type Clock,
  createRateLimiter,
  parseOptions,
  type RateLimiter,
  type RateLimitOption,
  retryAfterSeconds,
} from "@roomkit/spec";
import type { ServerWebSocket } from "bun";
import { WebSocketConnection } from "../websocket-connection.ts";
import { ADAPTER_ACCEPTED, bunAdapterOptionsSchema, DEFAULT_UPGRADE_RATE_LIMIT } from "./adapter-options.ts";
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
  /**
   * Upgrades per remote address (`server.requestIP`), checked before any connection object exists and before
   * `authenticate`. Default `{ perSecond: 20, burst: 50 }`; `false` turns it off (e.g. behind a proxy, where every
   * caller shares its address: limit there instead).
   */
  rateLimit?: RateLimitOption;
  /** Time source of the rate limiter. Default `systemClock`. */
  clock?: Pick<Clock, "now">;
}

/** The part of `Bun.Server` the adapter needs. */
export interface BunUpgradeServer {
  upgrade(request: Request, options: { data: BunWebSocketData; headers?: HeadersInit }): boolean;
  requestIP?(request: Request): { address: string } | null;
}

export interface BunWebSocketAdapter {
  /** Upgrades `request` if it asks for a WebSocket. Returns true when upgraded (respond with nothing). */
  upgrade(request: Request, server: unknown, options?: { headers?: HeadersInit }): boolean;
  /**
   * `upgrade` as a whole `fetch` answer: `undefined` when upgraded, 429 (with `Retry-After`) when the caller's address
   * is over the rate limit, 400 when the request is not a WebSocket upgrade.
   */
  handleUpgrade(request: Request, server: unknown, options?: { headers?: HeadersInit }): Response | undefined;
  /** The upgrade rate limiter (`undefined` when `rateLimit: false`); `rateLimiter.stats.refused` counts refusals. */
  readonly rateLimiter: RateLimiter | undefined;
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
  const rateLimiter = createRateLimiter(options.rateLimit, DEFAULT_UPGRADE_RATE_LIMIT, options.clock);
  /** Spends a token for the request's address; the refusal when there is none. */
  const limit = (request: Request, server: unknown) => {
    if (rateLimiter === undefined) return undefined;
    const address = (server as BunUpgradeServer).requestIP?.(request)?.address ?? "unknown";
    const decision = rateLimiter.take(address);
    return decision.allowed ? undefined : decision;
  };
  const upgradeAllowed = (request: Request, server: unknown, upgradeOptions?: { headers?: HeadersInit }) => {
    const connection = new WebSocketConnection({
      kind: "bun",
      url: new URL(request.url),
      headers: request.headers,
      request,
      maxPendingMessages: options.maxPendingMessages,
      maxPendingBytes: options.maxPendingBytes,
    });
    return (server as BunUpgradeServer).upgrade(request, { data: { connection }, headers: upgradeOptions?.headers });
  };
  return {
    rateLimiter,
    upgrade(request, server, upgradeOptions) {
      if (limit(request, server) !== undefined) return false;
      return upgradeAllowed(request, server, upgradeOptions);
    },
    handleUpgrade(request, server, upgradeOptions) {
      const refusal = limit(request, server);
      if (refusal !== undefined) {
        return new Response("too many connection attempts", {
          status: 429,
          headers: { "retry-after": String(retryAfterSeconds(refusal)) },
        });
      }
      if (upgradeAllowed(request, server, upgradeOptions)) return undefined;
      return new Response("expected a WebSocket upgrade", { status: 400 });
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
