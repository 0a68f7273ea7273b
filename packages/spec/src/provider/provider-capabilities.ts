/**
 * What a provider can do. The channel branches on these flags, never on the provider's name.
 */
export interface RealtimeProviderCapabilities {
  /** `reconfigure` works in-band without losing the conversation. */
  readonly midSessionReconfigure: boolean;
  /** `truncateAudio` drops the unheard tail of the assistant's reply from the model's context. */
  readonly truncation: boolean;
  /** The provider detects speech turns itself. */
  readonly serverVad: boolean;
  /** The provider transcribes the caller's speech. */
  readonly inputTranscription: boolean;
  /** The provider survives a dropped connection (resumption or reconnect with history re-seeding). */
  readonly resumption: boolean;
  /** `injectImage` is supported. */
  readonly imageInput: boolean;
  /** PCM16 input rates accepted; the channel resamples the caller's audio to one of them. Empty = any rate. */
  readonly inputSampleRates: readonly number[];
  /** PCM16 output rates the provider can produce; the channel resamples from one of them. Empty = any rate. */
  readonly outputSampleRates: readonly number[];
}

export const DEFAULT_PROVIDER_CAPABILITIES: RealtimeProviderCapabilities = {
  midSessionReconfigure: true,
  truncation: false,
  serverVad: true,
  inputTranscription: true,
  resumption: false,
  imageInput: false,
  inputSampleRates: [],
  outputSampleRates: [],
};

/** Picks the rate to use: `wanted` if accepted, else the smallest accepted rate ≥ wanted, else the largest. */
export function chooseSampleRate(wanted: number, accepted: readonly number[]): number {
  if (accepted.length === 0 || accepted.includes(wanted)) return wanted;
  const sorted = [...accepted].sort((a, b) => a - b);
  return sorted.find((rate) => rate >= wanted) ?? sorted[sorted.length - 1]!;
}
