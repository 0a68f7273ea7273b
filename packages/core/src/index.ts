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

// events
export { createMessageEvent, createSystemEvent, SYSTEM_SOURCE } from "./events/room-events.ts";
export { visibilityAllows } from "./events/visibility.ts";
export { ANY_FRAMEWORK_EVENT, type FrameworkEventHandler } from "./events/framework-event-bus.ts";

// hooks
export { HookEngine, type HookEngineOptions } from "./hooks/hook-engine.ts";
export { HookRegistry, matchesOrigin } from "./hooks/hook-registry.ts";

// stores
export type { RoomEventBus } from "./bus/room-event-bus.ts";
export type { ConversationStore, ListEventsOptions, NewRoomEvent } from "./store/conversation-store.ts";
export { MemoryConversationStore } from "./store/memory-store.ts";
export { SqliteConversationStore, type SqliteConversationStoreOptions } from "./store/sqlite-store.ts";

// locks
export { ChainDepthExceededError, KeyedAsyncLock, type KeyedAsyncLockOptions } from "./locks/keyed-async-lock.ts";

// What a RoomKit user imports every day, re-exported from spec (the same objects, not copies): this package alone
// gives RoomKit, HookTrigger and HookResult, as the Python seed's one-line import of roomkit does.
// hooks
export {
  type AudioLevelEvent,
  type BargeInEvent,
  type DtmfEvent,
  type HookAction,
  HookExecution,
  type HookFunction,
  type HookOptions,
  type HookRegistration,
  HookResult,
  type HookResultInit,
  type HookReturn,
  HookTrigger,
  type PartialTranscriptionEvent,
  type RealtimeTranscriptionEvent,
  type RoomContext,
  type SessionEndedEvent,
  type SessionStartedEvent,
  type ToolCallEvent,
} from "@roomkit/spec";
// rooms, events and channels
export {
  Access,
  type AudioContent,
  type ChannelBinding,
  ChannelCategory,
  ChannelDirection,
  ChannelType,
  type EventContent,
  type EventSource,
  EventStatus,
  EventType,
  type FrameworkEvent,
  type Room,
  type RoomEvent,
  type RoomStatus,
  type SystemContent,
  type TextContent,
  type ToolCallContent,
  type Visibility,
} from "@roomkit/spec";
// voice sessions and tools
export {
  type ToolArguments,
  type ToolDefinition,
  VoiceSession,
  VoiceSessionState,
} from "@roomkit/spec";
// logging and time
export { type Clock, createConsoleLogger, type Logger, type LogLevel, silentLogger, systemClock } from "@roomkit/spec";
// errors: the base class and every subclass
export {
  AuthenticationError,
  ChannelAlreadyRegisteredError,
  ChannelNotFoundError,
  DeliveryTimeoutError,
  EventAlreadyExistsError,
  HookError,
  HookTimeoutError,
  InvalidArgumentError,
  LoadApiKeyError,
  ProviderAuthenticationError,
  ProviderConnectionError,
  ProviderError,
  ProviderProtocolError,
  ProviderRateLimitError,
  ProviderServerError,
  ProviderSessionExpiredError,
  RoomAlreadyExistsError,
  RoomClosedError,
  RoomKitClosedError,
  RoomKitConfigError,
  RoomKitError,
  type RoomKitErrorOptions,
  RoomNotFoundError,
  SessionNotFoundError,
  StoreClosedError,
  StoreError,
  ToolTimeoutError,
  TransportClosedError,
  TransportError,
  UnsupportedOperationError,
  VoiceSessionEndedError,
} from "@roomkit/spec";
