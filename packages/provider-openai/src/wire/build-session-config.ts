import { InvalidArgumentError, type ToolDefinition } from "@roomkit/spec";
import type { OpenAIProviderConfig, TurnDetection } from "../provider-config.ts";

/** The audio encodings the GA API accepts: PCM16 at 24 kHz, or G.711 (μ-law / A-law) at 8 kHz. */
export type OpenAIAudioEncoding = "pcm" | "pcmu" | "pcma";

export interface OpenAIAudioFormat {
  encoding: OpenAIAudioEncoding;
  sampleRate: number;
  /** Wire bytes per millisecond: 48 for PCM 24 kHz, 8 for G.711. */
  bytesPerMs: number;
  /** The GA `format` object. */
  wire: { type: "audio/pcm"; rate: 24000 } | { type: "audio/pcmu" } | { type: "audio/pcma" };
}

export interface SessionConfigInput {
  systemPrompt?: string;
  voice?: string;
  tools?: readonly ToolDefinition[];
  temperature?: number;
  inputSampleRate: number;
  outputSampleRate: number;
  serverVad: boolean;
  providerConfig: OpenAIProviderConfig;
}

export interface BuiltSessionConfig {
  /** The `session` object of `session.update`. */
  session: Record<string, unknown>;
  input: OpenAIAudioFormat;
  output: OpenAIAudioFormat;
  turnDetection: TurnDetection | null;
  /** Settings that were ignored, for the caller to log (e.g. `temperature`, which GA rejects). */
  warnings: string[];
}

export const SUPPORTED_SAMPLE_RATES = [24000, 8000] as const;

export function buildAudioFormat(sampleRate: number, codec: "pcmu" | "pcma" = "pcmu"): OpenAIAudioFormat {
  if (sampleRate === 24000) {
    return { encoding: "pcm", sampleRate, bytesPerMs: 48, wire: { type: "audio/pcm", rate: 24000 } };
  }
  if (sampleRate === 8000) {
    return {
      encoding: codec,
      sampleRate,
      bytesPerMs: 8,
      wire: { type: codec === "pcma" ? "audio/pcma" : "audio/pcmu" },
    };
  }
  throw new InvalidArgumentError(
    `OpenAI Realtime only accepts 24000 Hz (PCM) or 8000 Hz (G.711) audio, got ${sampleRate} Hz; ` +
      "let the channel resample (capabilities.inputSampleRates/outputSampleRates)",
  );
}

/** The `audio.input.turn_detection` value: the seed's `turn_detection` object, flat keys, or `null` (manual turns). */
export function buildTurnDetection(config: OpenAIProviderConfig, serverVad: boolean): TurnDetection | null {
  if (!serverVad) return null;
  if (config.turn_detection !== undefined) return config.turn_detection === null ? null : { ...config.turn_detection };
  const type = config.turn_detection_type === undefined ? "server_vad" : config.turn_detection_type;
  if (type === null) return null;
  if (type === "semantic_vad") {
    return omitUndefined({
      type,
      eagerness: config.eagerness,
      create_response: config.create_response,
      interrupt_response: config.interrupt_response,
    }) as TurnDetection;
  }
  return omitUndefined({
    type,
    threshold: config.threshold,
    prefix_padding_ms: config.prefix_padding_ms,
    silence_duration_ms: config.silence_duration_ms,
    idle_timeout_ms: config.idle_timeout_ms,
    create_response: config.create_response,
    interrupt_response: config.interrupt_response,
  }) as TurnDetection;
}

/** Projects tools to `session.tools`: function tools keep only type/name/description/parameters; others pass. */
export function formatTools(tools: readonly ToolDefinition[]): Record<string, unknown>[] {
  return tools.map((tool) => {
    const loose = tool as unknown as Record<string, unknown>;
    if ((loose.type ?? "function") !== "function") return { ...loose };
    const projected: Record<string, unknown> = { type: "function", name: tool.name };
    if (tool.description !== undefined) projected.description = tool.description;
    if (tool.parameters !== undefined) projected.parameters = tool.parameters;
    return projected;
  });
}

/** Builds the full GA `session.update` payload. Throws `InvalidArgumentError` before any socket is opened. */
export function buildSessionConfig(input: SessionConfigInput): BuiltSessionConfig {
  const config = input.providerConfig;
  const warnings: string[] = [];
  if (input.temperature !== undefined) warnings.push("temperature is not supported by the GA Realtime API; ignored");
  const inputFormat = buildAudioFormat(input.inputSampleRate, config.codec);
  const outputFormat = buildAudioFormat(input.outputSampleRate, config.codec);
  const turnDetection = buildTurnDetection(config, input.serverVad);

  const sttModel = config.stt_model === undefined ? "gpt-4o-transcribe" : config.stt_model;
  const transcription =
    sttModel === null
      ? null
      : omitUndefined({ model: sttModel, language: config.language, prompt: config.transcription_prompt || undefined });
  const noiseReduction = config.noise_reduction === undefined ? "far_field" : config.noise_reduction;

  const audioOutput: Record<string, unknown> = { format: outputFormat.wire };
  if (input.voice) audioOutput.voice = input.voice;
  if (config.speed !== undefined) audioOutput.speed = config.speed;

  const session: Record<string, unknown> = {
    type: "realtime",
    output_modalities: ["audio"],
    audio: {
      input: {
        format: inputFormat.wire,
        transcription,
        noise_reduction: noiseReduction === null ? null : { type: noiseReduction },
        turn_detection: turnDetection,
      },
      output: audioOutput,
    },
  };
  if (input.systemPrompt) session.instructions = input.systemPrompt;
  if (input.tools && input.tools.length > 0) session.tools = formatTools(input.tools);
  if (config.reasoning_effort !== undefined) session.reasoning = { effort: config.reasoning_effort };
  return { session, input: inputFormat, output: outputFormat, turnDetection, warnings };
}

/**
 * The partial `session.update` that moves a live session from `previous` to `next` (both full configs from
 * `buildSessionConfig`): only changed fields, `""` to clear instructions, `[]` to clear tools. Returns `undefined`
 * when nothing changed. Audio formats are fixed for the life of the connection and never patched.
 */
export function buildSessionPatch(
  previous: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = { type: "realtime" };
  const cleared: Record<string, unknown> = { instructions: "", tools: [] };
  for (const key of ["instructions", "tools", "reasoning", "output_modalities"]) {
    if (same(previous[key], next[key])) continue;
    if (next[key] !== undefined) patch[key] = next[key];
    else if (key in cleared) patch[key] = cleared[key];
  }
  const previousAudio = (previous.audio ?? {}) as Record<string, Record<string, unknown>>;
  const nextAudio = (next.audio ?? {}) as Record<string, Record<string, unknown>>;
  const audio: Record<string, Record<string, unknown>> = {};
  for (const direction of ["input", "output"]) {
    const before = previousAudio[direction] ?? {};
    const after = nextAudio[direction] ?? {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (key === "format" || same(before[key], after[key])) continue;
      if (after[key] === undefined && key !== "turn_detection") continue;
      audio[direction] ??= {};
      audio[direction]![key] = after[key] ?? null;
    }
  }
  if (Object.keys(audio).length > 0) patch.audio = audio;
  return Object.keys(patch).length > 1 ? patch : undefined;
}

function same(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function omitUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== undefined) result[key] = entry;
  return result;
}
