import { Access, ChannelCategory, ChannelDirection, HookExecution } from "@roomkit/spec";
import { z } from "zod";

const metadata = z.record(z.string(), z.unknown());
const nonEmpty = z.string().min(1);
const accessValues = Object.values(Access) as [string, ...string[]];
const categoryValues = Object.values(ChannelCategory) as [string, ...string[]];
const directionValues = Object.values(ChannelDirection) as [string, ...string[]];

export const accessSchema = z.enum(accessValues);
export const visibilitySchema = nonEmpty;
export const idSchema = nonEmpty;

const storeShape = z.custom<object>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as { appendEvent?: unknown }).appendEvent === "function" &&
    typeof (value as { getRoom?: unknown }).getRoom === "function",
  { message: "expected a ConversationStore" },
);
const loggerShape = z.custom<object>(
  (value) => typeof value === "object" && value !== null && typeof (value as { warn?: unknown }).warn === "function",
  { message: "expected a Logger" },
);
const clockShape = z.custom<object>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as { now?: unknown }).now === "function" &&
    typeof (value as { setTimeout?: unknown }).setTimeout === "function",
  { message: "expected a Clock" },
);

export const roomKitOptionsSchema = z
  .object({
    store: storeShape.optional(),
    logger: loggerShape.optional(),
    clock: clockShape.optional(),
    recentEventsLimit: z.number().int().min(0).max(10_000).optional(),
    deliveryTimeoutMs: z.number().positive().finite().optional(),
    closeTimeoutMs: z.number().positive().finite().optional(),
  })
  .optional();

export const createRoomOptionsSchema = z
  .object({ roomId: nonEmpty.optional(), metadata: metadata.optional() })
  .optional();

export const attachChannelOptionsSchema = z
  .object({
    category: z.enum(categoryValues).optional(),
    access: accessSchema.optional(),
    visibility: visibilitySchema.optional(),
    direction: z.enum(directionValues).optional(),
    muted: z.boolean().optional(),
    outputMuted: z.boolean().optional(),
    participantId: nonEmpty.optional(),
    metadata: metadata.optional(),
  })
  .optional();

export const hookOptionsSchema = z
  .object({
    execution: z.enum(Object.values(HookExecution) as [string, ...string[]]).optional(),
    priority: z.number().finite().optional(),
    name: nonEmpty.optional(),
    timeout: z.number().positive().finite().optional(),
    channelTypes: z.array(nonEmpty).optional(),
    channelIds: z.array(nonEmpty).optional(),
    directions: z.array(z.enum(directionValues)).optional(),
  })
  .optional();

export const sendEventOptionsSchema = z
  .object({
    participantId: nonEmpty.optional(),
    metadata: metadata.optional(),
    visibility: visibilitySchema.optional(),
    provider: z.string().optional(),
    createdAt: z
      .date()
      .refine((date) => !Number.isNaN(date.getTime()), "invalid date")
      .optional(),
    direction: z.enum(directionValues).optional(),
    signal: z.instanceof(AbortSignal).optional(),
  })
  .optional();

export const eventContentSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), body: z.string(), language: z.string().optional() }),
  z.object({
    type: z.literal("audio"),
    url: z.string().optional(),
    mimeType: z.string().optional(),
    durationMs: z.number().nonnegative().optional(),
    transcript: z.string().optional(),
  }),
  z.object({ type: z.literal("system"), code: nonEmpty, body: z.string().optional(), data: metadata.optional() }),
  z.object({
    type: z.literal("tool_call"),
    toolCallId: nonEmpty,
    name: nonEmpty,
    arguments: metadata,
    result: z.string().optional(),
  }),
]);

export const timelineOptionsSchema = z
  .object({
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
    afterIndex: z.number().int().min(-1).optional(),
    newestFirst: z.boolean().optional(),
  })
  .optional();

export const joinOptionsSchema = z
  .object({
    participantId: nonEmpty.optional(),
    connection: z.unknown().optional(),
    metadata: metadata.optional(),
    signal: z.instanceof(AbortSignal).optional(),
  })
  .optional();
