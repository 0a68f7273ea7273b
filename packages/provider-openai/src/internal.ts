// Wire-level building blocks (session config builders, server-event parsers, serialisers): for tests, tools and
// other providers that speak the same protocol. Not part of the stable API: they follow the provider's wire format
// and may change in any minor release. Import them from the package's internal subpath.
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
