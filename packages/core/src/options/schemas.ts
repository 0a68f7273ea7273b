import { Access, ChannelCategory, ChannelDirection, HookExecution, HookTrigger, LOGGER_ACCEPTED } from "@roomkit/spec";
import { z } from "zod";
import { busShape, clockShape, functionShape, loggerShape, storeShape } from "./shapes.ts";

/**
 * What `RoomKit`'s constructor and methods accept. Every schema is applied with `parseOptions` from `@roomkit/spec`
 * (one code path): a bad value throws `RoomKitConfigError` (an `InvalidArgumentError`) naming `RoomKit` or
 * `RoomKit.<method>`, the field and, where zod's message does not list them, the accepted values.
 * Scalar arguments are wrapped in an object (`{ access }`) so the error names them.
 */

const metadata = z.record(z.string(), z.unknown());
const nonEmpty = z.string().min(1);
const accessValues = Object.values(Access) as [string, ...string[]];
const categoryValues = Object.values(ChannelCategory) as [string, ...string[]];
const directionValues = Object.values(ChannelDirection) as [string, ...string[]];

export const accessSchema = z.enum(accessValues);
export const visibilitySchema = nonEmpty;
export const idSchema = nonEmpty;

export const roomKitOptionsSchema = z
  .object({
    store: storeShape.optional(),
    bus: busShape.optional(),
    logger: loggerShape.optional(),
    clock: clockShape.optional(),
    recentEventsLimit: z.number().int().min(0).max(10_000).optional(),
    deliveryTimeoutMs: z.number().positive().finite().optional(),
    closeTimeoutMs: z.number().positive().finite().optional(),
  })
  .optional();

export const ROOM_KIT_ACCEPTED = {
  "": "an options object or undefined",
  store: "a MemoryConversationStore, a SqliteConversationStore or your own ConversationStore",
  bus: "a RoomEventBus (publish, subscribe, close), e.g. a Redis bus shared by the nodes",
  logger: LOGGER_ACCEPTED,
  clock: "a Clock (systemClock)",
  recentEventsLimit: "an integer in [0, 10000]",
  deliveryTimeoutMs: "a positive number of milliseconds",
  closeTimeoutMs: "a positive number of milliseconds",
} as const;

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

export const accessArgumentSchema = z.object({ access: accessSchema });
export const visibilityArgumentSchema = z.object({ visibility: visibilitySchema });
export const roomIdArgumentSchema = z.object({ roomId: idSchema });

export const sendEventArgumentsSchema = z.object({ content: eventContentSchema, options: sendEventOptionsSchema });

export const hookArgumentsSchema = z.object({
  trigger: z.enum(Object.values(HookTrigger) as [string, ...string[]]),
  fn: functionShape,
});

export const registerChannelArgumentSchema = z.object({
  channel: z.object({ channelId: nonEmpty }, { error: "expected a channel (an object with a channelId)" }),
});
export const leaveArgumentSchema = z.object({
  session: z.object({ channelId: z.string() }, { error: "expected the session returned by join()" }),
});
export const typingArgumentsSchema = z.object({
  roomId: z.string(),
  userId: z.string(),
  isTyping: z.boolean(),
  data: metadata.optional(),
});
export const onArgumentsSchema = z.object({ type: nonEmpty, handler: functionShape });
