import { type Clock, hasMethods, isLogger, LOGGER_ACCEPTED, type Logger } from "@roomkit/spec";
import { z } from "zod";

const isFunction = (value: unknown) => typeof value === "function";

/** The options `GeminiLiveProvider` accepts (unknown keys are ignored, as elsewhere in RoomKit). */
export const geminiProviderOptionsSchema = z
  .object({
    apiKey: z
      .union([z.string().min(1), z.custom<() => unknown>(isFunction, { message: "expected a function" })])
      .optional(),
    model: z.string().min(1).optional(),
    apiVersion: z.enum(["v1alpha", "v1beta"]).optional(),
    baseUrl: z
      .string()
      .regex(/^(https?|wss?):\/\//, { message: "expected an http(s):// or ws(s):// URL" })
      .optional(),
    logger: z.custom<Logger>(isLogger, { message: "expected a Logger" }).optional(),
    connector: z.custom<unknown>(isFunction, { message: "expected a function" }).optional(),
    clock: z
      .custom<Clock>((value) => hasMethods(value, ["now", "setTimeout"]), { message: "expected a Clock" })
      .optional(),
    reconnectBufferFrames: z.number().int().nonnegative().optional(),
    maxReconnectAttempts: z.number().int().nonnegative().optional(),
    connectTimeoutMs: z.number().int().positive().optional(),
    maxInboundFrameBytes: z.number().int().positive().optional(),
  })
  .optional();

/** Hints for `RoomKitConfigError.accepted`, per field. */
export const GEMINI_PROVIDER_ACCEPTED: Readonly<Record<string, string>> = {
  "": "an options object",
  apiKey: "a non-empty string or a (possibly async) function returning one",
  model: "a Live model name",
  baseUrl: "an http(s):// or ws(s):// endpoint",
  connector: "(request) => Promise<LiveSessionLike>",
  logger: LOGGER_ACCEPTED,
  clock: "a Clock (now, setTimeout, clearTimeout)",
  reconnectBufferFrames: "an integer ≥ 0 (frames)",
  maxReconnectAttempts: "an integer ≥ 0",
  connectTimeoutMs: "a positive integer (milliseconds)",
  maxInboundFrameBytes: "a positive integer (bytes)",
};
