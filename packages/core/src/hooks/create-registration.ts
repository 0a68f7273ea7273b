import {
  createId,
  type HookFunction,
  type HookOptions,
  type HookRegistration,
  type HookTrigger,
  parseOptions,
} from "@roomkit/spec";
import { hookArgumentsSchema, hookOptionsSchema } from "../options/schemas.ts";

export interface RegistrationArguments {
  trigger: HookTrigger;
  fn: HookFunction;
  options: HookOptions | undefined;
  roomId?: string;
}

/**
 * Validates `kit.hook` / `kit.addRoomHook` arguments (through `parseOptions`, so a bad one throws
 * `RoomKitConfigError` naming `component` and the field) and applies the defaults (sync, priority 0, 30 s).
 */
export function createRegistration(component: string, args: RegistrationArguments): HookRegistration {
  const { trigger, fn, options, roomId } = args;
  parseOptions(component, hookArgumentsSchema, { trigger, fn });
  const parsed = parseOptions(component, hookOptionsSchema, options) ?? {};
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
