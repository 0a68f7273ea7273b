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
