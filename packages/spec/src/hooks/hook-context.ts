import type { ChannelBinding } from "../events/channel-binding.ts";
import type { Room, RoomEvent } from "../events/room-event.ts";
import type { HookExecution, HookTrigger } from "./hook-trigger.ts";
import type { HookResult } from "./hook-result.ts";

/** What a hook sees of its room. Built only when at least one hook is registered for the trigger. */
export interface RoomContext {
  room: Room;
  bindings: ChannelBinding[];
  recentEvents: RoomEvent[];
}

// biome-ignore lint/suspicious/noConfusingVoidType: hooks may return nothing
export type HookReturn = HookResult | void | undefined | { result: unknown };

export type HookFunction<Event = any> = (event: Event, context: RoomContext) => HookReturn | Promise<HookReturn>;

export interface HookOptions {
  execution?: HookExecution;
  priority?: number;
  name?: string;
  /** Milliseconds; default 30 000. */
  timeout?: number;
  channelTypes?: readonly string[];
  channelIds?: readonly string[];
  directions?: readonly string[];
}

export interface HookRegistration extends Required<Pick<HookOptions, "execution" | "priority" | "name" | "timeout">> {
  trigger: HookTrigger;
  fn: HookFunction;
  channelTypes?: readonly string[];
  channelIds?: readonly string[];
  directions?: readonly string[];
  roomId?: string;
}
