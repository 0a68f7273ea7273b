import type { ProviderError } from "../errors/provider-error.ts";
import type { ToolDefinition } from "./tool-definition.ts";

/** What the channel hands to `provider.connect` (and, complete and effective, to `reconfigure`). */
export interface ProviderConnectOptions {
  systemPrompt?: string;
  voice?: string;
  tools?: readonly ToolDefinition[];
  temperature?: number;
  /** PCM16 rate the channel will send. Always one the provider accepts (see `capabilities.inputSampleRates`). */
  inputSampleRate: number;
  /** PCM16 rate the channel expects in `onAudio`. */
  outputSampleRate: number;
  /** Let the provider detect turns. False when a local VAD drives `sendActivityStart/End`. */
  serverVad: boolean;
  /** Provider-specific settings, keys as the provider documents them (`turn_detection`, `silence_duration_ms`, ...). */
  providerConfig?: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface InjectTextOptions {
  role?: "user" | "assistant" | "system";
  /** Add to the context without asking for a response. */
  silent?: boolean;
}

export interface InjectImageOptions {
  mimeType?: string;
  prompt?: string;
  silent?: boolean;
}

/**
 * What a provider reports through `onError`: a `ProviderError` (or one of its subclasses, such as
 * `ProviderConnectionError` or `ProviderRateLimitError`) with `code`, `message`, `recoverable` (false: the provider
 * connection is gone and the session must end) and `cause`. Kept as an alias for code written against the old name.
 */
export type ProviderErrorEvent = ProviderError;

export interface VoiceInfo {
  id: string;
  name?: string;
  language?: string;
  gender?: string;
  description?: string;
  deprecated?: boolean;
}

export interface TranscriptionDetails {
  /** Provider item id, when the provider has one. */
  itemId?: string;
}
