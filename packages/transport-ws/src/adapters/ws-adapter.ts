import { type Clock, createRateLimiter, parseOptions, type RateLimiter, type RateLimitOption } from "@roomkit/spec";
import { WebSocketConnection } from "../websocket-connection.ts";
import {
  ADAPTER_ACCEPTED,
  DEFAULT_UPGRADE_RATE_LIMIT,
  RATE_LIMITED_CLOSE_CODE,
  wsAdapterOptionsSchema,
} from "./adapter-options.ts";
import { type ConnectionFailureOptions, connectionLogger, runOnConnection } from "./connection-failure.ts";

/** The part of a `ws` WebSocket the adapter uses (structural, so `ws` stays a dev dependency). */
export interface WsLikeSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  binaryType?: string;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  on(event: "message", listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: "close", listener: (code: number, reason: unknown) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** The part of a Node `IncomingMessage` the adapter reads. */
export interface IncomingRequestLike {
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  /** The TCP socket (`IncomingMessage.socket`): its `remoteAddress` keys the rate limit. */
  socket?: { remoteAddress?: string };
}

/** The part of a `ws` WebSocketServer the adapter uses. */
export interface WsLikeServer {
  /** `ws` keeps its constructor options here; `maxPayload` (default 100 MiB) bounds what it buffers per frame. */
  options?: { maxPayload?: number };
  on(event: "connection", listener: (socket: WsLikeSocket, request: IncomingRequestLike) => void): unknown;
  off?(event: "connection", listener: (socket: WsLikeSocket, request: IncomingRequestLike) => void): unknown;
}

export interface WsAdapterOptions {
  /** Messages kept before the transport accepts the connection. Default 100. */
  maxPendingMessages?: number;
  /** Bytes kept before the transport accepts the connection (oldest dropped beyond). Default 512 KiB. */
  maxPendingBytes?: number;
}

const OPEN = 1;

/**
 * Above this, a `ws` server buffers a whole frame far larger than any audio frame before the transport can drop it
 * (`maxFrameBytes` defaults to 256 KiB): `attachWsServer` warns once so the application sets `maxPayload`.
 */
export const RECOMMENDED_WS_MAX_PAYLOAD = 1024 * 1024;

function toHeaders(raw: IncomingRequestLike["headers"]): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

function toBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return Buffer.concat(data as Uint8Array[]);
  return undefined;
}

function toText(data: unknown): string {
  if (typeof data === "string") return data;
  const bytes = toBytes(data);
  return bytes === undefined ? "" : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** Wraps one `ws` socket (from `wss.on("connection", (socket, request) => ...)`) as a `WebSocketConnection`. */
export function wrapWsSocket(
  socket: WsLikeSocket,
  request?: IncomingRequestLike,
  options: WsAdapterOptions = {},
): WebSocketConnection {
  const host = request?.headers.host;
  const connection = new WebSocketConnection({
    kind: "ws",
    url: new URL(request?.url ?? "/", `http://${typeof host === "string" ? host : "localhost"}`),
    headers: toHeaders(request?.headers ?? {}),
    request,
    socket,
    maxPendingMessages: options.maxPendingMessages,
    maxPendingBytes: options.maxPendingBytes,
  });
  socket.binaryType = "nodebuffer";
  connection.bind(
    {
      sendText: (text) => socket.send(text),
      sendBinary: (bytes) => socket.send(bytes),
      close: (code, reason) => socket.close(code, reason),
      bufferedAmount: () => socket.bufferedAmount,
    },
    socket,
  );
  socket.on("message", (data, isBinary) => {
    if (isBinary) {
      const bytes = toBytes(data);
      if (bytes !== undefined) connection.receive(bytes);
    } else {
      connection.receive(toText(data));
    }
  });
  socket.on("close", (code, reason) => connection.handleClose(code, toText(reason)));
  // Socket errors are followed by a close event; a listener must exist or `ws` rethrows them.
  socket.on("error", () => {});
  if (socket.readyState !== OPEN) connection.handleClose(1006, "socket not open");
  return connection;
}

/** What `attachWsServer` returns: stops listening when called; carries the rate limiter. */
export interface WsServerDetach {
  (): void;
  /** The connection rate limiter (`undefined` when `rateLimit: false`); `rateLimiter.stats.refused` counts refusals. */
  readonly rateLimiter: RateLimiter | undefined;
}

/**
 * Wires a `ws` WebSocketServer: every connection is wrapped and handed to `onConnection`. A connection from an address
 * over the rate limit (`rateLimit`, default a burst of 50 then 20 per second per `request.socket.remoteAddress`) is
 * closed with 1013 before anything is allocated for it (no connection object, no `authenticate`); `false` turns the
 * limit off. Returns a function that stops listening. Throws `RoomKitConfigError` naming a bad option.
 */
export function attachWsServer(
  server: WsLikeServer,
  options: WsAdapterOptions &
    ConnectionFailureOptions & {
      onConnection: (connection: WebSocketConnection) => unknown;
      rateLimit?: RateLimitOption;
      clock?: Pick<Clock, "now">;
    },
): WsServerDetach {
  parseOptions("attachWsServer", wsAdapterOptionsSchema, options, ADAPTER_ACCEPTED);
  const maxPayload = server.options?.maxPayload;
  if (typeof maxPayload === "number" && (maxPayload === 0 || maxPayload > RECOMMENDED_WS_MAX_PAYLOAD)) {
    connectionLogger(options).warn(
      "The ws server accepts frames far larger than audio frames; pass maxPayload (e.g. 1048576) to new WebSocketServer",
      { maxPayload, recommended: RECOMMENDED_WS_MAX_PAYLOAD },
    );
  }
  const rateLimiter = createRateLimiter(options.rateLimit, DEFAULT_UPGRADE_RATE_LIMIT, options.clock);
  const listener = (socket: WsLikeSocket, request: IncomingRequestLike) => {
    if (rateLimiter !== undefined && !rateLimiter.take(request?.socket?.remoteAddress ?? "unknown").allowed) {
      socket.on("error", () => {});
      socket.close(RATE_LIMITED_CLOSE_CODE, "rate limited");
      return;
    }
    runOnConnection(options.onConnection, wrapWsSocket(socket, request, options), options);
  };
  server.on("connection", listener);
  const detach = () => {
    server.off?.("connection", listener);
  };
  return Object.assign(detach, { rateLimiter });
}
