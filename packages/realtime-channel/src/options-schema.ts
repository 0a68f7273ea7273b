import { hasMethods, isLogger } from "@roomkit/spec";
import { z } from "zod";

const SAMPLE_RATE = "a positive integer sample rate, at most 192000";
const POSITIVE_INTEGER = "a positive integer";

const sampleRate = z.number().int().positive().max(192_000);
const positiveInteger = z.number().int().positive();
const toolDefinition = z.looseObject({ name: z.string().min(1) });

/** The channel constructor's options as a zod 4 schema (a Standard Schema, validated through `parseOptions`). */
export const channelOptionsSchema = z.object({
  provider: z.custom((value) => hasMethods(value, ["connect", "sendAudio", "disconnect"]), {
    message: "expected a RealtimeVoiceProvider",
  }),
  transport: z.custom((value) => hasMethods(value, ["accept", "sendAudio", "disconnect"]), {
    message: "expected a RealtimeTransport",
  }),
  systemPrompt: z.string().optional(),
  voice: z.string().optional(),
  tools: z.array(toolDefinition).nullish(),
  temperature: z.number().finite().optional(),
  inputSampleRate: sampleRate.default(16_000),
  outputSampleRate: sampleRate.default(24_000),
  transportSampleRate: sampleRate.nullish(),
  emitTranscriptionEvents: z.boolean().default(true),
  toolHandler: z.custom((value) => typeof value === "function", { message: "expected a function" }).optional(),
  muteOnToolCall: z.boolean().default(false),
  toolResultMaxLength: positiveInteger.default(16_384),
  toolTimeoutMs: positiveInteger.default(30_000),
  providerConfig: z.record(z.string(), z.unknown()).optional(),
  maxOutboundQueue: positiveInteger.default(500),
  maxPreConnectBytes: positiveInteger.default(1_048_576),
  maxInboundFrameBytes: positiveInteger.default(262_144),
  disconnectTimeoutMs: positiveInteger.default(5000),
  levelIntervalMs: positiveInteger.default(100),
  logger: z
    .custom(isLogger, {
      message: "expected a Logger (debug, info, warn, error)",
    })
    .optional(),
  clock: z
    .custom((value) => hasMethods(value, ["now", "setTimeout", "clearTimeout"]), {
      message: "expected a Clock (now, setTimeout, clearTimeout)",
    })
    .optional(),
  createResampler: z.custom((value) => typeof value === "function", { message: "expected a function" }).optional(),
});

/** What `RoomKitConfigError.accepted` says for a field whose schema message cannot list it. */
export const CHANNEL_OPTION_HINTS: Readonly<Record<string, string>> = {
  inputSampleRate: SAMPLE_RATE,
  outputSampleRate: SAMPLE_RATE,
  transportSampleRate: SAMPLE_RATE,
  toolResultMaxLength: POSITIVE_INTEGER,
  toolTimeoutMs: POSITIVE_INTEGER,
  maxOutboundQueue: POSITIVE_INTEGER,
  maxPreConnectBytes: POSITIVE_INTEGER,
  maxInboundFrameBytes: POSITIVE_INTEGER,
  disconnectTimeoutMs: POSITIVE_INTEGER,
  levelIntervalMs: POSITIVE_INTEGER,
  temperature: "a finite number",
  tools: "a list of tool definitions, each with a non-empty name",
  emitTranscriptionEvents: "true | false",
  muteOnToolCall: "true | false",
};
