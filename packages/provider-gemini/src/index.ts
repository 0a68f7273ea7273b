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
export { buildSessionConfig, type BuiltSessionConfig, mapSensitivity } from "./wire/build-session-config.ts";
export { cleanToolSchema } from "./wire/clean-tool-schema.ts";
export { parseServerEvent, usageFromMetadata } from "./wire/parse-server-event.ts";
export type { GeminiServerEvent, GeminiServerEventType, GeminiToolCall } from "./wire/server-events.ts";
export { isRetryableClose, NON_RETRYABLE_CLOSE_CODES, parseDurationMs } from "./wire/close-codes.ts";
export { MAX_INJECTED_TEXT_CHARS, sanitizeInjectedText } from "./wire/sanitize-text.ts";
export { toolResultToResponse } from "./wire/tool-response.ts";
export { GEMINI_VOICES } from "./wire/voices.ts";
