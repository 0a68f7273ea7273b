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
};

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
};
