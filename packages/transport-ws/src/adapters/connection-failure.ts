import { createConsoleLogger, type Logger } from "@roomkit/spec";
import type { WebSocketConnection } from "../websocket-connection.ts";

export interface ConnectionFailureOptions {
  /** Called when `onConnection` throws or rejects. Default: log a warning. */
  onConnectionError?: (error: unknown, connection: WebSocketConnection) => void;
  logger?: Logger;
}

let defaultLogger: Logger | undefined;

/** The adapter's logger: the option, or one shared console logger. */
export function connectionLogger(options: { logger?: Logger }): Logger {
  return options.logger ?? (defaultLogger ??= createConsoleLogger({ name: "roomkit:transport-ws" }));
}

/**
 * `onConnection` failed (auth refused, room missing, provider down): report it, and close the socket if nobody did
 * (1011), so the caller is never left connected to nothing.
 */
export function handleConnectionFailure(
  error: unknown,
  connection: WebSocketConnection,
  options: ConnectionFailureOptions,
): void {
  if (options.onConnectionError !== undefined) {
    try {
      options.onConnectionError(error, connection);
    } catch {
      // the application's handler failed; the close below still happens
    }
  } else {
    connectionLogger(options).warn("Could not start a session for a WebSocket connection", { error: String(error) });
  }
  if (!connection.isClosed) connection.close(1011, "Could not start the session");
}

/** Runs `onConnection`, routing sync throws and async rejections to `handleConnectionFailure`. */
export function runOnConnection(
  onConnection: (connection: WebSocketConnection) => unknown,
  connection: WebSocketConnection,
  options: ConnectionFailureOptions,
): void {
  try {
    const result = onConnection(connection);
    if (result instanceof Promise)
      result.catch((error: unknown) => handleConnectionFailure(error, connection, options));
  } catch (error) {
    handleConnectionFailure(error, connection, options);
  }
}
