import { LOGGER_ACCEPTED } from "@roomkit/spec";
import { z } from "zod";
import { loggerOption } from "../logger-option.ts";

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", { message: `expected ${what}` });

const shared = {
  onConnectionError: fn("a function (error, connection) => void").optional(),
  maxPendingMessages: z.number().int().positive().optional(),
  maxPendingBytes: z.number().int().positive().optional(),
  logger: loggerOption.optional(),
  rateLimit: z
    .union([z.literal(false), z.object({ perSecond: z.number().positive().finite(), burst: z.number().int().min(1) })])
    .optional(),
};

/** Upgrades per remote address by default: a burst of 50, then 20 per second. */
export const DEFAULT_UPGRADE_RATE_LIMIT = { perSecond: 20, burst: 50 } as const;

/** WebSocket close code for a connection refused by the rate limit (RFC 6455 1013 "Try Again Later"). */
export const RATE_LIMITED_CLOSE_CODE = 1013;

/** `createBunWebSocketAdapter` options (unknown keys are ignored). */
export const bunAdapterOptionsSchema = z
  .object({
    ...shared,
    onConnection: fn("a function (connection) => unknown").optional(),
    maxPayloadBytes: z.number().int().positive().optional(),
  })
  .optional();

/** `attachWsServer` options: `onConnection` is required there. */
export const wsAdapterOptionsSchema = z.object({
  ...shared,
  onConnection: fn("a function (connection) => unknown"),
});

/** Hints for `RoomKitConfigError.accepted`, per field. */
export const ADAPTER_ACCEPTED: Readonly<Record<string, string>> = {
  "": "an options object",
  onConnection: "(connection) => unknown, e.g. (connection) => channel.startSession(roomId, caller, { connection })",
  onConnectionError: "(error, connection) => void",
  maxPendingMessages: "a positive integer",
  maxPendingBytes: "a positive integer (bytes)",
  maxPayloadBytes: "a positive integer (bytes)",
  logger: LOGGER_ACCEPTED,
  rateLimit: "false, or { perSecond: number > 0, burst: integer >= 1 } (upgrades per remote address)",
};
