import {
  createId,
  type HookFunction,
  type HookOptions,
  type HookRegistration,
  HookTrigger,
  InvalidArgumentError,
} from "@roomkit/spec";
import { parseOptions } from "../options/parse-options.ts";
import { hookOptionsSchema } from "../options/schemas.ts";

const KNOWN_TRIGGERS: ReadonlySet<string> = new Set(Object.values(HookTrigger));

/** Validates `kit.hook` / `kit.addRoomHook` arguments and applies the defaults (sync, priority 0, 30 s). */
export function createRegistration(
  trigger: HookTrigger,
  fn: HookFunction,
  options: HookOptions | undefined,
  roomId: string | undefined,
): HookRegistration {
  if (!KNOWN_TRIGGERS.has(trigger)) throw new InvalidArgumentError(`hook trigger: unknown trigger ${String(trigger)}`);
  if (typeof fn !== "function") throw new InvalidArgumentError("hook fn: expected a function");
  const parsed = parseOptions(hookOptionsSchema, options, "hook options") ?? {};
  const registration: HookRegistration = {
    trigger,
    fn,
    execution: (parsed.execution as HookRegistration["execution"]) ?? "sync",
    priority: parsed.priority ?? 0,
    name: parsed.name ?? (fn.name || `hook-${createId().slice(0, 8)}`),
    timeout: parsed.timeout ?? 30_000,
  };
  if (parsed.channelTypes) registration.channelTypes = parsed.channelTypes;
  if (parsed.channelIds) registration.channelIds = parsed.channelIds;
  if (parsed.directions) registration.directions = parsed.directions;
  if (roomId !== undefined) registration.roomId = roomId;
  return registration;
}
