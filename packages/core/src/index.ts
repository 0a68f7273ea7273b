// facade
export { type JoinOptions, RoomKit, type RoomKitOptions } from "./room-kit.ts";
export type { FrameworkEventInit } from "./kit-services.ts";

// channels
export {
  Channel,
  type ChannelCapabilities,
  type ChannelOutput,
  EMPTY_CHANNEL_OUTPUT,
} from "./channels/channel.ts";
export type {
  ChannelFramework,
  HookDispatchOrigin,
  SendEventOptions,
  SyncHookOutcome,
} from "./channels/channel-framework.ts";
export type { ChannelLike } from "./channels/channel-like.ts";
export { type AttachChannelOptions, canRead, createBinding, writeBlockReason } from "./channels/bindings.ts";

// rooms
export type { CreateRoomOptions } from "./rooms/room-service.ts";
export { RoomAlreadyExistsError, RoomClosedError, RoomKitClosedError } from "@roomkit/spec";

// events
export { createMessageEvent, createSystemEvent, SYSTEM_SOURCE } from "./events/room-events.ts";
export { visibilityAllows } from "./events/visibility.ts";
export { ANY_FRAMEWORK_EVENT, type FrameworkEventHandler } from "./events/framework-event-bus.ts";

// hooks
export { HookEngine, type HookEngineOptions } from "./hooks/hook-engine.ts";
export { HookRegistry, matchesOrigin } from "./hooks/hook-registry.ts";

// stores
export type { ConversationStore, ListEventsOptions, NewRoomEvent } from "./store/conversation-store.ts";
export { MemoryConversationStore } from "./store/memory-store.ts";
export { SqliteConversationStore, type SqliteConversationStoreOptions } from "./store/sqlite-store.ts";

// locks
export { ChainDepthExceededError, KeyedAsyncLock, type KeyedAsyncLockOptions } from "./locks/keyed-async-lock.ts";
