import type { LiveConnectConfig } from "@google/genai";
import { type ProviderConnectOptions, RoomKitConfigError } from "@roomkit/spec";
import { parseGeminiProviderConfig } from "../provider-config.ts";
import { cleanToolSchema } from "./clean-tool-schema.ts";

export interface BuiltSessionConfig {
  config: LiveConnectConfig;
  /** True when a field only v1alpha accepts is present (proactive audio, affective dialog). */
  needsV1alpha: boolean;
  /** Settings that were dropped, with the reason (logged by the provider). */
  warnings: string[];
}

export interface SessionConfigInput {
  options: ProviderConnectOptions;
  /** The latest resumable handle; omitted for a fresh session. */
  resumptionHandle?: string;
  /** The model id: native-audio models speak only, and refuse a TEXT response modality (close 1007). */
  model?: string;
}

/** `LOW`/`HIGH` → `START_SENSITIVITY_LOW`/`…_HIGH`; full names pass; anything else (e.g. `MEDIUM`) is undefined. */
export function mapSensitivity(value: string | undefined, prefix: "START" | "END"): string | undefined {
  if (value === undefined) return undefined;
  const upper = value.trim().toUpperCase();
  const full = `${prefix}_SENSITIVITY_`;
  if (upper === "LOW" || upper === "HIGH") return full + upper;
  if (upper === `${full}LOW` || upper === `${full}HIGH`) return upper;
  return undefined;
}

/**
 * Maps the channel's options to the SDK's flattened `LiveConnectConfig`. Always enables input and output
 * transcription, session resumption (with the handle when resuming) and sliding-window compression.
 * Builds a fresh object every call (the SDK mutates `tools`).
 */
export function buildSessionConfig(input: SessionConfigInput): BuiltSessionConfig {
  const { options } = input;
  const provider = parseGeminiProviderConfig(options.providerConfig);
  const warnings: string[] = [];
  const modalities = provider.response_modalities?.map((modality) => modality.toUpperCase()) ?? ["AUDIO"];
  if (modalities[0] === "TEXT" && input.model?.includes("native-audio")) {
    throw new RoomKitConfigError({
      component: "GeminiLiveProvider",
      field: "providerConfig.response_modalities",
      problem: `${input.model} is a native-audio model: it answers in audio only`,
      accepted: '["AUDIO"], or ["TEXT"] with a model that writes',
    });
  }
  const config: LiveConnectConfig = {
    responseModalities: modalities as never,
    inputAudioTranscription: {},
    outputAudioTranscription: {},
    sessionResumption: input.resumptionHandle ? { handle: input.resumptionHandle } : {},
  };
  if (provider.context_window_compression !== false) config.contextWindowCompression = { slidingWindow: {} };
  if (options.systemPrompt) config.systemInstruction = options.systemPrompt;
  if (options.temperature !== undefined) config.temperature = options.temperature;
  if (provider.top_p !== undefined) config.topP = provider.top_p;
  if (provider.top_k !== undefined) config.topK = provider.top_k;
  if (provider.max_output_tokens !== undefined) config.maxOutputTokens = provider.max_output_tokens;
  if (provider.seed !== undefined) config.seed = provider.seed;
  const languageCode = provider.language_code ?? provider.language;
  if (options.voice || languageCode) {
    config.speechConfig = {};
    if (options.voice) config.speechConfig.voiceConfig = { prebuiltVoiceConfig: { voiceName: options.voice } };
    if (languageCode) config.speechConfig.languageCode = languageCode;
  }
  if (provider.thinking_budget !== undefined || provider.thinking_level !== undefined) {
    config.thinkingConfig = {};
    if (provider.thinking_budget !== undefined) config.thinkingConfig.thinkingBudget = provider.thinking_budget;
    if (provider.thinking_level !== undefined) config.thinkingConfig.thinkingLevel = provider.thinking_level as never;
  }
  if (provider.enable_affective_dialog !== undefined) config.enableAffectiveDialog = provider.enable_affective_dialog;
  if (provider.proactive_audio !== undefined) config.proactivity = { proactiveAudio: provider.proactive_audio };

  const realtime: NonNullable<LiveConnectConfig["realtimeInputConfig"]> = {};
  if (!options.serverVad) {
    realtime.automaticActivityDetection = { disabled: true };
  } else {
    const detection: NonNullable<typeof realtime.automaticActivityDetection> = { disabled: false };
    const start = mapSensitivity(provider.start_of_speech_sensitivity, "START");
    const end = mapSensitivity(provider.end_of_speech_sensitivity, "END");
    if (start) detection.startOfSpeechSensitivity = start as never;
    else if (provider.start_of_speech_sensitivity !== undefined) {
      warnings.push(
        `start_of_speech_sensitivity "${provider.start_of_speech_sensitivity}" is not LOW or HIGH; server default used`,
      );
    }
    if (end) detection.endOfSpeechSensitivity = end as never;
    else if (provider.end_of_speech_sensitivity !== undefined) {
      warnings.push(
        `end_of_speech_sensitivity "${provider.end_of_speech_sensitivity}" is not LOW or HIGH; server default used`,
      );
    }
    if (provider.silence_duration_ms !== undefined) detection.silenceDurationMs = provider.silence_duration_ms;
    if (provider.prefix_padding_ms !== undefined) detection.prefixPaddingMs = provider.prefix_padding_ms;
    realtime.automaticActivityDetection = detection;
  }
  if (provider.activity_handling !== undefined) realtime.activityHandling = provider.activity_handling as never;
  if (provider.no_interruption) realtime.activityHandling = "NO_INTERRUPTION" as never;
  if (provider.turn_coverage !== undefined) realtime.turnCoverage = provider.turn_coverage.toUpperCase() as never;
  config.realtimeInputConfig = realtime;

  if (options.tools && options.tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: options.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          ...(tool.parameters ? { parameters: cleanToolSchema(tool.parameters) as never } : {}),
        })),
      },
    ];
  }
  const needsV1alpha = config.proactivity !== undefined || config.enableAffectiveDialog !== undefined;
  return { config, needsV1alpha, warnings };
}

/**
 * The API version to connect with: the explicit one (default `v1beta`), except that v1alpha-only features
 * (proactive audio, affective dialog) force `v1alpha` — v1beta would close with 1007.
 */
export function chooseApiVersion(
  built: BuiltSessionConfig,
  explicit: "v1alpha" | "v1beta" | undefined,
): "v1alpha" | "v1beta" {
  if (built.needsV1alpha && explicit !== "v1alpha") {
    if (explicit) built.warnings.push("proactive audio / affective dialog need v1alpha; using v1alpha");
    return "v1alpha";
  }
  return explicit ?? "v1beta";
}
