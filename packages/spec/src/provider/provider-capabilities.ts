/**
 * What a provider can do. The channel branches on these flags, never on the provider's name; every flag changes
 * what the channel does (a flag that changed nothing would mislead a provider author, so there is none).
 */
export interface RealtimeProviderCapabilities {
  /**
   * `reconfigure` works in-band without losing the conversation. False: the channel does not ask the provider to
   * reconfigure in-band (see the channel's `reconfigureSession`).
   */
  readonly midSessionReconfigure: boolean;
  /**
   * `truncateAudio` drops the unheard tail of the assistant's reply from the model's context. False: the channel
   * never calls `truncateAudio` (the barge-in hook still fires).
   */
  readonly truncation: boolean;
  /** `injectImage` is supported. False: the channel refuses `injectImage` with `UnsupportedOperationError`. */
  readonly imageInput: boolean;
  /** PCM16 input rates accepted; the channel resamples the caller's audio to one of them. Empty = any rate. */
  readonly inputSampleRates: readonly number[];
  /** PCM16 output rates the provider can produce; the channel resamples from one of them. Empty = any rate. */
  readonly outputSampleRates: readonly number[];
}

export const DEFAULT_PROVIDER_CAPABILITIES: RealtimeProviderCapabilities = {
  midSessionReconfigure: true,
  truncation: false,
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
