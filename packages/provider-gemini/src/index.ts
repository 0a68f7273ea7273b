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
export type { GeminiSessionStats } from "./session-events.ts";
export {
  buildLiveConfig,
  type BuiltLiveConfig,
  type GeminiProviderConfig,
  geminiProviderConfigSchema,
  mapSensitivity,
  parseGeminiProviderConfig,
} from "./wire/build-live-config.ts";
export { cleanToolSchema } from "./wire/clean-tool-schema.ts";
export { dispatchServerMessage, type ServerMessageHandler, usageFromMetadata } from "./wire/dispatch-server-message.ts";
export { isRetryableClose, NON_RETRYABLE_CLOSE_CODES, parseDurationMs } from "./wire/close-codes.ts";
export { MAX_INJECTED_TEXT_CHARS, sanitizeInjectedText } from "./wire/sanitize-text.ts";
export { toolResultToResponse } from "./wire/tool-response.ts";
export { GEMINI_VOICES } from "./wire/voices.ts";
