import type { Logger, ProviderConnectOptions } from "@roomkit/spec";

/** Gemini Live takes caller audio as PCM16 at 16 kHz (`audio/pcm;rate=16000`). */
export const GEMINI_INPUT_SAMPLE_RATE = 16000;

/** Gemini Live output audio is always PCM16 at 24 kHz. */
export const GEMINI_OUTPUT_SAMPLE_RATE = 24000;

/** Gemini speaks PCM16 at 24 kHz only (its capabilities say so): the channel resamples, the provider does not. */
export function warnOnOutputRate(options: ProviderConnectOptions, logger: Logger): void {
  if (options.outputSampleRate !== GEMINI_OUTPUT_SAMPLE_RATE) {
    logger.warn("Gemini: output audio is 24 kHz; the outputSampleRate asked for is not applied by the provider", {
      outputSampleRate: options.outputSampleRate,
    });
  }
}
