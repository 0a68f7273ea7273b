import { RoomKitError } from "@roomkit/spec";
import { Redis } from "ioredis";

/** Creates one Redis connection; `role` says what it is for (publisher, subscriber, commands, rpc). */
export type RedisFactory = (url: string, role: string) => Redis;

/**
 * The default connection: reconnects forever (50 ms growing to 1 s between attempts), queues commands while
 * disconnected, and never emits an unhandled `error` (a connection error is what reconnecting is for).
 */
export const connectRedis: RedisFactory = (url, role) => {
  const connection = new Redis(url, {
    connectionName: `roomkit-${role}`,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
    enableOfflineQueue: true,
  });
  connection.on("error", () => {});
  return connection;
};

/** `redis://host:port/db` without user name or password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(an unparseable Redis URL)";
  }
}

/**
 * `operation` (the first command on a new connection), or a recoverable `RoomKitError` with code `bus_unreachable`
 * naming the URL without credentials and the connection's last error when it has not completed within `timeoutMs`
 * (Redis down, wrong address, wrong password: the client keeps retrying in the background).
 */
export async function withinConnectTimeout<Result>(
  connection: Redis,
  operation: Promise<Result>,
  context: { component: string; url: string; timeoutMs: number },
): Promise<Result> {
  let lastError: unknown;
  const onError = (error: unknown) => {
    lastError = error;
  };
  connection.on("error", onError);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : "";
      reject(
        new RoomKitError({
          message: `${context.component}: cannot reach Redis at ${redactRedisUrl(context.url)} within ${context.timeoutMs} ms${detail}`,
          code: "bus_unreachable",
          recoverable: true,
          cause: lastError,
        }),
      );
    }, context.timeoutMs);
  });
  try {
    return await Promise.race([operation, timeout]);
  } finally {
    clearTimeout(timer);
    connection.off("error", onError);
  }
}

/** Closes a connection: QUIT when connected, otherwise drop it (a QUIT would wait in the offline queue forever). */
export async function quit(connection: Redis): Promise<void> {
  if (connection.status !== "ready") {
    connection.disconnect();
    return;
  }
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
