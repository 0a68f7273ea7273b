// errors
export { RoomKitError, type RoomKitErrorOptions } from "./errors/roomkit-error.ts";
export { AuthenticationError } from "./errors/authentication-error.ts";
export { ChannelAlreadyRegisteredError } from "./errors/channel-already-registered-error.ts";
export { ChannelNotFoundError } from "./errors/channel-not-found-error.ts";
export { DeliveryTimeoutError, type DeliveryTimeoutErrorOptions } from "./errors/delivery-timeout-error.ts";
export { EventAlreadyExistsError } from "./errors/event-already-exists-error.ts";
export { HookError } from "./errors/hook-error.ts";
export { HookTimeoutError, type HookTimeoutErrorOptions } from "./errors/hook-timeout-error.ts";
export { InvalidArgumentError } from "./errors/invalid-argument-error.ts";
export { LoadApiKeyError } from "./errors/load-api-key-error.ts";
export { ProviderAuthenticationError } from "./errors/provider-authentication-error.ts";
export { ProviderConnectionError } from "./errors/provider-connection-error.ts";
export { ProviderError } from "./errors/provider-error.ts";
export { ProviderProtocolError } from "./errors/provider-protocol-error.ts";
export { ProviderRateLimitError } from "./errors/provider-rate-limit-error.ts";
export { ProviderServerError } from "./errors/provider-server-error.ts";
export { ProviderSessionExpiredError } from "./errors/provider-session-expired-error.ts";
export { RoomKitConfigError, type RoomKitConfigErrorOptions } from "./errors/roomkit-config-error.ts";
export { RoomAlreadyExistsError } from "./errors/room-already-exists-error.ts";
export { RoomClosedError } from "./errors/room-closed-error.ts";
export { RoomKitClosedError } from "./errors/roomkit-closed-error.ts";
export { RoomNotFoundError } from "./errors/room-not-found-error.ts";
export { SessionNotFoundError } from "./errors/session-not-found-error.ts";
export { StoreClosedError } from "./errors/store-closed-error.ts";
export { StoreError } from "./errors/store-error.ts";
export { ToolTimeoutError } from "./errors/tool-timeout-error.ts";
export { TransportClosedError } from "./errors/transport-closed-error.ts";
export { TransportError } from "./errors/transport-error.ts";
export { UnsupportedOperationError } from "./errors/unsupported-operation-error.ts";
export { VoiceSessionEndedError } from "./errors/voice-session-ended-error.ts";

// sessions and audio
export { type AudioFrame, type InboundAudio, isAudioFrame } from "./session/audio-frame.ts";
export { VoiceSession, type VoiceSessionOptions } from "./session/voice-session.ts";
export { VOICE_SESSION_TRANSITIONS, VoiceSessionState } from "./session/voice-session-state.ts";
export type { RealtimeUsage, TurnLatency, VoiceSessionMetrics } from "./session/usage.ts";

// providers
export {
  RealtimeVoiceProvider,
  type ProviderAudioCallback,
  type ProviderErrorCallback,
  type ProviderSessionCallback,
  type ProviderToolCallCallback,
  type ProviderToolCallCancelCallback,
  type ProviderTranscriptionCallback,
  type RealtimeVoiceProviderOptions,
  type TranscriptionRole,
} from "./provider/realtime-voice-provider.ts";
export {
  chooseSampleRate,
  DEFAULT_PROVIDER_CAPABILITIES,
  type RealtimeProviderCapabilities,
} from "./provider/provider-capabilities.ts";
export type {
  InjectImageOptions,
  InjectTextOptions,
  ProviderConnectOptions,
  ProviderErrorEvent,
  TranscriptionDetails,
  VoiceInfo,
} from "./provider/provider-options.ts";
export type { JsonSchema, ToolArguments, ToolDefinition } from "./provider/tool-definition.ts";

// transports
export {
  RealtimeTransport,
  VoiceBackend,
  type DtmfDigit,
  type PlaybackPosition,
  type PlayedAudio,
  type RealtimeTransportOptions,
  type TransportAcceptOptions,
  type TransportAcceptResult,
  type TransportAudioCallback,
  type TransportSessionCallback,
} from "./transport/realtime-transport.ts";
export {
  DEFAULT_TRANSPORT_CAPABILITIES,
  type RealtimeTransportCapabilities,
} from "./transport/transport-capabilities.ts";
export type { ClientControlMessage } from "./transport/client-messages.ts";

// rooms and events (data model; behaviour lives in @roomkit/core)
export { canSendInboundAudio, canWrite, type ChannelBinding } from "./events/channel-binding.ts";
export { Access, ChannelCategory, ChannelDirection, ChannelType, type Visibility } from "./events/channel-types.ts";
export {
  EventStatus,
  EventType,
  type AudioContent,
  type EventContent,
  type EventSource,
  type FrameworkEvent,
  type Room,
  type RoomEvent,
  type RoomStatus,
  type SystemContent,
  type TextContent,
  type ToolCallContent,
} from "./events/room-event.ts";

// hooks
export { FAIL_CLOSED_TRIGGERS, HookExecution, HookTrigger } from "./hooks/hook-trigger.ts";
export { HookResult, type HookAction, type HookResultInit } from "./hooks/hook-result.ts";
export type {
  HookFunction,
  HookOptions,
  HookRegistration,
  HookReturn,
  RoomContext,
} from "./hooks/hook-context.ts";
export type {
  AudioLevelEvent,
  BargeInEvent,
  DtmfEvent,
  PartialTranscriptionEvent,
  RealtimeTranscriptionEvent,
  SessionEndedEvent,
  SessionStartedEvent,
  ToolCallEvent,
} from "./hooks/hook-events.ts";

// utilities
export { CallbackList } from "./util/callback-list.ts";
export { type Clock, systemClock } from "./util/clock.ts";
export { hasMethods } from "./util/has-methods.ts";
export { createId } from "./util/ids.ts";
export {
  createConsoleLogger,
  createRecordingLogger,
  isLogger,
  LOGGER_ACCEPTED,
  LOGGER_METHODS,
  type Logger,
  type LogLevel,
  type RecordingLogger,
  silentLogger,
} from "./util/logger.ts";
export { type ApiKeySource, type LoadApiKeyOptions, loadApiKey } from "./util/load-api-key.ts";
export {
  createRateLimiter,
  type RateLimitDecision,
  type RateLimiterOptions,
  type RateLimiterStats,
  type RateLimitOption,
  type RateLimitOptions,
  RateLimiter,
  retryAfterSeconds,
} from "./util/rate-limiter.ts";
export { type SafeParseJsonResult, safeParseJson } from "./util/safe-parse-json.ts";
export {
  formatIssuePath,
  parseOptions,
  type StandardSchemaIssue,
  type StandardSchemaOutput,
  type StandardSchemaResult,
  type StandardSchemaV1,
} from "./util/parse-options.ts";
