import { InvalidArgumentError } from "@roomkit/spec";
import { z } from "zod";

const REASONING_EFFORTS = ["minimal", "low", "medium", "high", "xhigh"] as const;
const EAGERNESS = ["low", "medium", "high", "auto"] as const;

const serverVadSchema = z.object({
  type: z.literal("server_vad"),
  threshold: z.number().min(0).max(1).optional(),
  prefix_padding_ms: z.number().int().nonnegative().optional(),
  silence_duration_ms: z.number().int().nonnegative().optional(),
  idle_timeout_ms: z.number().int().positive().nullable().optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
});
const semanticVadSchema = z.object({
  type: z.literal("semantic_vad"),
  eagerness: z.enum(EAGERNESS).optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
});
const turnDetectionSchema = z.discriminatedUnion("type", [serverVadSchema, semanticVadSchema]);
export type TurnDetection = z.infer<typeof turnDetectionSchema>;

const reconnectSchema = z.union([
  z.literal(false),
  z.literal(true),
  z.object({
    maxAttempts: z.number().int().nonnegative().optional(),
    initialDelayMs: z.number().nonnegative().optional(),
    maxDelayMs: z.number().nonnegative().optional(),
    replayBufferMs: z.number().int().nonnegative().optional(),
  }),
]);

/**
 * `providerConfig` keys (the provider's documented spelling). Unknown keys are ignored so configs shared with
 * other providers keep working; known keys are checked strictly and a bad value is an `InvalidArgumentError`.
 */
const providerConfigSchema = z.looseObject({
  turn_detection: z.union([turnDetectionSchema, z.null()]).optional(),
  turn_detection_type: z.enum(["server_vad", "semantic_vad"]).nullable().optional(),
  threshold: z.number().min(0).max(1).optional(),
  prefix_padding_ms: z.number().int().nonnegative().optional(),
  silence_duration_ms: z.number().int().nonnegative().optional(),
  idle_timeout_ms: z.number().int().positive().nullable().optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
  eagerness: z.enum(EAGERNESS).optional(),
  stt_model: z.string().min(1).nullable().optional(),
  language: z.string().min(1).optional(),
  transcription_prompt: z.string().optional(),
  noise_reduction: z.enum(["near_field", "far_field"]).nullable().optional(),
  speed: z.number().min(0.25).max(1.5).optional(),
  reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
  codec: z.enum(["pcmu", "pcma"]).optional(),
  image_detail: z.enum(["auto", "low", "high"]).optional(),
  reconnect: reconnectSchema.optional(),
});

export type OpenAIProviderConfig = z.infer<typeof providerConfigSchema>;

export interface ReconnectPolicy {
  enabled: boolean;
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Caller audio kept for replay (uncommitted input plus audio sent while reconnecting). */
  replayBufferMs: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = {
  enabled: true,
  maxAttempts: 5,
  initialDelayMs: 250,
  maxDelayMs: 5_000,
  replayBufferMs: 15_000,
};

/** Validates `providerConfig`; throws `InvalidArgumentError` naming the first bad key. */
export function parseProviderConfig(value: Record<string, unknown> | undefined): OpenAIProviderConfig {
  const result = providerConfigSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.join(".") || "providerConfig";
  throw new InvalidArgumentError(`Invalid providerConfig.${key}: ${issue.message}`);
}

export function reconnectPolicy(config: OpenAIProviderConfig): ReconnectPolicy {
  const value = config.reconnect;
  if (value === false) return { ...DEFAULT_RECONNECT_POLICY, enabled: false };
  if (value === undefined || value === true) return DEFAULT_RECONNECT_POLICY;
  return {
    enabled: true,
    maxAttempts: value.maxAttempts ?? DEFAULT_RECONNECT_POLICY.maxAttempts,
    initialDelayMs: value.initialDelayMs ?? DEFAULT_RECONNECT_POLICY.initialDelayMs,
    maxDelayMs: value.maxDelayMs ?? DEFAULT_RECONNECT_POLICY.maxDelayMs,
    replayBufferMs: value.replayBufferMs ?? DEFAULT_RECONNECT_POLICY.replayBufferMs,
  };
}
