import { z } from "zod";
import { clockShape, functionShape, hookRegistryShape, loggerShape } from "./shapes.ts";

/**
 * Options of core's public constructors other than `RoomKit` (whose schemas are in `schemas.ts`). Each is validated
 * with `parseOptions` from `@roomkit/spec`, so a bad value throws `RoomKitConfigError` naming the class and field.
 */

export const sqliteStoreOptionsSchema = z.object({ path: z.string().min(1) });
export const SQLITE_STORE_ACCEPTED = { path: 'a file path or ":memory:"', "": "{ path: string }" } as const;

export const keyedAsyncLockOptionsSchema = z
  .object({ reentrant: z.object({ maxDepth: z.number().int().min(1) }).optional() })
  .optional();
export const KEYED_ASYNC_LOCK_ACCEPTED = { "reentrant.maxDepth": "an integer ≥ 1" } as const;

export const hookEngineOptionsSchema = z.object({
  registry: hookRegistryShape,
  clock: clockShape,
  logger: loggerShape,
  buildContext: functionShape,
  emit: functionShape,
});

export const channelIdArgumentSchema = z.object({ channelId: z.string().min(1) });
export const CHANNEL_ID_ACCEPTED = { channelId: "a non-empty string" } as const;
