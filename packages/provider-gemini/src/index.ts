export {
  DEFAULT_GEMINI_MODEL,
  GeminiLiveProvider,
  type GeminiLiveProviderOptions,
} from "./gemini-live-provider.ts";
export {
  createSdkLiveConnector,
  type GeminiApiVersion,
  LiveConnectFailure,
  type LiveConnectRequest,
  type LiveConnector,
  type LiveSessionLike,
} from "./live-connector.ts";
export type { GeminiSessionStats } from "./connection-events.ts";
export { type GeminiProviderConfig, geminiProviderConfigSchema, parseGeminiProviderConfig } from "./provider-config.ts";
