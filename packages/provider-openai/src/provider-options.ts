import { type Clock, hasMethods, isLogger, LOGGER_ACCEPTED, type Logger } from "@roomkit/spec";
import { z } from "zod";

const isFunction = (value: unknown) => typeof value === "function";

/** The options `OpenAIRealtimeProvider` accepts (unknown keys are ignored, as elsewhere in RoomKit). */
export const openAIProviderOptionsSchema = z
  .object({
    apiKey: z
      .union([z.string().min(1), z.custom<() => unknown>(isFunction, { message: "expected a function" })])
      .optional(),
    model: z.string().min(1).optional(),
    baseUrl: z
      .string()
      .regex(/^wss?:\/\//, { message: "expected a ws:// or wss:// URL" })
      .optional(),
    apiKeyHeader: z.enum(["authorization", "api-key"]).optional(),
    webSocketFactory: z.custom<unknown>(isFunction, { message: "expected a function" }).optional(),
    logger: z.custom<Logger>(isLogger, { message: "expected a Logger" }).optional(),
    clock: z
      .custom<Clock>((value) => hasMethods(value, ["now", "setTimeout"]), { message: "expected a Clock" })
      .optional(),
    connectTimeoutMs: z.number().int().positive().optional(),
    maxInboundFrameBytes: z.number().int().positive().optional(),
  })
  .optional();

/** Hints for `RoomKitConfigError.accepted`, per field. */
export const OPENAI_PROVIDER_ACCEPTED: Readonly<Record<string, string>> = {
  "": "an options object",
  apiKey: "a non-empty string or a (possibly async) function returning one",
  model: "a model name such as gpt-realtime",
  baseUrl: "a ws:// or wss:// URL without query",
  webSocketFactory: "(url, init) => WebSocket-like",
  logger: LOGGER_ACCEPTED,
  clock: "a Clock (now, setTimeout, clearTimeout)",
  connectTimeoutMs: "a positive integer (milliseconds)",
  maxInboundFrameBytes: "a positive integer (bytes)",
};
