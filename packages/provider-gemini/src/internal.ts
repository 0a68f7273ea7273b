// Wire-level building blocks (session config builders, server-event parsers, serialisers): for tests, tools and
// other providers that speak the same protocol. Not part of the stable API: they follow the provider's wire format
// and may change in any minor release. Import them from the package's internal subpath.
export { buildSessionConfig, type BuiltSessionConfig, mapSensitivity } from "./wire/build-session-config.ts";
export { cleanToolSchema } from "./wire/clean-tool-schema.ts";
export { parseServerEvent, usageFromMetadata } from "./wire/parse-server-event.ts";
export type { GeminiServerEvent, GeminiServerEventType, GeminiToolCall } from "./wire/server-events.ts";
export { isRetryableClose, NON_RETRYABLE_CLOSE_CODES, parseDurationMs } from "./wire/close-codes.ts";
export { MAX_INJECTED_TEXT_CHARS, sanitizeInjectedText } from "./wire/sanitize-text.ts";
export { toolResultToResponse } from "./wire/tool-response.ts";
export { GEMINI_VOICES } from "./wire/voices.ts";
