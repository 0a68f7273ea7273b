export {
  type ApiKeySource,
  DEFAULT_OPENAI_BASE_URL,
  OpenAIRealtimeProvider,
  type OpenAIRealtimeProviderOptions,
} from "./openai-realtime-provider.ts";
export type { OpenAIConnectionStats } from "./connection-events.ts";
export {
  DEFAULT_RECONNECT_POLICY,
  type OpenAIProviderConfig,
  parseProviderConfig,
  type ReconnectPolicy,
  type TurnDetection,
} from "./provider-config.ts";
export type { WebSocketFactory, WebSocketInit, WebSocketLike } from "./websocket.ts";
export {
  buildAudioFormat,
  buildSessionConfig,
  buildSessionPatch,
  buildTurnDetection,
  type BuiltSessionConfig,
  formatTools,
  type OpenAIAudioEncoding,
  type OpenAIAudioFormat,
  type SessionConfigInput,
  SUPPORTED_SAMPLE_RATES,
} from "./wire/build-session-config.ts";
export type { OpenAIClientEvent, OpenAIConversationItem } from "./wire/client-events.ts";
export { mapServerEvent, parseServerEvent, parseToolArguments } from "./wire/parse-server-event.ts";
export type { OpenAIErrorInfo, OpenAIServerEvent, OpenAIServerEventType, OpenAIUsage } from "./wire/server-events.ts";
export { serializeAppend, serializeClientEvent } from "./wire/serialize-client-event.ts";
