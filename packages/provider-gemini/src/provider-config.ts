import { parseOptions } from "@roomkit/spec";
import { z } from "zod";

/** The `providerConfig` keys the Gemini provider reads (the seed's names plus the original's). Others are ignored. */
export const geminiProviderConfigSchema = z.object({
  response_modalities: z.array(z.string()).min(1).max(1).optional(),
  start_of_speech_sensitivity: z.string().optional(),
  end_of_speech_sensitivity: z.string().optional(),
  silence_duration_ms: z.number().int().nonnegative().optional(),
  prefix_padding_ms: z.number().int().nonnegative().optional(),
  proactive_audio: z.boolean().optional(),
  enable_affective_dialog: z.boolean().optional(),
  thinking_budget: z.number().int().optional(),
  thinking_level: z.string().optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().positive().optional(),
  max_output_tokens: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
  activity_handling: z.enum(["NO_INTERRUPTION", "START_OF_ACTIVITY_INTERRUPTS"]).optional(),
  no_interruption: z.unknown().optional(),
  turn_coverage: z.string().optional(),
  language_code: z.string().min(1).optional(),
  language: z.string().min(1).optional(),
  context_window_compression: z.boolean().optional(),
});

export type GeminiProviderConfig = z.infer<typeof geminiProviderConfigSchema>;

const providerConfigOption = z.object({ providerConfig: geminiProviderConfigSchema });

/**
 * Parses and validates `providerConfig` (per session: at connect and reconfigure); throws `RoomKitConfigError`
 * naming the bad key (`providerConfig.<key>`) and the accepted values.
 */
export function parseGeminiProviderConfig(providerConfig: Record<string, unknown> | undefined): GeminiProviderConfig {
  return parseOptions("GeminiLiveProvider", providerConfigOption, { providerConfig: providerConfig ?? {} })
    .providerConfig;
}
