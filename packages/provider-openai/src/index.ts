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
