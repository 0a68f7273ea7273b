import type { Clock, Logger } from "@roomkit/spec";
import type { ChannelRegistry } from "./channels/channel-registry.ts";
import type { RecentEvents } from "./events/recent-events.ts";
import type { HookEngine } from "./hooks/hook-engine.ts";
import type { HookRegistry } from "./hooks/hook-registry.ts";
import type { KeyedAsyncLock } from "./locks/keyed-async-lock.ts";
import type { RoomService } from "./rooms/room-service.ts";
import type { RoomEventBus } from "./bus/room-event-bus.ts";
import type { ConversationStore } from "./store/conversation-store.ts";

export interface FrameworkEventInit {
  roomId?: string;
  channelId?: string;
  eventId?: string;
  data?: Record<string, unknown>;
}

/** What RoomKit's modules share (built once by the facade). */
export interface KitServices {
  store: ConversationStore;
  /** Cross-node fan-out of stored events (none in a single process). */
  bus: RoomEventBus | undefined;
  channels: ChannelRegistry;
  rooms: RoomService;
  lock: KeyedAsyncLock;
  hookRegistry: HookRegistry;
  hooks: HookEngine;
  recent: RecentEvents;
  logger: Logger;
  clock: Clock;
  /** Per-broadcast limit for a target's onEvent/deliver. */
  deliveryTimeoutMs: number;
  emit(type: string, init: FrameworkEventInit): void;
}
