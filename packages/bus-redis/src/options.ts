import { hasMethods, isLogger, LOGGER_ACCEPTED, type Logger } from "@roomkit/spec";
import { z } from "zod";

const redisUrl = z.string().refine((url) => /^rediss?:\/\//.test(url), "expected a redis:// or rediss:// URL");
const identifier = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, "expected 1-100 letters, digits or _ . : -");
const store = z.custom<object>((value) => hasMethods(value, ["listEvents", "appendEvent"]), {
  message: "expected a ConversationStore",
});
const logger = z.custom<Logger>(isLogger, { message: "expected a Logger" });
const factory = z.custom<object>((value) => typeof value === "function", { message: "expected a function" });

export const redisRoomBusOptionsSchema = z.object({
  url: redisUrl,
  store,
  nodeId: identifier.optional(),
  prefix: identifier.optional(),
  gapWaitMs: z.number().int().min(1).max(60_000).optional(),
  roomSlots: z.number().int().min(1).max(16_384).optional(),
  connectTimeoutMs: z.number().int().min(1).max(600_000).optional(),
  logger: logger.optional(),
  createRedis: factory.optional(),
});

export const REDIS_ROOM_BUS_ACCEPTED = {
  "": "an options object with url and store",
  url: "redis://host:port",
  store: "the ConversationStore every node shares",
  nodeId: "a unique id for this node",
  gapWaitMs: "an integer number of milliseconds in [1, 60000]",
  roomSlots: "an integer number of slots in [1, 16384]",
  logger: LOGGER_ACCEPTED,
} as const;

export const clusterNodeOptionsSchema = z
  .object({
    url: redisUrl,
    kit: z.custom<object>((value) => hasMethods(value, ["on", "getChannel", "sendEvent"]), {
      message: "expected a RoomKit",
    }),
    nodeId: identifier.optional(),
    prefix: identifier.optional(),
    leaseMs: z.number().int().min(100).max(600_000).optional(),
    heartbeatMs: z.number().int().min(10).max(300_000).optional(),
    requestTimeoutMs: z.number().int().min(1).max(600_000).optional(),
    connectTimeoutMs: z.number().int().min(1).max(600_000).optional(),
    recordSessions: z.boolean().optional(),
    logger: logger.optional(),
    createRedis: factory.optional(),
  })
  .refine((options) => options.heartbeatMs === undefined || options.heartbeatMs < (options.leaseMs ?? 10_000), {
    path: ["heartbeatMs"],
    message: "must be less than leaseMs",
  });

export const CLUSTER_NODE_ACCEPTED = {
  "": "an options object with url and kit",
  url: "redis://host:port",
  kit: "this node's RoomKit",
  nodeId: "a unique id for this node (use the bus's nodeId)",
  leaseMs: "an integer number of milliseconds in [100, 600000]",
  heartbeatMs: "an integer number of milliseconds, less than leaseMs",
  requestTimeoutMs: "an integer number of milliseconds in [1, 600000]",
  logger: LOGGER_ACCEPTED,
} as const;
